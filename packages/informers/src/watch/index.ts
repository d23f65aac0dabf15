/**
 * client-go's tools/watch: RetryWatcher, Until, UntilWithoutRetry, UntilWithSync and
 * NewIndexerInformerWatcher. Here rather than in `@kubets/client` because the informer-backed
 * parts need `tools/cache`, which lives in this package.
 */
export { RetryWatcher, newRetryWatcher, type RetryWatcherOptions, type WatcherClient } from "./retry-watcher.js";
export { newIndexerInformerWatcher, type IndexerInformerWatcher } from "./informer-watcher.js";
export {
  WatchClosedError,
  isWatchClosedError,
  until,
  untilWithSync,
  untilWithoutRetry,
  type ConditionFunc,
  type PreconditionFunc,
} from "./until.js";
