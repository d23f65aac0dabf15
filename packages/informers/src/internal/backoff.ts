/**
 * Jittered exponential backoff that starts over periodically (apimachinery wait.Backoff with
 * DelayWithReset, as the reflector uses it).
 */
import { stepBackoff, type Backoff } from "@kubets/apimachinery/util";

/** Backoff parameters; durations in milliseconds. */
export interface BackoffOptions {
  /** First delay. client-go: 800 ms. */
  initial?: number;
  /** Largest base delay (jitter comes on top). client-go: 30 s. */
  max?: number;
  /** Growth per step. client-go: 2. */
  factor?: number;
  /** Each delay is `d + random * jitter * d`. client-go: 1. */
  jitter?: number;
  /** The sequence starts over when this much time has passed since it last did. client-go: 2 min. */
  resetAfter?: number;
}

export const defaultBackoff: Required<BackoffOptions> = {
  initial: 800,
  max: 30_000,
  factor: 2,
  jitter: 1,
  resetAfter: 120_000,
};

export class BackoffManager {
  private readonly opts: Required<BackoffOptions>;
  private backoff: Backoff;
  private lastStart: number;

  constructor(
    options: BackoffOptions = {},
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.opts = { ...defaultBackoff, ...options };
    this.backoff = this.fresh();
    this.lastStart = now();
  }

  private fresh(): Backoff {
    const { initial, max, factor, jitter } = this.opts;
    return { duration: initial, factor, jitter, cap: max, steps: initial > 0 ? Math.ceil(max / initial) : 0 };
  }

  /** The next delay in milliseconds (wait.Backoff.Step, started over after `resetAfter`). */
  next(): number {
    const t = this.now();
    if (this.opts.resetAfter <= 0 || t - this.lastStart > this.opts.resetAfter) {
      this.backoff = this.fresh();
      this.lastStart = t;
    }
    return stepBackoff(this.backoff, this.random);
  }
}
