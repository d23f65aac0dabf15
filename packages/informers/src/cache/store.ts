/**
 * Stores and indexers (client-go tools/cache store.go, thread_safe_store.go, index.go).
 *
 * JavaScript runs one task at a time, so "thread safe" here means: every operation is
 * synchronous and leaves the store consistent; `replace` builds the new contents and their
 * indices aside and swaps them in whole, so no reader ever sees a half-filled store.
 *
 * Objects returned by `get`/`list` are the stored objects themselves: treat them as
 * read-only (modifying them would corrupt the indices, exactly as in client-go).
 */
import type { KeyFunc } from "./keys.js";
import { KeyError, isDeletedFinalStateUnknown } from "./keys.js";

/** Computes the indexed values of an object for one index. */
export type IndexFunc<T> = (obj: T) => string[];
/** Index functions by index name. */
export type Indexers<T> = Record<string, IndexFunc<T>>;
/** Rewrites an object before it is stored (e.g. to drop managedFields). */
export type TransformFunc<T> = (obj: T) => T;

/** The lookup name of the namespace index. */
export const NamespaceIndex = "namespace";

/** Indexes an object by `metadata.namespace` (`""` for cluster-scoped objects). */
export function metaNamespaceIndexFunc(obj: unknown): string[] {
  if (typeof obj !== "object" || obj === null) {
    throw new Error("object has no meta: expected an object");
  }
  const m = (obj as { metadata?: { namespace?: string } }).metadata;
  return [m?.namespace ?? ""];
}

/** Turns an index function that yields exactly one value into a key function. */
export function indexFuncToKeyFuncAdapter<T>(indexFunc: IndexFunc<T>): KeyFunc {
  return (obj: unknown) => {
    const keys = indexFunc(obj as T);
    if (keys.length > 1) throw new Error(`too many keys: ${JSON.stringify(keys)}`);
    const [k] = keys;
    if (k === undefined) throw new Error("unexpected empty indexKeys");
    return k;
  };
}

/** The storage behind a Store: keyed by precomputed keys, with indices. */
export interface ThreadSafeStore<T> {
  add(key: string, obj: T): void;
  update(key: string, obj: T): void;
  /** Deletes without recording a resource version; prefer {@link deleteWithObject}. */
  delete(key: string): void;
  deleteWithObject(key: string, obj: unknown): void;
  get(key: string): T | undefined;
  list(): T[];
  listKeys(): string[];
  /** Swaps in the given contents whole and rebuilds every index. */
  replace(items: Map<string, T>, resourceVersion: string): void;
  index(indexName: string, obj: T): T[];
  indexKeys(indexName: string, indexedValue: string): string[];
  listIndexFuncValues(indexName: string): string[];
  byIndex(indexName: string, indexedValue: string): T[];
  getIndexers(): Indexers<T>;
  /** Adds indexers; existing items are indexed right away. Names must be new. */
  addIndexers(newIndexers: Indexers<T>): void;
  bookmark(resourceVersion: string): void;
  lastStoreSyncResourceVersion(): string;
  /** A no-op, kept for client-go parity. */
  resync(): void;
}

type Index = Map<string, Set<string>>;

function rvOf(obj: unknown): string | undefined {
  if (typeof obj !== "object" || obj === null) return undefined;
  const m = (obj as { metadata?: { resourceVersion?: string } }).metadata;
  if (m === undefined || m === null || typeof m !== "object") return m === undefined ? "" : undefined;
  return m.resourceVersion ?? "";
}

function indexError(name: string): Error {
  return new Error(`Index with name ${name} does not exist`);
}

class ThreadSafeMap<T> implements ThreadSafeStore<T> {
  private items = new Map<string, T>();
  private indices = new Map<string, Index>();
  private readonly indexers: Indexers<T>;
  private rv = "";

  constructor(indexers: Indexers<T>) {
    this.indexers = { ...indexers };
  }

  add(key: string, obj: T): void {
    this.update(key, obj);
  }

  update(key: string, obj: T): void {
    const old = this.items.get(key);
    const changes = this.computeIndexChanges(old, obj, this.items.has(key), key);
    this.items.set(key, obj);
    this.applyIndexChanges(changes, key);
    const rv = rvOf(obj);
    if (rv !== undefined) this.rv = rv;
  }

  delete(key: string): void {
    this.deleteWithObject(key, undefined);
  }

  deleteWithObject(key: string, obj: unknown): void {
    if (this.items.has(key)) {
      const old = this.items.get(key) as T;
      const changes = this.computeIndexChanges(old, undefined, true, key, true);
      this.items.delete(key);
      this.applyIndexChanges(changes, key);
    }
    if (obj !== undefined) {
      const target = isDeletedFinalStateUnknown(obj) ? undefined : obj;
      const rv = target === undefined ? undefined : rvOf(target);
      if (rv !== undefined) this.rv = rv;
    }
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return Array.from(this.items.values());
  }

