import { describe, expect, it } from "vitest";
import type { APIGroup, APIResource, APIResourceList } from "@kubets/apimachinery/meta/v1";
import type { DiscoveryInterface, GroupsAndResources } from "@kubets/client/discovery";
import { GroupDiscoveryFailedError } from "@kubets/client/discovery";
import {
  AmbiguousResourceError,
  DefaultRESTMapper,
  DeferredDiscoveryRESTMapper,
  NoKindMatchError,
  NoResourceMatchError,
  RESTScopeNamespace,
  RESTScopeRoot,
  ShortcutExpander,
  DiscoveryCategoryExpander,
  SimpleCategoryExpander,
  UnionCategoryExpander,
  isAmbiguousError,
  isNoMatchError,
  newDiscoveryRESTMapper,
  unsafeGuessKindToResource,
  type APIGroupResources,
} from "@kubets/client/restmapper";

const res = (name: string, kind: string, namespaced: boolean, extra: Partial<APIResource> = {}): APIResource => ({
  name,
  kind,
  namespaced,
  singularName: extra.singularName ?? kind.toLowerCase(),
  verbs: ["get", "list"],
  ...extra,
});

function group(name: string, versions: string[], preferred = versions[0]!): APIGroup {
  const gv = (v: string) => (name === "" ? v : `${name}/${v}`);
  return {
    name,
    versions: versions.map((v) => ({ groupVersion: gv(v), version: v })),
    preferredVersion: { groupVersion: gv(preferred), version: preferred },
  };
}

// A small cluster: core v1, apps v1, an "extensions" group serving deployments in v1beta1, and a CRD
// group with two versions where v1 is preferred.
const fixture: APIGroupResources[] = [
  {
    group: group("", ["v1"]),
    versionedResources: new Map([
      [
        "v1",
        [
          res("pods", "Pod", true, { shortNames: ["po"], categories: ["all"] }),
          res("pods/status", "Pod", true),
          res("services", "Service", true, { shortNames: ["svc"], categories: ["all"] }),
          res("nodes", "Node", false, { shortNames: ["no"] }),
          res("endpoints", "Endpoints", true, { singularName: "", shortNames: ["ep"] }),
        ],
      ],
    ]),
  },
  {
    group: group("apps", ["v1"]),
    versionedResources: new Map([["v1", [res("deployments", "Deployment", true, { shortNames: ["deploy"], categories: ["all"] })]]]),
  },
  {
    group: group("extensions", ["v1beta1"]),
    versionedResources: new Map([["v1beta1", [res("deployments", "Deployment", true)]]]),
  },
  {
    group: group("stable.example.com", ["v1", "v2"], "v1"),
    versionedResources: new Map([
      ["v1", [res("crontabs", "CronTab", true, { shortNames: ["ct"] })]],
      ["v2", [res("crontabs", "CronTab", true, { shortNames: ["ct"] })]],
    ]),
  },
];

const gvr = (group: string, version: string, resource: string) => ({ group, version, resource });

describe("unsafeGuessKindToResource", () => {
  it("pluralizes as client-go guesses", () => {
    const g = (kind: string) => unsafeGuessKindToResource({ group: "g", version: "v", kind });
    expect(g("Pod")).toEqual({ plural: gvr("g", "v", "pods"), singular: gvr("g", "v", "pod") });
    expect(g("Ingress").plural.resource).toBe("ingresses");
    expect(g("NetworkPolicy").plural.resource).toBe("networkpolicies");
    expect(g("Endpoints").plural.resource).toBe("endpoints");
    expect(g("Endpoints").singular.resource).toBe("endpoints");
    expect(g("")).toEqual({ plural: gvr("", "", ""), singular: gvr("", "", "") });
  });
});

