/** Client-side rate limiting (k8s.io/client-go/util/flowcontrol). */

/** A limiter a request waits on before it is sent. */
export interface RateLimiter {
  /** Waits for a token; rejects with the signal's reason when aborted. */
  wait(signal?: AbortSignal): Promise<void>;
  /** Takes a token if one is available now. */
  tryAccept(): boolean;
  qps(): number;
}

/** Options of {@link TokenBucketRateLimiter} (injectable clock and sleep for tests). */
export interface TokenBucketOptions {
  /** Clock in milliseconds (tests). */
  now?: () => number;
  /** Sleep (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A token bucket (flowcontrol.NewTokenBucketRateLimiter): it starts full with `burst` tokens and refills at
 * `qps` tokens per second. Waiters reserve tokens in arrival order, so a burst of callers is spread out
 * evenly instead of stampeding when a token appears.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  readonly #qps: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #tokens: number;
  #last: number;

  constructor(qps: number, burst: number, options: TokenBucketOptions = {}) {
    if (!(qps > 0)) throw new RangeError("qps must be positive");
    this.#qps = qps;
    this.#burst = Math.max(1, Math.floor(burst));
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? abortableSleep;
    this.#tokens = this.#burst;
    this.#last = this.#now();
  }

  qps(): number {
    return this.#qps;
  }

  #advance(): void {
    const now = this.#now();
    const elapsed = Math.max(0, now - this.#last);
    this.#last = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed * this.#qps) / 1000);
  }

  tryAccept(): boolean {
    this.#advance();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    return false;
  }

  /** Reserves a token and returns how long to wait for it (0 when one is available now). */
  reserve(): number {
    this.#advance();
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens * 1000) / this.#qps;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const delay = this.reserve();
    if (delay === 0) return;
    try {
      await this.#sleep(delay, signal);
    } catch (err) {
      this.#tokens += 1; // give the reservation back
      throw err;
    }
  }
}

/** A limiter that never waits (used when qps is negative). */
export const fakeAlwaysRateLimiter: RateLimiter = {
  wait: async (signal) => signal?.throwIfAborted(),
  tryAccept: () => true,
  qps: () => 0,
};

export { abortableSleep as sleep };
