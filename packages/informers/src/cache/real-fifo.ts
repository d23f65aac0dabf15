/**
 * RealFIFO (client-go tools/cache the_real_fifo.go): a plain FIFO of deltas, one per event,
 * in arrival order, without the per-key merging of DeltaFIFO. client-go's informers use it by
 * default since 1.33 (InOrderInformers), in "atomic" mode since 1.36 (AtomicFIFO): a relist
 * is one ReplacedAll delta and a resync one SyncAll delta, applied by the consumer at once.
 */
import type { KeyFunc } from "./keys.js";
import { DeletedFinalStateUnknown, KeyError, isDeletedFinalStateUnknown, metaNamespaceKeyFunc } from "./keys.js";
import type { Delta, KeyListerGetter, PopProcessFunc, Queue } from "./delta-fifo.js";
import { FIFOClosedError } from "./delta-fifo.js";
import type { TransformFunc } from "./store.js";
import { handleError } from "../internal/errors.js";

/** The objects and resourceVersion of a relist (a ReplacedAll delta). */
export interface ReplacedAllInfo<T> {
  readonly resourceVersion: string;
  readonly objects: readonly T[];
}

/** A BOOKMARK's resourceVersion (a Bookmark delta). */
export interface BookmarkInfo {
  readonly resourceVersion: string;
}

/** Any delta a queue can hand out: DeltaFIFO's, plus RealFIFO's atomic ones. */
export type AnyDelta<T> =
  | Delta<T>
  | { readonly type: "ReplacedAll"; readonly object: ReplacedAllInfo<T> }
  | { readonly type: "SyncAll"; readonly object: Record<string, never> }
  | { readonly type: "Bookmark"; readonly object: BookmarkInfo };

/** Options of {@link RealFIFO}. */
export interface RealFIFOOptions<T> {
  name?: string;
  keyFunction?: KeyFunc;
  /** Required unless `atomicEvents`; forbidden with it. */
  knownObjects?: KeyListerGetter<T>;
  transformer?: TransformFunc<T>;
  /** Emit ReplacedAll / SyncAll / Bookmark deltas (client-go's AtomicFIFO). */
  atomicEvents?: boolean;
}

/** client-go's RealFIFO. `pop` hands out one delta at a time. */
export class RealFIFO<T> implements Queue<T, AnyDelta<T>> {
  readonly name: string;
  private items: AnyDelta<T>[] = [];
  private head = 0;
  private populated = false;
  private initialPopulationCount = 0;
  private synced = false;
  private syncedWaiters: Array<() => void> = [];
  private closed = false;
  private waiters: Array<() => void> = [];
  private readonly keyFunc: KeyFunc;
  private readonly knownObjects: KeyListerGetter<T> | undefined;
  private readonly transformer: TransformFunc<T> | undefined;
  private readonly atomic: boolean;

  constructor(options: RealFIFOOptions<T> = {}) {
    this.name = options.name ?? "RealFIFO";
    this.keyFunc = options.keyFunction ?? metaNamespaceKeyFunc;
    this.knownObjects = options.knownObjects;
    this.transformer = options.transformer;
    this.atomic = options.atomicEvents ?? false;
    if (this.atomic && this.knownObjects !== undefined) {
      throw new Error("RealFIFO: knownObjects must not be given with atomicEvents");
    }
    if (!this.atomic && this.knownObjects === undefined) {
      throw new Error("RealFIFO: knownObjects is required without atomicEvents");
    }
  }

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

  /** Number of deltas waiting. */
  length(): number {
    return this.items.length - this.head;
  }

  add(obj: T): void {
    this.populated = true;
    this.checkSynced();
    this.push("Added", obj, false);
  }

  update(obj: T): void {
    this.populated = true;
    this.checkSynced();
    this.push("Updated", obj, false);
  }

  delete(obj: unknown): void {
    this.populated = true;
    this.checkSynced();
    this.push("Deleted", obj as T | DeletedFinalStateUnknown<T>, false);
  }

