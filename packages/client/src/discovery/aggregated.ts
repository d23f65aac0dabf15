/**
 * Aggregated discovery (apidiscovery.k8s.io/v2): the wire types of the APIGroupDiscoveryList the API
 * server returns at /api and /apis, and their split into the legacy APIGroupList and APIResourceLists
 * (client-go discovery/aggregated_discovery.go).
 */
import type { APIGroup, APIGroupList, APIResource, APIResourceList, GroupVersionForDiscovery } from "@kubets/apimachinery/meta/v1";
import { groupVersionToString } from "@kubets/apimachinery/schema";
import { StaleGroupVersionError } from "./errors.js";

/** The kind a resource or subresource returns. */
export interface DiscoveryGroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** One subresource of a resource in aggregated discovery (apidiscovery.k8s.io/v2). */
export interface APISubresourceDiscovery {
  subresource: string;
  responseKind?: DiscoveryGroupVersionKind;
  acceptedTypes?: DiscoveryGroupVersionKind[];
  verbs: string[];
}

/**
 * One resource of a group-version in aggregated discovery: its kind, scope, verbs, short names and
 * subresources.
 */
export interface APIResourceDiscovery {
  resource: string;
  responseKind?: DiscoveryGroupVersionKind;
  /** "Cluster" or "Namespaced". */
  scope: string;
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

/** One version of a group in aggregated discovery, with its resources and freshness. */
export interface APIVersionDiscovery {
  version: string;
  resources?: APIResourceDiscovery[];
  /** "Current" or "Stale"; a stale version failed to be discovered. */
  freshness?: string;
}

/** One API group in aggregated discovery, its versions in preference order. */
export interface APIGroupDiscovery {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  /** Versions in order of preference. */
  versions?: APIVersionDiscovery[];
}

/** The aggregated discovery document the API server returns at `/api` and `/apis` (apidiscovery.k8s.io/v2). */
export interface APIGroupDiscoveryList {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string };
  items?: APIGroupDiscovery[];
}

/** The split of an aggregated discovery document; maps are keyed by `group/version` (`v1` for core). */
export interface SplitDiscovery {
  groups: APIGroupList;
  resources: Map<string, APIResourceList>;
  failed: Map<string, Error>;
}

function hasKind(k: DiscoveryGroupVersionKind | undefined): k is DiscoveryGroupVersionKind {
  return k !== undefined && (k.group !== "" || k.version !== "" || k.kind !== "");
}

function convertResource(r: APIResourceDiscovery): { resource: APIResource; ok: boolean } {
  const resource: APIResource = {
    name: r.resource,
    singularName: r.singularResource ?? "",
    namespaced: r.scope === "Namespaced",
    verbs: r.verbs ?? [],
    kind: "",
  };
  if (r.shortNames && r.shortNames.length > 0) resource.shortNames = r.shortNames;
  if (r.categories && r.categories.length > 0) resource.categories = r.categories;
  const k = r.responseKind;
  if (!hasKind(k)) return { resource, ok: false };
  resource.group = k.group;
  resource.version = k.version;
  resource.kind = k.kind;
  return { resource, ok: true };
}

function convertSubresource(parent: APIResource, s: APISubresourceDiscovery): APIResource | undefined {
  const k = s.responseKind;
  if (!hasKind(k)) return undefined;
  return {
    name: `${parent.name}/${s.subresource}`,
    singularName: parent.singularName,
    namespaced: parent.namespaced,
    group: k.group,
    version: k.version,
    kind: k.kind,
    verbs: s.verbs ?? [],
  };
}

/**
 * Splits an aggregated discovery document into groups and resources per group version
 * (discovery.SplitGroupsAndResources). Stale versions are left out of the group and reported in `failed`;
 * the preferred version of a group is its first version that is not stale.
 */
export function splitGroupsAndResources(list: APIGroupDiscoveryList): SplitDiscovery {
  const groups: APIGroup[] = [];
  const resources = new Map<string, APIResourceList>();
  const failed = new Map<string, Error>();
  for (const g of list.items ?? []) {
    const name = g.metadata?.name ?? "";
    const versions: GroupVersionForDiscovery[] = [];
    let preferred: GroupVersionForDiscovery | undefined;
    for (const v of g.versions ?? []) {
      const gv = { group: name, version: v.version };
      const gvs = groupVersionToString(gv);
      if (v.freshness === "Stale") {
        failed.set(gvs, new StaleGroupVersionError(gv));
        continue;
      }
      const version = { groupVersion: gvs, version: v.version };
      versions.push(version);
      preferred ??= version;
      const apiResources: APIResource[] = [];
      for (const r of v.resources ?? []) {
        const { resource, ok } = convertResource(r);
        if (ok) apiResources.push(resource);
        for (const s of r.subresources ?? []) {
          const sub = convertSubresource(resource, s);
          if (sub) apiResources.push(sub);
        }
      }
      resources.set(gvs, { kind: "APIResourceList", apiVersion: "v1", groupVersion: gvs, resources: apiResources });
    }
    const group: APIGroup = { name, versions };
    if (preferred) group.preferredVersion = preferred;
    groups.push(group);
  }
  return { groups: { kind: "APIGroupList", apiVersion: "v1", groups }, resources, failed };
}
