/**
 * The basic work queue: a port of client-go util/workqueue/queue.go.
 *
 * - Fair: items are handed out in the order they were added.
 * - Stingy: an item added several times before a worker takes it is processed
 *   once; an item is never held by two workers at the same time.
 * - An item added while a worker holds it is queued again when that worker
 *   calls `done`, so no add is lost.
 * - Shutdown: `get` resolves `{ shutdown: true }` once the queue is shutting
 *   down and empty.
 */
import { realClock } from "./clock.js";
import type { Clock, Ticker } from "./clock.js";
import { RingBuffer } from "./internal/ring-buffer.js";
import { newQueueMetrics } from "./metrics.js";
import type { MetricsProvider, QueueMetrics } from "./metrics.js";

/** What `get` resolves to: an item to process, or the signal to stop. */
export type GetResult<T> = { item: T; shutdown: false } | { item: undefined; shutdown: true };

/**
 * Derives the identity of an item. Two items with the same key are the same
 * work: deduplicated while waiting and never processed concurrently. Keys are
 * compared with SameValueZero (like Map keys), so return a string or number.
 */
export type KeyFunc<T> = (item: T) => unknown;

/** The operations of every work queue (client-go's TypedInterface). */
export interface TypedInterface<T> {
  /** Marks item as needing processing. Ignored once the queue is shutting down. */
  add(item: T): void;
  /** Number of items waiting to be handed out (informational only). */
  len(): number;
  /**
   * Waits for an item to process. Resolves `{ shutdown: true }` when the queue
   * is shutting down and empty. Call `done(item)` when finished with it.
   */
  get(): Promise<GetResult<T>>;
  /** Marks item as processed; if it was added again meanwhile, it is queued again. */
  done(item: T): void;
  /** Stops accepting adds; waiting `get` calls resolve with shutdown once the queue is empty. */
  shutDown(): void;
  /**
   * Like `shutDown`, and resolves once no item is being processed. Calling
   * `shutDown` afterwards makes it resolve at once.
   */
  shutDownWithDrain(): Promise<void>;
  shuttingDown(): boolean;
}

/**
 * The storage order of a queue (client-go's Queue). Called only by the queue,
 * only for items that are not already stored.
 */
export interface Queue<T> {
  /** Called when an item that is already stored is added again. */
  touch(item: T): void;
  push(item: T): void;
  len(): number;
  /** Removes and returns the next item; only called when len() > 0. */
  pop(): T;
}

class FifoQueue<T> implements Queue<T> {
  private readonly ring = new RingBuffer<T>();
  touch(_item: T): void {}
  push(item: T): void {
    this.ring.push(item);
  }
  len(): number {
    return this.ring.length;
  }
  pop(): T {
    return this.ring.shift();
  }
}

/** A FIFO {@link Queue} on a ring buffer: O(1) push and pop. */
export function defaultQueue<T>(): Queue<T> {
  return new FifoQueue<T>();
}

/** Options of {@link newTypedWithConfig}. */
export interface TypedQueueConfig<T> {
  /** Name for the queue's metrics. Without a name no metrics are recorded. */
  name?: string | undefined;
  /** Provider for this queue's metrics instead of the global one (see `setProvider`). */
  metricsProvider?: MetricsProvider | undefined;
  /** Clock for metrics; a fake clock makes them deterministic. */
  clock?: Clock | undefined;
  /** Storage order; a FIFO by default. */
  queue?: Queue<T> | undefined;
  /** Identity of an item; the item itself (SameValueZero) by default. */
  keyFunc?: KeyFunc<T> | undefined;
}

/** How often unfinished work metrics are refreshed, as in client-go. */
export const defaultUnfinishedWorkUpdatePeriod = 500;

const SHUTDOWN: GetResult<never> = Object.freeze({ item: undefined, shutdown: true });

type Waiter<T> = (result: GetResult<T>) => void;

/** The basic work queue (client-go's `Typed[T]`). Create it with {@link newTyped}. */
export class Typed<T> implements TypedInterface<T> {
  private readonly queue: Queue<T>;
  /** Every item that needs processing, by key: queued ones and re-added in-flight ones. */
  private readonly dirty = new Map<unknown, T>();
  /** Keys currently held by a worker. */
  private readonly processing = new Set<unknown>();
  private readonly waiters = new RingBuffer<Waiter<T>>(4);
  private drainWaiters: (() => void)[] = [];
  private isShuttingDown = false;
  private drain = false;
  private readonly keyFunc: KeyFunc<T> | undefined;
  private readonly metrics: QueueMetrics | undefined;
  private metricsTicker: Ticker | undefined;