describe("DefaultRESTMapper", () => {
  it("maps resources and kinds both ways with scope", async () => {
    const m = new DefaultRESTMapper([{ group: "apps", version: "v1" }]);
    m.add({ group: "apps", version: "v1", kind: "Deployment" }, RESTScopeNamespace);
    expect(await m.kindFor(gvr("", "", "deployments"))).toEqual({ group: "apps", version: "v1", kind: "Deployment" });
    expect(await m.kindFor(gvr("", "", "Deployment"))).toEqual({ group: "apps", version: "v1", kind: "Deployment" });
    expect(await m.resourceFor(gvr("apps", "", "deployment"))).toEqual(gvr("apps", "v1", "deployments"));
    const mapping = await m.restMapping({ group: "apps", kind: "Deployment" });
    expect(mapping).toEqual({ resource: gvr("apps", "v1", "deployments"), groupVersionKind: { group: "apps", version: "v1", kind: "Deployment" }, scope: RESTScopeNamespace });
    expect(await m.resourceSingularizer("deployments")).toBe("deployment");
  });

  it("errors with client-go's messages", async () => {
    const m = new DefaultRESTMapper([{ group: "apps", version: "v1" }]);
    m.add({ group: "apps", version: "v1", kind: "Deployment" }, RESTScopeNamespace);
    await expect(m.kindFor(gvr("", "", "pods"))).rejects.toThrow("no matches for /, Resource=pods");
    await expect(m.restMapping({ group: "apps", kind: "Pod" }, "v2")).rejects.toThrow('no matches for kind "Pod" in version "apps/v2"');
    await expect(m.restMapping({ group: "", kind: "Pod" })).rejects.toThrow('no matches for kind "Pod" in group ""');
    await expect(m.restMapping({ group: "x", kind: "Pod" }, "v1", "v2")).rejects.toThrow('no matches for kind "Pod" in versions ["x/v1" "x/v2"]');
    await expect(m.resourcesFor(gvr("", "", ""))).rejects.toThrow("a resource must be present");
  });
});

describe("newDiscoveryRESTMapper", () => {
  const m = newDiscoveryRESTMapper(fixture);

  it("prefers core v1, then the order the server listed groups", async () => {
    expect(await m.resourceFor(gvr("", "", "deployments"))).toEqual(gvr("apps", "v1", "deployments"));
    expect(await m.kindFor(gvr("", "", "deployments"))).toEqual({ group: "apps", version: "v1", kind: "Deployment" });
    expect(await m.resourcesFor(gvr("", "", "deployments"))).toEqual([gvr("apps", "v1", "deployments"), gvr("extensions", "v1beta1", "deployments")]);
    expect(await m.resourceFor(gvr("extensions", "", "deployments"))).toEqual(gvr("extensions", "v1beta1", "deployments"));
  });

  it("prefers the group's preferred version", async () => {
    expect(await m.resourceFor(gvr("stable.example.com", "", "crontabs"))).toEqual(gvr("stable.example.com", "v1", "crontabs"));
    expect(await m.kindFor(gvr("", "v2", "crontab"))).toEqual({ group: "stable.example.com", version: "v2", kind: "CronTab" });
    const mapping = await m.restMapping({ group: "stable.example.com", kind: "CronTab" });
    expect(mapping.resource).toEqual(gvr("stable.example.com", "v1", "crontabs"));
    const v2 = await m.restMapping({ group: "stable.example.com", kind: "CronTab" }, "v2");
    expect(v2.resource).toEqual(gvr("stable.example.com", "v2", "crontabs"));
    const all = await m.restMappings({ group: "stable.example.com", kind: "CronTab" });
    expect(all.map((x) => x.resource.version)).toEqual(["v1", "v2"]);
  });

  it("knows scope, lower-case kinds, List kinds, and skips subresources", async () => {
    expect((await m.restMapping({ group: "", kind: "Node" })).scope).toBe(RESTScopeRoot);
    expect((await m.restMapping({ group: "", kind: "Pod" })).scope).toBe(RESTScopeNamespace);
    expect(await m.kindFor(gvr("", "v1", "pods"))).toEqual({ group: "", version: "v1", kind: "Pod" });
    expect((await m.restMapping({ group: "", kind: "PodList" })).resource).toEqual(gvr("", "v1", "podlists"));
    await expect(m.kindFor(gvr("", "", "pods/status"))).rejects.toSatisfy(isNoMatchError);
    // Endpoints has no singular name in discovery: it is guessed.
    expect(await m.resourceFor(gvr("", "", "endpoints"))).toEqual(gvr("", "v1", "endpoints"));
  });

  it("reports ambiguity the priorities cannot settle", async () => {
    const twoGroups = newDiscoveryRESTMapper([
      { group: group("a.io", ["v1"]), versionedResources: new Map([["v1", [res("widgets", "Widget", true)]]]) },
      { group: group("b.io", ["v1"]), versionedResources: new Map([["v1", [res("widgets", "Widget", true)]]]) },
    ]);
    // Group order decides.
    expect(await twoGroups.resourceFor(gvr("", "", "widgets"))).toEqual(gvr("a.io", "v1", "widgets"));
    const plain = new DefaultRESTMapper([]);
    plain.add({ group: "a.io", version: "v1", kind: "Widget" }, RESTScopeNamespace);
    plain.add({ group: "b.io", version: "v1", kind: "Widget" }, RESTScopeNamespace);
    const err = await plain.resourceFor(gvr("", "", "widgets")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmbiguousResourceError);
    expect(isAmbiguousError(err)).toBe(true);
    expect((err as Error).message).toBe(
      "/, Resource=widgets matches multiple resources [a.io/v1, Resource=widgets b.io/v1, Resource=widgets]",
    );
  });
});

