export { RealClock, realClock, maxTimerDelay } from "./clock.js";
export type { Clock, RealClockOptions, Ticker, Timer } from "./clock.js";
export { FakeClock } from "./testing.js";
export { Typed, defaultQueue, defaultUnfinishedWorkUpdatePeriod, newTyped, newTypedWithConfig } from "./queue.js";
export type { GetResult, KeyFunc, Queue, TypedInterface, TypedQueueConfig } from "./queue.js";
export { DelayingType, newTypedDelayingQueue, newTypedDelayingQueueWithConfig } from "./delaying-queue.js";
export type { TypedDelayingInterface, TypedDelayingQueueConfig } from "./delaying-queue.js";
export {
  RateLimitingType,
  newTypedRateLimitingQueue,
  newTypedRateLimitingQueueWithConfig,
} from "./rate-limiting-queue.js";
export type { TypedRateLimitingInterface, TypedRateLimitingQueueConfig } from "./rate-limiting-queue.js";
export {
  TypedBucketRateLimiter,
  TypedItemExponentialFailureRateLimiter,
  TypedItemFastSlowRateLimiter,
  TypedMaxOfRateLimiter,
  TypedWithMaxWaitRateLimiter,
  defaultTypedControllerRateLimiter,
  defaultTypedItemBasedRateLimiter,
  newTypedBucketRateLimiter,
  newTypedItemExponentialFailureRateLimiter,
  newTypedItemFastSlowRateLimiter,
  newTypedMaxOfRateLimiter,
  newTypedWithMaxWaitRateLimiter,
} from "./default-rate-limiters.js";
export type {
  ControllerRateLimiterOptions,
  ItemRateLimiterOptions,
  TypedRateLimiter,
} from "./default-rate-limiters.js";
export { Inf, Limiter, every, newLimiter } from "./rate.js";
export { noopMetricsProvider, setProvider } from "./metrics.js";
export type {
  CounterMetric,
  GaugeMetric,
  HistogramMetric,
  MetricsProvider,
  SettableGaugeMetric,
  SummaryMetric,
} from "./metrics.js";
export type { LogFields, Logger } from "./log.js";
export { parallelizeUntil } from "./parallelizer.js";
export type { DoWorkPieceFunc, ParallelizeOptions } from "./parallelizer.js";
export { KeyFormatError, isKeyFormatError, metaNamespaceKeyFunc, splitMetaNamespaceKey } from "./keys.js";
export type { NamespacedName } from "./keys.js";
