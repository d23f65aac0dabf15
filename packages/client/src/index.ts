// The most used entry points; everything else lives in the subpath exports (./config, ./rest, ./auth,
// ./transport, ./util, ./discovery, ./restmapper, ./dynamic, ./metadata, ./scale).
export { ConfigError, isConfigError, loadConfig, loadNamespace, type LoadConfigOptions, type RestConfig } from "./config/index.js";
export { RESTClient, restClientFor, TransportError, isTransportError, PatchType, checkHealth, livez, readyz, type Request, type Watch } from "./rest/index.js";
export { DEFAULT_RETRY, ListPager, retryOnConflict } from "./util/index.js";
export * as discovery from "./discovery/index.js";
export * as restmapper from "./restmapper/index.js";
export * as dynamic from "./dynamic/index.js";
export * as metadata from "./metadata/index.js";
export * as scale from "./scale/index.js";
export {
  DiscoveryClient,
  MemCacheClient,
  newDiscoveryClientForConfig,
  newMemCacheClient,
  GroupDiscoveryFailedError,
  isGroupDiscoveryFailedError,
  type DiscoveryInterface,
  type CachedDiscoveryInterface,
} from "./discovery/index.js";
export {
  DeferredDiscoveryRESTMapper,
  newDeferredDiscoveryRESTMapper,
  newShortcutExpander,
  newDiscoveryRESTMapper,
  NoKindMatchError,
  NoResourceMatchError,
  AmbiguousResourceError,
  AmbiguousKindError,
  isNoMatchError,
  isAmbiguousError,
  RESTScopeNamespace,
  RESTScopeRoot,
  type RESTMapper,
  type RESTMapping,
} from "./restmapper/index.js";
export { DynamicClient, type ResourceInterface, type NamespaceableResourceInterface } from "./dynamic/index.js";
export { MetadataClient } from "./metadata/index.js";
export { ScaleClient, type Scale } from "./scale/index.js";
export * as kubernetes from "./kubernetes/index.js";
export { newForConfig, type Clientset } from "./kubernetes/index.js";
