// Runs examples/controller against the real API server: informer + rate-limited workqueue + workers that
// write an annotation back. The controller starts without the right to patch, so its first writes are
// Forbidden and go back to the queue with backoff; once the Role allows patch, the annotations land.
// Then two replicas behind leader election: only the leader's workers ever run; when it stops, the
// other takes over and carries on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigMap } from "@kubets/api/core/v1";
import type { Role } from "@kubets/api/rbac/v1";
import { newBroadcaster } from "@kubets/client/events";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { ANNOTATION, ConfigMapHashController, LABEL, dataHash } from "../../../examples/controller/controller.js";
import { LEASE_NAME, LeaderElectedController } from "../../../examples/controller/leader.js";
import { configFor, uniqueName } from "./helpers/int.js";

const ns = uniqueName("kubets-example-controller");
const ns2 = uniqueName("kubets-example-controller-le");
let admin: Clientset;

async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function cm(name: string, data: Record<string, string>, labelled = true, annotations: Record<string, string> = {}): ConfigMap {
  return { metadata: { name, labels: labelled ? { [LABEL]: "true" } : { other: "x" }, annotations }, data };
}

async function annotationOf(name: string, namespace = ns): Promise<string | undefined> {
  return (await admin.coreV1().configMaps(namespace).get(name)).metadata?.annotations?.[ANNOTATION];
}

beforeAll(async () => {
  admin = newForConfig(configFor("admin"));
  await admin.coreV1().namespaces().create({ metadata: { name: ns } });
  await admin.coreV1().namespaces().create({ metadata: { name: ns2 } });
});

afterAll(async () => {
  await admin.coreV1().namespaces().delete(ns).catch(() => undefined);
  await admin.coreV1().namespaces().delete(ns2).catch(() => undefined);
  await admin.close();
});

