/**
 * The generated CRD clientset and informers against a real kube-apiserver: the sample CRDs are
 * installed under a unique group, the client is generated into a git-ignored folder inside the
 * repository (so its imports of @kubets/* resolve), imported, and used for every call it offers.
 */
import { mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { isNotFound } from "@kubets/apimachinery/errors";
import type { Scale } from "@kubets/api/autoscaling/v1";
import type { CustomResourceDefinition } from "@kubets/api/apiextensions/v1";
import { ClientConfigLoader, type RestConfig } from "@kubets/client/config";
import {
  newForConfig as newKubernetesClientset,
  type Clientset as KubernetesClientset,
  type ResourceClient,
  type ScaleMethods,
  type StatusMethods,
  type TypedWatchEvent,
} from "@kubets/client/kubernetes";
import type { ClusterLister, NamespacedLister, ResourceInformer, InformerFactoryBase, InformerFactoryOptions } from "@kubets/informers/informers";
import { testEnv } from "@kubets/testenv/vitest";
import { generateCrdClients } from "../src/crd-client.js";
import { generateCrdTypes } from "../src/crd.js";

// The shapes the generated code has (the unit test type-checks them against real usage).
interface Widget {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; resourceVersion?: string; uid?: string; generation?: number };
  spec?: { color: "red" | "green" | "blue"; replicas?: number; port?: number | string; config?: Record<string, unknown>; tags?: string[] };
  status?: { phase?: string; replicas?: number; selector?: string };
}
interface Gizmo {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; resourceVersion?: string };
  spec?: { size?: number; [key: string]: unknown };
}
type WidgetClient = ResourceClient<Widget> & StatusMethods<Widget> & ScaleMethods<Scale>;
interface Generated {
  newForConfig(config: RestConfig): {
    exampleV1(): { widgets(namespace: string): WidgetClient; gizmos(): ResourceClient<Gizmo> };
    exampleV1beta1(): { widgets(namespace: string): ResourceClient<Widget> & StatusMethods<Widget> };
    close(): Promise<void>;
  };
  newSharedInformerFactory(
    cs: unknown,
    options?: InformerFactoryOptions,
  ): InformerFactoryBase & {
    example(): {
      v1(): {
        widgets(): ResourceInformer<Widget, NamespacedLister<Widget, "widgets">>;
        gizmos(): ResourceInformer<Gizmo, ClusterLister<Gizmo>>;
      };
    };
  };
}

const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const group = `example.c${suffix}.kubets.io`;
const ns = `crd-client-${suffix}`;
const out = resolve(__dirname, `tmp/crd-client-int-${suffix}`);
const fixture = readFileSync(resolve(__dirname, "fixtures/crd-widgets/widgets-crd.yaml"), "utf8").replaceAll("example.kubets.io", group);
const crds = parseAllDocuments(fixture).map((d) => d.toJS() as CustomResourceDefinition);

let config: RestConfig;
let kube: KubernetesClientset;
let gen: Generated;
let cs: ReturnType<Generated["newForConfig"]>;
const warnings: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until f returns a value (not undefined); fails after the deadline. */
async function eventually<T>(what: string, f: () => Promise<T | undefined>, deadlineMs = 30_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  const env = testEnv();
  config = {
    ...new ClientConfigLoader({ explicitPath: env.kubeconfigPath, context: env.contexts.admin }).clientConfig(),
    qps: -1,
    warningHandler: (_code, _agent, text) => void warnings.push(text),
  };
  kube = newKubernetesClientset(config);
  await kube.coreV1().namespaces().create({ metadata: { name: ns } });
  const apiext = kube.apiextensionsV1().customResourceDefinitions();
  for (const crd of crds) await apiext.create(crd);
  for (const crd of crds) {
    await eventually(`CRD ${crd.metadata?.name} to be established`, async () => {
      const got = await apiext.get(crd.metadata?.name ?? "");
      return got.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ? true : undefined;
    });
  }

  const sources = [{ name: "widgets-crd.yaml", text: fixture }];
  for (const o of [...generateCrdTypes(sources), ...generateCrdClients(sources)]) {
    const p = join(out, o.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, o.content);
  }
  gen = (await import(pathToFileURL(join(out, "index.ts")).href)) as Generated;
  cs = gen.newForConfig(config);
  // The apiserver serves a new CRD's resources a moment after Established.
  await eventually("widgets to be served", () => cs.exampleV1().widgets(ns).list());
  await eventually("gizmos to be served", () => cs.exampleV1().gizmos().list());
});

afterAll(async () => {
  const apiext = kube?.apiextensionsV1().customResourceDefinitions();
  for (const crd of crds) await apiext?.delete(crd.metadata?.name ?? "").catch(() => undefined);
  await kube?.coreV1().namespaces().delete(ns).catch(() => undefined);
  await cs?.close();
  await kube?.close();
  rmSync(out, { recursive: true, force: true });
  try {
    rmdirSync(dirname(out)); // tmp/, unless another test file still uses it
  } catch {
    // not empty
  }
});

