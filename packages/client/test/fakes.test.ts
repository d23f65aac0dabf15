// The dynamic, metadata, scale and discovery fakes, alone and on a fake clientset's tracker.
import { describe, expect, it } from "vitest";
import { isConflict, isNotFound } from "@kubets/apimachinery/errors";
import type { Unstructured } from "@kubets/apimachinery/runtime";
import {
  FakeDiscovery,
  newClientset,
  newFakeDynamicClient,
  newFakeMetadataClient,
  newFakeScaleClient,
  newSimpleDynamicClient,
  newSimpleDynamicClientWithCustomListKinds,
  unsafeGuessKindToResource,
} from "../src/testing/index.js";

const widgets = { group: "example.com", version: "v1", resource: "widgets" };
const configmaps = { group: "", version: "v1", resource: "configmaps" };

describe("fake dynamic client", () => {
  it("shares objects, actions and field management with a fake clientset", async () => {
    const cs = newClientset();
    await cs.coreV1().configMaps("ns").create({ metadata: { name: "a" }, data: { k: "v" } }, { fieldManager: "typed" });
    const dyn = newFakeDynamicClient({ clientset: cs });
    const got = await dyn.resource(configmaps).namespace("ns").get("a");
    expect(got["data"]).toEqual({ k: "v" });
    const applied = await dyn.resource(configmaps).namespace("ns").apply("a", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { k: "mine" } }, { fieldManager: "dyn" }).catch((e: unknown) => e);
    expect(isConflict(applied)).toBe(true);
    const forced = await dyn.resource(configmaps).namespace("ns").apply("a", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { k: "mine" } }, { fieldManager: "dyn", force: true });
    expect((forced.metadata?.managedFields ?? []).map((m) => `${m.manager}/${m.operation}`)).toEqual(["dyn/Apply", "typed/Update"]);
    expect((await cs.coreV1().configMaps("ns").get("a")).data).toEqual({ k: "mine" });
    const list = await dyn.resource(configmaps).namespace("ns").list();
    expect(list.items.map((i) => [i.kind, i.apiVersion])).toEqual([["ConfigMap", "v1"]]);
    expect(cs.actions().map((a) => a.verb)).toEqual(["create", "get", "patch", "patch", "get", "list"]);
  });

  it("serves custom resources given their list kind, with apply conflicts and no strategic merge", async () => {
    const dyn = newSimpleDynamicClientWithCustomListKinds({ "example.com/v1/widgets": "WidgetList" }, { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "seed", namespace: "ns" }, spec: { size: 1 } });
    const w = dyn.resource(widgets).namespace("ns");
    const watch = await w.watch({ resourceVersion: "1" });
    const events: string[] = [];
    const done = (async () => {
      for await (const ev of watch) {
        events.push(`${ev.type}:${(ev.object as Unstructured).metadata?.name}`);
        if (events.length === 2) break;
      }
    })();
    const created = await w.apply("w1", { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w1" }, spec: { size: 2, tags: ["a"] } }, { fieldManager: "alice" });
    expect(created.metadata?.generation).toBe(1);
    const conflict = await w.apply("w1", { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w1" }, spec: { size: 3 } }, { fieldManager: "bob" }).catch((e: unknown) => e);
    expect(isConflict(conflict)).toBe(true);
    expect(String(conflict)).toContain('conflict with "alice": .spec.size');
    const merged = await w.patch("w1", "application/merge-patch+json", { spec: { size: 5 } }, { fieldManager: "m" });
    expect(merged.metadata?.generation).toBe(2);
    await expect(w.patch("w1", "application/strategic-merge-patch+json", { spec: { size: 6 } })).rejects.toMatchObject({ status: { code: 415 } });
    await done;
    watch.stop();
    expect(events).toEqual(["ADDED:w1", "MODIFIED:w1"]);
    expect((await w.list()).items.map((i) => [i.metadata?.name, i.kind])).toEqual([
      ["seed", "Widget"],
      ["w1", "Widget"],
    ]);
    await expect(dyn.resource({ group: "x.io", version: "v1", resource: "things" }).list()).rejects.toThrow(/listKinds/);
  });

  it("guesses resources from kinds as client-go does", () => {
    expect(["Widget", "Policy", "Ingress"].map(unsafeGuessKindToResource)).toEqual(["widgets", "policies", "ingresses"]);
    const dyn = newSimpleDynamicClient({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "ns" } });
    return expect(dyn.resource({ group: "apps", version: "v1", resource: "deployments" }).namespace("ns").get("d")).resolves.toMatchObject({ metadata: { name: "d" } });
  });
});

describe("fake metadata, scale and discovery clients", () => {
  it("metadata answers PartialObjectMetadata from the same objects", async () => {
    const cs = newClientset({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "ns", labels: { x: "1" } }, data: { secret: "no" } });
    const md = newFakeMetadataClient({ clientset: cs });
    const got = await md.resource(configmaps).namespace("ns").get("a");
    expect(got.metadata?.labels).toEqual({ x: "1" });
    expect((got as Record<string, unknown>)["data"]).toBeUndefined();
    const list = await md.resource(configmaps).list({ labelSelector: "x=1" });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(["a"]);
    await md.resource(configmaps).namespace("ns").delete("a");
    expect(isNotFound(await cs.coreV1().configMaps("ns").get("a").catch((e: unknown) => e))).toBe(true);
  });

  it("scale reads and writes the target's replicas", async () => {
    const cs = newClientset({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "ns" }, spec: { replicas: 2, selector: { matchLabels: { app: "web" } } } });
    const sc = newFakeScaleClient({ clientset: cs }).scales("ns");
    const s = await sc.get({ group: "apps", resource: "deployments" }, "web");
    expect(s).toMatchObject({ kind: "Scale", spec: { replicas: 2 }, status: { selector: "app=web" } });
    await sc.update({ group: "apps", resource: "deployments" }, { ...s, spec: { replicas: 5 } });
    expect((await cs.appsV1().deployments("ns").get("web")).spec?.replicas).toBe(5);
    await sc.patch({ group: "apps", version: "v1", resource: "deployments" }, "web", "application/merge-patch+json", { spec: { replicas: 1 } });
    expect((await cs.appsV1().deployments("ns").get("web")).spec?.replicas).toBe(1);
  });

  it("discovery serves the built-in resources with their verbs, or what the test sets", async () => {
    const d = new FakeDiscovery();
    const apps = await d.serverResourcesForGroupVersion("apps/v1");
    expect(apps.resources.find((r) => r.name === "deployments")?.verbs).toEqual(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]);
    expect(apps.resources.find((r) => r.name === "deployments/scale")).toMatchObject({ kind: "Scale", group: "autoscaling", version: "v1" });
    const preferred = await d.serverPreferredResources();
    expect(preferred.some((l) => l.groupVersion === "v1" && l.resources.some((r) => r.name === "pods"))).toBe(true);
    d.fakedServerVersion = { major: "1", minor: "37", gitVersion: "v1.37.2", gitCommit: "", gitTreeState: "", buildDate: "", goVersion: "", compiler: "", platform: "" };
    expect((await d.serverVersion()).gitVersion).toBe("v1.37.2");
    d.resources = [{ kind: "APIResourceList", apiVersion: "v1", groupVersion: "example.com/v1", resources: [{ name: "widgets", singularName: "widget", namespaced: true, kind: "Widget", verbs: ["get"] }] }];
    expect((await d.serverGroups()).groups.map((g) => g.name)).toEqual(["example.com"]);
    expect(isNotFound(await d.serverResourcesForGroupVersion("v1").catch((e: unknown) => e))).toBe(true);
  });
});