/** An in-memory discovery source for the pure mapper logic (the real server is used in the integration tests). */
class FixtureDiscovery implements DiscoveryInterface {
  data: APIGroupResources[];
  calls = 0;
  fail = false;
  constructor(data: APIGroupResources[]) {
    this.data = data;
  }
  async serverGroupsAndResources(): Promise<GroupsAndResources> {
    this.calls++;
    const groups = this.data.map((d) => d.group);
    const resources: APIResourceList[] = [];
    for (const d of this.data) {
      for (const [v, rs] of d.versionedResources) {
        resources.push({ groupVersion: d.group.name === "" ? v : `${d.group.name}/${v}`, resources: rs });
      }
    }
    if (this.fail) throw new GroupDiscoveryFailedError(new Map([["broken.io/v1", new Error("boom")]]), { groups, resources });
    return { groups, resources };
  }
  serverGroups = async () => ({ groups: this.data.map((d) => d.group) });
  serverResourcesForGroupVersion = async (): Promise<APIResourceList> => {
    throw new Error("unused");
  };
  serverPreferredResources = async () => [];
  serverPreferredNamespacedResources = async () => [];
  serverVersion = async () => {
    throw new Error("unused");
  };
  openAPIV3 = () => {
    throw new Error("unused");
  };
  withLegacy = () => this;
}

class FixtureCached extends FixtureDiscovery {
  valid = false;
  override async serverGroupsAndResources(): Promise<GroupsAndResources> {
    const r = await super.serverGroupsAndResources();
    this.valid = true;
    return r;
  }
  fresh() {
    return this.valid;
  }
  invalidate() {
    this.valid = false;
  }
}

