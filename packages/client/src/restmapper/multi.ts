/**
 * MultiRESTMapper and PriorityRESTMapper (k8s.io/apimachinery/pkg/api/meta multirestmapper.go,
 * priority.go): a union of mappers, and a filter that picks one answer by preference patterns.
 */
import type { GroupKind, GroupVersionKind, GroupVersionResource } from "@kubets/apimachinery/schema";
import { AggregateMapperError, AmbiguousKindError, AmbiguousResourceError, isNoMatchError, NoKindMatchError, NoResourceMatchError } from "./errors.js";
import { AnyGroup, AnyKind, AnyResource, AnyVersion, type RESTMapper, type RESTMapping } from "./types.js";

const sameGVR = (a: GroupVersionResource, b: GroupVersionResource) => a.group === b.group && a.version === b.version && a.resource === b.resource;
const sameGVK = (a: GroupVersionKind, b: GroupVersionKind) => a.group === b.group && a.version === b.version && a.kind === b.kind;

/** Asks every mapper and merges the answers (meta.MultiRESTMapper). */
export class MultiRESTMapper implements RESTMapper {
  readonly mappers: readonly RESTMapper[];
  constructor(mappers: readonly RESTMapper[]) {
    this.mappers = mappers;
  }

  async resourceSingularizer(resource: string): Promise<string> {
    let lastErr: unknown;
    for (const m of this.mappers) {
      try {
        return await m.resourceSingularizer(resource);
      } catch (err) {
        lastErr = err;
      }
    }
    if (lastErr !== undefined) throw lastErr;
    return "";
  }

  async resourcesFor(resource: GroupVersionResource): Promise<GroupVersionResource[]> {
    const all: GroupVersionResource[] = [];
    for (const m of this.mappers) {
      let gvrs: GroupVersionResource[];
      try {
        gvrs = await m.resourcesFor(resource);
      } catch (err) {
        if (isNoMatchError(err)) continue;
        throw err;
      }
      for (const g of gvrs) if (!all.some((e) => sameGVR(e, g))) all.push(g);
    }
    if (all.length === 0) throw new NoResourceMatchError(resource);
    return all;
  }

  async kindsFor(resource: GroupVersionResource): Promise<GroupVersionKind[]> {
    const all: GroupVersionKind[] = [];
    for (const m of this.mappers) {
      let gvks: GroupVersionKind[];
      try {
        gvks = await m.kindsFor(resource);
      } catch (err) {
        if (isNoMatchError(err)) continue;
        throw err;
      }
      for (const g of gvks) if (!all.some((e) => sameGVK(e, g))) all.push(g);
    }
    if (all.length === 0) throw new NoResourceMatchError(resource);
    return all;
  }

  async resourceFor(resource: GroupVersionResource): Promise<GroupVersionResource> {
    const resources = await this.resourcesFor(resource);
    if (resources.length === 1) return resources[0]!;
    throw new AmbiguousResourceError({ partialResource: resource, matchingResources: resources });
  }

  async kindFor(resource: GroupVersionResource): Promise<GroupVersionKind> {
    const kinds = await this.kindsFor(resource);
    if (kinds.length === 1) return kinds[0]!;
    throw new AmbiguousResourceError({ partialResource: resource, matchingKinds: kinds });
  }

  async restMapping(gk: GroupKind, ...versions: string[]): Promise<RESTMapping> {
    const all: RESTMapping[] = [];
    const errors: Error[] = [];
    for (const m of this.mappers) {
      try {
        all.push(await m.restMapping(gk, ...versions));
      } catch (err) {
        if (isNoMatchError(err)) continue;
        errors.push(err as Error);
      }
    }
    if (all.length === 1) return all[0]!;
    if (all.length > 1) {
      throw new AmbiguousKindError({ partialKind: { ...gk, version: "" }, matchingKinds: all.map((m) => m.groupVersionKind) });
    }
    if (errors.length > 0) throw new AggregateMapperError(errors);
    throw new NoKindMatchError(gk, versions);
  }

  async restMappings(gk: GroupKind, ...versions: string[]): Promise<RESTMapping[]> {
    const all: RESTMapping[] = [];
    const errors: Error[] = [];
    for (const m of this.mappers) {
      try {
        all.push(...(await m.restMappings(gk, ...versions)));
      } catch (err) {
        if (isNoMatchError(err)) continue;
        errors.push(err as Error);
      }
    }
    if (errors.length > 0) throw new AggregateMapperError(errors);
    if (all.length === 0) throw new NoKindMatchError(gk, versions);
    return all;
  }

