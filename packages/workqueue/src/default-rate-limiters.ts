/**
 * Rate limiters for re-adding items: a port of client-go
 * util/workqueue/default_rate_limiters.go. Durations are milliseconds.
 */
import type { Clock } from "./clock.js";
import { Limiter } from "./rate.js";
import type { KeyFunc } from "./queue.js";

/** Decides how long an item waits before it is added again (client-go's TypedRateLimiter). */
export interface TypedRateLimiter<T> {
  /** How long `item` should wait (ms); counts as one more failure for it. */
  when(item: T): number;
  /** Stops tracking `item`, whether it finally succeeded or was given up on. */
  forget(item: T): void;
  /** How many failures `item` has had since it was last forgotten. */
  numRequeues(item: T): number;
}

/** Options shared by the per-item limiters. */
export interface ItemRateLimiterOptions<T> {
  /** Identity of an item (the same function as the queue's); the item itself by default. */
  keyFunc?: KeyFunc<T> | undefined;
}

abstract class PerItemFailures<T> {
  protected readonly failures = new Map<unknown, number>();
  private readonly keyFunc: KeyFunc<T> | undefined;

  constructor(options: ItemRateLimiterOptions<T>) {
    this.keyFunc = options.keyFunc;
  }

  protected key(item: T): unknown {
    return this.keyFunc === undefined ? item : this.keyFunc(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(this.key(item)) ?? 0;
  }

  forget(item: T): void {
    this.failures.delete(this.key(item));
  }
}

/** `baseDelay * 2^failures`, capped at `maxDelay` (client-go's TypedItemExponentialFailureRateLimiter). */
export class TypedItemExponentialFailureRateLimiter<T> extends PerItemFailures<T> implements TypedRateLimiter<T> {
  constructor(
    private readonly baseDelay: number,
    private readonly maxDelay: number,
    options: ItemRateLimiterOptions<T> = {},
  ) {
    super(options);
  }

  when(item: T): number {
    const key = this.key(item);
    const exp = this.failures.get(key) ?? 0;
    this.failures.set(key, exp + 1);
    if (this.baseDelay === 0) return 0; // 0 * 2^1024 would be NaN
    const backoff = this.baseDelay * 2 ** exp;
    // 2^exp overflows to Infinity long before exp wraps, which the cap absorbs.
    return backoff > this.maxDelay ? this.maxDelay : backoff;
  }
}

/**
 * A per-item exponential backoff: `baseDelay * 2^failures` ms, capped at `maxDelay` ms, until
 * `forget(item)` (client-go's NewTypedItemExponentialFailureRateLimiter).
 */
export function newTypedItemExponentialFailureRateLimiter<T = string>(
  baseDelay: number,
  maxDelay: number,
  options?: ItemRateLimiterOptions<T>,
): TypedRateLimiter<T> {
  return new TypedItemExponentialFailureRateLimiter<T>(baseDelay, maxDelay, options);
}

/** Exponential from 1 ms to 1000 s, as client-go's DefaultTypedItemBasedRateLimiter. */
export function defaultTypedItemBasedRateLimiter<T = string>(options?: ItemRateLimiterOptions<T>): TypedRateLimiter<T> {
  return new TypedItemExponentialFailureRateLimiter<T>(1, 1_000_000, options);
}

/** `fastDelay` for the first `maxFastAttempts` failures, `slowDelay` after (TypedItemFastSlowRateLimiter). */
export class TypedItemFastSlowRateLimiter<T> extends PerItemFailures<T> implements TypedRateLimiter<T> {
  constructor(
    private readonly fastDelay: number,
    private readonly slowDelay: number,
    private readonly maxFastAttempts: number,
    options: ItemRateLimiterOptions<T> = {},
  ) {
    super(options);
  }

