import type { APIGroup, APIGroupList, APIResourceList, Info } from "@kubets/apimachinery/meta/v1";
import type { OpenAPIV3Client } from "./openapi.js";

/** Groups with, when the server sent them in the same response (aggregated discovery), their resources. */
export interface GroupsAndMaybeResources {
  groups: APIGroupList;
  /** Resources by `group/version`; undefined when the server only sent groups (legacy discovery). */
  resources: Map<string, APIResourceList> | undefined;
  /** Group versions that failed (stale in aggregated discovery), by `group/version`. */
  failed: Map<string, Error>;
}

/** Groups and the resource lists of their versions. */
export interface GroupsAndResources {
  groups: APIGroup[];
  resources: APIResourceList[];
}

/** Options of a discovery call. */
export interface DiscoveryCallOptions {
  signal?: AbortSignal;
}

/** What a discovery client can answer (discovery.DiscoveryInterface). */
export interface DiscoveryInterface {
  /** The groups and versions the server serves. */
  serverGroups(opts?: DiscoveryCallOptions): Promise<APIGroupList>;
  /** The resources of one group version (`"v1"`, `"apps/v1"`). */
  serverResourcesForGroupVersion(groupVersion: string, opts?: DiscoveryCallOptions): Promise<APIResourceList>;
  /**
   * All groups and the resources of every version. When some group versions fail, rejects with a
   * GroupDiscoveryFailedError whose `partial` holds the rest.
   */
  serverGroupsAndResources(opts?: DiscoveryCallOptions): Promise<GroupsAndResources>;
  /** One resource list per group version with each resource only in its preferred version. */
  serverPreferredResources(opts?: DiscoveryCallOptions): Promise<APIResourceList[]>;
  /** serverPreferredResources restricted to namespaced resources. */
  serverPreferredNamespacedResources(opts?: DiscoveryCallOptions): Promise<APIResourceList[]>;
  /** The server's version (GET /version). */
  serverVersion(opts?: DiscoveryCallOptions): Promise<Info>;
  /** The OpenAPI v3 documents the server publishes. */
  openAPIV3(): OpenAPIV3Client;
  /** A client that only uses the legacy (unaggregated) endpoints. */
  withLegacy(): DiscoveryInterface;
  /** Groups plus, with aggregated discovery, resources in one round trip (AggregatedDiscoveryInterface). */
  groupsAndMaybeResources?(opts?: DiscoveryCallOptions): Promise<GroupsAndMaybeResources>;
}

/** A discovery client that caches (discovery.CachedDiscoveryInterface). */
export interface CachedDiscoveryInterface extends DiscoveryInterface {
  /** True when the cached data was fetched since the last invalidate(); a miss on fresh data is a real miss. */
  fresh(): boolean;
  /** Drops the cache; the next call fetches again. */
  invalidate(): void;
}
