// Dynamic, metadata and generic (forResource) informers against the real API server, on a custom
// resource installed for the test and on ConfigMaps.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "@kubets/testenv/vitest";
import { isNotFound } from "@kubets/apimachinery/errors";
import { parse } from "@kubets/apimachinery/labels";
import { nestedInt64, nestedString, type Unstructured } from "@kubets/apimachinery/runtime";
import { pollUntilContextTimeout } from "@kubets/apimachinery/wait";
import { ClientConfigLoader, type RestConfig } from "@kubets/client/config";
import * as dynamic from "@kubets/client/dynamic";
import * as metadata from "@kubets/client/metadata";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { newDynamicSharedInformerFactory, newFilteredDynamicSharedInformerFactory } from "../src/dynamicinformer/index.js";
import { newSharedInformerFactory as newMetadataInformerFactory } from "../src/metadatainformer/index.js";
import { newSharedInformerFactory } from "../src/factory-gen/index.js";
import { isNoInformerError, setErrorHandler, waitForCacheSync, waitForNamedCacheSync } from "../src/index.js";
import { until } from "./helpers.js";

const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const ns = `kubets-dyninf-${suffix}`;
const group = `dyninf${suffix}.kubets.example.com`;
const widgets = { group, version: "v1", resource: "widgets" };
const CRDS = { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" };
const NAMESPACES = { group: "", version: "v1", resource: "namespaces" };
const CONFIGMAPS = { group: "", version: "v1", resource: "configmaps" };

let config: RestConfig;
let dyn: dynamic.DynamicClient;
let cs: Clientset;

function widget(name: string, size: number, labels: Record<string, string> = {}): Unstructured {
  return { apiVersion: `${group}/v1`, kind: "Widget", metadata: { name, labels }, spec: { size, color: "blue" } };
}

beforeAll(async () => {
  const env = testEnv();
  config = { ...new ClientConfigLoader({ explicitPath: env.kubeconfigPath, context: env.contexts.admin }).clientConfig(), qps: -1 };
  dyn = dynamic.newForConfig(config);
  cs = newForConfig(config);
  await dyn.resource(NAMESPACES).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  await dyn.resource(CRDS).create({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" }, color: { type: "string" } } } } } },
        },
      ],
    },
  });
  await pollUntilContextTimeout(AbortSignal.timeout(60_000), 200, 60_000, true, async () => {
    const crd = await dyn.resource(CRDS).get(`widgets.${group}`);
    const conds = (crd["status"] as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
    if (!conds.some((c) => c.type === "Established" && c.status === "True")) return false;
    // Established is set a moment before the resource is served.
    return dyn.resource(widgets).namespace(ns).list().then(() => true, () => false);
  });
});

afterAll(async () => {
  await dyn.resource(CRDS).delete(`widgets.${group}`).catch(() => undefined);
  await dyn.resource(NAMESPACES).delete(ns).catch(() => undefined);
  await Promise.all([dyn.close(), cs.close()]);
});

describe("dynamicinformer", () => {
  it("caches a custom resource; the dynamic lister lists by selector, by namespace and gets", async () => {
    const client = dyn.resource(widgets).namespace(ns);
    await client.create(widget("small", 1, { tier: "a" }));
    await client.create(widget("big", 10, { tier: "b" }));

    const factory = newDynamicSharedInformerFactory(dyn, 0);
    const inf = factory.forResource(widgets);
    expect(factory.forResource(widgets)).toBe(inf);
    const events: string[] = [];
    inf.informer().addEventHandler({
      onAdd: (o) => void events.push(`add:${o.metadata?.name ?? ""}`),
      onUpdate: (_, o) => void events.push(`update:${o.metadata?.name ?? ""}:${String(nestedInt64(o, "spec", "size"))}`),
      onDelete: (o) => void events.push(`delete:${"metadata" in o ? (o.metadata?.name ?? "") : o.key}`),
    });
    const ac = new AbortController();
    factory.start(ac.signal);
    expect(await factory.waitForCacheSyncAll(ac.signal)).toBe(true);
    expect([...(await factory.waitForCacheSync(ac.signal)).entries()]).toEqual([[`${group}/v1, Resource=widgets`, true]]);
    expect(factory.hasSynced()).toBe(true);
    expect(await waitForNamedCacheSync("widget-controller", ac.signal, factory)).toBe(true);

    const lister = inf.lister();
    expect(lister.list().map((o) => o.metadata?.name).sort()).toEqual(["big", "small"]);
    expect(lister.list(parse("tier=b")).map((o) => o.metadata?.name)).toEqual(["big"]);
    expect(lister.namespace(ns).list(parse("tier in (a)")).map((o) => o.metadata?.name)).toEqual(["small"]);
    expect(lister.byNamespace(ns).get("big").metadata?.name).toBe("big");
    const big = lister.namespace(ns).get("big");
    expect(nestedInt64(big, "spec", "size")).toBe(10);
    expect(nestedString(big, "spec", "color")).toBe("blue");
    expect(big.kind).toBe("Widget");
    let missing: unknown;
    try {
      lister.namespace(ns).get("nope");
    } catch (e) {
      missing = e;
    }
    expect(isNotFound(missing)).toBe(true);
    expect(lister.namespace("other").list()).toEqual([]);

    const cur = await client.get("small");
    await client.update({ ...cur, spec: { size: 2, color: "blue" } });
    await until(() => events.includes("update:small:2"), 20_000, "update");
    await client.delete("big");
    await until(() => events.includes("delete:big"), 20_000, "delete");
    expect(lister.list().map((o) => o.metadata?.name)).toEqual(["small"]);
    ac.abort();
    await factory.shutdown();
  });

  it("the filtered factory limits the namespace and applies tweakListOptions", async () => {
    const client = dyn.resource(widgets).namespace(ns);
    await client.create(widget("picked", 3, { pick: "yes" }));
    await client.create(widget("ignored", 4, { pick: "no" }));
    const factory = newFilteredDynamicSharedInformerFactory(dyn, 0, ns, (o) => {
      o.labelSelector = "pick=yes";
    });
    const inf = factory.forResource(widgets);
    const ac = new AbortController();
    factory.start(ac.signal);
    expect(await factory.waitForCacheSyncAll(ac.signal)).toBe(true);
    expect(inf.lister().list().map((o) => o.metadata?.name)).toEqual(["picked"]);
    ac.abort();
    await factory.shutdown();
  });

  it("waitForCacheSyncAll and waitForNamedCacheSync answer false when aborted before the sync", async () => {
    const factory = newDynamicSharedInformerFactory(dyn, 0);
    factory.forResource({ group, version: "v1", resource: "nosuchresources" });
    const run = new AbortController();
    factory.start(run.signal);
    const reported: string[] = [];
    const prev = setErrorHandler((err) => void reported.push(String(err)));
    try {
      expect(await factory.waitForCacheSyncAll(AbortSignal.timeout(300))).toBe(false);
      expect(await waitForNamedCacheSync("widget-controller", AbortSignal.timeout(300), factory)).toBe(false);
      expect(reported.some((r) => r.includes("unable to sync caches for widget-controller"))).toBe(true);
    } finally {
      run.abort();
      await factory.shutdown();
      setErrorHandler(prev);
    }
  });
});

