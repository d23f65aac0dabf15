/**
 * DefaultRESTMapper (k8s.io/apimachinery/pkg/api/meta restmapper.go): a static mapper for a fixed set
 * of group versions, filled with add/addSpecific.
 */
import type { GroupKind, GroupVersion, GroupVersionKind, GroupVersionResource } from "@kubets/apimachinery/schema";
import { groupVersionKindToString, groupVersionToString } from "@kubets/apimachinery/schema";
import { AmbiguousResourceError, NoKindMatchError, NoResourceMatchError } from "./errors.js";
import type { RESTMapper, RESTMapping, RESTScope } from "./types.js";

/** The internal version marker (runtime.APIVersionInternal). */
const API_VERSION_INTERNAL = "__internal";

const gvrKey = (r: GroupVersionResource) => `${r.group}\u0000${r.version}\u0000${r.resource}`;
const gvkKey = (k: GroupVersionKind) => `${k.group}\u0000${k.version}\u0000${k.kind}`;

const UNPLURALIZED_SUFFIXES = ["endpoints"];

/**
 * Guesses the plural and singular resource of a kind (meta.UnsafeGuessKindToResource): lower-cases the
 * kind and adds `s`, `es` after an `s`, `ies` for a trailing `y`; `*endpoints` stay as they are.
 */
export function unsafeGuessKindToResource(kind: GroupVersionKind): { plural: GroupVersionResource; singular: GroupVersionResource } {
  if (kind.kind.length === 0) {
    const empty = { group: "", version: "", resource: "" };
    return { plural: empty, singular: empty };
  }
  const singularName = kind.kind.toLowerCase();
  const gv = { group: kind.group, version: kind.version };
  const singular = { ...gv, resource: singularName };
  if (UNPLURALIZED_SUFFIXES.some((s) => singularName.endsWith(s))) return { plural: singular, singular };
  const last = singularName[singularName.length - 1];
  if (last === "s") return { plural: { ...gv, resource: `${singularName}es` }, singular };
  if (last === "y") return { plural: { ...gv, resource: `${singularName.slice(0, -1)}ies` }, singular };
  return { plural: { ...gv, resource: `${singularName}s` }, singular };
}

function coerceResourceForMatching(r: GroupVersionResource): GroupVersionResource {
  return { group: r.group, version: r.version === API_VERSION_INTERNAL ? "" : r.version, resource: r.resource.toLowerCase() };
}

function sameGV(a: GroupVersion, b: GroupVersion): boolean {
  return a.group === b.group && a.version === b.version;
}

/**
 * Go's byPreferredGroupVersion ordering as a consistent comparator: same group version by name, then by
 * position in the preferred list; group versions not in the list go last, in the order they were added
 * (Go leaves their order to map iteration).
 */
function preferredOrder<T extends GroupVersion>(order: readonly GroupVersion[], name: (x: T) => string): (a: T, b: T) => number {
  const indexOf = (x: GroupVersion) => order.findIndex((gv) => sameGV(gv, x));
  return (l, r) => {
    if (sameGV(l, r)) {
      const a = name(l);
      const b = name(r);
      return a < b ? -1 : a > b ? 1 : 0;
    }
    const li = indexOf(l);
    const ri = indexOf(r);
    if (li === -1 && ri === -1) return 0;
    if (ri === -1) return -1;
    if (li === -1) return 1;
    return li - ri;
  };
}

export class DefaultRESTMapper implements RESTMapper {
  readonly #defaultGroupVersions: readonly GroupVersion[];
  readonly #resourceToKind = new Map<string, { resource: GroupVersionResource; kind: GroupVersionKind }>();
  readonly #kindToPluralResource = new Map<string, GroupVersionResource>();
  readonly #kindToScope = new Map<string, RESTScope>();
  readonly #singularToPlural = new Map<string, GroupVersionResource>();
  readonly #pluralToSingular = new Map<string, { plural: GroupVersionResource; singular: GroupVersionResource }>();

  /** The group versions, in preference order, that partial lookups are sorted by. */
  constructor(defaultGroupVersions: readonly GroupVersion[] = []) {
    this.#defaultGroupVersions = defaultGroupVersions;
  }

  /** Adds a kind with guessed resource names. */
  add(kind: GroupVersionKind, scope: RESTScope): void {
    const { plural, singular } = unsafeGuessKindToResource(kind);
    this.addSpecific(kind, plural, singular, scope);
  }

