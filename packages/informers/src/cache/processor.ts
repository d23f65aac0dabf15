/**
 * Fan-out of informer notifications to event handlers (client-go shared_informer.go's
 * sharedProcessor and processorListener). Every handler has its own unbounded buffer and
 * its own delivery loop, so a slow (async) handler delays only itself.
 */
import type { DeletedFinalStateUnknown } from "./keys.js";
import { handleError } from "../internal/errors.js";
import { deferred } from "../internal/sleep.js";
import type { Deferred } from "../internal/sleep.js";

/**
 * Callbacks for changes to the informer's objects. Each may return a promise; the next
 * notification for the same handler waits for it (other handlers do not).
 */
export interface ResourceEventHandler<T> {
  /** A new object; `isInInitialList` is true for objects of the initial list (and for late handlers). */
  onAdd?(obj: T, isInInitialList: boolean): void | Promise<void>;
  /** An update, or a periodic resync (then `oldObj` and `newObj` have the same resourceVersion). */
  onUpdate?(oldObj: T, newObj: T): void | Promise<void>;
  /** A deletion; a {@link DeletedFinalStateUnknown} if the delete event itself was missed. */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void | Promise<void>;
}

/** Returned by `addEventHandler`. */
export interface ResourceEventHandlerRegistration {
  /** True once the informer has synced and this handler has been given every object of the initial list. */
  hasSynced(): boolean;
  /** Resolves when {@link hasSynced} becomes true. */
  whenSynced(): Promise<void>;
  /** Unregisters the handler, dropping undelivered notifications; resolves when its in-flight call ends. */
  remove(): Promise<void>;
}

export type Notification<T> =
  | { kind: "add"; obj: T; isInInitialList: boolean }
  | { kind: "update"; oldObj: T; newObj: T }
  | { kind: "delete"; obj: T | DeletedFinalStateUnknown<T> };

export class ProcessorListener<T> implements ResourceEventHandlerRegistration {
  private pending: Notification<T>[] = [];
  private head = 0;
  private started = false;
  private stopped = false;
  private draining: Promise<void> | undefined;
  private initialOutstanding = 0;
  private upstreamSynced = false;
  private syncedD: Deferred<void> = deferred();
  /** Set by the processor when this listener is due for a resync. */
  resyncDue = false;
  resyncPeriod: number;
  nextResync: number;

  constructor(
    private readonly handler: ResourceEventHandler<T>,
    readonly requestedResyncPeriod: number,
    resyncPeriod: number,
    now: number,
    private readonly onRemove: (l: ProcessorListener<T>) => void,
  ) {
    this.resyncPeriod = resyncPeriod;
    this.nextResync = now + resyncPeriod;
  }

  hasSynced(): boolean {
    return this.upstreamSynced && this.initialOutstanding === 0;
  }

  whenSynced(): Promise<void> {
    return this.syncedD.promise;
  }

  remove(): Promise<void> {
    this.onRemove(this);
    return this.stop();
  }

  /** Number of notifications not yet delivered. */
  pendingCount(): number {
    return this.pending.length - this.head;
  }

  setUpstreamSynced(): void {
    this.upstreamSynced = true;
    this.checkSynced();
  }

  shouldResync(now: number): boolean {
    return this.resyncPeriod !== 0 && now >= this.nextResync;
  }

  determineNextResync(now: number): void {
    this.nextResync = now + this.resyncPeriod;
  }

  add(n: Notification<T>): void {
    if (this.stopped) return;
    if (n.kind === "add" && n.isInInitialList) this.initialOutstanding++;
    this.pending.push(n);
    if (this.started) this.kick();
  }

  start(): void {
    if (this.stopped || this.started) return;
    this.started = true;
    this.kick();
  }

