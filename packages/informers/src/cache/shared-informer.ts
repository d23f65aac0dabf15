/**
 * SharedIndexInformer (client-go tools/cache shared_informer.go, controller.go): one
 * list/watch per resource feeding an indexed cache and any number of event handlers.
 *
 * Pipeline: Reflector -> DeltaFIFO -> (process loop) -> Indexer + handler notifications.
 */
import type { KeyFunc } from "./keys.js";
import { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc } from "./keys.js";
import type { Queue } from "./delta-fifo.js";
import { DeltaFIFO, FIFOClosedError } from "./delta-fifo.js";
import type { AnyDelta, ReplacedAllInfo } from "./real-fifo.js";
import { RealFIFO } from "./real-fifo.js";
import type { Indexer, Indexers, Store, TransformFunc } from "./store.js";
import { newIndexer } from "./store.js";
import type { ListerWatcher } from "./listwatch.js";
import type { ReflectorOptions, WatchErrorHandler } from "./reflector.js";
import { Reflector, defaultWatchErrorHandler } from "./reflector.js";
import type { ResourceEventHandler, ResourceEventHandlerRegistration , ProcessorListener} from "./processor.js";
import { SharedProcessor, determineResyncPeriod } from "./processor.js";
import { handleError } from "../internal/errors.js";
import { type MutationDetector, type MutationDetectorOptions, mutationDetectionEnabledByEnv, newCacheMutationDetector } from "./mutation-detector.js";
import { abortPromise, deferred, sleep } from "../internal/sleep.js";

/** The smallest resync period a handler may ask for, in ms. */
export const minimumResyncPeriod = 1000;

/** Options of {@link SharedIndexInformer}. */
export interface SharedIndexInformerOptions<T> {
  /** Default resync period of handlers, in ms; 0 (default) disables resync. */
  resyncPeriod?: number;
  /** Indices of the cache, in addition to none by default. */
  indexers?: Indexers<T>;
  /** Used in error messages, e.g. "*v1.Pod". */
  typeDescription?: string;
  /** Cache key; defaults to {@link deletionHandlingMetaNamespaceKeyFunc}. */
  keyFunc?: KeyFunc;
  /**
   * The queue between reflector and cache: "RealFIFO" (default; client-go's default since
   * 1.33, in its atomic mode: a relist replaces the cache in one step) or "DeltaFIFO".
   */
  queue?: "RealFIFO" | "DeltaFIFO";
  /** Reflector tuning (backoff, page size, streaming list, watch timeout). */
  reflector?: Pick<ReflectorOptions, "backoff" | "pageSize" | "useWatchList" | "minWatchTimeout" | "name">;
  /**
   * client-go's cache mutation detector: deep-copies every cached object and reports one that was
   * changed in place (`true`, or options with `onFailure`). Default: on when the environment has
   * `KUBE_CACHE_MUTATION_DETECTOR=true`, as in Go. For tests: it keeps objects for two minutes.
   */
  mutationDetector?: boolean | MutationDetectorOptions;
}

/** Per-handler options of `addEventHandler`. */
export interface HandlerOptions {
  /** Resync period for this handler in ms (default: the informer's). 0 disables it. */
  resyncPeriod?: number;
}

/** client-go's SharedIndexInformer. */
export class SharedIndexInformer<T> {
  private readonly lw: ListerWatcher<T>;
  private readonly indexer: Indexer<T>;
  private readonly keyFunc: KeyFunc;
  private readonly processor = new SharedProcessor<T>();
  private readonly defaultEventHandlerResyncPeriod: number;
  private resyncCheckPeriod: number;
  private readonly typeDescription: string;
  private readonly reflectorOptions: SharedIndexInformerOptions<T>["reflector"];
  private readonly queueKind: "RealFIFO" | "DeltaFIFO";
  private transform: TransformFunc<T> | undefined;
  private watchErrorHandler: WatchErrorHandler = defaultWatchErrorHandler;
  private reflector: Reflector<T> | undefined;
  private started = false;
  private stopped = false;
  private synced = false;
  private readonly syncedD = deferred();
  private readonly detector: MutationDetector;

  constructor(lw: ListerWatcher<T>, options: SharedIndexInformerOptions<T> = {}) {
    this.lw = lw;
    this.keyFunc = options.keyFunc ?? deletionHandlingMetaNamespaceKeyFunc;
    this.indexer = newIndexer<T>(this.keyFunc, options.indexers ?? {});
    this.defaultEventHandlerResyncPeriod = options.resyncPeriod ?? 0;
    this.resyncCheckPeriod = this.defaultEventHandlerResyncPeriod;
    this.typeDescription = options.typeDescription ?? "object";
    this.reflectorOptions = options.reflector;
    this.queueKind = options.queue ?? "RealFIFO";
    const md = options.mutationDetector;
    this.detector = newCacheMutationDetector(
      this.typeDescription,
      md === undefined ? mutationDetectionEnabledByEnv() : md !== false,
      typeof md === "object" ? md : {},
    );
  }

