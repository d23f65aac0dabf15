/**
 * Discovery (client-go discovery and discovery/cached/memory): which groups, versions and resources a
 * server serves, through aggregated discovery with a fallback to the legacy endpoints, and a memory cache.
 */
export {
  AcceptV1,
  AcceptV2,
  AcceptV2NoPeer,
  DiscoveryClient,
  contentTypeIsGVK,
  discoveryConfig,
  newDiscoveryClient,
  newDiscoveryClientForConfig,
  type DiscoveryClientOptions,
} from "./discovery-client.js";
export { MemCacheClient, newMemCacheClient } from "./memcache.js";
export {
  splitGroupsAndResources,
  type APIGroupDiscovery,
  type APIGroupDiscoveryList,
  type APIResourceDiscovery,
  type APISubresourceDiscovery,
  type APIVersionDiscovery,
  type DiscoveryGroupVersionKind,
  type SplitDiscovery,
} from "./aggregated.js";
export {
  CacheNotFoundError,
  EmptyResponseError,
  GroupDiscoveryFailedError,
  StaleGroupVersionError,
  isGroupDiscoveryFailedError,
} from "./errors.js";
export {
  fetchGroupVersionResources,
  filteredBy,
  groupVersionResources,
  serverGroupsAndResources,
  serverPreferredNamespacedResources,
  serverPreferredResources,
  serverSupportsVersion,
  supportsAllVerbs,
} from "./helpers.js";
export type {
  CachedDiscoveryInterface,
  DiscoveryCallOptions,
  DiscoveryInterface,
  GroupsAndMaybeResources,
  GroupsAndResources,
} from "./interface.js";
export { newOpenAPIV3Client, type OpenAPIGroupVersion, type OpenAPIV3Client } from "./openapi.js";
