import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { APIGroup, APIResource, APIResourceList } from "@kubets/apimachinery/meta/v1";
import type { DiscoveryClient, MemCacheClient} from "@kubets/client/discovery";
import { newDiscoveryClientForConfig, newMemCacheClient, serverSupportsVersion } from "@kubets/client/discovery";
import { DeferredDiscoveryRESTMapper, NoResourceMatchError, RESTScopeNamespace, RESTScopeRoot, ShortcutExpander, newDiscoveryCategoryExpander, newDiscoveryRESTMapper, getAPIGroupResources, isNoMatchError } from "@kubets/client/restmapper";
import { configFor } from "./helpers/int.js";

const pin = JSON.parse(readFileSync(new URL("../../../kubernetes.json", import.meta.url), "utf8")) as { kubernetes: string };

const open: DiscoveryClient[] = [];
function client(): DiscoveryClient {
  const c = newDiscoveryClientForConfig(configFor("admin"));
  open.push(c);
  return c;
}
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
});

/** Groups served by Kubernetes itself (custom resources of parallel tests live in other groups). */
const builtIn = (g: string) => g === "" || !g.includes(".") || g.endsWith(".k8s.io");

function normalizeGroups(groups: APIGroup[]) {
  return groups
    .filter((g) => builtIn(g.name))
    .map((g) => ({ name: g.name, versions: g.versions.map((v) => v.groupVersion), preferred: g.preferredVersion?.groupVersion }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function normalizeResource(r: APIResource) {
  const sub = r.name.includes("/");
  return {
    name: r.name,
    kind: r.kind,
    namespaced: r.namespaced,
    verbs: [...r.verbs].sort(),
    shortNames: r.shortNames ?? [],
    categories: r.categories ?? [],
    singularName: sub ? "" : r.singularName,
  };
}

function normalizeResources(lists: APIResourceList[]) {
  return lists
    .filter((l) => builtIn(l.groupVersion.includes("/") ? l.groupVersion.split("/")[0]! : ""))
    .map((l) => ({ gv: l.groupVersion, resources: l.resources.map(normalizeResource).sort((a, b) => a.name.localeCompare(b.name)) }))
    .sort((a, b) => a.gv.localeCompare(b.gv));
}

describe("discovery against the real API server", () => {
  it("reports the server version pinned in kubernetes.json", async () => {
    const info = await client().serverVersion();
    // The testenv binaries are built from source without version stamping, so gitVersion is a
    // placeholder; major and minor come from the source tree itself.
    const [major, minor] = pin.kubernetes.replace(/^v/, "").split(".");
    expect(info.major).toBe(major);
    expect(info.minor.replace(/\+$/, "")).toBe(minor);
    expect(info.emulationMajor).toBe(major);
    expect(info.emulationMinor).toBe(minor);
    expect(info.goVersion).toMatch(/^go\d/);
  });

  it("uses aggregated discovery: groups and resources in one round trip per root", async () => {
    const r = await client().groupsAndMaybeResources();
    expect(r.resources).toBeDefined();
    expect(r.failed.size).toBe(0);
    const core = r.resources!.get("v1")!;
    const pods = core.resources.find((x) => x.name === "pods")!;
    expect(pods).toMatchObject({ kind: "Pod", namespaced: true, singularName: "pod", shortNames: ["po"], categories: ["all"] });
    expect(core.resources.find((x) => x.name === "pods/status")).toMatchObject({ kind: "Pod", namespaced: true, singularName: "pod" });
    expect(core.resources.find((x) => x.name === "pods/eviction")).toMatchObject({ group: "policy", version: "v1", kind: "Eviction" });
    const scale = r.resources!.get("apps/v1")!.resources.find((x) => x.name === "deployments/scale")!;
    expect(scale).toMatchObject({ group: "autoscaling", version: "v1", kind: "Scale" });
    const apps = r.groups.groups.find((g) => g.name === "apps")!;
    expect(apps.preferredVersion).toEqual({ groupVersion: "apps/v1", version: "v1" });
  });

  it("legacy discovery gives the same groups and resources as aggregated discovery", async () => {
    const aggregated = client();
    const legacy = aggregated.withLegacy();
    expect(legacy.useLegacyDiscovery).toBe(true);
    const lr = await legacy.groupsAndMaybeResources();
    expect(lr.resources).toBeUndefined();
    const [a, l] = await Promise.all([aggregated.serverGroupsAndResources(), legacy.serverGroupsAndResources()]);
    expect(normalizeGroups(l.groups)).toEqual(normalizeGroups(a.groups));
    expect(normalizeResources(l.resources)).toEqual(normalizeResources(a.resources));
    expect(normalizeGroups(a.groups).length).toBeGreaterThan(10);
    // Legacy discovery reports storage version hashes; both list the same subresources.
    expect(l.resources.find((x) => x.groupVersion === "apps/v1")!.resources.find((x) => x.name === "deployments")!.storageVersionHash).toBeTruthy();
  });

  it("serverGroups, serverResourcesForGroupVersion, preferred resources", async () => {
    const c = client();
    const groups = await c.serverGroups();
    expect(groups.groups[0]!.name).toBe("");
    expect(groups.groups[0]!.versions.map((v) => v.groupVersion)).toEqual(["v1"]);
    const batch = await c.serverResourcesForGroupVersion("batch/v1");
    expect(batch.groupVersion).toBe("batch/v1");
    expect(batch.resources.map((r) => r.name)).toEqual(expect.arrayContaining(["jobs", "jobs/status", "cronjobs"]));
    const core = await c.serverResourcesForGroupVersion("v1");
    expect(core.resources.some((r) => r.name === "configmaps")).toBe(true);
    await expect(c.serverResourcesForGroupVersion("nope.example.com/v9")).rejects.toMatchObject({ name: "StatusError", code: 404 });
    await expect(c.serverResourcesForGroupVersion("")).rejects.toThrow("groupVersion shouldn't be empty");
    await serverSupportsVersion(c, { group: "apps", version: "v1" });
    await expect(serverSupportsVersion(c, { group: "apps", version: "v9" })).rejects.toThrow('server does not support API version "apps/v9"');

    const preferred = await c.serverPreferredResources();
    const all = preferred.flatMap((l) => l.resources.map((r) => `${l.groupVersion}:${r.name}`));
    expect(all).toContain("apps/v1:deployments");
    expect(all.some((x) => x.includes("/status"))).toBe(false);
    // Each group resource appears once.
    const keys = preferred.flatMap((l) => l.resources.map((r) => `${l.groupVersion.split("/").slice(0, -1).join("/")}/${r.name}`));
    expect(new Set(keys).size).toBe(keys.length);
    const namespaced = await c.serverPreferredNamespacedResources();
    const nsNames = namespaced.flatMap((l) => l.resources.map((r) => r.name));
    expect(nsNames).toContain("pods");
    expect(nsNames).not.toContain("nodes");
    expect(namespaced.every((l) => l.resources.length > 0)).toBe(true);
  });

  it("lists OpenAPI v3 documents and fetches one", async () => {
    const paths = await client().openAPIV3().paths();
    expect(paths.has("api/v1")).toBe(true);
    const apps = paths.get("apis/apps/v1")!;
    expect(apps.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=/);
    const doc = JSON.parse(Buffer.from(await apps.schema()).toString("utf8")) as { openapi: string; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.components.schemas)).toContain("io.k8s.api.apps.v1.Deployment");
  });

  it("the memory cache answers from memory until invalidated", async () => {
    const delegate = client();
    let calls = 0;
    const counting = new Proxy(delegate, {
      get(target, prop, receiver) {
        if (prop === "groupsAndMaybeResources") {
          return (...args: Parameters<DiscoveryClient["groupsAndMaybeResources"]>) => {
            calls++;
            return target.groupsAndMaybeResources(...args);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const cached: MemCacheClient = newMemCacheClient(counting);
    expect(cached.fresh()).toBe(false);
    const [g1, g2] = await Promise.all([cached.serverGroups(), cached.serverGroups()]);
    expect(calls).toBe(1);
    expect(g1).toBe(g2);
    expect(cached.fresh()).toBe(true);
    const apps = await cached.serverResourcesForGroupVersion("apps/v1");
    expect(apps.resources.some((r) => r.name === "deployments")).toBe(true);
    await expect(cached.serverResourcesForGroupVersion("nope.example.com/v1")).rejects.toMatchObject({ name: "CacheNotFoundError" });
    const both = await cached.serverGroupsAndResources();
    expect(normalizeResources(both.resources)).toEqual(normalizeResources((await delegate.serverGroupsAndResources()).resources));
    expect(calls).toBe(1);
    cached.invalidate();
    expect(cached.fresh()).toBe(false);
    await cached.serverPreferredResources();
    expect(calls).toBe(2);
    expect(cached.fresh()).toBe(true);

    // Over legacy discovery the cache fetches each group version once.
    const legacyCached = newMemCacheClient(delegate.withLegacy());
    const lgr = await legacyCached.serverGroupsAndResources();
    expect(normalizeResources(lgr.resources)).toEqual(normalizeResources(both.resources));
    expect(legacyCached.fresh()).toBe(true);
  });
});

describe("RESTMapper from the real server's discovery", () => {
  it("maps kinds and resources with scope and preferred versions", async () => {
    const m = newDiscoveryRESTMapper(await getAPIGroupResources(client()));
    expect(await m.kindFor({ group: "", version: "", resource: "deployments" })).toEqual({ group: "apps", version: "v1", kind: "Deployment" });
    expect(await m.resourceFor({ group: "", version: "", resource: "pod" })).toEqual({ group: "", version: "v1", resource: "pods" });
    const ns = await m.restMapping({ group: "", kind: "Namespace" });
    expect(ns).toEqual({ resource: { group: "", version: "v1", resource: "namespaces" }, groupVersionKind: { group: "", version: "v1", kind: "Namespace" }, scope: RESTScopeRoot });
    expect((await m.restMapping({ group: "batch", kind: "CronJob" })).scope).toBe(RESTScopeNamespace);
    // events exist in core v1 and events.k8s.io/v1: core wins for a bare name.
    expect(await m.resourceFor({ group: "", version: "", resource: "events" })).toEqual({ group: "", version: "v1", resource: "events" });
    expect(await m.resourceFor({ group: "events.k8s.io", version: "", resource: "events" })).toEqual({ group: "events.k8s.io", version: "v1", resource: "events" });
    expect(await m.resourceSingularizer("ingresses")).toBe("ingress");
    await expect(m.kindFor({ group: "", version: "", resource: "nosuchthings" })).rejects.toBeInstanceOf(NoResourceMatchError);
  });

  it("resolves the short names deploy and po, and the category all", async () => {
    const cached = newMemCacheClient(client());
    const warnings: string[] = [];
    const m = new ShortcutExpander(new DeferredDiscoveryRESTMapper(cached), cached, (w) => warnings.push(w));
    expect(await m.resourceFor({ group: "", version: "", resource: "deploy" })).toEqual({ group: "apps", version: "v1", resource: "deployments" });
    expect(await m.resourceFor({ group: "", version: "", resource: "po" })).toEqual({ group: "", version: "v1", resource: "pods" });
    expect(await m.kindFor({ group: "", version: "", resource: "cm" })).toEqual({ group: "", version: "v1", kind: "ConfigMap" });
    expect(await m.kindFor({ group: "", version: "", resource: "hpa" })).toEqual({ group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler" });
    await expect(m.kindFor({ group: "", version: "", resource: "nosuchthings" })).rejects.toSatisfy(isNoMatchError);
    expect(warnings).toEqual([]);

    const all = await newDiscoveryCategoryExpander(cached).expand("all");
    expect(all.found).toBe(true);
    const names = all.resources.map((gr) => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource));
    expect(names).toEqual(
      expect.arrayContaining(["pods", "services", "replicationcontrollers", "deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch", "cronjobs.batch", "horizontalpodautoscalers.autoscaling"]),
    );
    expect(names).not.toContain("configmaps");
  });
});
