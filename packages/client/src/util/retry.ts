import { isConflict } from "@kubets/apimachinery/errors";
import { sleep } from "./flowcontrol.js";

/** An exponential backoff (wait.Backoff). Durations in milliseconds. */
export interface Backoff {
  /** The initial wait. */
  duration: number;
  /** Multiplier applied to the wait after each step. */
  factor: number;
  /** Each wait is extended by up to jitter * wait at random. */
  jitter: number;
  /** How many attempts in total. */
  steps: number;
  /** Upper bound of a wait (0: none). */
  cap?: number;
}

/** retry.DefaultRetry: for conflicts with other writers (5 attempts, 10ms apart, jittered). */
export const DEFAULT_RETRY: Readonly<Backoff> = Object.freeze({ steps: 5, duration: 10, factor: 1.0, jitter: 0.1 });

/** retry.DefaultBackoff: for slower retries (4 attempts, 10ms growing fivefold). */
export const DEFAULT_BACKOFF: Readonly<Backoff> = Object.freeze({ steps: 4, duration: 10, factor: 5.0, jitter: 0.1 });

/**
 * Runs fn until it succeeds, fails with an error `retriable` rejects, or the backoff's steps are used up;
 * then rethrows the last error (retry.OnError).
 */
export async function onError<T>(
  backoff: Backoff,
  retriable: (err: unknown) => boolean,
  fn: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  let wait = backoff.duration;
  const steps = Math.max(1, backoff.steps);
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn();
    } catch (err) {
      if (!retriable(err) || attempt >= steps) throw err;
    }
    let d = wait;
    if (backoff.jitter > 0) d += Math.random() * backoff.jitter * d;
    if (backoff.cap && backoff.cap > 0) d = Math.min(d, backoff.cap);
    await sleep(d, signal);
    wait *= backoff.factor;
    if (backoff.cap && backoff.cap > 0) wait = Math.min(wait, backoff.cap);
  }
}

/**
 * Runs fn again when it fails with a Conflict (HTTP 409, reason Conflict), re-reading and re-applying the
 * change each time (retry.RetryOnConflict). Pass DEFAULT_RETRY unless you have a reason not to.
 */
export function retryOnConflict<T>(backoff: Backoff, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  return onError(backoff, isConflict, fn, signal);
}
