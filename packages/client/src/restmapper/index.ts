/**
 * RESTMapper (k8s.io/apimachinery/pkg/api/meta and client-go restmapper): kind <-> resource mapping
 * from discovery, with short names, categories and a lazily loaded, self-refreshing mapper.
 */
export {
  AnyGroup,
  AnyKind,
  AnyResource,
  AnyVersion,
  RESTScopeNamespace,
  RESTScopeRoot,
  maybeResetRESTMapper,
  type RESTMapper,
  type RESTMapping,
  type RESTScope,
  type RESTScopeName,
} from "./types.js";
export {
  AggregateMapperError,
  AmbiguousKindError,
  AmbiguousResourceError,
  NoKindMatchError,
  NoResourceMatchError,
  isAmbiguousError,
  isNoMatchError,
} from "./errors.js";
export { DefaultRESTMapper, unsafeGuessKindToResource } from "./default-mapper.js";
export { MultiRESTMapper, PriorityRESTMapper } from "./multi.js";
export {
  DeferredDiscoveryRESTMapper,
  getAPIGroupResources,
  newDeferredDiscoveryRESTMapper,
  newDiscoveryRESTMapper,
  type APIGroupResources,
} from "./discovery.js";
export {
  DiscoveryCategoryExpander,
  ShortcutExpander,
  SimpleCategoryExpander,
  UnionCategoryExpander,
  newDiscoveryCategoryExpander,
  newShortcutExpander,
  type CategoryExpander,
} from "./shortcut.js";
