/**
 * A token bucket with the semantics of golang.org/x/time/rate as client-go uses
 * it (`NewLimiter(r, b)` then `Reserve().Delay()`): the bucket holds up to
 * `burst` tokens, starts full, refills at `limit` tokens per second, and a
 * reservation always succeeds by going into debt, returning how long to wait.
 */
import { realClock } from "./clock.js";
import type { Clock } from "./clock.js";

/** An infinite rate: every reservation is granted at once. */
export const Inf = Number.POSITIVE_INFINITY;

/** The rate for one event every `intervalMs` milliseconds (Inf when <= 0). */
export function every(intervalMs: number): number {
  return intervalMs > 0 ? 1000 / intervalMs : Inf;
}

/**
 * A token bucket of `burst` tokens refilled at `limit` per second (golang.org/x/time/rate's Limiter);
 * create it with {@link newLimiter}.
 */
export class Limiter {
  private tokens: number;
  private last: number | undefined;

  /**
   * @param limit events per second
   * @param burst bucket size (also the initial number of tokens)
   */
  constructor(
    private readonly limit: number,
    private readonly burst: number,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = burst;
  }

  getLimit(): number {
    return this.limit;
  }

  getBurst(): number {
    return this.burst;
  }

  /** Tokens available now (negative while in debt). */
  tokensAt(now: number = this.clock.now()): number {
    return this.advance(now);
  }

  /**
   * Takes `n` tokens (1 by default) and returns the milliseconds to wait until
   * they are really available; 0 means act now. Returns Infinity, without
   * taking anything, when `n` exceeds the burst (x/time/rate's !ok reservation).
   */
  reserve(n = 1): number {
    if (this.limit === Inf) return 0;
    const now = this.clock.now();
    if (n > this.burst) return Infinity;
    const tokens = this.advance(now) - n;
    let wait = 0;
    if (tokens < 0) wait = this.limit > 0 ? (-tokens / this.limit) * 1000 : Infinity;
    this.last = now;
    this.tokens = tokens;
    return wait;
  }

  private advance(now: number): number {
    let last = this.last ?? now;
    if (now < last) last = now;
    const elapsed = now - last;
    const tokens = this.tokens + (this.limit > 0 ? (elapsed / 1000) * this.limit : 0);
    return tokens > this.burst ? this.burst : tokens;
  }
}

/** `new Limiter(limit, burst, clock)`, named as in x/time/rate. */
export function newLimiter(limit: number, burst: number, clock?: Clock): Limiter {
  return new Limiter(limit, burst, clock);
}
