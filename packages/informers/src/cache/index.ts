/** client-go tools/cache: keys, stores, indexers, DeltaFIFO, Reflector, SharedIndexInformer. */
export type { KeyFunc, ObjectName } from "./keys.js";
export {
  DeletedFinalStateUnknown,
  KeyError,
  deletionHandlingMetaNamespaceKeyFunc,
  isDeletedFinalStateUnknown,
  metaNamespaceKeyFunc,
  objectNameToString,
  objectToName,
  splitMetaNamespaceKey,
} from "./keys.js";
export type { IndexFunc, Indexer, Indexers, Store, StoreOptions, ThreadSafeStore, TransformFunc } from "./store.js";
export {
  NamespaceIndex,
  indexFuncToKeyFuncAdapter,
  metaNamespaceIndexFunc,
  newIndexer,
  newStore,
  newThreadSafeStore,
} from "./store.js";
export type {
  Delta,
  DeltaFIFOOptions,
  DeltaType,
  Deltas,
  KeyListerGetter,
  PopProcessFunc,
  Queue,
  ReflectorStore,
} from "./delta-fifo.js";
export { DeltaFIFO, FIFOClosedError, RequeueError, newestDelta, oldestDelta } from "./delta-fifo.js";
export type { AnyDelta, BookmarkInfo, RealFIFOOptions, ReplacedAllInfo } from "./real-fifo.js";
export { RealFIFO } from "./real-fifo.js";
export type {
  ListResult,
  ListWatchClient,
  ListWatchOptions,
  ListWatchRequest,
  ListerWatcher,
  Watch,
  WatchEvent,
  WatchEventType,
} from "./listwatch.js";
export { newListWatchFromClient, withListOptions } from "./listwatch.js";
export type { ReflectorOptions, WatchErrorHandler } from "./reflector.js";
export {
  InitialEventsAnnotationKey,
  Reflector,
  VeryShortWatchError,
  defaultPageSize,
  defaultWatchErrorHandler,
  isExpiredError,
  isTooLargeResourceVersionError,
  isWatchErrorRetriable,
  isWatchStreamCut,
} from "./reflector.js";
export type { ResourceEventHandler, ResourceEventHandlerRegistration } from "./processor.js";
export { filteringResourceEventHandler } from "./processor.js";
export type { HandlerOptions, SharedIndexInformerOptions, SyncSource } from "./shared-informer.js";
export { SharedIndexInformer, minimumResyncPeriod, waitForCacheSync, waitForNamedCacheSync } from "./shared-informer.js";
export type { MutationDetector, MutationDetectorOptions } from "./mutation-detector.js";
export { CacheMutationError, isCacheMutationError, mutationDetectionEnabledByEnv, newCacheMutationDetector } from "./mutation-detector.js";
export type { BackoffOptions } from "../internal/backoff.js";
export type { ErrorHandler } from "../internal/errors.js";
export { setErrorHandler } from "../internal/errors.js";