  when(item: T): number {
    const key = this.key(item);
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    return n <= this.maxFastAttempts ? this.fastDelay : this.slowDelay;
  }
}

/**
 * A per-item limiter waiting `fastDelay` ms for the first `maxFastAttempts` failures, then `slowDelay`
 * ms (client-go's NewTypedItemFastSlowRateLimiter).
 */
export function newTypedItemFastSlowRateLimiter<T = string>(
  fastDelay: number,
  slowDelay: number,
  maxFastAttempts: number,
  options?: ItemRateLimiterOptions<T>,
): TypedRateLimiter<T> {
  return new TypedItemFastSlowRateLimiter<T>(fastDelay, slowDelay, maxFastAttempts, options);
}

/**
 * An overall token bucket, whatever the item (client-go's TypedBucketRateLimiter
 * around a golang.org/x/time/rate Limiter). Never tracks items.
 */
export class TypedBucketRateLimiter<T> implements TypedRateLimiter<T> {
  constructor(readonly limiter: Limiter) {}

  when(_item: T): number {
    return this.limiter.reserve();
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** A bucket limiter of `qps` tokens per second and `burst` tokens, on `clock`. */
export function newTypedBucketRateLimiter<T = string>(qps: number, burst: number, clock?: Clock): TypedRateLimiter<T> {
  return new TypedBucketRateLimiter<T>(new Limiter(qps, burst, clock));
}

/**
 * Asks every limiter and returns the longest delay (TypedMaxOfRateLimiter).
 * Every limiter counts the failure, so a bucket's tokens are spent even when
 * another limiter's delay wins.
 */
export class TypedMaxOfRateLimiter<T> implements TypedRateLimiter<T> {
  private readonly limiters: readonly TypedRateLimiter<T>[];

  constructor(...limiters: TypedRateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    let ret = 0;
    for (const l of this.limiters) {
      const d = l.when(item);
      if (d > ret) ret = d;
    }
    return ret;
  }

  numRequeues(item: T): number {
    let ret = 0;
    for (const l of this.limiters) {
      const n = l.numRequeues(item);
      if (n > ret) ret = n;
    }
    return ret;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }
}

/**
 * A limiter that waits the longest of what `limiters` ask for, and forgets in all of them (client-go's
 * NewTypedMaxOfRateLimiter).
 */
export function newTypedMaxOfRateLimiter<T = string>(...limiters: TypedRateLimiter<T>[]): TypedRateLimiter<T> {
  return new TypedMaxOfRateLimiter<T>(...limiters);
}

/** Caps another limiter's delay at `maxDelay` (TypedWithMaxWaitRateLimiter). */
export class TypedWithMaxWaitRateLimiter<T> implements TypedRateLimiter<T> {
  constructor(
    private readonly limiter: TypedRateLimiter<T>,
    private readonly maxDelay: number,
  ) {}

  when(item: T): number {
    const d = this.limiter.when(item);
    return d > this.maxDelay ? this.maxDelay : d;
  }

  forget(item: T): void {
    this.limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiter.numRequeues(item);
  }
}

/** Wraps `limiter` so that no wait exceeds `maxDelay` ms (client-go's NewTypedWithMaxWaitRateLimiter). */
export function newTypedWithMaxWaitRateLimiter<T = string>(
  limiter: TypedRateLimiter<T>,
  maxDelay: number,
): TypedRateLimiter<T> {
  return new TypedWithMaxWaitRateLimiter<T>(limiter, maxDelay);
}

/** Options of {@link defaultTypedControllerRateLimiter}. */
export interface ControllerRateLimiterOptions<T> extends ItemRateLimiterOptions<T> {
  /** Clock of the token bucket; the real clock by default. */
  clock?: Clock | undefined;
}

/**
 * client-go's default for controllers: the worse of a per-item exponential
 * backoff (5 ms doubling up to 1000 s) and an overall bucket of 10 qps with a
 * burst of 100.
 */
export function defaultTypedControllerRateLimiter<T = string>(
  options: ControllerRateLimiterOptions<T> = {},
): TypedRateLimiter<T> {
  return new TypedMaxOfRateLimiter<T>(
    new TypedItemExponentialFailureRateLimiter<T>(5, 1_000_000, { keyFunc: options.keyFunc }),
    new TypedBucketRateLimiter<T>(new Limiter(10, 100, options.clock)),
  );
}