  /** The cache mutation detector (a no-op one unless enabled); `compareObjects()` checks at once. */
  getMutationDetector(): MutationDetector {
    return this.detector;
  }

  /**
   * Registers a handler. Before `run`, it sees the initial list as adds with
   * `isInInitialList`; after, it first gets a synthetic add for every cached object.
   * Throws once the informer has stopped.
   */
  addEventHandler(handler: ResourceEventHandler<T>, options: HandlerOptions = {}): ResourceEventHandlerRegistration {
    if (this.stopped) {
      throw new Error(`handler was not added to the shared informer for ${this.typeDescription} because it has stopped already`);
    }
    let resyncPeriod = options.resyncPeriod ?? this.defaultEventHandlerResyncPeriod;
    if (resyncPeriod > 0) {
      if (resyncPeriod < minimumResyncPeriod) resyncPeriod = minimumResyncPeriod;
      if (resyncPeriod < this.resyncCheckPeriod) {
        if (this.started) {
          // The reflector's resync timer is fixed once running: round up to it.
          resyncPeriod = this.resyncCheckPeriod;
        } else {
          this.resyncCheckPeriod = resyncPeriod;
          this.processor.resyncCheckPeriodChanged(resyncPeriod);
        }
      }
    }
    const listener = this.processor.addListener(handler, resyncPeriod, determineResyncPeriod(resyncPeriod, this.resyncCheckPeriod));
    if (this.started) {
      for (const item of this.indexer.list()) listener.add({ kind: "add", obj: item, isInInitialList: true });
    }
    if (this.synced) listener.setUpstreamSynced();
    return listener;
  }

  /** Unregisters a handler (same as `registration.remove()`). */
  removeEventHandler(registration: ResourceEventHandlerRegistration): Promise<void> {
    return registration.remove();
  }

  /** The cache. Read-only for callers: never modify what it returns. */
  getStore(): Store<T> {
    return this.indexer;
  }

  getIndexer(): Indexer<T> {
    return this.indexer;
  }

  /** Adds indices (also after start; existing objects are indexed at once). */
  addIndexers(indexers: Indexers<T>): void {
    if (this.stopped) throw new Error("indexer was not added because the informer has stopped already");
    this.indexer.addIndexers(indexers);
  }

  /** Sets a function applied to every object before it is cached and handed to handlers. Only before `run`. */
  setTransform(fn: TransformFunc<T>): void {
    if (this.started) throw new Error("informer has already started");
    this.transform = fn;
  }

  /** Sets the handler told about each failed list/watch cycle. Only before `run`. */
  setWatchErrorHandler(fn: WatchErrorHandler): void {
    if (this.started) throw new Error("informer has already started");
    this.watchErrorHandler = fn;
  }

  hasStarted(): boolean {
    return this.started;
  }

  isStopped(): boolean {
    return this.stopped;
  }

  /** True once the initial list has been put into the cache and handed to the handlers' queues. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves when {@link hasSynced} becomes true. */
  whenSynced(): Promise<void> {
    return this.syncedD.promise;
  }

  /** The resourceVersion the cache was last synced to. */
  lastSyncResourceVersion(): string {
    return this.reflector?.lastSyncResourceVersion() ?? "";
  }