  bookmark(resourceVersion: string): void {
    if (!this.atomic) return;
    this.items.push({ type: "Bookmark", object: { resourceVersion } });
    this.wake();
  }

  replace(list: readonly T[], resourceVersion: string): void {
    if (this.atomic) {
      const objects = this.transformer === undefined ? [...list] : list.map((o) => (this.transformer as TransformFunc<T>)(o));
      this.items.push({ type: "ReplacedAll", object: { resourceVersion, objects } });
      this.wake();
    } else {
      const known = this.knownObjects as KeyListerGetter<T>;
      const newKeys = new Set<string>();
      for (const o of list) newKeys.add(this.keyOf(o));
      // The newest queued delta per key, in first-seen order.
      const lastQueued = new Map<string, AnyDelta<T>>();
      for (const d of this.pending()) {
        if (d.type === "ReplacedAll" || d.type === "SyncAll" || d.type === "Bookmark") continue;
        lastQueued.set(this.keyOf(d.object), d);
      }
      for (const [key, d] of lastQueued) {
        if (newKeys.has(key) || d.type === "Deleted") continue;
        this.push("Deleted", new DeletedFinalStateUnknown<T>(key, d.object as T), true);
      }
      for (const key of known.listKeys()) {
        if (newKeys.has(key) || lastQueued.has(key)) continue;
        let obj: T | undefined;
        try {
          obj = known.getByKey(key);
        } catch (err) {
          handleError(err, `${this.name}: lookup of ${key} failed, placing a DeletedFinalStateUnknown marker without object`);
        }
        this.push("Deleted", new DeletedFinalStateUnknown<T>(key, obj), true);
      }
      for (const o of list) this.push("Replaced", o, false);
    }
    if (!this.populated) {
      this.populated = true;
      this.initialPopulationCount = this.length();
      this.checkSynced();
    }
  }

  resync(): void {
    if (this.atomic) {
      this.items.push({ type: "SyncAll", object: {} });
      this.wake();
      return;
    }
    const known = this.knownObjects as KeyListerGetter<T>;
    const queued = new Set<string>();
    for (const d of this.pending()) {
      if (d.type === "ReplacedAll" || d.type === "SyncAll" || d.type === "Bookmark") continue;
      queued.add(this.keyOf(d.object));
    }
    for (const key of known.listKeys()) {
      if (queued.has(key)) continue;
      let obj: T | undefined;
      try {
        obj = known.getByKey(key);
      } catch (err) {
        handleError(err, `${this.name}: lookup of ${key} failed, unable to queue object for sync`);
        continue;
      }
      if (obj === undefined) continue;
      this.push("Sync", obj, true);
    }
  }

  /** Waits for a delta, removes it and runs `process` on it (as a one-element list). */
  async pop(process: PopProcessFunc<T, AnyDelta<T>>): Promise<AnyDelta<T>[]> {
    while (this.length() === 0) {
      if (this.closed) throw new FIFOClosedError();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const isInInitialList = !this.synced;
    const item = this.items[this.head] as AnyDelta<T>;
    this.items[this.head] = undefined as unknown as AnyDelta<T>;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    try {
      await process([item], isInInitialList);
    } finally {
      if (this.initialPopulationCount > 0) {
        this.initialPopulationCount--;
        this.checkSynced();
      }
    }
    return [item];
  }

  private pending(): AnyDelta<T>[] {
    return this.items.slice(this.head);
  }

  private keyOf(obj: unknown): string {
    if (isDeletedFinalStateUnknown(obj)) return obj.key;
    try {
      return this.keyFunc(obj);
    } catch (err) {
      if (err instanceof KeyError) throw err;
      throw new KeyError(obj, err);
    }
  }

  private push(type: Delta<T>["type"], obj: T | DeletedFinalStateUnknown<T>, skipTransform: boolean): void {
    this.keyOf(obj);
    let o = obj;
    if (this.transformer !== undefined && !skipTransform && !isDeletedFinalStateUnknown(o)) o = this.transformer(o as T);
    this.items.push({ type, object: o });
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
}
