import type { GroupKind, GroupVersionKind, GroupVersionResource } from "@kubets/apimachinery/schema";

/** Whether a resource lives in a namespace or at the cluster root (meta.RESTScopeName). */
export type RESTScopeName = "namespace" | "root";

export interface RESTScope {
  readonly name: RESTScopeName;
}

/** The scope of namespaced resources: their URLs go through `/namespaces/{namespace}`. */
export const RESTScopeNamespace: RESTScope = Object.freeze({ name: "namespace" });
/** The scope of cluster-scoped resources (nodes, namespaces, CRDs): no namespace in their URLs. */
export const RESTScopeRoot: RESTScope = Object.freeze({ name: "root" });

/** How to reach the objects of one kind over REST (meta.RESTMapping). */
export interface RESTMapping {
  /** The resource, e.g. `apps/v1, Resource=deployments`. */
  readonly resource: GroupVersionResource;
  /** The kind the resource serves. */
  readonly groupVersionKind: GroupVersionKind;
  readonly scope: RESTScope;
}

/**
 * Maps resources to kinds and kinds to resources (meta.RESTMapper). Methods are async because a
 * mapper may load discovery information on first use or reload it on a miss.
 *
 * A partially specified resource leaves group and/or version empty: `{ group: "", version: "", resource: "pods" }`.
 */
export interface RESTMapper {
  /** The one kind a partial resource maps to; AmbiguousResourceError when several do. */
  kindFor(resource: GroupVersionResource): Promise<GroupVersionKind>;
  /** Every kind a partial resource maps to, the preferred first. */
  kindsFor(resource: GroupVersionResource): Promise<GroupVersionKind[]>;
  /** The one resource a partial resource maps to; AmbiguousResourceError when several do. */
  resourceFor(input: GroupVersionResource): Promise<GroupVersionResource>;
  /** Every resource a partial resource maps to, the preferred first. */
  resourcesFor(input: GroupVersionResource): Promise<GroupVersionResource[]>;
  /** The mapping of a group kind in the first of the versions that has one (or the preferred version). */
  restMapping(gk: GroupKind, ...versions: string[]): Promise<RESTMapping>;
  /** All the mappings of a group kind in the given versions (or every version). */
  restMappings(gk: GroupKind, ...versions: string[]): Promise<RESTMapping[]>;
  /** The singular of a plural resource name, e.g. `pods` -> `pod`. */
  resourceSingularizer(resource: string): Promise<string>;
  /** Drops cached state so the next call reloads (meta.ResettableRESTMapper); optional. */
  reset?(): void;
}

/** Calls reset() when the mapper has one (meta.MaybeResetRESTMapper). */
export function maybeResetRESTMapper(mapper: RESTMapper): void {
  mapper.reset?.();
}

/** Wildcards of a PriorityRESTMapper pattern. */
export const AnyGroup = "*";
export const AnyVersion = "*";
export const AnyResource = "*";
export const AnyKind = "*";
