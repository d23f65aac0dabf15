/**
 * Polling and periodic loops of k8s.io/apimachinery/pkg/util/wait, with an AbortSignal in place of
 * a context and durations in milliseconds: pollUntilContextTimeout, pollUntilContextCancel, until,
 * jitterUntil, and `interrupted` (Go's wait.Interrupted).
 */
import { type AbortSignalLike, WaitTimeoutError, jitter, sleep } from "./backoff.js";

/** A poll condition: true when done; a thrown error ends the poll with it. */
export type ConditionWithContextFunc = (signal: AbortSignalLike) => boolean | Promise<boolean>;

interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
const timers = globalThis as unknown as Timers;

function checkDuration(name: string, ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${name} must be a finite number of milliseconds >= 0, got ${ms}`);
}

/** A minimal abort signal (the package does not assume DOM or Node types). */
class LinkedSignal implements AbortSignalLike {
  aborted = false;
  reason: unknown = undefined;
  readonly #listeners = new Set<() => void>();
  addEventListener(_type: "abort", listener: () => void): void {
    this.#listeners.add(listener);
  }
  removeEventListener(_type: "abort", listener: () => void): void {
    this.#listeners.delete(listener);
  }
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    for (const l of [...this.#listeners]) l();
    this.#listeners.clear();
  }
}

/** A signal that aborts with a WaitTimeoutError after `ms`, or when `parent` aborts. */
function withTimeout(parent: AbortSignalLike, ms: number): { signal: AbortSignalLike; dispose(): void } {
  const linked = new LinkedSignal();
  const onParent = (): void => linked.abort(parent.reason);
  if (parent.aborted) linked.abort(parent.reason);
  else parent.addEventListener("abort", onParent, { once: true });
  const handle = timers.setTimeout(() => linked.abort(new WaitTimeoutError()), ms);
  return {
    signal: linked,
    dispose() {
      timers.clearTimeout(handle);
      parent.removeEventListener("abort", onParent);
    },
  };
}

function reasonOf(signal: AbortSignalLike): unknown {
  return signal.reason ?? new WaitTimeoutError();
}

/**
 * Go's PollUntilContextCancel: calls `condition` every `intervalMs` (first at once when
 * `immediate`) until it returns true, throws, or `signal` aborts. An abort rejects with the
 * signal's reason; the condition's errors reject as they are.
 */
export async function pollUntilContextCancel(
  signal: AbortSignalLike,
  intervalMs: number,
  immediate: boolean,
  condition: ConditionWithContextFunc,
): Promise<void> {
  checkDuration("interval", intervalMs);
  if (immediate) {
    if (signal.aborted) throw reasonOf(signal);
    if (await condition(signal)) return;
  }
  for (;;) {
    await sleep(intervalMs, signal).catch(() => {
      throw reasonOf(signal);
    });
    if (await condition(signal)) return;
  }
}

/**
 * Go's PollUntilContextTimeout: {@link pollUntilContextCancel} that also gives up after
 * `timeoutMs`, rejecting with a {@link WaitTimeoutError} ("timed out waiting for the condition").
 * The condition's signal aborts at the timeout too.
 */
export async function pollUntilContextTimeout(
  signal: AbortSignalLike,
  intervalMs: number,
  timeoutMs: number,
  immediate: boolean,
  condition: ConditionWithContextFunc,
): Promise<void> {
  checkDuration("timeout", timeoutMs);
  const t = withTimeout(signal, timeoutMs);
  try {
    await pollUntilContextCancel(t.signal, intervalMs, immediate, condition);
  } finally {
    t.dispose();
  }
}

/**
 * Go's wait.Interrupted: true for the errors a poll ends with when it was stopped rather than
 * failed: a {@link WaitTimeoutError}, or an AbortError/TimeoutError from an aborted signal.
 */
export function interrupted(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === "WaitTimeoutError" || err.name === "AbortError" || err.name === "TimeoutError";
}

/**
 * Go's JitterUntil: calls `fn` every `periodMs` (plus up to `jitterFactor * periodMs` at random
 * when `jitterFactor > 0`) until `signal` aborts, then resolves. With `sliding`, the period is
 * counted from the end of each call; otherwise from its start. An error thrown by `fn` rejects the
 * loop (Go's crash); catch inside `fn` to keep going.
 */
export async function jitterUntil(
  fn: (signal: AbortSignalLike) => void | Promise<void>,
  periodMs: number,
  jitterFactor: number,
  sliding: boolean,
  signal: AbortSignalLike,
): Promise<void> {
  checkDuration("period", periodMs);
  while (!signal.aborted) {
    const wait = jitterFactor > 0 ? jitter(periodMs, jitterFactor) : periodMs;
    const started = Date.now();
    await fn(signal);
    if (signal.aborted) return;
    const remaining = sliding ? wait : Math.max(0, wait - (Date.now() - started));
    try {
      await sleep(remaining, signal);
    } catch {
      return;
    }
  }
}

/** Go's Until: `fn` every `periodMs` (counted from the end of each call) until `signal` aborts. */
export function until(fn: (signal: AbortSignalLike) => void | Promise<void>, periodMs: number, signal: AbortSignalLike): Promise<void> {
  return jitterUntil(fn, periodMs, 0, true, signal);
}

/** Go's NonSlidingUntil: as {@link until}, the period counted from the start of each call. */
export function nonSlidingUntil(fn: (signal: AbortSignalLike) => void | Promise<void>, periodMs: number, signal: AbortSignalLike): Promise<void> {
  return jitterUntil(fn, periodMs, 0, false, signal);
}
