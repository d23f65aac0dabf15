import { describe, expect, it } from "vitest";
import type { ConfigMap, Pod } from "@kubets/api/core/v1";
import type { Deployment } from "@kubets/api/apps/v1";
import { isAlreadyExists, isConflict, isNotFound, isResourceExpired, newInternalError, type StatusError } from "@kubets/apimachinery/errors";
import { PatchType } from "@kubets/client/rest";
import { InitialEventsAnnotationKey, ObjectTracker, newSimpleClientset } from "@kubets/client/testing";

const pod = (name: string, ns: string, labels: Record<string, string> = {}, phase = "Pending"): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: "c", image: "img" }], nodeName: name === "p1" ? "node-a" : "" },
  status: { phase },
});

describe("newSimpleClientset", () => {
  it("serves seeded objects through the typed interface, with resourceVersions", async () => {
    const cs = newSimpleClientset(pod("p1", "a", { app: "web" }), pod("p2", "a", { app: "db" }), pod("p3", "b", { app: "web" }, "Running"));
    const p = await cs.coreV1().pods("a").get("p1");
    expect(p.metadata?.name).toBe("p1");
    expect(p.metadata?.resourceVersion).toBe("1");
    await expect(cs.coreV1().pods("b").get("p1")).rejects.toSatisfy(isNotFound);

    const all = await cs.coreV1().pods("").list();
    expect(all.items.map((x) => x.metadata?.name)).toEqual(["p1", "p2", "p3"]);
    expect(all.kind).toBe("PodList");
    expect(all.metadata?.resourceVersion).toBe("3");
    const web = await cs.coreV1().pods("").list({ labelSelector: "app=web" });
    expect(web.items.map((x) => x.metadata?.name)).toEqual(["p1", "p3"]);
    const running = await cs.coreV1().pods("").list({ fieldSelector: "status.phase=Running" });
    expect(running.items.map((x) => x.metadata?.name)).toEqual(["p3"]);
    const onNode = await cs.coreV1().pods("a").list({ fieldSelector: "spec.nodeName=node-a,metadata.name!=p2" });
    expect(onNode.items.map((x) => x.metadata?.name)).toEqual(["p1"]);
  });

  it("creates with generateName, rejects duplicates, and detects stale updates", async () => {
    const cs = newSimpleClientset();
    const cms = cs.coreV1().configMaps("ns");
    const a = await cms.create({ metadata: { generateName: "cfg-" }, data: { k: "v" } });
    expect(a.metadata?.name).toMatch(/^cfg-[a-z0-9]{5}$/);
    expect(a.metadata?.namespace).toBe("ns");
    expect(a.apiVersion).toBe("v1");
    expect(a.kind).toBe("ConfigMap");
    expect(a.metadata?.uid).toBeTruthy();
    await expect(cms.create({ metadata: { name: a.metadata?.name ?? "" } })).rejects.toSatisfy(isAlreadyExists);

    const b = await cms.update({ ...a, data: { k: "w" } });
    expect(Number(b.metadata?.resourceVersion)).toBeGreaterThan(Number(a.metadata?.resourceVersion));
    await expect(cms.update({ ...a, data: { k: "stale" } })).rejects.toSatisfy(isConflict);
    expect((await cms.get(a.metadata?.name ?? "")).data).toEqual({ k: "w" });
  });

  it("patches (merge, JSON, strategic merge), applies, and deletes with preconditions", async () => {
    const cs = newSimpleClientset({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "ns" }, data: { a: "1", b: "2" } } satisfies ConfigMap);
    const cms = cs.coreV1().configMaps("ns");
    expect((await cms.patch("c", PatchType.Merge, { data: { b: null, c: "3" } })).data).toEqual({ a: "1", c: "3" });
    expect((await cms.patch("c", PatchType.JSON, [{ op: "replace", path: "/data/a", value: "9" }])).data).toEqual({ a: "9", c: "3" });

    const d: Deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "ns" },
      spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { spec: { containers: [{ name: "a", image: "a:1" }, { name: "b", image: "b:1" }] } } },
    };
    const cs2 = newSimpleClientset(d);
    const patched = await cs2.appsV1().deployments("ns").patch("web", PatchType.StrategicMerge, { spec: { template: { spec: { containers: [{ name: "b", image: "b:2" }] } } } });
    expect(patched.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image ?? ""}`)).toEqual(["a=a:1", "b=b:2"]);

    const applied = await cms.apply({ metadata: { name: "new" }, data: { x: "1" } }, { fieldManager: "me" });
    expect(applied.data).toEqual({ x: "1" });
    expect(applied.kind).toBe("ConfigMap");
    await expect(cms.apply({ metadata: { name: "new" } }, { fieldManager: "" })).rejects.toThrow(/fieldManager is required/);

    const cur = await cms.get("c");
    await expect(cms.delete("c", { preconditions: { uid: "other" } })).rejects.toSatisfy(isConflict);
    await cms.delete("c", { preconditions: { uid: cur.metadata?.uid ?? "", resourceVersion: cur.metadata?.resourceVersion ?? "" } });
    await expect(cms.get("c")).rejects.toSatisfy(isNotFound);
    await expect(cms.delete("c")).rejects.toSatisfy(isNotFound);
  });

  it("handles status and scale subresources like the API server", async () => {
    const cs = newSimpleClientset({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "ns" },
      spec: { replicas: 2, selector: { matchLabels: { app: "web", tier: "a" } }, template: {} },
      status: { replicas: 1 },
    } satisfies Deployment);
    const deps = cs.appsV1().deployments("ns");
    const scale = await deps.getScale("web");
    expect(scale).toMatchObject({ apiVersion: "autoscaling/v1", kind: "Scale", spec: { replicas: 2 }, status: { replicas: 1, selector: "app=web,tier=a" } });
    const s2 = await deps.updateScale("web", { ...scale, spec: { replicas: 5 } });
    expect(s2.spec?.replicas).toBe(5);
    expect((await deps.get("web")).spec?.replicas).toBe(5);

    const cur = await deps.get("web");
    const afterUpdate = await deps.update({ ...cur, status: { replicas: 99 } });
    expect(afterUpdate.status?.replicas).toBe(1);
    const afterStatus = await deps.updateStatus({ ...afterUpdate, spec: { ...afterUpdate.spec!, replicas: 0 }, status: { replicas: 4 } });
    expect(afterStatus.status?.replicas).toBe(4);
    expect(afterStatus.spec?.replicas).toBe(5);
  });

  it("records actions, and reactors inject errors or answers first", async () => {
    const cs = newSimpleClientset(pod("p1", "a"));
    cs.prependReactor("create", "pods", (action) =>
      action.subresource === "" ? { handled: true, error: newInternalError(new Error(`no ${action.kind} today`)) } : undefined,
    );
    let err: unknown;
    try {
      await cs.coreV1().pods("a").create(pod("p9", "a"));
    } catch (e) {
      err = e;
    }
    expect((err as StatusError).status.code).toBe(500);
    expect((err as StatusError).message).toContain("no Pod today");
    cs.prependReactor("get", "*", (action) => (action.name === "ghost" ? { handled: true, object: pod("ghost", action.namespace) } : undefined));
    expect((await cs.coreV1().pods("a").get("ghost")).metadata?.name).toBe("ghost");
    expect((await cs.coreV1().pods("a").get("p1")).metadata?.name).toBe("p1");

    const actions = cs.actions();
    expect(actions.map((a) => `${a.verb}:${a.resource.resource}:${a.namespace}/${a.name}`)).toEqual(["create:pods:a/", "get:pods:a/ghost", "get:pods:a/p1"]);
    expect(actions[0]?.object).toMatchObject({ metadata: { name: "p9" } });
    cs.clearActions();
    expect(cs.actions()).toEqual([]);

    await cs.coreV1().pods("a").evict({ metadata: { name: "p1", namespace: "a" } });
    expect(cs.actions()[0]).toMatchObject({ verb: "create", subresource: "eviction", name: "p1", subresourceAPIVersion: "policy/v1" });
    await expect(cs.coreV1().pods("a").get("p1")).rejects.toSatisfy(isNotFound);
  });

  it("watches: events after the call, selectors, and sendInitialEvents with the initial-events-end bookmark", async () => {
    const cs = newSimpleClientset(pod("old", "a", { app: "web" }));
    const pods = cs.coreV1().pods("a");
    const w = await pods.watch({ labelSelector: "app=web" });
    await pods.create(pod("new", "a", { app: "web" }));
    await pods.create(pod("other", "a", { app: "db" }));
    const cur = await pods.get("new");
    await pods.update({ ...cur, metadata: { ...cur.metadata, annotations: { x: "y" } } });
    await pods.delete("new");
    const seen: string[] = [];
    for await (const ev of w) {
      seen.push(`${ev.type}:${ev.object.metadata?.name ?? ""}`);
      if (ev.type === "DELETED") w.stop();
    }
    expect(seen).toEqual(["ADDED:new", "MODIFIED:new", "DELETED:new"]);

    const wl = await pods.watch({ sendInitialEvents: true, allowWatchBookmarks: true, resourceVersionMatch: "NotOlderThan" });
    const initial: string[] = [];
    for await (const ev of wl) {
      if (ev.type === "BOOKMARK") {
        expect(ev.object.metadata?.annotations?.[InitialEventsAnnotationKey]).toBe("true");
        expect(ev.object.metadata?.resourceVersion).toBe(cs.tracker().resourceVersion);
        break;
      }
      initial.push(ev.object.metadata?.name ?? "");
    }
    expect(initial).toEqual(["old", "other"]);
    expect(cs.actions().filter((a) => a.verb === "watch")).toHaveLength(2);
  });

  it("a watch from a resourceVersion replays the events after it; too old is 410 Expired", async () => {
    const cs = newSimpleClientset(pod("a", "ns"));
    const pods = cs.coreV1().pods("ns");
    const list = await pods.list();
    await pods.create(pod("b", "ns"));
    await cs.coreV1().pods("other").create(pod("c", "other"));
    await pods.delete("a");
    const w = await pods.watch({ resourceVersion: list.metadata?.resourceVersion ?? "" });
    const seen: string[] = [];
    for await (const ev of w) {
      seen.push(`${ev.type}:${ev.object.metadata?.name ?? ""}:${ev.object.metadata?.resourceVersion ?? ""}`);
      if (seen.length === 2) w.stop();
    }
    expect(seen).toEqual(["ADDED:b:2", "DELETED:a:4"]);

    const tracker = new ObjectTracker({ historyLimit: 2 });
    const gvr = { group: "", version: "v1", resource: "configmaps" };
    for (const n of ["w", "x", "y", "z"]) tracker.create(gvr, { metadata: { name: n } }, "ns");
    expect(() => tracker.watch(gvr, { apiVersion: "v1", kind: "ConfigMap" }, "ns", { resourceVersion: "1" })).toThrow(/too old resource version: 1 \(2\)/);
    let err: unknown;
    try {
      tracker.watch(gvr, { apiVersion: "v1", kind: "ConfigMap" }, "ns", { resourceVersion: "0" }).stop();
      tracker.watch(gvr, { apiVersion: "v1", kind: "ConfigMap" }, "ns", { resourceVersion: "2" }).stop();
      tracker.watch(gvr, { apiVersion: "v1", kind: "ConfigMap" }, "ns", { resourceVersion: "1" });
    } catch (e) {
      err = e;
    }
    expect(isResourceExpired(err)).toBe(true);
  });

  it("a watch reactor's ERROR event rejects the iteration with a StatusError", async () => {
    const cs = newSimpleClientset();
    cs.prependWatchReactor("configmaps", () => ({
      handled: true,
      watch: {
        stop: () => undefined,
        async *[Symbol.asyncIterator]() {
          yield { type: "ADDED", object: { metadata: { name: "x" } } };
          yield { type: "ERROR", object: { apiVersion: "v1", kind: "Status", status: "Failure", reason: "Expired", code: 410, message: "too old resource version: 1 (5)" } } as never;
        },
      },
    }));
    const w = await cs.coreV1().configMaps("a").watch({ resourceVersion: "1" });
    const names: string[] = [];
    let err: unknown;
    try {
      for await (const ev of w) names.push(ev.object.metadata?.name ?? "");
    } catch (e) {
      err = e;
    }
    expect(names).toEqual(["x"]);
    expect((err as StatusError).name).toBe("StatusError");
    expect((err as StatusError).status.code).toBe(410);
    expect((err as StatusError).message).toBe("too old resource version: 1 (5)");
  });

  it("cluster-scoped resources, tokens, logs, and deleteCollection with a selector", async () => {
    const cs = newSimpleClientset(
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "n1", labels: { team: "x" } } },
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "n2" } },
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot", namespace: "n1" } },
      pod("p1", "n1", { del: "yes" }),
      pod("p2", "n1", { del: "no" }),
    );
    expect((await cs.coreV1().namespaces().list({ labelSelector: "team=x" })).items.map((n) => n.metadata?.name)).toEqual(["n1"]);
    const tr = await cs.coreV1().serviceAccounts("n1").createToken("robot", { spec: { audiences: ["a"] } });
    expect(tr.status?.token).toBe("fake-token-robot");
    expect(await cs.coreV1().pods("n1").getLogs("p1")).toBe("fake logs");
    await cs.coreV1().pods("n1").deleteCollection({}, { labelSelector: "del=yes" });
    expect((await cs.coreV1().pods("n1").list()).items.map((p) => p.metadata?.name)).toEqual(["p2"]);
    expect(() => newSimpleClientset({ apiVersion: "example.com/v1", kind: "Widget" })).toThrow(/no built-in resource/);
  });
});
