// Runs examples/sample-controller against the real control plane (kube-apiserver, etcd and
// kube-controller-manager): Foos create Deployments with owner references, scaling a Foo scales its
// Deployment, the Foo's status carries availableReplicas and conditions written with
// setStatusCondition, core/v1 events land on the Foo, a Deployment the Foo does not own is refused
// with a Warning event, and deleting a Foo lets the garbage collector delete its Deployment.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Event } from "@kubets/api/core/v1";
import { findStatusCondition, isStatusConditionFalse, isStatusConditionTrue } from "@kubets/apimachinery/meta";
import { nestedInt64, type Unstructured } from "@kubets/apimachinery/runtime";
import * as dynamic from "@kubets/client/dynamic";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { PatchType } from "@kubets/client/rest";
import { newBroadcaster, type EventBroadcaster } from "@kubets/client/record";
import {
  ConditionAvailable,
  ConditionDeploymentReady,
  ErrResourceExists,
  FooController,
  SuccessSynced,
  type FooStatus,
} from "../../../examples/sample-controller/controller.js";
import { DEPLOYMENTS, FOOS, installFooCRD } from "../../../examples/sample-controller/crd.js";
import { configFor, uniqueName } from "./helpers/int.js";

const ns = uniqueName("kubets-sample-controller");
let cs: Clientset;
let dyn: dynamic.DynamicClient;
let broadcaster: EventBroadcaster;
let controller: FooController;
const stop = new AbortController();
let running: Promise<void>;
const logs: string[] = [];