  /** @internal use {@link newTyped} or {@link newTypedWithConfig}. */
  constructor(config: TypedQueueConfig<T>, updatePeriod: number = defaultUnfinishedWorkUpdatePeriod) {
    const clock = config.clock ?? realClock;
    this.queue = config.queue ?? new FifoQueue<T>();
    this.keyFunc = config.keyFunc;
    this.metrics = newQueueMetrics(config.metricsProvider, config.name, clock);
    if (this.metrics !== undefined) {
      const metrics = this.metrics;
      this.metricsTicker = clock.newTicker(updatePeriod, () => {
        if (!this.isShuttingDown) metrics.updateUnfinishedWork();
      });
    }
  }

  add(item: T): void {
    if (this.isShuttingDown) return;
    const key = this.keyFunc === undefined ? item : this.keyFunc(item);
    if (this.dirty.has(key)) {
      // Added again before it was processed: let the storage re-prioritize it.
      if (!this.processing.has(key)) this.queue.touch(item);
      return;
    }
    this.metrics?.add(key);
    this.dirty.set(key, item);
    if (this.processing.has(key)) return; // queued again by done()
    this.queue.push(item);
    if (this.waiters.length > 0) this.handOut();
  }

  len(): number {
    return this.queue.len();
  }

  get(): Promise<GetResult<T>> {
    if (this.queue.len() > 0) return Promise.resolve({ item: this.take(), shutdown: false });
    if (this.isShuttingDown) return Promise.resolve(SHUTDOWN);
    return new Promise<GetResult<T>>((resolve) => this.waiters.push(resolve));
  }

  done(item: T): void {
    const key = this.keyFunc === undefined ? item : this.keyFunc(item);
    // client-go re-queues a dirty item even when it was never handed out, which
    // puts it in the queue twice; an item nobody holds is ignored here instead.
    if (!this.processing.delete(key)) return;
    this.metrics?.done(key);
    if (this.dirty.has(key)) {
      this.queue.push(this.dirty.get(key) as T);
      if (this.waiters.length > 0) this.handOut();
    }
    if (this.processing.size === 0 && this.drainWaiters.length > 0) this.releaseDrainWaiters();
  }

  shutDown(): void {
    this.drain = false;
    this.beginShutdown();
    this.releaseDrainWaiters();
  }

  shutDownWithDrain(): Promise<void> {
    this.drain = true;
    this.beginShutdown();
    if (this.processing.size === 0 || !this.drain) return Promise.resolve();
    return new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.isShuttingDown;
  }

  /** Pops the next item and marks it as being processed. */
  private take(): T {
    const item = this.queue.pop();
    const key = this.keyFunc === undefined ? item : this.keyFunc(item);
    this.metrics?.get(key);
    this.processing.add(key);
    this.dirty.delete(key);
    return item;
  }

  /** Gives queued items to waiting `get` calls, oldest waiter first. */
  private handOut(): void {
    while (this.waiters.length > 0 && this.queue.len() > 0) {
      const resolve = this.waiters.shift();
      resolve({ item: this.take(), shutdown: false });
    }
  }

  private beginShutdown(): void {
    this.isShuttingDown = true;
    if (this.metricsTicker !== undefined) {
      this.metricsTicker.stop();
      this.metricsTicker = undefined;
    }
    // Waiters only exist while the queue is empty, so they all get the shutdown signal.
    while (this.waiters.length > 0) this.waiters.shift()(SHUTDOWN);
  }

  private releaseDrainWaiters(): void {
    const waiters = this.drainWaiters;
    if (waiters.length === 0) return;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** A new work queue with string items (or `T`) and default options. */
export function newTyped<T = string>(): Typed<T> {
  return new Typed<T>({});
}

/** A new work queue with a name (for metrics), clock, storage or key function. */
export function newTypedWithConfig<T = string>(config: TypedQueueConfig<T>): Typed<T> {
  return new Typed<T>(config);
}
