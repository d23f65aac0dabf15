/**
 * Jittered exponential backoff that starts over periodically (apimachinery wait.Backoff with
 * DelayWithReset, as the reflector uses it).
 */

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
  private duration: number;
  private steps: number;
  private lastStart: number;

  constructor(
    options: BackoffOptions = {},
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.opts = { ...defaultBackoff, ...options };
    this.duration = this.opts.initial;
    this.steps = this.initialSteps();
    this.lastStart = now();
  }

  private initialSteps(): number {
    return this.opts.initial > 0 ? Math.ceil(this.opts.max / this.opts.initial) : 0;
  }

  /** The next delay in milliseconds. */
  next(): number {
    const t = this.now();
    if (this.opts.resetAfter <= 0 || t - this.lastStart > this.opts.resetAfter) {
      this.duration = this.opts.initial;
      this.steps = this.initialSteps();
      this.lastStart = t;
    }
    const { max, factor, jitter } = this.opts;
    let current = this.duration;
    if (this.steps >= 1) {
      this.steps--;
      let next = this.duration * factor;
      if (max > 0 && next > max) {
        next = max;
        this.steps = 0;
      }
      this.duration = next;
    }
    if (jitter > 0) current = current + this.random() * jitter * current;
    return current;
  }
}
