/**
 * The list and watch calls a Reflector makes (client-go tools/cache listwatch.go), as a
 * small interface so that any client (typed, dynamic, metadata, a test double) can feed an
 * informer.
 */
import type { ListOptions } from "@kubets/apimachinery/meta/v1";
import type { WatchEvent as ApimachineryWatchEvent } from "@kubets/apimachinery/watch";

/** The type of a watch event. */
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/** One watch event (apimachinery's): for ERROR, `object` is a Status. */
export type WatchEvent<T> = ApimachineryWatchEvent<T>;

/** A list response: the items and the list's metadata. */
export interface ListResult<T> {
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number | bigint } | undefined;
  items: T[];
}

/** A running watch: its events, and a way to end it early. */
export type Watch<T> = AsyncIterable<WatchEvent<T>> & { stop(): void };

/** List options plus the AbortSignal that cancels the call. */
export type ListWatchOptions = ListOptions & { signal?: AbortSignal };

/**
 * Lists and watches one resource. Errors (including an ERROR event or a 410 on the watch
 * stream) are thrown; a StatusError with reason Expired/Gone makes the reflector relist.
 */
export interface ListerWatcher<T> {
  list(options: ListWatchOptions): Promise<ListResult<T>>;
  watch(options: ListWatchOptions): Promise<Watch<T>>;
}

/**
 * Wraps a ListerWatcher so that every call carries the given label/field selector (the
 * `tweakListOptions` of client-go's generated informers).
 */
export function withListOptions<T>(lw: ListerWatcher<T>, tweak: (options: ListWatchOptions) => void): ListerWatcher<T> {
  return {
    list: (options) => {
      const o = { ...options };
      tweak(o);
      return lw.list(o);
    },
    watch: (options) => {
      const o = { ...options };
      tweak(o);
      return lw.watch(o);
    },
  };
}

/** The part of a request builder (e.g. `@kubets/client/rest`'s Request) a list/watch needs. */
export interface ListWatchRequest {
  namespace(namespace: string): this;
  resource(resource: string): this;
  params(params: object | undefined): this;
  signal(signal: AbortSignal | undefined): this;
  do<R = unknown>(): Promise<R>;
  watch(): Promise<AsyncIterable<{ readonly type: string; readonly object: unknown }> & { stop(): void }>;
}

/** Anything that starts GET requests, e.g. `@kubets/client/rest`'s RESTClient. */
export interface ListWatchClient {
  get(): ListWatchRequest;
}

/**
 * A ListerWatcher for one resource through a REST client (client-go's
 * NewFilteredListWatchFromClient). `namespace` `""` means all namespaces; `tweak` can set
 * label or field selectors on every call.
 */
export function newListWatchFromClient<T>(
  client: ListWatchClient,
  resource: string,
  namespace: string,
  tweak?: (options: ListWatchOptions) => void,
): ListerWatcher<T> {
  const request = (options: ListWatchOptions): ListWatchRequest => {
    const o: ListWatchOptions = { ...options };
    tweak?.(o);
    const { signal, ...params } = o;
    let r = client.get();
    if (namespace !== "") r = r.namespace(namespace);
    return r.resource(resource).params(params).signal(signal);
  };
  return {
    list: (options) => request(options).do<ListResult<T>>(),
    watch: async (options) => {
      // The reflector checks event types at run time; the request builder's events are taken as is.
      const w = await request({ ...options, watch: true }).watch();
      return w as unknown as Watch<T>;
    },
  };
}
