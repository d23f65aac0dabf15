/**
 * RESTMappers built from discovery (client-go restmapper/discovery.go): a static mapper over a snapshot
 * of the server's groups, and the deferred mapper that loads on first use and reloads on a miss when
 * its cached discovery client is no longer fresh.
 */
import type { APIGroup, APIResource } from "@kubets/apimachinery/meta/v1";
import type { GroupKind, GroupVersionKind, GroupVersionResource } from "@kubets/apimachinery/schema";
import { isGroupDiscoveryFailedError } from "../discovery/errors.js";
import type { CachedDiscoveryInterface, DiscoveryInterface, GroupsAndResources } from "../discovery/interface.js";
import { DefaultRESTMapper, unsafeGuessKindToResource } from "./default-mapper.js";
import { MultiRESTMapper, PriorityRESTMapper } from "./multi.js";
import { AnyKind, AnyResource, AnyVersion, RESTScopeNamespace, RESTScopeRoot, type RESTMapper, type RESTMapping } from "./types.js";

/** A group and the resources of each of its versions (restmapper.APIGroupResources). */
export interface APIGroupResources {
  group: APIGroup;
  /** Resources by version (not group/version). */
  versionedResources: Map<string, APIResource[]>;
}

/**
 * A mapper for a snapshot of discovery (restmapper.NewDiscoveryRESTMapper): the core group's v1 is
 * preferred over everything, then each group's preferred version, then its other versions, in the
 * order the server listed the groups.
 */
export function newDiscoveryRESTMapper(groupResources: readonly APIGroupResources[]): PriorityRESTMapper {
  const mappers: DefaultRESTMapper[] = [];
  const groupPriority: string[] = [];
  const resourcePriority: GroupVersionResource[] = [{ group: "", version: "v1", resource: AnyResource }];
  const kindPriority: GroupVersionKind[] = [{ group: "", version: "v1", kind: AnyKind }];
  for (const { group, versionedResources } of groupResources) {
    groupPriority.push(group.name);
    const preferred = group.preferredVersion?.version ?? "";
    if (preferred.length > 0 && versionedResources.has(preferred)) {
      resourcePriority.push({ group: group.name, version: preferred, resource: AnyResource });
      kindPriority.push({ group: group.name, version: preferred, kind: AnyKind });
    }
    for (const dv of group.versions) {
      const resources = versionedResources.get(dv.version);
      if (!resources) continue;
      if (dv.version !== preferred) {
        resourcePriority.push({ group: group.name, version: dv.version, resource: AnyResource });
        kindPriority.push({ group: group.name, version: dv.version, kind: AnyKind });
      }
      const gv = { group: group.name, version: dv.version };
      const m = new DefaultRESTMapper([gv]);
      for (const r of resources) {
        const scope = r.namespaced ? RESTScopeNamespace : RESTScopeRoot;
        if (r.name.includes("/")) continue;
        const plural = { ...gv, resource: r.name };
        let singular = { ...gv, resource: r.singularName };
        if (!r.singularName) singular = unsafeGuessKindToResource({ ...gv, kind: r.kind }).singular;
        m.addSpecific({ ...gv, kind: r.kind.toLowerCase() }, plural, singular, scope);
        m.addSpecific({ ...gv, kind: r.kind }, plural, singular, scope);
        m.add({ ...gv, kind: `${r.kind}List` }, scope);
      }
      m.add({ ...gv, kind: "List" }, RESTScopeRoot);
      mappers.push(m);
    }
  }
  for (const group of groupPriority) {
    resourcePriority.push({ group, version: AnyVersion, resource: AnyResource });
    kindPriority.push({ group, version: AnyVersion, kind: AnyKind });
  }
  return new PriorityRESTMapper(new MultiRESTMapper(mappers), resourcePriority, kindPriority);
}

/**
 * Every group with the resources of each version (restmapper.GetAPIGroupResources). Group versions
 * that failed discovery are left out rather than failing the whole call, as client-go does.
 */
