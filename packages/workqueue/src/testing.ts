import type { Clock, Ticker, Timer } from "./clock.js";

interface Waiter {
  target: number;
  period: number; // 0 for one-shot timers
  fn: () => void;
  seq: number;
  active: boolean;
}

/**
 * A clock that only moves when told to, like k8s.io/utils/clock/testing.FakeClock.
 * `step` and `setTime` run every timer that became due, synchronously and in
 * order of due time, before returning; so a test decides exactly when delayed
 * items land in the queue.
 */
export class FakeClock implements Clock {
  private time: number;
  private waiters: Waiter[] = [];
  private seq = 0;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  since(t: number): number {
    return this.time - t;
  }

  afterFunc(ms: number, fn: () => void): Timer {
    const w: Waiter = { target: this.time + Math.max(0, ms || 0), period: 0, fn, seq: this.seq++, active: true };
    this.waiters.push(w);
    return {
      stop: (): boolean => this.remove(w),
    };
  }

  newTicker(periodMs: number, fn: () => void): Ticker {
    if (!(periodMs > 0)) throw new RangeError(`newTicker: period must be > 0, got ${periodMs}`);
    const w: Waiter = { target: this.time + periodMs, period: periodMs, fn, seq: this.seq++, active: true };
    this.waiters.push(w);
    return {
      stop: (): void => {
        this.remove(w);
      },
    };
  }

  /** Moves the clock forward by `ms` and fires what became due. */
  step(ms: number): void {
    this.setTime(this.time + ms);
  }

  /**
   * Sets the clock and fires what became due. Timers fire in order of due time;
   * a timer created by a callback fires in the same call if it is already due.
   * A ticker fires at most once per call, like a Go ticker whose channel is full.
   */
  setTime(t: number): void {
    this.time = t;
    const tickedThisCall = new Set<Waiter>();
    for (;;) {
      let next: Waiter | undefined;
      for (const w of this.waiters) {
        if (w.target > t || tickedThisCall.has(w)) continue;
        if (next === undefined || w.target < next.target || (w.target === next.target && w.seq < next.seq)) next = w;
      }
      if (next === undefined) return;
      if (next.period > 0) {
        tickedThisCall.add(next);
        while (next.target <= t) next.target += next.period;
      } else {
        this.remove(next);
      }
      next.fn();
    }
  }

  /** True when a timer or ticker is pending. */
  hasWaiters(): boolean {
    return this.waiters.length > 0;
  }

  /** Number of pending timers and tickers. */
  waiterCount(): number {
    return this.waiters.length;
  }

  private remove(w: Waiter): boolean {
    if (!w.active) return false;
    w.active = false;
    const i = this.waiters.indexOf(w);
    if (i >= 0) this.waiters.splice(i, 1);
    return true;
  }
}