describe("examples/controller against the real API server", () => {
  it("annotates labelled ConfigMaps, retries Forbidden writes with backoff, follows data changes", async () => {
    const role: Role = {
      metadata: { name: "example-controller" },
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
    };
    await admin.rbacV1().roles(ns).create(role);
    await admin.rbacV1().roleBindings(ns).create({
      metadata: { name: "example-controller" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "example-controller" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "example-controller" }],
    });
    await admin.coreV1().configMaps(ns).create(cm("a", { x: "1" }));
    await admin.coreV1().configMaps(ns).create(cm("b", { y: "2" }, true, { [ANNOTATION]: "stale" }));
    await admin.coreV1().configMaps(ns).create(cm("untouched", { z: "3" }, false));

    // The controller runs as its own user (impersonated by the admin) with only that Role's rights.
    const cs = newForConfig({ ...configFor("admin"), impersonate: { userName: "example-controller" } });
    const logs: string[] = [];
    const controller = new ConfigMapHashController(cs, { namespace: ns, workers: 2, maxRetries: 12, log: (m) => logs.push(m) });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    try {
      // Reads work, writes are Forbidden: the keys go back to the queue with backoff.
      await until(() => controller.stats.retries >= 4, "Forbidden writes to be retried");
      expect(controller.stats.writes).toBe(0);
      expect(logs.some((l) => l.includes(`${ns}/a: configmaps "a" is forbidden`) && l.endsWith("(retrying)"))).toBe(true);
      expect(controller.queue.numRequeues(`${ns}/a`) + controller.queue.numRequeues(`${ns}/b`)).toBeGreaterThan(0);

      await admin.rbacV1().roles(ns).update({ ...role, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "patch"] }] });
      await until(async () => (await annotationOf("a")) !== undefined && (await annotationOf("b")) !== "stale", "the annotations of a and b");
      const a = await admin.coreV1().configMaps(ns).get("a");
      expect(a.metadata?.annotations?.[ANNOTATION]).toBe(dataHash(a));
      const b = await admin.coreV1().configMaps(ns).get("b");
      expect(b.metadata?.annotations?.[ANNOTATION]).toBe(dataHash(b));
      expect(controller.stats.dropped).toBe(0);

      // A ConfigMap created while it runs, and a data change, are followed.
      await admin.coreV1().configMaps(ns).create(cm("c", { w: "4" }));
      await admin.coreV1().configMaps(ns).update({ ...a, data: { x: "changed" } });
      await until(async () => (await annotationOf("c")) !== undefined, "the annotation of c");
      await until(async () => (await annotationOf("a")) === dataHash({ data: { x: "changed" } }), "a's new hash");
      // The write of the annotation itself comes back as an update event; the hash matches, nothing is written.
      await new Promise((r) => setTimeout(r, 1000));
      expect(controller.stats.writes).toBe(4);
      expect(await annotationOf("untouched")).toBeUndefined();
      expect(controller.queue.len()).toBe(0);
    } finally {
      stop.abort();
      await running;
      await cs.close();
    }
    // The queue is shut down and the workers have returned.
    expect(controller.queue.shuttingDown()).toBe(true);
  });

  it("two replicas behind leader election never both work; the other takes over when the leader stops", async () => {
    await admin.coreV1().configMaps(ns2).create(cm("x", { x: "1" }));
    const events = newBroadcaster({ client: admin });
    const stopEvents = new AbortController();
    events.startRecordingToSink(stopEvents.signal);
    const logs: string[] = [];
    const replica = (identity: string) => {
      const cs = newForConfig(configFor("admin"));
      const stop = new AbortController();
      const le = new LeaderElectedController(cs, {
        namespace: ns2,
        leaseNamespace: ns2,
        identity,
        leaseDuration: 2000,
        renewDeadline: 1500,
        retryPeriod: 300,
        log: (m) => logs.push(`${identity}: ${m}`),
        recorder: events.newRecorder("kubets.dev/configmap-hash", identity),
      });
      const done = le.run(stop.signal).finally(() => cs.close());
      return { identity, le, stop, done };
    };
    const r1 = replica("replica-1");
    const r2 = replica("replica-2");
    let both = 0;
    const sampler = setInterval(() => {
      if (r1.le.working && r2.le.working) both++;
    }, 5);
    try {
      await until(async () => (await annotationOf("x", ns2)) !== undefined, "the leader to annotate x");
      const [leader, other] = r1.le.terms > 0 ? [r1, r2] : [r2, r1];
      expect(leader.le.terms).toBe(1);
      expect(other.le.terms).toBe(0);
      expect(other.le.controller).toBeUndefined();
      expect((await admin.coordinationV1().leases(ns2).get(LEASE_NAME)).spec?.holderIdentity).toBe(leader.identity);

      // The leader stops (Ctrl-C): its workers return, it releases the Lease, and the other replica
      // starts its own informer and workers, which pick up new work.
      leader.stop.abort();
      expect(await leader.done).toEqual({ lost: false });
      expect(leader.le.working).toBe(false);
      await until(() => other.le.working, "the other replica to take over", 10_000);
      await admin.coreV1().configMaps(ns2).create(cm("y", { y: "2" }));
      await until(async () => (await annotationOf("y", ns2)) !== undefined, "the new leader to annotate y");
      expect(other.le.terms).toBe(1);
      expect(other.le.controller?.stats.writes).toBe(1); // y only: x already carries its hash
      const lease = await admin.coordinationV1().leases(ns2).get(LEASE_NAME);
      expect(lease.spec?.holderIdentity).toBe(other.identity);
      expect(lease.spec?.leaseTransitions).toBe(1);

      // Events: the hash writes on the ConfigMaps and the election on the Lease.
      await until(async () => {
        const list = await admin.eventsV1().events(ns2).list();
        const reasons = list.items.map((e) => `${e.regarding?.kind}/${e.regarding?.name} ${e.reason} ${e.note}`);
        return reasons.includes(`ConfigMap/x DataHashWritten wrote ${ANNOTATION}=${dataHash({ data: { x: "1" } })}`) &&
          reasons.includes(`Lease/${LEASE_NAME} LeaderElection ${leader.identity} stopped leading`) &&
          reasons.includes(`Lease/${LEASE_NAME} LeaderElection ${other.identity} became leader`);
      }, "the events");
    } finally {
      clearInterval(sampler);
      r1.stop.abort();
      r2.stop.abort();
      await Promise.all([r1.done, r2.done]);
      stopEvents.abort();
      await events.shutdown();
    }
    expect(both).toBe(0);
    expect(logs).toEqual([]);
  });
});
