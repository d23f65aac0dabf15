/**
 * DeltaFIFO (client-go tools/cache delta_fifo.go): a queue of object keys where each key
 * carries the ordered list of changes ("deltas") seen for that object since it was last
 * popped. The reflector is its producer; the informer's process loop its single consumer.
 */
import type { KeyFunc } from "./keys.js";
import { DeletedFinalStateUnknown, KeyError, isDeletedFinalStateUnknown, metaNamespaceKeyFunc } from "./keys.js";
import type { TransformFunc } from "./store.js";
import { handleError } from "../internal/errors.js";

/** The kind of change a {@link Delta} records. */
export type DeltaType = "Added" | "Updated" | "Deleted" | "Replaced" | "Sync";

/** One change to one object. `object` is the object after the change (or its tombstone). */
export interface Delta<T> {
  readonly type: DeltaType;
  readonly object: T | DeletedFinalStateUnknown<T>;
}

/** The changes queued for one key, oldest first. */
export type Deltas<T> = Delta<T>[];

/** The oldest delta, if any. */
export function oldestDelta<T>(d: Deltas<T>): Delta<T> | undefined {
  return d[0];
}

/** The newest delta, if any. */
export function newestDelta<T>(d: Deltas<T>): Delta<T> | undefined {
  return d[d.length - 1];
}

/** What a queue needs to know about the objects its consumer already holds. */
export interface KeyListerGetter<T> {
  listKeys(): string[];
  getByKey(key: string): T | undefined;
}

/** Processes one popped item. Throw a {@link RequeueError} to put the item back (DeltaFIFO). */
export type PopProcessFunc<T, D = Delta<T>> = (deltas: D[], isInInitialList: boolean) => void | Promise<void>;

/** What a Reflector writes into. */
export interface ReflectorStore<T> {
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: unknown): void;
  replace(list: readonly T[], resourceVersion: string): void;
  resync(): void;
  /** Optional: told about BOOKMARK events. */
  bookmark?(resourceVersion: string): void;
}

/** A queue of deltas that a controller pops from (client-go's Queue). */
export interface Queue<T, D = Delta<T>> extends ReflectorStore<T> {
  pop(process: PopProcessFunc<T, D>): Promise<D[]>;
  /** True once the items of the first `replace` (if it came before any other write) are all popped. */
  hasSynced(): boolean;
  /** Resolves when {@link hasSynced} becomes true. */
  whenSynced(): Promise<void>;
  close(): void;
  isClosed(): boolean;
}

/** Thrown by `pop` once the queue is closed and empty. */
export class FIFOClosedError extends Error {
  override readonly name = "FIFOClosedError" as const;
  constructor() {
    super("DeltaFIFO: manipulating with closed queue");
  }
}

/**
 * Thrown from a {@link PopProcessFunc} to return the popped deltas to the queue (unless newer
 * deltas for the key arrived meanwhile, which supersede them). `pop` then rejects with `cause`.
 */
export class RequeueError extends Error {
  override readonly name = "RequeueError" as const;
  constructor(cause?: unknown) {
    super(cause instanceof Error ? cause.message : "requeue", { cause });
  }
}

/** Options of {@link DeltaFIFO}. */
export interface DeltaFIFOOptions<T> {
  /** Name used in error messages. */
  name?: string;
  /** Defaults to {@link metaNamespaceKeyFunc}. */
  keyFunction?: KeyFunc;
  /**
   * The consumer's store: lets `delete` skip unknown objects and `replace` emit
   * tombstones for objects that vanished while the watch was down.
   */
  knownObjects?: KeyListerGetter<T>;
  /** Emit `Replaced` instead of `Sync` for the items of `replace` (informers set this). */
  emitDeltaTypeReplaced?: boolean;
  /** Applied to every object entering the queue except tombstones and resyncs. */
  transformer?: TransformFunc<T>;
}

