import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isConflict, isNotFound, isInvalid } from "@kubets/apimachinery/errors";
import type { Unstructured } from "@kubets/apimachinery/runtime";
import type { ObjectWatchEvent } from "@kubets/apimachinery/watch";
import { newDiscoveryClientForConfig, newMemCacheClient, type DiscoveryClient } from "@kubets/client/discovery";
import type { DynamicClient} from "@kubets/client/dynamic";
import { PatchType, newForConfig } from "@kubets/client/dynamic";
import { DeferredDiscoveryRESTMapper, ShortcutExpander, isNoMatchError, RESTScopeNamespace } from "@kubets/client/restmapper";
import { newDiscoveryScaleKindResolver, newForConfig as newScaleClient } from "@kubets/client/scale";
import { configFor, uniqueName } from "./helpers/int.js";

const CRD = { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" };
const NAMESPACES = { group: "", version: "v1", resource: "namespaces" };

const suffix = uniqueName("d").replace(/[^a-z0-9]/g, "");
const group = `${suffix}.kubets.example.com`;
const widgets = { group, version: "v1", resource: "widgets" };
const shortName = `wd${suffix}`;
const ns = uniqueName("kubets-dynamic");

let dyn: DynamicClient;
let disco: DiscoveryClient;

function crd(): Unstructured {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList", shortNames: [shortName], categories: [`cat${suffix}`] },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  properties: { color: { type: "string" }, size: { type: "integer" }, replicas: { type: "integer" } },
                },
                status: { type: "object", properties: { phase: { type: "string" }, replicas: { type: "integer" } } },
              },
            },
          },
          subresources: { status: {}, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" } },
        },
      ],
    },
  };
}

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
    await sleep(200);
  }
}

function widget(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): Unstructured {
  return { apiVersion: `${group}/v1`, kind: "Widget", metadata: { name, labels }, spec };
}

beforeAll(async () => {
  dyn = newForConfig(configFor("admin"));
  disco = newDiscoveryClientForConfig(configFor("admin"));
  await dyn.resource(NAMESPACES).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
});

afterAll(async () => {
  await dyn.resource(CRD).delete(`widgets.${group}`).catch(() => undefined);
  await dyn.resource(NAMESPACES).delete(ns).catch(() => undefined);
  await dyn.close();
  await disco.close();
});

