/**
 * The RESTMapper's errors (k8s.io/apimachinery/pkg/api/meta errors.go). Each class has a literal
 * `name`; the predicates check that name, so errors from another copy of this package match too.
 */
import type { GroupKind, GroupVersionKind, GroupVersionResource } from "@kubets/apimachinery/schema";
import { groupVersionKindToString, groupVersionResourceToString, groupVersionToString } from "@kubets/apimachinery/schema";

function gvrList(list: readonly GroupVersionResource[]): string {
  return `[${list.map(groupVersionResourceToString).join(" ")}]`;
}
function gvkList(list: readonly GroupVersionKind[]): string {
  return `[${list.map(groupVersionKindToString).join(" ")}]`;
}

function ambiguousMessage(partial: string, resources: readonly GroupVersionResource[], kinds: readonly GroupVersionKind[]): string {
  if (kinds.length > 0 && resources.length > 0)
    return `${partial} matches multiple resources ${gvrList(resources)} and kinds ${gvkList(kinds)}`;
  if (kinds.length > 0) return `${partial} matches multiple kinds ${gvkList(kinds)}`;
  if (resources.length > 0) return `${partial} matches multiple resources ${gvrList(resources)}`;
  return `${partial} matches multiple resources or kinds`;
}

/** A partially specified resource matched more than one resource or kind. */
export class AmbiguousResourceError extends Error {
  override readonly name = "AmbiguousResourceError" as const;
  readonly partialResource: GroupVersionResource;
  readonly matchingResources: readonly GroupVersionResource[];
  readonly matchingKinds: readonly GroupVersionKind[];

  constructor(init: {
    partialResource: GroupVersionResource;
    matchingResources?: readonly GroupVersionResource[];
    matchingKinds?: readonly GroupVersionKind[];
  }) {
    const resources = init.matchingResources ?? [];
    const kinds = init.matchingKinds ?? [];
    super(ambiguousMessage(groupVersionResourceToString(init.partialResource), resources, kinds));
    this.partialResource = init.partialResource;
    this.matchingResources = resources;
    this.matchingKinds = kinds;
  }
}

/** A partially specified kind matched more than one kind. */
export class AmbiguousKindError extends Error {
  override readonly name = "AmbiguousKindError" as const;
  readonly partialKind: GroupVersionKind;
  readonly matchingResources: readonly GroupVersionResource[];
  readonly matchingKinds: readonly GroupVersionKind[];

  constructor(init: {
    partialKind: GroupVersionKind;
    matchingResources?: readonly GroupVersionResource[];
    matchingKinds?: readonly GroupVersionKind[];
  }) {
    const resources = init.matchingResources ?? [];
    const kinds = init.matchingKinds ?? [];
    super(ambiguousMessage(groupVersionKindToString(init.partialKind), resources, kinds));
    this.partialKind = init.partialKind;
    this.matchingResources = resources;
    this.matchingKinds = kinds;
  }
}

/** No resource matched the partially specified resource. */
export class NoResourceMatchError extends Error {
  override readonly name = "NoResourceMatchError" as const;
  readonly partialResource: GroupVersionResource;

  constructor(partialResource: GroupVersionResource) {
    super(`no matches for ${groupVersionResourceToString(partialResource)}`);
    this.partialResource = partialResource;
  }
}

/** No kind matched the group and kind in any of the searched versions. */
export class NoKindMatchError extends Error {
  override readonly name = "NoKindMatchError" as const;
  readonly groupKind: GroupKind;
  readonly searchedVersions: readonly string[];

  constructor(groupKind: GroupKind, searchedVersions: readonly string[] = []) {
    const searched = [...new Set(searchedVersions.map((v) => groupVersionToString({ group: groupKind.group, version: v })))].sort();
    let msg: string;
    if (searched.length === 0) msg = `no matches for kind ${JSON.stringify(groupKind.kind)} in group ${JSON.stringify(groupKind.group)}`;
    else if (searched.length === 1) msg = `no matches for kind ${JSON.stringify(groupKind.kind)} in version ${JSON.stringify(searched[0])}`;
    else msg = `no matches for kind ${JSON.stringify(groupKind.kind)} in versions [${searched.map((s) => JSON.stringify(s)).join(" ")}]`;
    super(msg);
    this.groupKind = groupKind;
    this.searchedVersions = searchedVersions;
  }
}

/** Several mappers failed with other errors than "no match" (utilerrors.Aggregate). */
export class AggregateMapperError extends Error {
  override readonly name = "AggregateMapperError" as const;
  readonly errors: readonly Error[];
  constructor(errors: readonly Error[]) {
    super(errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join(", ")}]`, { cause: errors[0] });
    this.errors = errors;
  }
}

function nameOf(err: unknown): unknown {
  return typeof err === "object" && err !== null ? (err as { name?: unknown }).name : undefined;
}

/** Follows `cause` (and an aggregate's errors) like Go's errors.Is. */
function anyInChain(err: unknown, names: ReadonlySet<string>): boolean {
  let e: unknown = err;
  for (let i = 0; i < 10 && typeof e === "object" && e !== null; i++) {
    const n = nameOf(e);
    if (typeof n === "string" && names.has(n)) return true;
    const inner = (e as { errors?: unknown }).errors;
    if (n === "AggregateMapperError" && Array.isArray(inner) && inner.some((x) => anyInChain(x, names))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

const NO_MATCH = new Set(["NoResourceMatchError", "NoKindMatchError"]);
const AMBIGUOUS = new Set(["AmbiguousResourceError", "AmbiguousKindError"]);

/** True when nothing matched the resource or kind (meta.IsNoMatchError). */
export function isNoMatchError(err: unknown): boolean {
  return anyInChain(err, NO_MATCH);
}

/** True when more than one resource or kind matched (meta.IsAmbiguousError). */
export function isAmbiguousError(err: unknown): boolean {
  return anyInChain(err, AMBIGUOUS);
}
