/**
 * wait.Backoff and ExponentialBackoff (k8s.io/apimachinery/pkg/util/wait), with durations
 * in milliseconds and an AbortSignal in place of a context. Works in browsers and Node.
 */

/** The parts of an AbortSignal this module uses (DOM and Node signals both fit). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/**
 * Backoff parameters, as wait.Backoff. `duration` is the initial wait (ms); each step
 * multiplies it by `factor` (0 or unset: constant) up to `cap` (ms, 0 or unset: none; once
 * reached, steps drop to 0); `jitter` adds up to duration*jitter at random; `steps` is
 * the number of remaining steps.
 */
export interface Backoff {
  duration: number;
  factor?: number;
  jitter?: number;
  steps?: number;
  cap?: number;
}

/** A random number in [0, 1); injectable for tests. */
export type RandomSource = () => number;

/** wait.Jitter: duration + random * maxFactor * duration (maxFactor <= 0 means 1). */
export function jitter(duration: number, maxFactor: number, random: RandomSource = Math.random): number {
  if (maxFactor <= 0) maxFactor = 1;
  return duration + random() * maxFactor * duration;
}

/** duration * factor computed as Go does: on whole nanoseconds, truncated back to whole nanoseconds. */
function scaleDuration(ms: number, factor: number): number {
  return Math.trunc(Math.round(ms * 1e6) * factor) / 1e6;
}

/**
 * Backoff.Step: returns the next wait (ms) and advances `b` in place, exactly like Go's
 * (pointer receiver) method. With no steps left it keeps returning the current duration.
 */
export function stepBackoff(b: Backoff, random: RandomSource = Math.random): number {
  const steps = b.steps ?? 0;
  const factor = b.factor ?? 0;
  const jit = b.jitter ?? 0;
  const cap = b.cap ?? 0;
  const duration = b.duration;
  if (steps < 1) {
    b.steps = 0;
    return jit > 0 ? jitter(duration, jit, random) : duration;
  }
  let nextSteps = steps - 1;
  let next: number;
  if (factor !== 0) {
    next = scaleDuration(duration, factor);
    if (cap > 0 && next > cap) {
      next = cap;
      nextSteps = 0;
    }
  } else {
    next = duration;
  }
  b.duration = next;
  b.steps = nextSteps;
  return jit > 0 ? jitter(duration, jit, random) : duration;
}

/** Thrown when the steps run out (wait.ErrWaitTimeout). */
export class WaitTimeoutError extends Error {
  override readonly name = "WaitTimeoutError" as const;
  constructor(options?: { cause?: unknown }) {
    super("timed out waiting for the condition", options);
  }
}

/** Whether `err` is the WaitTimeoutError a backoff loop throws when its steps run out. */
export function isWaitTimeoutError(err: unknown): err is WaitTimeoutError {
  return err instanceof Error && err.name === "WaitTimeoutError";
}

interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
const timers = globalThis as unknown as Timers;

function abortReason(signal: AbortSignalLike): unknown {
  return signal.reason ?? new Error("aborted");
}

/** Wait `ms`, rejecting with the signal's reason if it aborts first. */
export function sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      timers.clearTimeout(handle);
      reject(abortReason(signal as AbortSignalLike));
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Options of {@link exponentialBackoff}: cancellation, and injectable randomness and sleep for tests. */
export interface ExponentialBackoffOptions {
  signal?: AbortSignalLike;
  random?: RandomSource;
  /** Replace the timer (tests, fake clocks). */
  sleep?: (ms: number, signal?: AbortSignalLike) => Promise<void>;
}

/**
 * ExponentialBackoffWithContext: run `condition` until it returns true, waiting
 * `stepBackoff` between attempts, at most `backoff.steps` times. Throws what the condition
 * throws, the signal's reason when aborted, or WaitTimeoutError when steps run out. The
 * caller's `backoff` object is not modified (Go passes it by value).
 */
export async function exponentialBackoff(
  backoff: Backoff,
  condition: (signal?: AbortSignalLike) => boolean | Promise<boolean>,
  options: ExponentialBackoffOptions = {},
): Promise<void> {
  const b: Backoff = { ...backoff };
  const { signal, random = Math.random } = options;
  const wait = options.sleep ?? sleep;
  while ((b.steps ?? 0) > 0) {
    if (signal?.aborted) throw abortReason(signal);
    if (await condition(signal)) return;
    if (b.steps === 1) break;
    await wait(stepBackoff(b, random), signal);
  }
  throw new WaitTimeoutError();
}