  /**
   * Lists, watches and dispatches until `signal` aborts; resolves after everything has
   * stopped. Errors never end it (they are retried with backoff). Runs at most once.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.started) return;
    this.started = true;
    const transformer = this.transform !== undefined ? { transformer: this.transform } : {};
    const fifo: Queue<T, AnyDelta<T>> =
      this.queueKind === "DeltaFIFO"
        ? new DeltaFIFO<T>({
            name: `DeltaFIFO ${this.typeDescription}`,
            keyFunction: this.keyFunc,
            knownObjects: this.indexer,
            emitDeltaTypeReplaced: true,
            ...transformer,
          })
        : new RealFIFO<T>({
            name: `RealFIFO ${this.typeDescription}`,
            keyFunction: this.keyFunc,
            atomicEvents: true,
            ...transformer,
          });
    const reflector = new Reflector<T>(this.lw, fifo, {
      ...this.reflectorOptions,
      typeDescription: this.typeDescription,
      resyncPeriod: this.resyncCheckPeriod,
      shouldResync: () => this.processor.shouldResync(),
      watchErrorHandler: this.watchErrorHandler,
    });
    this.reflector = reflector;
    void fifo.whenSynced().then(() => {
      if (this.stopped) return;
      this.synced = true;
      this.processor.setUpstreamSynced();
      this.syncedD.resolve();
    });
    this.processor.run();
    this.detector.run(signal);

    const abort = abortPromise(signal);
    void abort.promise.then(() => fifo.close());
    const reflecting = reflector.run(signal);
    const processing = (async () => {
      while (!signal.aborted) {
        try {
          await fifo.pop((deltas, isInInitialList) => this.handleDeltas(deltas, isInInitialList));
        } catch (err) {
          if (err instanceof FIFOClosedError) return;
          handleError(err, `informer for ${this.typeDescription}: processing deltas failed`);
        }
      }
    })();
    await Promise.all([reflecting, processing]);
    abort.dispose();
    this.stopped = true;
    await this.processor.stop();
  }

  private handleDeltas(deltas: AnyDelta<T>[], isInInitialList: boolean): void {
    for (const d of deltas) {
      switch (d.type) {
        case "ReplacedAll":
          this.replaceAll(d.object, isInInitialList);
          break;
        case "SyncAll":
          for (const o of this.indexer.list()) this.processor.distribute({ kind: "update", oldObj: o, newObj: o }, true);
          break;
        case "Bookmark":
          this.indexer.bookmark(d.object.resourceVersion);
          break;
        case "Sync":
        case "Replaced":
        case "Added":
        case "Updated": {
          const o = d.object as T;
          this.detector.addObject(o);
          const old = this.indexer.get(o);
          if (old !== undefined) {
            this.indexer.update(o);
            const isSync = resourceVersionOf(old) === resourceVersionOf(o) && resourceVersionOf(o) !== undefined;
            this.processor.distribute({ kind: "update", oldObj: old, newObj: o }, isSync);
          } else {
            this.indexer.add(o);
            this.processor.distribute({ kind: "add", obj: o, isInInitialList }, false);
          }
          break;
        }
        case "Deleted":
          this.indexer.delete(d.object);
          this.processor.distribute({ kind: "delete", obj: d.object }, false);
          break;
      }
    }
  }

  /** A relist from an atomic RealFIFO: swap the cache whole, then notify deletions, then the rest. */
  private replaceAll(info: ReplacedAllInfo<T>, isInInitialList: boolean): void {
    const newKeys = new Set<string>();
    const replacements: Array<{ old: T | undefined; obj: T }> = [];
    for (const o of info.objects) {
      this.detector.addObject(o);
      newKeys.add(this.keyFunc(o));
      replacements.push({ old: this.indexer.get(o), obj: o });
    }
    const deletions: DeletedFinalStateUnknown<T>[] = [];
    for (const key of this.indexer.listKeys()) {
      if (!newKeys.has(key)) deletions.push(new DeletedFinalStateUnknown<T>(key, this.indexer.getByKey(key)));
    }
    this.indexer.replace(info.objects, info.resourceVersion);
    for (const d of deletions) this.processor.distribute({ kind: "delete", obj: d }, false);
    for (const r of replacements) {
      if (r.old !== undefined) {
        const isSync = resourceVersionOf(r.old) === resourceVersionOf(r.obj);
        this.processor.distribute({ kind: "update", oldObj: r.old, newObj: r.obj }, isSync);
      } else {
        this.processor.distribute({ kind: "add", obj: r.obj, isInInitialList }, false);
      }
    }
  }
}

function resourceVersionOf(obj: unknown): string | undefined {
  if (typeof obj !== "object" || obj === null) return undefined;
  const m = (obj as { metadata?: { resourceVersion?: string } }).metadata;
  return m?.resourceVersion ?? "";
}

/**
 * Anything with a sync state: an informer, a handler registration, or a function. A source with
 * `whenSynced` (informers, registrations, factories) is awaited; the others are polled.
 */
export type SyncSource = { hasSynced(): boolean; whenSynced?(): Promise<void> } | (() => boolean);

/**
 * Waits until every source has synced (true), or until `signal` aborts (false). As client-go's
 * WaitForCacheSync, but it returns as soon as the last source syncs: sources with `whenSynced` are
 * awaited, and only the others are polled every 100 ms (client-go polls all of them).
 */
export async function waitForCacheSync(signal: AbortSignal, ...sources: SyncSource[]): Promise<boolean> {
  const synced = (): boolean => sources.every((s) => (typeof s === "function" ? s() : s.hasSynced()));
  for (;;) {
    if (signal.aborted) return false;
    if (synced()) return true;
    const waits: Array<Promise<void>> = [];
    let poll = false;
    for (const s of sources) {
      if (typeof s === "function") {
        if (!s()) poll = true;
      } else if (!s.hasSynced()) {
        if (typeof s.whenSynced === "function") waits.push(s.whenSynced());
        else poll = true;
      }
    }
    if (!poll) {
      const abort = abortPromise(signal);
      try {
        await Promise.race([Promise.all(waits), abort.promise]);
      } finally {
        abort.dispose();
      }
      continue;
    }
    await sleep(100, signal);
  }
}

/**
 * client-go's WaitForNamedCacheSync: {@link waitForCacheSync} for a named controller; when the
 * caches do not sync (the signal aborted first) the failure goes to the error handler
 * (`setErrorHandler`) as "unable to sync caches for <name>".
 */
export async function waitForNamedCacheSync(controllerName: string, signal: AbortSignal, ...sources: SyncSource[]): Promise<boolean> {
  const ok = await waitForCacheSync(signal, ...sources);
  if (!ok) handleError(new Error(`unable to sync caches for ${controllerName}`), `controller ${controllerName}`);
  return ok;
}

export type { ProcessorListener };