describe("the mutation detector on a dynamic informer", () => {
  it("reports a handler that changes a cached custom object in place", async () => {
    await dyn.resource(widgets).namespace(ns).create(widget("mutated", 5));
    const failures: string[] = [];
    const factory = newFilteredDynamicSharedInformerFactory(dyn, 0, ns, (o) => void (o.fieldSelector = "metadata.name=mutated"), {
      informerOptions: { mutationDetector: { onFailure: (e) => void failures.push(e.message), period: 60_000 } },
    });
    const inf = factory.forResource(widgets);
    let seen = 0;
    inf.informer().addEventHandler({
      onAdd: (o) => {
        (o["spec"] as { size: number }).size = 6; // the bug: the cached object is shared
        seen++;
      },
    });
    const ac = new AbortController();
    factory.start(ac.signal);
    expect(await factory.waitForCacheSyncAll(ac.signal)).toBe(true);
    await until(() => seen === 1, 20_000, "the add");
    expect(inf.informer().getMutationDetector().compareObjects()?.paths).toEqual([".spec.size"]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(`cache ${group}/v1, Resource=widgets modified`);
    ac.abort();
    await factory.shutdown();
  });
});

describe("metadatainformer", () => {
  it("caches only the metadata of ConfigMaps", async () => {
    await cs.coreV1().configMaps(ns).create({ metadata: { name: "meta-a", labels: { m: "1" } }, data: { big: "x".repeat(5000) } });
    const meta = metadata.newForConfig(config);
    const factory = newMetadataInformerFactory(meta, 0);
    const inf = factory.forResource(CONFIGMAPS);
    const ac = new AbortController();
    factory.start(ac.signal);
    expect(await factory.waitForCacheSyncAll(ac.signal)).toBe(true);
    const got = inf.lister().namespace(ns).get("meta-a");
    expect(got.metadata?.labels).toEqual({ m: "1" });
    expect(got.kind).toBe("PartialObjectMetadata");
    expect("data" in got).toBe(false);
    expect(inf.lister().list(parse("m=1")).map((o) => o.metadata?.name)).toEqual(["meta-a"]);
    ac.abort();
    await factory.shutdown();
    await meta.close();
  });
});

describe("forResource on the typed factory (GenericInformer)", () => {
  it("gives the same informer as the typed accessor, and refuses what it does not know", async () => {
    await cs.coreV1().configMaps(ns).create({ metadata: { name: "generic-a" } });
    const factory = newSharedInformerFactory(cs, { namespace: ns });
    const generic = factory.forResource(CONFIGMAPS);
    expect(generic.informer()).toBe(factory.core().v1().configMaps().informer());
    const ac = new AbortController();
    factory.start(ac.signal);
    expect(await factory.waitForCacheSyncAll(ac.signal)).toBe(true);
    expect(await waitForCacheSync(ac.signal, factory)).toBe(true);
    expect(generic.lister().byNamespace(ns).get("generic-a")).toMatchObject({ metadata: { name: "generic-a" } });
    let err: unknown;
    try {
      factory.forResource(widgets);
    } catch (e) {
      err = e;
    }
    expect(isNoInformerError(err)).toBe(true);
    expect(String(err)).toContain(`no informer found for ${group}/v1, Resource=widgets`);
    ac.abort();
    await factory.shutdown();
  });
});