describe("ShortcutExpander and categories", () => {
  it("expands short names and leaves real names alone", async () => {
    const d = new FixtureDiscovery(fixture);
    const warnings: string[] = [];
    const m = new ShortcutExpander(newDiscoveryRESTMapper(fixture), d, (w) => warnings.push(w));
    expect(await m.resourceFor(gvr("", "", "po"))).toEqual(gvr("", "v1", "pods"));
    expect(await m.resourceFor(gvr("", "", "deploy"))).toEqual(gvr("apps", "v1", "deployments"));
    expect(await m.kindFor(gvr("", "", "svc"))).toEqual({ group: "", version: "v1", kind: "Service" });
    expect(await m.resourceFor(gvr("", "", "ct"))).toEqual(gvr("stable.example.com", "v1", "crontabs"));
    expect(await m.resourceFor(gvr("stable", "", "ct"))).toEqual(gvr("stable.example.com", "v1", "crontabs"));
    expect(await m.resourceSingularizer("po")).toBe("pod");
    expect(await m.expandResourceShortcut(gvr("", "", "pod"))).toEqual(gvr("", "", "pod"));
    expect(warnings).toEqual([]);
  });

  it("warns when a short name also matches a lower-priority resource", async () => {
    const clash: APIGroupResources[] = [
      ...fixture,
      { group: group("other.io", ["v1"]), versionedResources: new Map([["v1", [res("pollers", "Poller", true, { shortNames: ["po"] })]]]) },
    ];
    const warnings: string[] = [];
    const m = new ShortcutExpander(newDiscoveryRESTMapper(clash), new FixtureDiscovery(clash), (w) => warnings.push(w));
    expect(await m.resourceFor(gvr("", "", "po"))).toEqual(gvr("", "v1", "pods"));
    expect(warnings).toEqual(['short name "po" could also match lower priority resource pollers.other.io']);
  });

  it("expands categories from discovery, also from partial discovery", async () => {
    const d = new FixtureDiscovery(fixture);
    d.fail = true;
    const e = new DiscoveryCategoryExpander(d);
    expect(await e.expand("all")).toEqual({
      resources: [
        { group: "", resource: "pods" },
        { group: "", resource: "services" },
        { group: "apps", resource: "deployments" },
      ],
      found: true,
    });
    expect(await e.expand("nope")).toEqual({ resources: [], found: false });
    const u = new UnionCategoryExpander([e, new SimpleCategoryExpander({ all: [{ group: "", resource: "pods" }, { group: "batch", resource: "jobs" }] })]);
    expect((await u.expand("all")).resources).toHaveLength(4);
  });
});

describe("DeferredDiscoveryRESTMapper", () => {
  it("loads lazily, reloads once on a miss when discovery is stale, not when fresh", async () => {
    const d = new FixtureCached(fixture.slice(0, 2));
    const m = new DeferredDiscoveryRESTMapper(d);
    expect(d.calls).toBe(0);
    expect(await m.resourceFor(gvr("", "", "pods"))).toEqual(gvr("", "v1", "pods"));
    expect(d.calls).toBe(1);
    // A miss on fresh discovery is a real miss: no reload.
    const miss = await m.kindFor(gvr("", "", "crontabs")).catch((e: unknown) => e);
    expect(miss).toBeInstanceOf(NoResourceMatchError);
    expect(d.calls).toBe(1);
    // The CRD appears, the cache is invalidated: the next miss reloads and finds it.
    d.data = fixture;
    d.invalidate();
    expect(await m.kindFor(gvr("", "", "crontabs"))).toEqual({ group: "stable.example.com", version: "v1", kind: "CronTab" });
    expect(d.calls).toBe(2);
    // Hits do not reload even after invalidation.
    d.invalidate();
    expect(await m.resourceFor(gvr("", "", "pods"))).toEqual(gvr("", "v1", "pods"));
    expect(d.calls).toBe(2);
    await expect(m.restMapping({ group: "nope.io", kind: "Thing" })).rejects.toBeInstanceOf(NoKindMatchError);
    expect(d.calls).toBe(3);
  });

  it("uses partial discovery when some group versions fail", async () => {
    const d = new FixtureCached(fixture);
    d.fail = true;
    const m = new DeferredDiscoveryRESTMapper(d);
    expect(await m.resourceFor(gvr("", "", "deployments"))).toEqual(gvr("apps", "v1", "deployments"));
  });
});
