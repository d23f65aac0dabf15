/**
 * The runtime shared by the dynamic and metadata informer factories: informers keyed by
 * GroupVersionResource over any client with `resource(gvr)[.namespace(ns)].list/watch`.
 */
import type { ListOptions } from "@kubets/apimachinery/meta/v1";
import type { GroupVersionResource } from "@kubets/apimachinery/schema";
import type { ListResult, ListWatchOptions, ListerWatcher, Watch } from "../cache/listwatch.js";
import { SharedIndexInformer, type SharedIndexInformerOptions } from "../cache/shared-informer.js";
import { NamespaceIndex, metaNamespaceIndexFunc, type Indexer, type Indexers } from "../cache/store.js";
import { SharedInformerFactory } from "../factory/shared-informer-factory.js";
import { newGenericLister, newGenericNamespaceLister, type GenericLister, type GenericNamespaceLister, type LabelMatcher } from "../listers/generic-lister.js";
import { informerKey } from "../factory-gen/factory.js";

/** List and watch of one resource, as the dynamic and metadata clients offer them. */
export interface ListWatchable {
  list(opts?: ListOptions & { signal?: AbortSignal }): Promise<unknown>;
  watch(opts?: ListOptions & { signal?: AbortSignal }): Promise<unknown>;
}

/** A client that serves any resource by GroupVersionResource (the dynamic or metadata client, real or fake). */
export interface ResourceClient {
  resource(resource: GroupVersionResource): ListWatchable & { namespace(namespace: string): ListWatchable };
}

/** Edits the options of every list and watch (client-go's TweakListOptionsFunc). */
export type TweakListOptionsFunc = (options: ListOptions) => void;

/** A lister of one namespace (client-go dynamiclister.NamespaceLister / metadatalister.NamespaceLister). */
export interface NamespaceLister<T> extends GenericNamespaceLister<T> {
  list(selector?: LabelMatcher): T[];
  /** Throws a NotFound StatusError if absent. */
  get(name: string): T;
}

/**
 * A lister over an informer's cache (client-go dynamiclister.Lister / metadatalister.Lister):
 * `list(selector)` across namespaces, `get(name)` for cluster-scoped objects, `namespace(ns)` for one
 * namespace. It is also a cache.GenericLister (`byNamespace`).
 */
export interface ResourceLister<T> extends GenericLister<T> {
  namespace(namespace: string): NamespaceLister<T>;
}

/** An informer and a lister for one resource (client-go's GenericInformer). */
export interface ResourceGenericInformer<T> {
  informer(): SharedIndexInformer<T>;
  lister(): ResourceLister<T>;
}

export function newResourceLister<T>(indexer: Indexer<T>, gvr: GroupVersionResource): ResourceLister<T> {
  const gr = { group: gvr.group, resource: gvr.resource };
  const generic = newGenericLister(indexer, gr);
  return {
    list: (selector) => generic.list(selector),
    get: (name) => generic.get(name),
    byNamespace: (ns) => generic.byNamespace(ns),
    namespace: (ns) => newGenericNamespaceLister(indexer, gr, ns),
  };
}

export function gvrKey(gvr: GroupVersionResource): string {
  return informerKey(gvr.group, gvr.version, gvr.resource);
}

/** Builds one informer over `client` for `gvr` (client-go's NewFilteredDynamicInformer). */
export function newFilteredResourceInformer<T>(
  client: ResourceClient,
  gvr: GroupVersionResource,
  namespace: string,
  resyncPeriod: number,
  indexers: Indexers<T>,
  tweakListOptions: TweakListOptionsFunc | undefined,
  options: Omit<SharedIndexInformerOptions<T>, "resyncPeriod" | "indexers"> = {},
): ResourceGenericInformer<T> {
  const target = (): ListWatchable => (namespace === "" ? client.resource(gvr) : client.resource(gvr).namespace(namespace));
  const opts = (o: ListWatchOptions): ListWatchOptions => {
    const copy = { ...o };
    tweakListOptions?.(copy);
    return copy;
  };
  const lw: ListerWatcher<T> = {
    list: async (o) => (await target().list(opts(o))) as ListResult<T>,
    watch: async (o) => (await target().watch(opts(o))) as Watch<T>,
  };
  const inf = new SharedIndexInformer<T>(lw, { typeDescription: gvrKey(gvr), ...options, resyncPeriod, indexers });
  return { informer: () => inf, lister: () => newResourceLister(inf.getIndexer(), gvr) };
}

/** Options of the dynamic and metadata informer factories. */
export interface ResourceInformerFactoryOptions<T> {
  /** Default resync period in ms (0 = none). */
  resyncPeriod?: number;
  /** Watch one namespace only; "" or unset means all namespaces. */
  namespace?: string;
  /** Edits the options of every list and watch, e.g. to set a label selector. */
  tweakListOptions?: TweakListOptionsFunc;
  /** Informer options (queue, reflector tuning, mutation detector, transform). */
  informerOptions?: Omit<SharedIndexInformerOptions<T>, "resyncPeriod" | "indexers" | "typeDescription">;
}

/** A factory of informers keyed by GroupVersionResource (client-go's DynamicSharedInformerFactory). */
export interface ResourceInformerFactory<T> {
  /** Starts every informer requested so far; they run until `signal` aborts or shutdown(). */
  start(signal: AbortSignal): void;
  /** The informer and lister of a resource; the same ones however often asked. */
  forResource(gvr: GroupVersionResource): ResourceGenericInformer<T>;
  /** Waits for every started informer's first list; the map (by `group/version, Resource=resource`) tells which synced. */
  waitForCacheSync(signal: AbortSignal): Promise<Map<string, boolean>>;
  /** The same wait as one boolean: true when every started informer synced. */
  waitForCacheSyncAll(signal: AbortSignal): Promise<boolean>;
  /** True when every started informer has synced. */
  hasSynced(): boolean;
  /** Stops every informer and resolves when all have stopped. */
  shutdown(): Promise<void>;
}

export function newResourceInformerFactory<T>(client: ResourceClient, options: ResourceInformerFactoryOptions<T>): ResourceInformerFactory<T> {
  const base = new SharedInformerFactory(options.resyncPeriod !== undefined ? { resyncPeriod: options.resyncPeriod } : {});
  const made = new Map<string, ResourceGenericInformer<T>>();
  return {
    start: (signal) => base.start(signal),
    forResource(gvr) {
      const key = gvrKey(gvr);
      const existing = made.get(key);
      if (existing !== undefined) return existing;
      let created: ResourceGenericInformer<T> | undefined;
      base.informerFor<T>(key, (resync) => {
        created = newFilteredResourceInformer<T>(
          client,
          gvr,
          options.namespace ?? "",
          resync,
          { [NamespaceIndex]: metaNamespaceIndexFunc },
          options.tweakListOptions,
          options.informerOptions,
        );
        return created.informer();
      });
      const gi = created as ResourceGenericInformer<T>;
      made.set(key, gi);
      return gi;
    },
    waitForCacheSync: (signal) => base.waitForCacheSync(signal),
    waitForCacheSyncAll: (signal) => base.waitForCacheSyncAll(signal),
    hasSynced: () => base.hasSynced(),
    shutdown: () => base.shutdown(),
  };
}