  listKeys(): string[] {
    return Array.from(this.items.keys());
  }

  replace(items: Map<string, T>, resourceVersion: string): void {
    const fresh = new Map<string, Index>();
    for (const name of Object.keys(this.indexers)) fresh.set(name, new Map());
    for (const [key, item] of items) {
      for (const [name, fn] of Object.entries(this.indexers)) {
        const idx = fresh.get(name) as Index;
        for (const v of fn(item)) addKey(idx, v, key);
      }
    }
    // Everything above may throw (an index function); nothing below can.
    this.items = items;
    this.indices = fresh;
    this.rv = resourceVersion;
  }

  index(indexName: string, obj: T): T[] {
    const fn = this.indexers[indexName];
    if (fn === undefined) throw indexError(indexName);
    const values = fn(obj);
    const idx = this.indices.get(indexName);
    const keys = new Set<string>();
    for (const v of values) {
      const set = idx?.get(v);
      if (set !== undefined) for (const k of set) keys.add(k);
    }
    return this.itemsFor(keys);
  }

  indexKeys(indexName: string, indexedValue: string): string[] {
    if (this.indexers[indexName] === undefined) throw indexError(indexName);
    return Array.from(this.indices.get(indexName)?.get(indexedValue) ?? []).sort();
  }

  listIndexFuncValues(indexName: string): string[] {
    return Array.from(this.indices.get(indexName)?.keys() ?? []);
  }

  byIndex(indexName: string, indexedValue: string): T[] {
    if (this.indexers[indexName] === undefined) throw indexError(indexName);
    return this.itemsFor(this.indices.get(indexName)?.get(indexedValue) ?? new Set());
  }

  getIndexers(): Indexers<T> {
    return { ...this.indexers };
  }

  addIndexers(newIndexers: Indexers<T>): void {
    const conflicts = Object.keys(newIndexers).filter((k) => Object.hasOwn(this.indexers, k));
    if (conflicts.length > 0) throw new Error(`indexer conflict: ${conflicts.sort().join(", ")}`);
    const built = new Map<string, Index>();
    for (const [name, fn] of Object.entries(newIndexers)) {
      const idx: Index = new Map();
      for (const [key, item] of this.items) for (const v of fn(item)) addKey(idx, v, key);
      built.set(name, idx);
    }
    for (const [name, fn] of Object.entries(newIndexers)) {
      this.indexers[name] = fn;
      this.indices.set(name, built.get(name) as Index);
    }
  }

  bookmark(resourceVersion: string): void {
    this.rv = resourceVersion;
  }

  lastStoreSyncResourceVersion(): string {
    return this.rv;
  }

  resync(): void {}

  private itemsFor(keys: Iterable<string>): T[] {
    const out: T[] = [];
    for (const k of keys) {
      if (this.items.has(k)) out.push(this.items.get(k) as T);
    }
    return out;
  }

  /** Index values to remove and add per index; computed before any mutation (may throw). */
  private computeIndexChanges(
    oldObj: T | undefined,
    newObj: T | undefined,
    hadOld: boolean,
    key: string,
    deleting = false,
  ): Array<[string, string[], string[]]> {
    const out: Array<[string, string[], string[]]> = [];
    for (const [name, fn] of Object.entries(this.indexers)) {
      let oldValues: string[];
      let newValues: string[];
      try {
        oldValues = hadOld ? fn(oldObj as T) : [];
        newValues = deleting ? [] : fn(newObj as T);
      } catch (err) {
        throw new Error(`unable to calculate an index entry for key ${JSON.stringify(key)} on index ${JSON.stringify(name)}`, {
          cause: err,
        });
      }
      if (oldValues.length === 1 && newValues.length === 1 && oldValues[0] === newValues[0]) continue;
      out.push([name, oldValues, newValues]);
    }
    return out;
  }

  private applyIndexChanges(changes: Array<[string, string[], string[]]>, key: string): void {
    for (const [name, oldValues, newValues] of changes) {
      let idx = this.indices.get(name);
      if (idx === undefined) {
        idx = new Map();
        this.indices.set(name, idx);
      }
      for (const v of oldValues) deleteKey(idx, v, key);
      for (const v of newValues) addKey(idx, v, key);
    }
  }
}

function addKey(idx: Index, value: string, key: string): void {
  let set = idx.get(value);
  if (set === undefined) {
    set = new Set();
    idx.set(value, set);
  }
  set.add(key);
}

function deleteKey(idx: Index, value: string, key: string): void {
  const set = idx.get(value);
  if (set === undefined) return;
  set.delete(key);
  // Drop empty sets so high-churn index values don't leak memory.
  if (set.size === 0) idx.delete(value);
}