export async function getAPIGroupResources(cl: DiscoveryInterface, opts: { signal?: AbortSignal } = {}): Promise<APIGroupResources[]> {
  let gr: GroupsAndResources;
  try {
    gr = await cl.serverGroupsAndResources(opts);
  } catch (err) {
    if (isGroupDiscoveryFailedError(err) && err.partial) gr = err.partial;
    else throw err;
  }
  const byGV = new Map(gr.resources.map((r) => [r.groupVersion, r]));
  return gr.groups.map((group) => {
    const versionedResources = new Map<string, APIResource[]>();
    for (const v of group.versions) {
      const list = byGV.get(v.groupVersion);
      if (list) versionedResources.set(v.version, list.resources);
    }
    return { group, versionedResources };
  });
}

/**
 * A mapper that loads discovery on first use (restmapper.DeferredDiscoveryRESTMapper). When a lookup
 * misses and the discovery client is not fresh (someone invalidated it, e.g. after installing a CRD),
 * it reloads once and asks again.
 */
export class DeferredDiscoveryRESTMapper implements RESTMapper {
  readonly #cl: CachedDiscoveryInterface;
  #delegate: Promise<RESTMapper> | undefined;

  constructor(cl: CachedDiscoveryInterface) {
    this.#cl = cl;
  }

  #getDelegate(): Promise<RESTMapper> {
    if (!this.#delegate) {
      const p = getAPIGroupResources(this.#cl).then(newDiscoveryRESTMapper);
      this.#delegate = p;
      p.catch(() => {
        if (this.#delegate === p) this.#delegate = undefined;
      });
    }
    return this.#delegate;
  }

  /** Invalidates the discovery client and drops the loaded mapper. */
  reset(): void {
    this.#cl.invalidate();
    this.#delegate = undefined;
  }

  /** Runs a lookup; on failure (or an empty answer) with stale discovery, reloads and runs it once more. */
  async #run<T>(f: (m: RESTMapper) => Promise<T>, empty: (v: T) => boolean = () => false, retried = false): Promise<T> {
    const del = await this.#getDelegate();
    let result: T;
    try {
      result = await f(del);
    } catch (err) {
      if (retried || this.#cl.fresh()) throw err;
      this.reset();
      return this.#run(f, empty, true);
    }
    if (!retried && empty(result) && !this.#cl.fresh()) {
      this.reset();
      return this.#run(f, empty, true);
    }
    return result;
  }

  kindFor(resource: GroupVersionResource): Promise<GroupVersionKind> {
    return this.#run((m) => m.kindFor(resource));
  }
  kindsFor(resource: GroupVersionResource): Promise<GroupVersionKind[]> {
    return this.#run((m) => m.kindsFor(resource), (v) => v.length === 0);
  }
  resourceFor(input: GroupVersionResource): Promise<GroupVersionResource> {
    return this.#run((m) => m.resourceFor(input));
  }
  resourcesFor(input: GroupVersionResource): Promise<GroupVersionResource[]> {
    return this.#run((m) => m.resourcesFor(input), (v) => v.length === 0);
  }
  restMapping(gk: GroupKind, ...versions: string[]): Promise<RESTMapping> {
    return this.#run((m) => m.restMapping(gk, ...versions));
  }
  restMappings(gk: GroupKind, ...versions: string[]): Promise<RESTMapping[]> {
    return this.#run((m) => m.restMappings(gk, ...versions), (v) => v.length === 0);
  }
  resourceSingularizer(resource: string): Promise<string> {
    return this.#run((m) => m.resourceSingularizer(resource));
  }
}

/** restmapper.NewDeferredDiscoveryRESTMapper. */
export function newDeferredDiscoveryRESTMapper(cl: CachedDiscoveryInterface): DeferredDiscoveryRESTMapper {
  return new DeferredDiscoveryRESTMapper(cl);
}
