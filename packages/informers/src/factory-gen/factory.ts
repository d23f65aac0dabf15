/**
 * The runtime behind the generated informer factory (client-go informers/ and listers/): typed
 * informers and listers for every built-in resource that can be listed and watched, built from a
 * generated table over the shared informer factory, the SharedIndexInformer and the generic lister.
 */
import type { ListOptions } from "@kubets/apimachinery/meta/v1";
import type { ListerWatcher, ListResult, ListWatchOptions, Watch } from "../cache/listwatch.js";
import { SharedIndexInformer, type SharedIndexInformerOptions } from "../cache/shared-informer.js";
import { metaNamespaceIndexFunc, NamespaceIndex, type Indexers } from "../cache/store.js";
import type { TransformFunc } from "../cache/index.js";
import { SharedInformerFactory } from "../factory/shared-informer-factory.js";
import { newGenericLister, type GenericLister, type GenericNamespaceLister, type LabelMatcher } from "../listers/generic-lister.js";
import type { GroupVersionResource } from "@kubets/apimachinery/schema";

/** client-go's GenericInformer: a shared informer and a generic lister over its cache. */
export interface GenericInformer<T> {
  informer(): SharedIndexInformer<T>;
  lister(): GenericLister<T>;
}

/** Thrown by `forResource` for a resource the factory has no informer for. */
export class NoInformerError extends Error {
  override readonly name = "NoInformerError" as const;
  readonly resource: GroupVersionResource;
  constructor(resource: GroupVersionResource, hint: string) {
    super(`no informer found for ${informerKey(resource.group, resource.version, resource.resource)}: ${hint}`);
    this.resource = resource;
  }
}

/** Whether `err` is a NoInformerError: `forResource` was asked for a resource the factory has no informer for. */
export function isNoInformerError(err: unknown): err is NoInformerError {
  return err instanceof Error && err.name === "NoInformerError";
}

/** One resource of the table: informer/lister accessor (`pods`), plural, 1 when namespaced. */
export type InformerRow = readonly [method: string, resource: string, namespaced: 0 | 1];

/** One group-version of the table. */
export interface InformerGroupVersionTable {
  /** The factory's group accessor (`core`, `apps`). */
  readonly groupAccessor: string;
  /** The group's version accessor (`v1`, `v1beta1`). */
  readonly versionAccessor: string;
  /** The clientset's accessor for this group-version (`coreV1`). */
  readonly client: string;
  readonly group: string;
  readonly version: string;
  readonly resources: readonly InformerRow[];
}

/** The typed client calls an informer needs (any typed clientset resource client fits). */
interface ListWatchClient {
  list(opts?: ListOptions & { signal?: AbortSignal }): Promise<unknown>;
  watch(opts?: ListOptions & { signal?: AbortSignal }): Promise<unknown>;
}

/** Options of newSharedInformerFactory (client-go's SharedInformerOption functions). */
export interface InformerFactoryOptions {
  /** Default resync period in ms (0 = none). */
  resyncPeriod?: number;
  /** Watch one namespace only (client-go WithNamespace); "" or unset means all namespaces. */
  namespace?: string;
  /** Edits the options of every list and watch (client-go WithTweakListOptions), e.g. to set a label selector. */
  tweakListOptions?: (options: ListOptions) => void;
  /** Resync periods by informer key (`apps/v1, Resource=deployments`), overriding the default. */
  customResync?: Readonly<Record<string, number>>;
  /** Transforms every object before it is cached (client-go WithTransform). */
  transform?: TransformFunc<unknown>;
  /** Options passed to every informer (queue, reflector tuning). */
  informerOptions?: Pick<SharedIndexInformerOptions<unknown>, "queue" | "reflector">;
}

/** What the generated factory has besides its group accessors. */
export interface InformerFactoryBase {
  /** Starts every informer requested so far; they run until `signal` aborts or shutdown(). */
  start(signal: AbortSignal): void;
  /** Waits for every started informer's first list; the map tells which synced. */
  waitForCacheSync(signal: AbortSignal): Promise<Map<string, boolean>>;
  /** The same wait as one boolean: true when every started informer synced. */
  waitForCacheSyncAll(signal: AbortSignal): Promise<boolean>;
  /** True when every started informer has synced (the factory is a `SyncSource`). */
  hasSynced(): boolean;
  /**
   * client-go's ForResource: the informer of a built-in resource by GroupVersionResource, as a
   * GenericInformer (untyped). Throws {@link NoInformerError} for a resource the table lacks
   * (use `@kubets/informers/dynamicinformer` for custom resources).
   */
  forResource(resource: GroupVersionResource): GenericInformer<unknown>;
  /** Stops every informer. */
  shutdown(): Promise<void>;
  /** The informer for a key, made with newFunc on first use (for informers the table does not have). */
  informerFor: SharedInformerFactory["informerFor"];
}

/** A typed informer: the shared informer and a lister over its cache. */
export interface ResourceInformer<T, L> {
  informer(): SharedIndexInformer<T>;
  lister(): L;
}

/** A lister of a cluster-scoped resource (client-go NodeLister). */
export interface ClusterLister<T> {
  list(selector?: LabelMatcher): T[];
  /** Throws a NotFound StatusError if absent. */
  get(name: string): T;
}