describe("generated CRD clientset against a real apiserver", () => {
  it("creates, gets, lists by label, updates, updates status, scales, applies, patches and deletes, and a watch sees it all", async () => {
    const widgets = cs.exampleV1().widgets(ns);
    const start = await widgets.list();
    const watch = await widgets.watch({ resourceVersion: start.metadata?.resourceVersion ?? "", fieldSelector: "metadata.name=alpha" });

    const created = await widgets.create({
      metadata: { name: "alpha", labels: { tier: "front" } },
      spec: { color: "red", replicas: 1, port: "http", config: { nested: { any: [1, "two"] } }, tags: ["a"] },
      // status is ignored on create when the status subresource is enabled
      status: { phase: "Ignored" },
    });
    expect(created).toMatchObject({ apiVersion: `${group}/v1`, kind: "Widget", metadata: { name: "alpha", namespace: ns } });
    expect(created.spec).toEqual({ color: "red", replicas: 1, port: "http", config: { nested: { any: [1, "two"] } }, tags: ["a"] });
    expect(created.status).toBeUndefined();
    await widgets.create({ metadata: { name: "beta", labels: { tier: "back" } }, spec: { color: "green", port: 8080 } });

    const got = await widgets.get("alpha");
    expect(got.metadata?.uid).toBe(created.metadata?.uid);
    const front = await widgets.list({ labelSelector: "tier=front" });
    expect(front.kind).toBe("WidgetList");
    expect(front.items.map((w) => w.metadata?.name)).toEqual(["alpha"]);
    expect((await widgets.list({ labelSelector: "tier in (front,back)" })).items.map((w) => w.metadata?.name).sort()).toEqual(["alpha", "beta"]);

    const updated = await widgets.update({ ...got, spec: { ...got.spec!, color: "blue", port: 9090 } });
    expect(updated.spec?.color).toBe("blue");
    expect(updated.spec?.port).toBe(9090);
    expect(updated.metadata?.generation).toBe(2);

    const withStatus = await widgets.updateStatus({ ...updated, status: { phase: "Ready", replicas: 1, selector: "tier=front" } });
    expect(withStatus.status).toEqual({ phase: "Ready", replicas: 1, selector: "tier=front" });
    expect(withStatus.metadata?.generation).toBe(2); // status writes do not bump the generation
    expect((await widgets.getStatus("alpha")).status?.phase).toBe("Ready");
    const statusApplied = await widgets.applyStatus({ metadata: { name: "alpha" }, status: { phase: "Applied" } }, { fieldManager: "crd-client-status", force: true });
    expect(statusApplied.status?.phase).toBe("Applied");
    expect(statusApplied.spec?.color).toBe("blue");

    const scale = await widgets.getScale("alpha");
    expect(scale).toMatchObject({ apiVersion: "autoscaling/v1", kind: "Scale", metadata: { name: "alpha" }, spec: { replicas: 1 }, status: { replicas: 1, selector: "tier=front" } });
    const scaled = await widgets.updateScale("alpha", { ...scale, spec: { replicas: 4 } });
    expect(scaled.spec?.replicas).toBe(4);
    expect((await widgets.get("alpha")).spec?.replicas).toBe(4);

    // Server-side apply: creates an object the manager owns, then changes only its fields.
    const applied = await widgets.apply({ metadata: { name: "gamma", labels: { tier: "front" } }, spec: { color: "green", tags: ["x", "y"] } }, { fieldManager: "crd-client-test" });
    expect(applied).toMatchObject({ kind: "Widget", metadata: { name: "gamma" }, spec: { color: "green", tags: ["x", "y"] } });
    const reapplied = await widgets.apply({ metadata: { name: "gamma" }, spec: { color: "blue" } }, { fieldManager: "crd-client-test", force: true });
    expect(reapplied.spec).toEqual({ color: "blue" });
    expect((await widgets.list({ labelSelector: "tier=front" })).items.map((w) => w.metadata?.name)).toEqual(["alpha"]);

    const patched = await widgets.patch("alpha", "application/merge-patch+json", { metadata: { labels: { patched: "yes" } } });
    expect(patched.metadata?.labels).toEqual({ tier: "front", patched: "yes" });

    await widgets.delete("alpha");
    await expect(widgets.get("alpha")).rejects.toSatisfy(isNotFound);

    const events: Array<TypedWatchEvent<Widget>> = [];
    for await (const ev of watch) {
      events.push(ev);
      if (ev.type === "DELETED") break;
    }
    watch.stop();
    expect(events[0]).toMatchObject({ type: "ADDED", object: { metadata: { name: "alpha" }, spec: { color: "red" } } });
    expect(events.slice(1, -1).every((e) => e.type === "MODIFIED")).toBe(true);
    expect(events.slice(1, -1).map((e) => e.object.spec?.replicas)).toContain(4);
    expect(events.at(-1)?.object.metadata?.labels?.["patched"]).toBe("yes");

    // gamma lost its label when the second apply left it out (the manager owned it): only beta goes.
    await widgets.deleteCollection({}, { labelSelector: "tier" });
    await eventually("the collection to be deleted", async () => {
      const names = (await widgets.list()).items.map((w) => w.metadata?.name);
      return names.length === 1 ? names : undefined;
    }).then((names) => expect(names).toEqual(["gamma"]));
    await widgets.delete("gamma");
  });

  it("reads the same object through the second served version and works on cluster-scoped gizmos", async () => {
    const v1 = cs.exampleV1().widgets(ns);
    await v1.create({ metadata: { name: "delta" }, spec: { color: "red", port: 80 } });
    const beta = await cs.exampleV1beta1().widgets(ns).get("delta");
    expect(beta).toMatchObject({ apiVersion: `${group}/v1beta1`, kind: "Widget", spec: { color: "red", port: 80 } });
    // v1beta1 is a deprecated version: the server says so in a Warning header.
    expect(warnings).toContain(`${group}/v1beta1 Widget is deprecated; use ${group}/v1`);
    // All namespaces: "" lists across namespaces.
    expect((await cs.exampleV1beta1().widgets("").list()).items.map((w) => `${w.metadata?.namespace}/${w.metadata?.name}`)).toContain(`${ns}/delta`);
    await v1.delete("delta");

    const gizmos = cs.exampleV1().gizmos();
    const name = `gizmo-${suffix}`;
    const g = await gizmos.create({ metadata: { name }, spec: { size: 3, extra: { kept: true } } });
    expect(g).toMatchObject({ apiVersion: `${group}/v1`, kind: "Gizmo", metadata: { name }, spec: { size: 3, extra: { kept: true } } });
    expect(g.metadata).not.toHaveProperty("namespace");
    await gizmos.delete(name);
    await expect(gizmos.get(name)).rejects.toSatisfy(isNotFound);
  });

  it("speaks JSON even when the config asks for protobuf", async () => {
    const pb = gen.newForConfig({ ...config, contentType: "application/vnd.kubernetes.protobuf", acceptContentTypes: "application/vnd.kubernetes.protobuf" });
    try {
      const w = await pb.exampleV1().widgets(ns).create({ metadata: { name: "epsilon" }, spec: { color: "blue" } });
      expect(w.spec?.color).toBe("blue");
      expect((await pb.exampleV1().widgets(ns).get("epsilon")).metadata?.uid).toBe(w.metadata?.uid);
      await pb.exampleV1().widgets(ns).delete("epsilon");
    } finally {
      await pb.close();
    }
  });

  it("feeds typed informers and listers from the generated informer factory", async () => {
    const widgets = cs.exampleV1().widgets(ns);
    await widgets.create({ metadata: { name: "zeta", labels: { app: "inf" } }, spec: { color: "green" } });
    const gizmoName = `gizmo-inf-${suffix}`;
    await cs.exampleV1().gizmos().create({ metadata: { name: gizmoName }, spec: { size: 1 } });

    const factory = gen.newSharedInformerFactory(cs, { namespace: ns });
    const widgetInformer = factory.example().v1().widgets();
    const gizmoInformer = factory.example().v1().gizmos();
    const added: string[] = [];
    widgetInformer.informer().addEventHandler({ onAdd: (w) => void added.push(w.metadata?.name ?? "") });
    gizmoInformer.informer();
    const stop = new AbortController();
    try {
      factory.start(stop.signal);
      const synced = await factory.waitForCacheSync(stop.signal);
      expect([...synced.values()]).toEqual([true, true]);
      expect(widgetInformer.lister().widgets(ns).get("zeta").spec?.color).toBe("green");
      expect(widgetInformer.lister().list((labels) => labels["app"] === "inf").map((w) => w.metadata?.name)).toEqual(["zeta"]);
      expect(gizmoInformer.lister().get(gizmoName).spec?.size).toBe(1);
      expect(() => widgetInformer.lister().widgets(ns).get("nope")).toThrow(expect.objectContaining({ name: "StatusError" }));

      await widgets.create({ metadata: { name: "eta" }, spec: { color: "red" } });
      const eta = await eventually("eta in the lister", async () => {
        try {
          return widgetInformer.lister().widgets(ns).get("eta");
        } catch {
          return undefined;
        }
      });
      expect(eta.kind).toBe("Widget");
      expect(added.sort()).toEqual(["eta", "zeta"]);
      // The factory shares one informer per resource.
      expect(factory.example().v1().widgets().informer()).toBe(widgetInformer.informer());
    } finally {
      stop.abort();
      await factory.shutdown();
      await widgets.deleteCollection();
      await cs.exampleV1().gizmos().delete(gizmoName);
    }
  });
});
