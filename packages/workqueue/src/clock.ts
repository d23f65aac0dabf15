/**
 * Time as the queues and rate limiters see it: a port of the parts of
 * k8s.io/utils/clock that util/workqueue uses. Times are milliseconds on a
 * monotonic scale (not necessarily the Unix epoch); durations are milliseconds.
 */

/** A one-shot timer created by {@link Clock.afterFunc}. */
export interface Timer {
  /** Cancels the timer. Returns false when it already fired or was stopped. */
  stop(): boolean;
}

/** A repeating timer created by {@link Clock.newTicker}. */
export interface Ticker {
  stop(): void;
}

/** The clock the delaying queue, the metrics and the token bucket read and wait on. */
export interface Clock {
  /** Current time in milliseconds. Only differences between two readings are meaningful. */
  now(): number;
  /** Milliseconds elapsed since `t` (a value from {@link Clock.now}). */
  since(t: number): number;
  /** Calls `fn` once, `ms` milliseconds from now. */
  afterFunc(ms: number, fn: () => void): Timer;
  /** Calls `fn` every `periodMs` milliseconds until stopped. */
  newTicker(periodMs: number, fn: () => void): Ticker;
}

/** Largest delay Node accepts for one setTimeout (about 24.8 days). */
export const maxTimerDelay = 2 ** 31 - 1;

/** Options of {@link RealClock}. */
export interface RealClockOptions {
  /**
   * When false (the default), timers are unref'd: a pending delayed item or a
   * metrics ticker never keeps the process alive on its own. Set true when the
   * queue is the only thing a script is waiting on.
   */
  keepAlive?: boolean | undefined;
}

/** The wall clock: `performance.now()` (monotonic) and Node timers. */
export class RealClock implements Clock {
  private readonly keepAlive: boolean;

  constructor(options: RealClockOptions = {}) {
    this.keepAlive = options.keepAlive ?? false;
  }

  now(): number {
    return performance.now();
  }

  since(t: number): number {
    return performance.now() - t;
  }

  afterFunc(ms: number, fn: () => void): Timer {
    let fired = false;
    let stopped = false;
    const handle = setTimeout(
      () => {
        fired = true;
        fn();
      },
      clampDelay(ms),
    );
    if (!this.keepAlive) handle.unref();
    return {
      stop(): boolean {
        if (fired || stopped) return false;
        stopped = true;
        clearTimeout(handle);
        return true;
      },
    };
  }

  newTicker(periodMs: number, fn: () => void): Ticker {
    if (!(periodMs > 0)) throw new RangeError(`newTicker: period must be > 0, got ${periodMs}`);
    const handle = setInterval(fn, clampDelay(periodMs));
    if (!this.keepAlive) handle.unref();
    return {
      stop(): void {
        clearInterval(handle);
      },
    };
  }
}

/** The shared default clock (timers unref'd). */
export const realClock: Clock = new RealClock();

function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return ms > maxTimerDelay ? maxTimerDelay : ms;
}