/** client-go's DeltaFIFO. */
export class DeltaFIFO<T> implements Queue<T> {
  readonly name: string;
  private items = new Map<string, Deltas<T>>();
  private queue: string[] = [];
  private head = 0;
  private populated = false;
  private initialPopulationCount = 0;
  private synced = false;
  private syncedWaiters: Array<() => void> = [];
  private closed = false;
  private waiters: Array<() => void> = [];
  private readonly keyFunc: KeyFunc;
  private readonly knownObjects: KeyListerGetter<T> | undefined;
  private readonly emitDeltaTypeReplaced: boolean;
  private readonly transformer: TransformFunc<T> | undefined;

  constructor(options: DeltaFIFOOptions<T> = {}) {
    this.name = options.name ?? "DeltaFIFO";
    this.keyFunc = options.keyFunction ?? metaNamespaceKeyFunc;
    this.knownObjects = options.knownObjects;
    this.emitDeltaTypeReplaced = options.emitDeltaTypeReplaced ?? false;
    this.transformer = options.transformer;
  }

  /** The key of an object, a tombstone or a Deltas list (its newest object). */
  keyOf(obj: unknown): string {
    let o = obj;
    if (Array.isArray(o)) {
      const newest = (o as Deltas<T>)[o.length - 1];
      if (newest === undefined) throw new KeyError(obj, new Error("0 length Deltas object; can't get key"));
      o = newest.object;
    }
    if (isDeletedFinalStateUnknown(o)) return o.key;
    try {
      return this.keyFunc(o);
    } catch (err) {
      if (err instanceof KeyError) throw err;
      throw new KeyError(o, err);
    }
  }

  /** The transformer given in the options. */
  getTransformer(): TransformFunc<T> | undefined {
    return this.transformer;
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  isClosed(): boolean {
    return this.closed;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncedWaiters.push(resolve));
  }

  add(obj: T): void {
    this.populated = true;
    this.checkSynced();
    this.queueAction("Added", obj);
  }

  update(obj: T): void {
    this.populated = true;
    this.checkSynced();
    this.queueAction("Updated", obj);
  }

  /**
   * Queues a Deleted delta, unless the object is neither queued nor known to the consumer
   * (a delete of something nobody has seen is dropped).
   */
  delete(obj: unknown): void {
    const id = this.keyOf(obj);
    this.populated = true;
    this.checkSynced();
    if (this.knownObjects === undefined) {
      if (!this.items.has(id)) return;
    } else {
      let known = true;
      try {
        known = this.knownObjects.getByKey(id) !== undefined;
      } catch {
        // Lookup errors count as "known", as in client-go.
      }
      if (!known && !this.items.has(id)) return;
    }
    this.queueAction("Deleted", obj as T | DeletedFinalStateUnknown<T>);
  }

  /**
   * Replaces the queue's view of the world with `list`: queues a Replaced (or Sync) delta per
   * item, and a Deleted delta with a {@link DeletedFinalStateUnknown} for every queued or
   * known key that is not in `list`.
   */
  replace(list: readonly T[], _resourceVersion: string): void {
    const keys = new Set<string>();
    const action: DeltaType = this.emitDeltaTypeReplaced ? "Replaced" : "Sync";
    for (const item of list) {
      const key = this.keyOf(item);
      keys.add(key);
      this.queueAction(action, item, "Replaced");
    }

    let queuedDeletions = 0;
    for (const [k, oldItem] of Array.from(this.items)) {
      if (keys.has(k)) continue;
      let deletedObj: T | undefined;
      const newest = newestDelta(oldItem);
      if (newest !== undefined) {
        const o = newest.object;
        deletedObj = isDeletedFinalStateUnknown(o) ? (o.obj as T | undefined) : (o as T);
      }
      queuedDeletions++;
      this.queueAction("Deleted", new DeletedFinalStateUnknown<T>(k, deletedObj));
    }

    if (this.knownObjects !== undefined) {
      for (const k of this.knownObjects.listKeys()) {
        if (keys.has(k)) continue;
        if ((this.items.get(k)?.length ?? 0) > 0) continue;
        let deletedObj: T | undefined;
        try {
          deletedObj = this.knownObjects.getByKey(k);
        } catch (err) {
          handleError(err, `${this.name}: lookup of ${k} failed, placing a DeletedFinalStateUnknown marker without object`);
        }
        queuedDeletions++;
        this.queueAction("Deleted", new DeletedFinalStateUnknown<T>(k, deletedObj));
      }
    }

    if (!this.populated) {
      this.populated = true;
      this.initialPopulationCount = keys.size + queuedDeletions;
      this.checkSynced();
    }
  }

