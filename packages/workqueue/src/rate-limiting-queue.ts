/**
 * A delaying queue that asks a rate limiter how long to wait before re-adding
 * an item: a port of client-go util/workqueue/rate_limiting_queue.go.
 */
import type { Clock } from "./clock.js";
import { DelayingType } from "./delaying-queue.js";
import type { TypedDelayingInterface } from "./delaying-queue.js";
import type { TypedRateLimiter } from "./default-rate-limiters.js";
import type { Logger } from "./log.js";
import type { MetricsProvider } from "./metrics.js";
import type { GetResult, KeyFunc } from "./queue.js";

/** client-go's TypedRateLimitingInterface. */
export interface TypedRateLimitingInterface<T> extends TypedDelayingInterface<T> {
  /** Adds item after the delay the rate limiter gives it. */
  addRateLimited(item: T): void;
  /**
   * Stops the rate limiter tracking item (call it on success or when giving
   * up). It does not replace `done`.
   */
  forget(item: T): void;
  /** How many times item was rate-limited since it was last forgotten. */
  numRequeues(item: T): number;
}

/** Options of {@link newTypedRateLimitingQueueWithConfig}. */
export interface TypedRateLimitingQueueConfig<T> {
  name?: string | undefined;
  metricsProvider?: MetricsProvider | undefined;
  clock?: Clock | undefined;
  /** The delaying queue to wrap; a new one by default. */
  delayingQueue?: TypedDelayingInterface<T> | undefined;
  /** Identity of an item for the default queues (give the rate limiter the same one). */
  keyFunc?: KeyFunc<T> | undefined;
  /** See TypedDelayingQueueConfig.logger. */
  logger?: Logger | undefined;
  /**
   * See TypedDelayingQueueConfig.onError.
   * @deprecated Use `logger`.
   */
  onError?: ((err: unknown) => void) | undefined;
}

/** A rate-limiting queue (client-go's rateLimitingType). Create it with {@link newTypedRateLimitingQueue}. */
export class RateLimitingType<T> implements TypedRateLimitingInterface<T> {
  private readonly queue: TypedDelayingInterface<T>;

  /** @internal use {@link newTypedRateLimitingQueue} or {@link newTypedRateLimitingQueueWithConfig}. */
  constructor(
    private readonly rateLimiter: TypedRateLimiter<T>,
    config: TypedRateLimitingQueueConfig<T>,
  ) {
    this.queue =
      config.delayingQueue ??
      new DelayingType<T>({
        name: config.name,
        metricsProvider: config.metricsProvider,
        clock: config.clock,
        keyFunc: config.keyFunc,
        onError: config.onError,
        logger: config.logger,
      });
  }

  addRateLimited(item: T): void {
    this.queue.addAfter(item, this.rateLimiter.when(item));
  }

  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  addAfter(item: T, ms: number): void {
    this.queue.addAfter(item, ms);
  }

  add(item: T): void {
    this.queue.add(item);
  }

  len(): number {
    return this.queue.len();
  }

  get(): Promise<GetResult<T>> {
    return this.queue.get();
  }

  done(item: T): void {
    this.queue.done(item);
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  shutDownWithDrain(): Promise<void> {
    return this.queue.shutDownWithDrain();
  }

  shuttingDown(): boolean {
    return this.queue.shuttingDown();
  }
}

/** A new rate-limiting queue. Remember to call `forget`, or failures are tracked forever. */
export function newTypedRateLimitingQueue<T = string>(rateLimiter: TypedRateLimiter<T>): RateLimitingType<T> {
  return new RateLimitingType<T>(rateLimiter, {});
}

/** A new rate-limiting queue with a name (for metrics), clock, delaying queue or key function. */
export function newTypedRateLimitingQueueWithConfig<T = string>(
  rateLimiter: TypedRateLimiter<T>,
  config: TypedRateLimitingQueueConfig<T>,
): RateLimitingType<T> {
  return new RateLimitingType<T>(rateLimiter, config);
}
