/**
 * The shared informer factory skeleton (client-go informers/factory.go): one informer per
 * resource key, started together, waited on together, stopped together. The generated
 * per-group accessors (`factory.core().v1().pods()`) are layered on `informerFor`.
 */
import type { ListWatchOptions } from "../cache/listwatch.js";
import type { SharedIndexInformer } from "../cache/shared-informer.js";
import { waitForCacheSync } from "../cache/shared-informer.js";

/** Builds the informer for one resource, given the factory's default resync period (ms). */
export type NewInformerFunc<T> = (resyncPeriod: number) => SharedIndexInformer<T>;

/** Options of {@link SharedInformerFactory}. */
export interface SharedInformerFactoryOptions {
  /** Default resync period in ms for informers the factory creates; 0 = none. */
  resyncPeriod?: number;
  /** Per-key resync periods overriding the default. */
  customResync?: Readonly<Record<string, number>>;
  /** Limit informers to one namespace (`""`, the default, means all); read by the informer constructors. */
  namespace?: string;
  /** Applied to the list/watch options of every informer (e.g. a label selector); read by the constructors. */
  tweakListOptions?: (options: ListWatchOptions) => void;
  /** Set as the transform of every informer the factory creates. */
  transform?: (obj: unknown) => unknown;
}

/** client-go's sharedInformerFactory, keyed by a resource string (e.g. "apps/v1, Resource=deployments"). */
export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedIndexInformer<unknown>>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly controller = new AbortController();
  private readonly defaultResync: number;
  private readonly customResync: Readonly<Record<string, number>>;
  private shuttingDown = false;
  /** The namespace informers of this factory are limited to (`""` = all). */
  readonly namespace: string;
  /** The list/watch option tweak informers of this factory apply, if any. */
  readonly tweakListOptions: ((options: ListWatchOptions) => void) | undefined;
  private readonly transform: ((obj: unknown) => unknown) | undefined;

  constructor(options: SharedInformerFactoryOptions = {}) {
    this.defaultResync = options.resyncPeriod ?? 0;
    this.customResync = options.customResync ?? {};
    this.namespace = options.namespace ?? "";
    this.tweakListOptions = options.tweakListOptions;
    this.transform = options.transform;
  }

  /** The informer for `key`, created with `newFunc` on first use. */
  informerFor<T>(key: string, newFunc: NewInformerFunc<T>): SharedIndexInformer<T> {
    const existing = this.informers.get(key);
    if (existing !== undefined) return existing as SharedIndexInformer<T>;
    const resync = Object.hasOwn(this.customResync, key) ? (this.customResync[key] as number) : this.defaultResync;
    const inf = newFunc(resync);
    if (this.transform !== undefined && !inf.hasStarted()) inf.setTransform(this.transform as (obj: T) => T);
    this.informers.set(key, inf as SharedIndexInformer<unknown>);
    return inf;
  }

  /** Starts every informer not started yet; they run until `signal` aborts or {@link shutdown}. */
  start(signal: AbortSignal): void {
    if (this.shuttingDown) return;
    const combined = AbortSignal.any([signal, this.controller.signal]);
    for (const [key, inf] of this.informers) {
      if (this.running.has(key)) continue;
      this.running.set(key, inf.run(combined));
    }
  }

  /** Waits for every started informer to sync; the map tells which did. */
  async waitForCacheSync(signal: AbortSignal): Promise<Map<string, boolean>> {
    const started = Array.from(this.informers).filter(([key]) => this.running.has(key));
    const results = await Promise.all(started.map(async ([key, inf]) => [key, await waitForCacheSync(signal, inf)] as const));
    return new Map(results);
  }

  /**
   * {@link waitForCacheSync} as one boolean: true when every started informer synced, false when
   * the signal aborted first (client-go users read the map; this is the form to test in an `if`).
   */
  async waitForCacheSyncAll(signal: AbortSignal): Promise<boolean> {
    const results = await this.waitForCacheSync(signal);
    return !signal.aborted && [...results.values()].every(Boolean);
  }

  /** True when every informer started so far has synced (so the factory is a `SyncSource`). */
  hasSynced(): boolean {
    for (const [key, inf] of this.informers) if (this.running.has(key) && !inf.hasSynced()) return false;
    return true;
  }

  /** Stops every informer and resolves when all have stopped. Later `start` calls do nothing. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.controller.abort();
    await Promise.all(this.running.values());
  }
}