  /** Queues a Sync delta for every known object that has nothing queued. */
  resync(): void {
    if (this.knownObjects === undefined) return;
    for (const k of this.knownObjects.listKeys()) {
      let obj: T | undefined;
      try {
        obj = this.knownObjects.getByKey(k);
      } catch (err) {
        handleError(err, `${this.name}: lookup of ${k} failed, unable to queue object for sync`);
        continue;
      }
      if (obj === undefined) continue;
      const id = this.keyOf(obj);
      if ((this.items.get(id)?.length ?? 0) > 0) continue;
      this.queueAction("Sync", obj);
    }
  }

  /**
   * Waits for an item, removes it from the queue and runs `process` on it. Rejects with
   * {@link FIFOClosedError} once closed and empty; with the error of `process` if it throws
   * (for a {@link RequeueError}, its cause, after putting the item back).
   */
  async pop(process: PopProcessFunc<T>): Promise<Deltas<T>> {
    for (;;) {
      while (this.queue.length - this.head === 0) {
        if (this.closed) throw new FIFOClosedError();
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
      const isInInitialList = !this.synced;
      const id = this.queue[this.head] as string;
      this.head++;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      if (this.initialPopulationCount > 0) {
        this.initialPopulationCount--;
        this.checkSynced();
      }
      const item = this.items.get(id);
      if (item === undefined) {
        handleError(new Error(`item ${id} was in the queue but not in the items map`), `${this.name}: inconceivable`);
        continue;
      }
      this.items.delete(id);
      try {
        await process(item, isInInitialList);
      } catch (err) {
        if (err instanceof RequeueError || (err as { name?: unknown } | null)?.name === "RequeueError") {
          this.addIfNotPresent(id, item);
          throw (err as RequeueError).cause ?? err;
        }
        throw err;
      }
      return item;
    }
  }

  /** Keys currently queued, in queue order. */
  listKeys(): string[] {
    return this.queue.slice(this.head);
  }

  /** The deltas queued for a key (a copy). */
  getByKey(key: string): Deltas<T> | undefined {
    const d = this.items.get(key);
    return d === undefined ? undefined : [...d];
  }

  private addIfNotPresent(id: string, deltas: Deltas<T>): void {
    this.populated = true;
    if (this.items.has(id)) return;
    this.queue.push(id);
    this.items.set(id, deltas);
    this.wake();
  }

  private checkSynced(): void {
    if (this.synced || !this.populated || this.initialPopulationCount !== 0) return;
    this.synced = true;
    const waiters = this.syncedWaiters;
    this.syncedWaiters = [];
    for (const w of waiters) w();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private queueAction(type: DeltaType, obj: T | DeletedFinalStateUnknown<T>, internalType: DeltaType = type): void {
    const id = this.keyOf(obj);
    let o = obj;
    if (this.transformer !== undefined && !isDeletedFinalStateUnknown(o) && internalType !== "Sync") {
      o = this.transformer(o as T);
    }
    const old = this.items.get(id);
    const deltas = dedupDeltas([...(old ?? []), { type, object: o }]);
    if (old === undefined) this.queue.push(id);
    this.items.set(id, deltas);
    this.wake();
  }
}

/** Collapses two consecutive deletes into one, keeping the one that is not a tombstone. */
function dedupDeltas<T>(deltas: Deltas<T>): Deltas<T> {
  const n = deltas.length;
  if (n < 2) return deltas;
  const a = deltas[n - 1] as Delta<T>;
  const b = deltas[n - 2] as Delta<T>;
  if (a.type !== "Deleted" || b.type !== "Deleted") return deltas;
  const keep = isDeletedFinalStateUnknown(b.object) ? a : b;
  deltas.splice(n - 2, 2, keep);
  return deltas;
}