  reset(): void {
    for (const m of this.mappers) m.reset?.();
  }
}

function resourceMatches(pattern: GroupVersionResource, r: GroupVersionResource): boolean {
  return (
    (pattern.group === AnyGroup || pattern.group === r.group) &&
    (pattern.version === AnyVersion || pattern.version === r.version) &&
    (pattern.resource === AnyResource || pattern.resource === r.resource)
  );
}

function kindMatches(pattern: GroupVersionKind, k: GroupVersionKind): boolean {
  return (
    (pattern.group === AnyGroup || pattern.group === k.group) &&
    (pattern.version === AnyVersion || pattern.version === k.version) &&
    (pattern.kind === AnyKind || pattern.kind === k.kind)
  );
}

/** Narrows candidates pattern by pattern until one is left (the shared loop of PriorityRESTMapper). */
function pick<T>(candidates: readonly T[], patterns: readonly ((x: T) => boolean)[]): { one: T } | { remaining: T[] } {
  let remaining = [...candidates];
  for (const matches of patterns) {
    const matched = remaining.filter(matches);
    if (matched.length === 0) continue;
    if (matched.length === 1) return { one: matched[0]! };
    remaining = matched;
  }
  return { remaining };
}

/**
 * Picks one answer among several by preference patterns (meta.PriorityRESTMapper); `*` in a pattern
 * matches anything. Plural lookups go straight to the delegate.
 */
export class PriorityRESTMapper implements RESTMapper {
  readonly delegate: RESTMapper;
  readonly resourcePriority: readonly GroupVersionResource[];
  readonly kindPriority: readonly GroupVersionKind[];

  constructor(delegate: RESTMapper, resourcePriority: readonly GroupVersionResource[], kindPriority: readonly GroupVersionKind[]) {
    this.delegate = delegate;
    this.resourcePriority = resourcePriority;
    this.kindPriority = kindPriority;
  }

  async resourceFor(partial: GroupVersionResource): Promise<GroupVersionResource> {
    const original = await this.delegate.resourcesFor(partial);
    if (original.length === 1) return original[0]!;
    const r = pick(original, this.resourcePriority.map((p) => (x: GroupVersionResource) => resourceMatches(p, x)));
    if ("one" in r) return r.one;
    throw new AmbiguousResourceError({ partialResource: partial, matchingResources: original });
  }

  async kindFor(partial: GroupVersionResource): Promise<GroupVersionKind> {
    const original = await this.delegate.kindsFor(partial);
    if (original.length === 1) return original[0]!;
    const r = pick(original, this.kindPriority.map((p) => (x: GroupVersionKind) => kindMatches(p, x)));
    if ("one" in r) return r.one;
    throw new AmbiguousResourceError({ partialResource: partial, matchingKinds: original });
  }

  async restMapping(gk: GroupKind, ...versions: string[]): Promise<RESTMapping> {
    const mappings = await this.delegate.restMappings(gk, ...versions);
    let priorities = this.kindPriority;
    if (versions.length > 0) {
      priorities = [...versions.map((version) => ({ group: gk.group, version, kind: AnyKind })), ...this.kindPriority];
    }
    const r = pick(mappings, priorities.map((p) => (m: RESTMapping) => kindMatches(p, m.groupVersionKind)));
    if ("one" in r) return r.one;
    if (r.remaining.length === 1) return r.remaining[0]!;
    throw new AmbiguousKindError({ partialKind: { ...gk, version: "" }, matchingKinds: mappings.map((m) => m.groupVersionKind) });
  }

  restMappings(gk: GroupKind, ...versions: string[]): Promise<RESTMapping[]> {
    return this.delegate.restMappings(gk, ...versions);
  }
  resourceSingularizer(resource: string): Promise<string> {
    return this.delegate.resourceSingularizer(resource);
  }
  resourcesFor(partial: GroupVersionResource): Promise<GroupVersionResource[]> {
    return this.delegate.resourcesFor(partial);
  }
  kindsFor(partial: GroupVersionResource): Promise<GroupVersionKind[]> {
    return this.delegate.kindsFor(partial);
  }
  reset(): void {
    this.delegate.reset?.();
  }
}