async function until<T>(get: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await get();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function foo(name: string, deploymentName: string, replicas: number): Unstructured {
  return { apiVersion: "samplecontroller.k8s.io/v1alpha1", kind: "Foo", metadata: { name }, spec: { deploymentName, replicas } };
}

const foos = () => dyn.resource(FOOS).namespace(ns);
const deployments = () => dyn.resource(DEPLOYMENTS).namespace(ns);
const statusOf = (f: Unstructured): FooStatus => (f["status"] ?? {}) as FooStatus;
async function eventsOf(name: string): Promise<Event[]> {
  return (await cs.coreV1().events(ns).list({ fieldSelector: `involvedObject.name=${name},involvedObject.kind=Foo` })).items;
}

beforeAll(async () => {
  const config = configFor("admin");
  cs = newForConfig(config);
  dyn = dynamic.newForConfig(config);
  await installFooCRD(dyn);
  await cs.coreV1().namespaces().create({ metadata: { name: ns } });
  broadcaster = newBroadcaster({ log: () => undefined });
  broadcaster.startRecordingToSink(cs);
  controller = new FooController(dyn, { namespace: ns, recorder: broadcaster.newRecorder({ component: "sample-controller" }), log: (m) => void logs.push(m) });
  running = controller.run(stop.signal);
});

afterAll(async () => {
  stop.abort();
  await running;
  await broadcaster?.shutdown();
  await cs.coreV1().namespaces().delete(ns).catch(() => undefined);
  await Promise.all([cs.close(), dyn.close()]);
});

it("creates, scales and deletes Deployments for Foos, with status conditions and events", { timeout: 240_000 }, async () => {
  const created = await foos().create(foo("example-foo", "example-web", 1));

  // The Deployment, owned by the Foo.
  const d = await until(() => deployments().get("example-web").catch(() => undefined), "the Deployment");
  expect(nestedInt64(d, "spec", "replicas")).toBe(1);
  expect(d.metadata?.ownerReferences).toEqual([
    { apiVersion: "samplecontroller.k8s.io/v1alpha1", kind: "Foo", name: "example-foo", uid: created.metadata?.uid, controller: true, blockOwnerDeletion: true },
  ]);

  // The status: conditions written with setStatusCondition, for the Foo's generation.
  const synced = await until(async () => {
    const f = await foos().get("example-foo");
    return isStatusConditionTrue(statusOf(f).conditions, ConditionDeploymentReady) ? f : undefined;
  }, "the DeploymentReady condition");
  const readySince = findStatusCondition(statusOf(synced).conditions, ConditionDeploymentReady)?.lastTransitionTime;
  // testenv's kwok node runs the pod, so the Deployment becomes available and the Foo says so.
  const available = await until(async () => {
    const f = await foos().get("example-foo");
    return isStatusConditionTrue(statusOf(f).conditions, ConditionAvailable) ? f : undefined;
  }, "Available=True for 1 replica");
  expect(findStatusCondition(statusOf(available).conditions, ConditionAvailable)).toMatchObject({ reason: "ReplicasAvailable", message: "1 of 1 replicas available", observedGeneration: 1 });
  expect(await until(async () => (await eventsOf("example-foo")).find((e) => e.reason === SuccessSynced), "the Synced event")).toMatchObject({
    type: "Normal",
    message: "Foo synced successfully",
    source: { component: "sample-controller" },
  });

  // Scale up: the Deployment follows; the status keeps DeploymentReady's transition time.
  await foos().patch("example-foo", PatchType.Merge, { spec: { replicas: 3 } });
  await until(async () => nestedInt64(await deployments().get("example-web"), "spec", "replicas") === 3, "3 replicas");
  const scaledUp = await until(async () => {
    const f = await foos().get("example-foo");
    return findStatusCondition(statusOf(f).conditions, ConditionAvailable)?.message === "3 of 3 replicas available" ? f : undefined;
  }, "the status for 3 replicas");
  expect(isStatusConditionFalse(statusOf(scaledUp).conditions, ConditionAvailable)).toBe(false);
  expect(findStatusCondition(statusOf(scaledUp).conditions, ConditionDeploymentReady)).toMatchObject({ lastTransitionTime: readySince, observedGeneration: 2 });

  // Scale to zero: 0 of 0 available, so Available stays True.
  await foos().patch("example-foo", PatchType.Merge, { spec: { replicas: 0 } });
  await until(async () => nestedInt64(await deployments().get("example-web"), "spec", "replicas") === 0, "0 replicas");
  const scaledDown = await until(async () => {
    const f = await foos().get("example-foo");
    const c = findStatusCondition(statusOf(f).conditions, ConditionAvailable);
    return c?.status === "True" && c.message === "0 of 0 replicas available" ? f : undefined;
  }, "Available=True for 0 replicas");
  expect(findStatusCondition(statusOf(scaledDown).conditions, ConditionAvailable)).toMatchObject({ reason: "ReplicasAvailable", observedGeneration: 3 });
  expect(statusOf(scaledDown).availableReplicas).toBe(0);

  // Delete the Foo: the controller-manager's garbage collector deletes the Deployment it owns.
  await foos().delete("example-foo");
  await until(
    () =>
      deployments()
        .get("example-web")
        .then(
          () => false,
          (err: unknown) => (err as { code?: number }).code === 404,
        ),
    "the garbage collector to delete the Deployment",
    // The garbage collector notices a new CRD's resources at its next discovery sync (every 30 s).
    120_000,
  );
});

it("refuses a Deployment the Foo does not own, with a Warning event", { timeout: 60_000 }, async () => {
  await cs.appsV1().deployments(ns).create({
    metadata: { name: "taken" },
    spec: { replicas: 1, selector: { matchLabels: { app: "taken" } }, template: { metadata: { labels: { app: "taken" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } },
  });
  await foos().create(foo("intruder", "taken", 2));
  const warning = await until(async () => (await eventsOf("intruder")).find((e) => e.reason === ErrResourceExists), "the ErrResourceExists event");
  expect(warning).toMatchObject({ type: "Warning", message: 'Resource "taken" already exists and is not managed by Foo' });
  expect(nestedInt64(await deployments().get("taken"), "spec", "replicas")).toBe(1);
  expect(logs.some((l) => l.includes('error syncing "') && l.includes("not managed by Foo"))).toBe(true);
  expect(controller.stats.retries).toBeGreaterThan(0);
});
