/**
 * A queue that can add an item later: a port of client-go
 * util/workqueue/delaying_queue.go. Waiting items sit in a min-heap by ready
 * time; one timer is armed for the earliest. Adding an item that is already
 * waiting only ever moves it earlier.
 */
import { maxTimerDelay, realClock } from "./clock.js";
import type { Clock, Timer } from "./clock.js";
import { EntryHeap } from "./internal/heap.js";
import type { HeapEntry } from "./internal/heap.js";
import { workqueueLogger } from "./log.js";
import type { Logger } from "./log.js";
import { newRetryMetric } from "./metrics.js";
import type { CounterMetric, MetricsProvider } from "./metrics.js";
import { Typed } from "./queue.js";
import type { GetResult, KeyFunc, TypedInterface } from "./queue.js";

/** A work queue that can add an item after a delay (client-go's TypedDelayingInterface). */
export interface TypedDelayingInterface<T> extends TypedInterface<T> {
  /**
   * Adds item once `ms` milliseconds have passed. A delay <= 0 (or NaN) adds it
   * at once. If the item is already waiting, it keeps the earlier of its two
   * ready times. Ignored once the queue is shutting down.
   */
  addAfter(item: T, ms: number): void;
}

/** Options of {@link newTypedDelayingQueueWithConfig}. */
export interface TypedDelayingQueueConfig<T> {
  /** Name for metrics (the queue's and the retries counter). Unnamed queues record nothing. */
  name?: string | undefined;
  metricsProvider?: MetricsProvider | undefined;
  /** Clock that delays are measured and waited on; a FakeClock makes tests deterministic. */
  clock?: Clock | undefined;
  /** The queue to add ready items to; a new {@link Typed} queue by default. */
  queue?: TypedInterface<T> | undefined;
  /** Identity of an item, used to merge repeated `addAfter` calls. */
  keyFunc?: KeyFunc<T> | undefined;
  /**
   * Where an error thrown while moving ready items into the queue from a timer (by a custom queue
   * or key function) is logged, so that it never escapes into the event loop. Default: the shared
   * kubets logger for the "workqueue" component (`setLogger` of `@kubets/apimachinery/log`).
   */
  logger?: Logger | undefined;
  /**
   * Receives that error instead of the logger.
   * @deprecated Use `logger`; kept for compatibility.
   */
  onError?: ((err: unknown) => void) | undefined;
}

/** A delaying queue (client-go's delayingType). Create it with {@link newTypedDelayingQueue}. */
export class DelayingType<T> implements TypedDelayingInterface<T> {
  private readonly inner: TypedInterface<T>;
  private readonly clock: Clock;
  private readonly keyFunc: KeyFunc<T> | undefined;
  private readonly onError: (err: unknown) => void;
  private readonly retries: CounterMetric | undefined;
  private readonly heap = new EntryHeap<T>();
  private readonly waiting = new Map<unknown, HeapEntry<T>>();
  private seq = 0;
  private timer: Timer | undefined;
  private timerAt = Infinity;
  private stopped = false;
  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    try {
      this.addReady();
    } catch (err) {
      this.onError(err);
    }
    this.arm();
  };

  /** @internal use {@link newTypedDelayingQueue} or {@link newTypedDelayingQueueWithConfig}. */
  constructor(config: TypedDelayingQueueConfig<T>) {
    this.clock = config.clock ?? realClock;
    this.keyFunc = config.keyFunc;
    const logger = workqueueLogger(config.logger);
    this.onError = config.onError ?? ((err) => logger.error("error while adding delayed items", { err, name: config.name }));
    this.inner =
      config.queue ??
      new Typed<T>({
        name: config.name,
        metricsProvider: config.metricsProvider,
        clock: this.clock,
        keyFunc: config.keyFunc,
      });
    this.retries = newRetryMetric(config.metricsProvider, config.name);
  }

  addAfter(item: T, ms: number): void {
    if (this.stopped || this.inner.shuttingDown()) return;
    this.retries?.inc();
    if (!(ms > 0)) {
      this.inner.add(item);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const key = this.keyFunc === undefined ? item : this.keyFunc(item);
    const existing = this.waiting.get(key);
    if (existing !== undefined) {
      if (readyAt < existing.readyAt) {
        existing.readyAt = readyAt;
        this.heap.fix(existing.index);
        if (readyAt < this.timerAt) this.arm();
      }
      return;
    }
    const entry: HeapEntry<T> = { item, key, readyAt, seq: this.seq++, index: -1 };
    this.heap.push(entry);
    this.waiting.set(key, entry);
    if (readyAt < this.timerAt) this.arm();
  }

  add(item: T): void {
    this.inner.add(item);
  }

  len(): number {
    return this.inner.len();
  }

  get(): Promise<GetResult<T>> {
    return this.inner.get();
  }

  done(item: T): void {
    this.inner.done(item);
  }

  shutDown(): void {
    this.stop();
    this.inner.shutDown();
  }

  shutDownWithDrain(): Promise<void> {
    this.stop();
    return this.inner.shutDownWithDrain();
  }

  shuttingDown(): boolean {
    return this.inner.shuttingDown();
  }

  /** Number of items waiting for their delay to pass (not part of client-go; for tests and debugging). */
  waitingLen(): number {
    return this.heap.length;
  }

  /** Drops waiting items and the timer: nothing keeps running after shutdown. */
  private stop(): void {
    this.stopped = true;
    this.timer?.stop();
    this.timer = undefined;
    this.timerAt = Infinity;
    this.heap.clear();
    this.waiting.clear();
  }

  private addReady(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    for (;;) {
      const head = this.heap.peek();
      if (head === undefined || head.readyAt > now) return;
      this.heap.pop();
      this.waiting.delete(head.key);
      this.inner.add(head.item);
    }
  }

  /** Arms the timer for the earliest waiting item. */
  private arm(): void {
    if (this.stopped) return;
    const head = this.heap.peek();
    if (this.timer !== undefined) {
      if (head !== undefined && head.readyAt >= this.timerAt) return;
      this.timer.stop();
      this.timer = undefined;
      this.timerAt = Infinity;
    }
    if (head === undefined || head.readyAt === Infinity) return;
    const delay = Math.min(Math.max(head.readyAt - this.clock.now(), 0), maxTimerDelay);
    this.timerAt = head.readyAt;
    this.timer = this.clock.afterFunc(delay, this.onTimer);
  }
}

/** A new delaying queue with string items (or `T`) and default options. */
export function newTypedDelayingQueue<T = string>(): DelayingType<T> {
  return new DelayingType<T>({});
}

/** A new delaying queue with a name, clock, inner queue or key function. */
export function newTypedDelayingQueueWithConfig<T = string>(config: TypedDelayingQueueConfig<T>): DelayingType<T> {
  return new DelayingType<T>(config);
}