  /** Adds a kind with its plural and singular resource. */
  addSpecific(kind: GroupVersionKind, plural: GroupVersionResource, singular: GroupVersionResource, scope: RESTScope): void {
    this.#singularToPlural.set(gvrKey(singular), plural);
    this.#pluralToSingular.set(gvrKey(plural), { plural, singular });
    this.#resourceToKind.set(gvrKey(singular), { resource: singular, kind });
    this.#resourceToKind.set(gvrKey(plural), { resource: plural, kind });
    this.#kindToPluralResource.set(gvkKey(kind), plural);
    this.#kindToScope.set(gvkKey(kind), scope);
  }

  resourcesForSync(input: GroupVersionResource): GroupVersionResource[] {
    const resource = coerceResourceForMatching(input);
    const hasGroup = resource.group.length > 0;
    const hasVersion = resource.version.length > 0;
    if (resource.resource.length === 0) throw new TypeError(`a resource must be present, got: ${describe(resource)}`);
    const ret: GroupVersionResource[] = [];
    const entries = [...this.#pluralToSingular.values()];
    if (hasGroup && hasVersion) {
      for (const { plural, singular } of entries) {
        if (gvrKey(singular) === gvrKey(resource) || gvrKey(plural) === gvrKey(resource)) {
          ret.push(plural);
          break;
        }
      }
    } else if (hasGroup) {
      let exact = false;
      for (const { plural, singular } of entries) {
        if (singular.group === resource.group && singular.resource === resource.resource) {
          exact = true;
          ret.push(plural);
        }
        if (plural.group === resource.group && plural.resource === resource.resource) {
          exact = true;
          ret.push(plural);
        }
      }
      if (!exact) {
        for (const { plural, singular } of entries) {
          if (!plural.group.startsWith(resource.group)) continue;
          if (singular.resource === resource.resource) ret.push(plural);
          if (plural.resource === resource.resource) ret.push(plural);
        }
      }
    } else if (hasVersion) {
      for (const { plural, singular } of entries) {
        if (singular.version === resource.version && singular.resource === resource.resource) ret.push(plural);
        if (plural.version === resource.version && plural.resource === resource.resource) ret.push(plural);
      }
    } else {
      for (const { plural, singular } of entries) {
        if (singular.resource === resource.resource) ret.push(plural);
        if (plural.resource === resource.resource) ret.push(plural);
      }
    }
    if (ret.length === 0) throw new NoResourceMatchError(resource);
    return ret.sort(preferredOrder<GroupVersionResource>(this.#defaultGroupVersions, (r) => r.resource));
  }

  kindsForSync(input: GroupVersionResource): GroupVersionKind[] {
    const resource = coerceResourceForMatching(input);
    const hasGroup = resource.group.length > 0;
    const hasVersion = resource.version.length > 0;
    if (resource.resource.length === 0) throw new TypeError(`a resource must be present, got: ${describe(resource)}`);
    const ret: GroupVersionKind[] = [];
    const entries = [...this.#resourceToKind.values()];
    if (hasGroup && hasVersion) {
      const hit = this.#resourceToKind.get(gvrKey(resource));
      if (hit) ret.push(hit.kind);
    } else if (hasGroup) {
      let exact = false;
      for (const { resource: r, kind } of entries) {
        if (r.group === resource.group && r.resource === resource.resource) {
          exact = true;
          ret.push(kind);
        }
      }
      if (!exact) {
        for (const { resource: r, kind } of entries) {
          if (!r.group.startsWith(resource.group)) continue;
          if (r.resource === resource.resource) ret.push(kind);
        }
      }
    } else if (hasVersion) {
      for (const { resource: r, kind } of entries) if (r.version === resource.version && r.resource === resource.resource) ret.push(kind);
    } else {
      for (const { resource: r, kind } of entries) if (r.resource === resource.resource) ret.push(kind);
    }
    if (ret.length === 0) throw new NoResourceMatchError(input);
    return ret.sort(preferredOrder<GroupVersionKind>(this.#defaultGroupVersions, (k) => k.kind));
  }

  resourceForSync(resource: GroupVersionResource): GroupVersionResource {
    const resources = this.resourcesForSync(resource);
    if (resources.length === 1) return resources[0]!;
    throw new AmbiguousResourceError({ partialResource: resource, matchingResources: resources });
  }

  kindForSync(resource: GroupVersionResource): GroupVersionKind {
    const kinds = this.kindsForSync(resource);
    if (kinds.length === 1) return kinds[0]!;
    throw new AmbiguousResourceError({ partialResource: resource, matchingKinds: kinds });
  }

  restMappingsSync(gk: GroupKind, ...versions: string[]): RESTMapping[] {
    const potential: GroupVersionKind[] = [];
    let hadVersion = false;
    for (const version of versions) {
      if (version.length === 0 || version === API_VERSION_INTERNAL) continue;
      const gvk = { group: gk.group, version, kind: gk.kind };
      hadVersion = true;
      if (this.#kindToPluralResource.has(gvkKey(gvk))) {
        potential.push(gvk);
        break;
      }
    }
    if (!hadVersion && potential.length === 0) {
      for (const gv of this.#defaultGroupVersions) {
        if (gv.group !== gk.group) continue;
        potential.push({ group: gk.group, version: gv.version, kind: gk.kind });
      }
    }
    if (potential.length === 0) throw new NoKindMatchError(gk, versions);
    const mappings: RESTMapping[] = [];
    for (const gvk of potential) {
      const res = this.#kindToPluralResource.get(gvkKey(gvk));
      if (!res) continue;
      const scope = this.#kindToScope.get(gvkKey(gvk));
      if (!scope)
        throw new TypeError(
          `the provided version ${JSON.stringify(groupVersionToString(gvk))} and kind ${JSON.stringify(gvk.kind)} cannot be mapped to a supported scope`,
        );
      mappings.push({ resource: res, groupVersionKind: gvk, scope });
    }
    if (mappings.length === 0) throw new NoResourceMatchError({ group: gk.group, version: "", resource: gk.kind });
    return mappings;
  }

  restMappingSync(gk: GroupKind, ...versions: string[]): RESTMapping {
    const mappings = this.restMappingsSync(gk, ...versions);
    if (mappings.length === 0) throw new NoKindMatchError(gk, versions);
    return mappings[0]!;
  }

  resourceSingularizerSync(resourceType: string): string {
    const resources = this.resourcesForSync({ group: "", version: "", resource: resourceType });
    let singular: GroupVersionResource | undefined;
    for (const curr of resources) {
      const entry = this.#pluralToSingular.get(gvrKey(curr));
      if (!entry) continue;
      if (singular === undefined) {
        singular = entry.singular;
        continue;
      }
      if (entry.singular.resource !== singular.resource) {
        throw new TypeError(`multiple possible singular resources (${describeList(resources)}) found for ${resourceType}`);
      }
    }
    if (singular === undefined) throw new TypeError(`no singular of resource ${resourceType} has been defined`);
    return singular.resource;
  }

  async kindFor(resource: GroupVersionResource): Promise<GroupVersionKind> {
    return this.kindForSync(resource);
  }
  async kindsFor(resource: GroupVersionResource): Promise<GroupVersionKind[]> {
    return this.kindsForSync(resource);
  }
  async resourceFor(input: GroupVersionResource): Promise<GroupVersionResource> {
    return this.resourceForSync(input);
  }
  async resourcesFor(input: GroupVersionResource): Promise<GroupVersionResource[]> {
    return this.resourcesForSync(input);
  }
  async restMapping(gk: GroupKind, ...versions: string[]): Promise<RESTMapping> {
    return this.restMappingSync(gk, ...versions);
  }
  async restMappings(gk: GroupKind, ...versions: string[]): Promise<RESTMapping[]> {
    return this.restMappingsSync(gk, ...versions);
  }
  async resourceSingularizer(resource: string): Promise<string> {
    return this.resourceSingularizerSync(resource);
  }

  toString(): string {
    const kinds = [...this.#kindToPluralResource.entries()].map(([k, r]) => {
      const [group = "", version = "", kind = ""] = k.split("\u0000");
      return `${groupVersionKindToString({ group, version, kind })}:${describe(r)}`;
    });
    return `DefaultRESTMapper{kindToPluralResource=map[${kinds.join(" ")}]}`;
  }
}

function describe(r: GroupVersionResource): string {
  return `${r.group}/${r.version}, Resource=${r.resource}`;
}
function describeList(list: readonly GroupVersionResource[]): string {
  return `[${list.map(describe).join(" ")}]`;
}