  /** Stops delivery; pending notifications are dropped. Resolves when the in-flight call ends. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending = [];
    this.head = 0;
    await this.draining;
  }

  private kick(): void {
    if (this.draining !== undefined || this.stopped) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      // Something may have arrived between the end of the loop and now.
      if (!this.stopped && this.pendingCount() > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    // Deliver on a later tick so the informer's processing never runs handler code inline.
    await Promise.resolve();
    let inline = 0;
    while (!this.stopped && this.head < this.pending.length) {
      // Long runs of synchronous handler calls yield now and then, so that timers and I/O
      // (the watch itself) keep flowing during a big initial list.
      if (++inline >= 512) {
        inline = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      const n = this.pending[this.head] as Notification<T>;
      this.pending[this.head] = undefined as unknown as Notification<T>;
      this.head++;
      if (this.head === this.pending.length) {
        this.pending = [];
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > this.pending.length) {
        this.pending = this.pending.slice(this.head);
        this.head = 0;
      }
      try {
        let r: void | Promise<void> = undefined;
        switch (n.kind) {
          case "add":
            r = this.handler.onAdd?.(n.obj, n.isInInitialList);
            break;
          case "update":
            r = this.handler.onUpdate?.(n.oldObj, n.newObj);
            break;
          case "delete":
            r = this.handler.onDelete?.(n.obj);
            break;
        }
        if (r !== undefined) {
          inline = 0;
          await r;
        }
      } catch (err) {
        handleError(err, `event handler failed on ${n.kind}`);
      } finally {
        if (n.kind === "add" && n.isInInitialList) {
          this.initialOutstanding--;
          this.checkSynced();
        }
      }
    }
  }

  private checkSynced(): void {
    if (this.hasSynced()) this.syncedD.resolve();
  }
}

export class SharedProcessor<T> {
  private readonly listeners = new Set<ProcessorListener<T>>();
  private started = false;

  constructor(private readonly now: () => number = Date.now) {}

  addListener(handler: ResourceEventHandler<T>, requested: number, resyncPeriod: number): ProcessorListener<T> {
    const l = new ProcessorListener<T>(handler, requested, resyncPeriod, this.now(), (x) => this.listeners.delete(x));
    this.listeners.add(l);
    if (this.started) l.start();
    return l;
  }

  has(l: ProcessorListener<T>): boolean {
    return this.listeners.has(l);
  }

  distribute(n: Notification<T>, isSync: boolean): void {
    for (const l of this.listeners) {
      if (!isSync || l.resyncDue) l.add(n);
    }
  }

  setUpstreamSynced(): void {
    for (const l of this.listeners) l.setUpstreamSynced();
  }

  run(): void {
    this.started = true;
    for (const l of this.listeners) l.start();
  }

  async stop(): Promise<void> {
    const all = Array.from(this.listeners);
    this.listeners.clear();
    this.started = false;
    await Promise.all(all.map((l) => l.stop()));
  }

  /** Marks the listeners due for a resync; true if any is. */
  shouldResync(): boolean {
    const now = this.now();
    let any = false;
    for (const l of this.listeners) {
      const due = l.shouldResync(now);
      l.resyncDue = due;
      if (due) {
        any = true;
        l.determineNextResync(now);
      }
    }
    return any;
  }

  resyncCheckPeriodChanged(resyncCheckPeriod: number): void {
    for (const l of this.listeners) {
      l.resyncPeriod = determineResyncPeriod(l.requestedResyncPeriod, resyncCheckPeriod);
    }
  }
}

export function determineResyncPeriod(desired: number, check: number): number {
  if (desired === 0) return 0;
  if (check === 0) return 0;
  return desired < check ? check : desired;
}

/**
 * Wraps a handler so it only sees objects passing `filter` (client-go's
 * FilteringResourceEventHandler). An update moving an object into the filter is delivered as
 * an add, one moving it out as a delete of the old object. On delete the filter gets what the
 * handler would get, as in client-go: the object, or the {@link DeletedFinalStateUnknown}
 * tombstone itself when the delete event was missed (unwrap it in the filter to judge the last
 * known state; `isDeletedFinalStateUnknown` tells them apart).
 */
export function filteringResourceEventHandler<T>(
  filter: (obj: T | DeletedFinalStateUnknown<T>) => boolean,
  handler: ResourceEventHandler<T>,
): ResourceEventHandler<T> {
  return {
    onAdd: (obj, isInInitialList) => (filter(obj) ? handler.onAdd?.(obj, isInInitialList) : undefined),
    onUpdate: (oldObj, newObj) => {
      const newer = filter(newObj);
      const older = filter(oldObj);
      if (newer && older) return handler.onUpdate?.(oldObj, newObj);
      if (newer) return handler.onAdd?.(newObj, false);
      if (older) return handler.onDelete?.(oldObj);
      return undefined;
    },
    onDelete: (obj) => (filter(obj) ? handler.onDelete?.(obj) : undefined),
  };
}
