/**
 * util/wait (k8s.io/apimachinery/pkg/util/wait): polling, periodic loops and backoff, with an
 * AbortSignal in place of a context and durations in milliseconds. Also exported from `/util`.
 */
export {
  WaitTimeoutError,
  exponentialBackoff,
  interrupted,
  isWaitTimeoutError,
  jitter,
  jitterUntil,
  nonSlidingUntil,
  pollUntilContextCancel,
  pollUntilContextTimeout,
  sleep,
  stepBackoff,
  until,
} from "../util/index.js";
export type { AbortSignalLike, Backoff, ConditionWithContextFunc, ExponentialBackoffOptions, RandomSource } from "../util/index.js";