/** A lister of one namespace (client-go PodNamespaceLister). */
export type NamespaceLister<T> = GenericNamespaceLister<T>;

/** A lister of a namespaced resource: list across namespaces, `pods(ns)` for one (client-go PodLister). */
export type NamespacedLister<T, M extends string> = { list(selector?: LabelMatcher): T[] } & { readonly [K in M]: (namespace: string) => NamespaceLister<T> };

/** The informer key of a resource, in client-go's GroupVersionResource spelling. */
export function informerKey(group: string, version: string, resource: string): string {
  return `${group === "" ? "" : `${group}/`}${version}, Resource=${resource}`;
}

function listWatchOf(client: () => ListWatchClient, tweak: ((o: ListOptions) => void) | undefined): ListerWatcher<unknown> {
  const opts = (o: ListWatchOptions): ListWatchOptions => {
    const copy = { ...o };
    tweak?.(copy);
    return copy;
  };
  return {
    list: async (o) => (await client().list(opts(o))) as ListResult<unknown>,
    watch: async (o) => (await client().watch(opts(o))) as Watch<unknown>,
  };
}

/**
 * Builds the factory: `f[groupAccessor]()[versionAccessor]()[method]()` gives `{ informer(), lister() }`.
 * `clientset` is a typed clientset (real or fake) whose `client` accessors the table names.
 */
export function buildInformerFactory(clientset: object, table: readonly InformerGroupVersionTable[], options: InformerFactoryOptions = {}): Record<string, unknown> {
  const base = new SharedInformerFactory({
    ...(options.resyncPeriod !== undefined ? { resyncPeriod: options.resyncPeriod } : {}),
    ...(options.customResync !== undefined ? { customResync: options.customResync } : {}),
  });
  const namespace = options.namespace ?? "";
  const cs = clientset as Record<string, () => Record<string, (ns?: string) => ListWatchClient>>;
  const out: Record<string, unknown> = {
    start: (signal: AbortSignal) => base.start(signal),
    waitForCacheSync: (signal: AbortSignal) => base.waitForCacheSync(signal),
    waitForCacheSyncAll: (signal: AbortSignal) => base.waitForCacheSyncAll(signal),
    hasSynced: () => base.hasSynced(),
    shutdown: () => base.shutdown(),
    informerFor: <T>(key: string, newFunc: (resync: number) => SharedIndexInformer<T>) => base.informerFor(key, newFunc),
  };
  const groups = new Map<string, Record<string, unknown>>();
  const byGVR = new Map<string, () => { informer(): SharedIndexInformer<unknown>; lister(): GenericLister<unknown> }>();
  out["forResource"] = (gvr: GroupVersionResource): GenericInformer<unknown> => {
    const key = informerKey(gvr.group, gvr.version, gvr.resource);
    if (!byGVR.has(key)) {
      // The version accessor registers its resources on first use.
      const gv = table.find((t) => t.group === gvr.group && t.version === gvr.version && t.resources.some((r) => r[1] === gvr.resource));
      if (gv !== undefined) (out[gv.groupAccessor] as () => Record<string, () => unknown>)()[gv.versionAccessor]!();
    }
    const make = byGVR.get(key);
    if (make === undefined) throw new NoInformerError(gvr, "it is not a built-in resource that can be listed and watched; use a dynamic informer factory for custom resources");
    return make();
  };
  for (const gv of table) {
    let group = groups.get(gv.groupAccessor);
    if (group === undefined) {
      group = {};
      groups.set(gv.groupAccessor, group);
      const g = group;
      out[gv.groupAccessor] = () => g;
    }
    let version: Record<string, unknown> | undefined;
    group[gv.versionAccessor] = () => {
      if (version !== undefined) return version;
      const v: Record<string, unknown> = {};
      for (const [method, resource, namespaced] of gv.resources) {
        const key = informerKey(gv.group, gv.version, resource);
        const client = (): ListWatchClient => {
          const accessor = cs[gv.client];
          if (typeof accessor !== "function") throw new TypeError(`the clientset has no ${gv.client}() for ${key}`);
          return accessor.call(cs)[method]!(namespaced === 1 ? namespace : undefined);
        };
        const informer = (): SharedIndexInformer<unknown> =>
          base.informerFor(key, (resyncPeriod) => {
            const indexers: Indexers<unknown> = namespaced === 1 ? { [NamespaceIndex]: metaNamespaceIndexFunc } : {};
            const inf = new SharedIndexInformer(listWatchOf(client, options.tweakListOptions), {
              ...options.informerOptions,
              resyncPeriod,
              indexers,
              typeDescription: key,
            });
            if (options.transform !== undefined) inf.setTransform(options.transform);
            return inf;
          });
        byGVR.set(key, () => ({
          informer,
          lister: () => newGenericLister(informer().getIndexer(), { group: gv.group, resource }),
        }));
        v[method] = () => ({
          informer,
          lister: () => {
            const generic = newGenericLister(informer().getIndexer(), { group: gv.group, resource });
            if (namespaced === 0) return { list: (s?: LabelMatcher) => generic.list(s), get: (name: string) => generic.get(name) };
            return { list: (s?: LabelMatcher) => generic.list(s), [method]: (ns: string) => generic.byNamespace(ns) };
          },
        });
      }
      version = v;
      return v;
    };
  }
  return out;
}