/** Creates the keyed, indexed storage used by {@link newIndexer}. */
export function newThreadSafeStore<T>(indexers: Indexers<T> = {}): ThreadSafeStore<T> {
  return new ThreadSafeMap<T>(indexers);
}

/** A keyed object cache (client-go's Store). */
export interface Store<T> {
  add(obj: T): void;
  update(obj: T): void;
  /** Deletes by the key of `obj` (a DeletedFinalStateUnknown works with the default key function). */
  delete(obj: unknown): void;
  list(): T[];
  listKeys(): string[];
  get(obj: unknown): T | undefined;
  getByKey(key: string): T | undefined;
  /** Replaces the whole contents; the new contents become visible at once. */
  replace(list: readonly T[], resourceVersion: string): void;
  resync(): void;
  /** The resource version of the newest object or bookmark the store has seen. */
  lastStoreSyncResourceVersion(): string;
  bookmark(resourceVersion: string): void;
}

/** A Store with secondary indices (client-go's Indexer). */
export interface Indexer<T> extends Store<T> {
  /** Stored objects sharing at least one indexed value with `obj` on the named index. */
  index(indexName: string, obj: T): T[];
  /** Keys of the stored objects whose indexed values include `indexedValue`, sorted. */
  indexKeys(indexName: string, indexedValue: string): string[];
  /** All values present in the named index. */
  listIndexFuncValues(indexName: string): string[];
  /** Stored objects whose indexed values include `indexedValue`. */
  byIndex(indexName: string, indexedValue: string): T[];
  getIndexers(): Indexers<T>;
  addIndexers(newIndexers: Indexers<T>): void;
}

/** Options of {@link newStore} and {@link newIndexer}. */
export interface StoreOptions<T> {
  /** Applied to objects on add, update and replace (not delete). */
  transformer?: TransformFunc<T>;
}

class Cache<T> implements Indexer<T> {
  constructor(
    private readonly storage: ThreadSafeStore<T>,
    private readonly keyFunc: KeyFunc,
    private readonly transformer: TransformFunc<T> | undefined,
  ) {}

  private keyOf(obj: unknown): string {
    try {
      return this.keyFunc(obj);
    } catch (err) {
      if (err instanceof KeyError) throw err;
      throw new KeyError(obj, err);
    }
  }

  private transform(obj: T): T {
    if (this.transformer === undefined) return obj;
    try {
      return this.transformer(obj);
    } catch (err) {
      throw new Error(`transforming: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  add(obj: T): void {
    const key = this.keyOf(obj);
    this.storage.add(key, this.transform(obj));
  }
  update(obj: T): void {
    const key = this.keyOf(obj);
    this.storage.update(key, this.transform(obj));
  }
  delete(obj: unknown): void {
    this.storage.deleteWithObject(this.keyOf(obj), obj);
  }
  list(): T[] {
    return this.storage.list();
  }
  listKeys(): string[] {
    return this.storage.listKeys();
  }
  get(obj: unknown): T | undefined {
    return this.storage.get(this.keyOf(obj));
  }
  getByKey(key: string): T | undefined {
    return this.storage.get(key);
  }
  replace(list: readonly T[], resourceVersion: string): void {
    const items = new Map<string, T>();
    for (const item of list) items.set(this.keyOf(item), this.transform(item));
    this.storage.replace(items, resourceVersion);
  }
  resync(): void {}
  lastStoreSyncResourceVersion(): string {
    return this.storage.lastStoreSyncResourceVersion();
  }
  bookmark(resourceVersion: string): void {
    this.storage.bookmark(resourceVersion);
  }
  index(indexName: string, obj: T): T[] {
    return this.storage.index(indexName, obj);
  }
  indexKeys(indexName: string, indexedValue: string): string[] {
    return this.storage.indexKeys(indexName, indexedValue);
  }
  listIndexFuncValues(indexName: string): string[] {
    return this.storage.listIndexFuncValues(indexName);
  }
  byIndex(indexName: string, indexedValue: string): T[] {
    return this.storage.byIndex(indexName, indexedValue);
  }
  getIndexers(): Indexers<T> {
    return this.storage.getIndexers();
  }
  addIndexers(newIndexers: Indexers<T>): void {
    this.storage.addIndexers(newIndexers);
  }
}

/** A Store keyed by `keyFunc`, without indices. */
export function newStore<T>(keyFunc: KeyFunc, options: StoreOptions<T> = {}): Store<T> {
  return new Cache<T>(newThreadSafeStore<T>({}), keyFunc, options.transformer);
}

/** A Store keyed by `keyFunc` with the given indices. */
export function newIndexer<T>(keyFunc: KeyFunc, indexers: Indexers<T>, options: StoreOptions<T> = {}): Indexer<T> {
  return new Cache<T>(newThreadSafeStore<T>(indexers), keyFunc, options.transformer);
}