describe("dynamic client with a CustomResourceDefinition", () => {
  it("installs a CRD, which discovery finds after invalidation and the RESTMapper maps", async () => {
    const cached = newMemCacheClient(disco);
    const deferred = new DeferredDiscoveryRESTMapper(cached);
    const mapper = new ShortcutExpander(deferred, cached);
    // Load discovery before the CRD exists.
    expect(await mapper.resourceFor({ group: "", version: "", resource: "po" })).toEqual({ group: "", version: "v1", resource: "pods" });
    expect(cached.fresh()).toBe(true);

    const created = await dyn.resource(CRD).create(crd());
    expect(created.metadata?.uid).toBeTruthy();
    await eventually("the CRD to be established", async () => {
      const got = await dyn.resource(CRD).get(`widgets.${group}`);
      const conds = (got["status"] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
      return conds.some((c) => c.type === "Established" && c.status === "True") ? true : undefined;
    });

    // Fresh cache: the miss is a real miss and discovery is not reloaded.
    await expect(mapper.kindFor({ group, version: "", resource: "widgets" })).rejects.toSatisfy(isNoMatchError);
    const stale = await cached.serverGroups();
    expect(stale.groups.some((g) => g.name === group)).toBe(false);

    // After invalidation the group is discovered (the server may need a moment to publish it).
    const found = await eventually("the CRD group in discovery", async () => {
      cached.invalidate();
      const r = await cached.serverResourcesForGroupVersion(`${group}/v1`).catch(() => undefined);
      return r?.resources.length ? r : undefined;
    });
    expect(found.resources.map((r) => r.name).sort()).toEqual(["widgets", "widgets/scale", "widgets/status"]);
    const w = found.resources.find((r) => r.name === "widgets")!;
    expect(w).toMatchObject({ kind: "Widget", namespaced: true, singularName: "widget", shortNames: [shortName], categories: [`cat${suffix}`] });

    // The deferred mapper, holding the old snapshot, reloads on a miss because the cache is no longer fresh.
    cached.invalidate();
    expect(await deferred.kindFor({ group: "", version: "", resource: "widgets" })).toEqual({ group, version: "v1", kind: "Widget" });
    expect(cached.fresh()).toBe(true);
    expect(await mapper.kindFor({ group: "", version: "", resource: "widgets" })).toEqual({ group, version: "v1", kind: "Widget" });
    expect(await mapper.resourceFor({ group: "", version: "", resource: shortName })).toEqual(widgets);
    expect(await mapper.restMapping({ group, kind: "Widget" })).toEqual({ resource: widgets, groupVersionKind: { group, version: "v1", kind: "Widget" }, scope: RESTScopeNamespace });

    // reset() on the outer mapper invalidates the cache and drops the snapshot in one go.
    mapper.reset();
    expect(cached.fresh()).toBe(false);
    expect(await mapper.restMappings({ group, kind: "Widget" })).toHaveLength(1);
    expect(cached.fresh()).toBe(true);

    // Aggregated and legacy discovery agree on the new group.
    const legacy = await disco.withLegacy().serverResourcesForGroupVersion(`${group}/v1`);
    expect(legacy.resources.map((r) => r.name).sort()).toEqual(["widgets", "widgets/scale", "widgets/status"]);
  });

  it("creates, gets, lists, updates, patches and deletes custom objects", async () => {
    const rc = dyn.resource(widgets).namespace(ns);
    const a = await rc.create(widget("alpha", { color: "red", size: 1 }, { app: "crud" }));
    expect(a).toMatchObject({ apiVersion: `${group}/v1`, kind: "Widget", metadata: { name: "alpha", namespace: ns }, spec: { color: "red", size: 1 } });
    const got = await rc.get("alpha");
    expect(got.metadata?.uid).toBe(a.metadata?.uid);

    await rc.create(widget("beta", { color: "blue", size: 2 }, { app: "crud" }));
    const list = await rc.list({ labelSelector: "app=crud" });
    expect(list.kind).toBe("WidgetList");
    expect(list.items.map((i) => i.metadata?.name).sort()).toEqual(["alpha", "beta"]);
    expect(list.items.every((i) => i.kind === "Widget" && i.apiVersion === `${group}/v1`)).toBe(true);
    const all = await dyn.resource(widgets).list();
    expect(all.items.filter((i) => i.metadata?.namespace === ns)).toHaveLength(2);

    // update with the current resourceVersion, then a stale one conflicts
    const upd = await rc.update({ ...got, spec: { color: "green", size: 3 } });
    expect(upd.spec).toEqual({ color: "green", size: 3 });
    await expect(rc.update({ ...got, spec: { color: "stale" } })).rejects.toSatisfy(isConflict);

    // status is a subresource: update through it, the main resource ignores status changes
    const withStatus = await rc.updateStatus({ ...upd, status: { phase: "Ready" } });
    expect(withStatus.status).toEqual({ phase: "Ready" });
    expect((await rc.get("alpha", {}, "status")).status).toEqual({ phase: "Ready" });

    const merged = await rc.patch("alpha", PatchType.Merge, { spec: { size: 10 } });
    expect(merged.spec).toEqual({ color: "green", size: 10 });
    const jp = await rc.patch("alpha", PatchType.JSON, [{ op: "replace", path: "/spec/color", value: "black" }]);
    expect(jp.spec).toEqual({ color: "black", size: 10 });
    const st = await rc.patch("alpha", PatchType.Merge, JSON.stringify({ status: { phase: "Done" } }), {}, "status");
    expect(st.status).toEqual({ phase: "Done" });
    await expect(rc.patch("alpha", PatchType.Merge, { spec: { size: "big" } })).rejects.toSatisfy(isInvalid);

    // delete with a failing precondition, then for real
    await expect(rc.delete("alpha", { preconditions: { uid: "00000000-0000-0000-0000-000000000000" } })).rejects.toSatisfy(isConflict);
    await rc.delete("alpha", { propagationPolicy: "Background", preconditions: { uid: a.metadata!.uid! } });
    await eventually("alpha to be gone", async () => ((await rc.get("alpha").catch((e: unknown) => (isNotFound(e) ? null : Promise.reject(e)))) === null ? true : undefined));
    await expect(rc.get("alpha")).rejects.toSatisfy(isNotFound);
    await rc.delete("beta");

    await expect(rc.get("")).rejects.toThrow("name is required");
    await expect(rc.get("a/b")).rejects.toThrow(`invalid resource name "a/b": [may not contain '/']`);
    await expect(dyn.resource(widgets).namespace("..").list()).rejects.toThrow(`invalid namespace "..": [may not be '..']`);
  });

  it("watches custom objects: ADDED, MODIFIED, DELETED, then stop()", async () => {
    const rc = dyn.resource(widgets).namespace(ns);
    const start = await rc.list({ labelSelector: "app=watch" });
    const w = await rc.watch({ labelSelector: "app=watch", resourceVersion: start.metadata!.resourceVersion! });
    const events: ObjectWatchEvent<Unstructured>[] = [];
    const done = (async () => {
      for await (const ev of w) {
        if (ev.type === "ERROR") throw new Error(`watch failed: ${ev.object.message ?? ""}`);
        events.push(ev);
        if (ev.type === "DELETED") break;
      }
    })();
    await rc.create(widget("gamma", { color: "red" }, { app: "watch" }));
    await rc.patch("gamma", PatchType.Merge, { spec: { color: "white" } });
    await rc.delete("gamma");
    await done;
    w.stop();
    expect(events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    expect(events.map((e) => e.object.spec)).toEqual([{ color: "red" }, { color: "white" }, { color: "white" }]);
    expect(events.every((e) => e.object.kind === "Widget" && e.object.metadata?.name === "gamma")).toBe(true);

    // stop() ends an idle watch
    const idle = await rc.watch({ labelSelector: "app=never" });
    const ended = (async () => {
      const seen: string[] = [];
      for await (const ev of idle) seen.push(ev.type);
      return seen;
    })();
    idle.stop();
    expect(await ended).toEqual([]);
  });

  it("server-side apply: conflicts between managers, force takes ownership, applyStatus", async () => {
    const rc = dyn.resource(widgets).namespace(ns);
    const applied = await rc.apply("delta", widget("delta", { color: "red", size: 1 }), { fieldManager: "alice" });
    expect(applied.spec).toEqual({ color: "red", size: 1 });
    expect(applied.metadata?.managedFields?.map((m) => m.manager)).toEqual(["alice"]);

    // Re-applying the same intent keeps the object and its single manager.
    const again = await rc.apply("delta", widget("delta", { color: "red", size: 1 }), { fieldManager: "alice" });
    expect(again.spec).toEqual({ color: "red", size: 1 });
    expect(again.metadata?.managedFields?.map((m) => m.manager)).toEqual(["alice"]);

    const conflict = await rc.apply("delta", widget("delta", { color: "blue" }), { fieldManager: "bob" }).catch((e: unknown) => e);
    expect(isConflict(conflict)).toBe(true);
    const causes = (conflict as { status: { details?: { causes?: { reason?: string; field?: string }[] } } }).status.details?.causes ?? [];
    expect(causes).toContainEqual(expect.objectContaining({ reason: "FieldManagerConflict", field: ".spec.color", message: 'conflict with "alice"' }));
    expect((await rc.get("delta")).spec).toEqual({ color: "red", size: 1 });

    const forced = await rc.apply("delta", widget("delta", { color: "blue" }), { fieldManager: "bob", force: true });
    expect(forced.spec).toEqual({ color: "blue", size: 1 });
    expect(forced.metadata?.managedFields?.map((m) => m.manager).sort()).toEqual(["alice", "bob"]);

    const dry = await rc.apply("delta", widget("delta", { color: "pink" }), { fieldManager: "bob", dryRun: ["All"] });
    expect(dry.spec).toMatchObject({ color: "pink" });
    expect((await rc.get("delta")).spec).toMatchObject({ color: "blue" });

    const status = await rc.applyStatus("delta", { apiVersion: `${group}/v1`, kind: "Widget", metadata: { name: "delta" }, status: { phase: "Applied" } }, {
      fieldManager: "status-writer",
    });
    expect(status.status).toEqual({ phase: "Applied" });

    await expect(rc.apply("delta", forced, { fieldManager: "bob" })).rejects.toThrow("managed fields");
    await rc.delete("delta");
  });

  it("scales a custom resource through its scale subresource", async () => {
    const rc = dyn.resource(widgets).namespace(ns);
    await rc.create(widget("epsilon", { replicas: 1 }));
    const cached = newMemCacheClient(disco);
    const scales = newScaleClient(configFor("admin"), new DeferredDiscoveryRESTMapper(cached), newDiscoveryScaleKindResolver(cached));
    try {
      const s = await scales.scales(ns).get({ group, resource: "widgets" }, "epsilon");
      expect(s).toMatchObject({ apiVersion: "autoscaling/v1", kind: "Scale", metadata: { name: "epsilon" }, spec: { replicas: 1 } });
      const up = await scales.scales(ns).update({ group, resource: "widgets" }, { ...s, spec: { replicas: 4 } });
      expect(up.spec?.replicas).toBe(4);
      expect((await rc.get("epsilon")).spec).toEqual({ replicas: 4 });
    } finally {
      await scales.close();
    }
  });

  it("deleteCollection removes the selected objects only", async () => {
    const rc = dyn.resource(widgets).namespace(ns);
    for (const [n, app] of [["c1", "batch"], ["c2", "batch"], ["c3", "keep"]] as const) await rc.create(widget(n, { size: 1 }, { app }));
    await rc.deleteCollection({}, { labelSelector: "app=batch" });
    const left = await rc.list({ labelSelector: "app in (batch,keep)" });
    expect(left.items.map((i) => i.metadata?.name)).toEqual(["c3"]);
    await rc.deleteCollection();
    expect((await rc.list()).items).toEqual([]);
  });
});
