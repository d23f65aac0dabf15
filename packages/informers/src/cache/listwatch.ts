/**
 * The list and watch calls a Reflector makes (client-go tools/cache listwatch.go), as a
 * small interface so that any client (typed, dynamic, metadata, a test double) can feed an
 * informer.
 */
import type { ListOptions } from "@kubets/apimachinery/meta/v1";

/** The type of a watch event. */
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/** One watch event. For ERROR, `object` is a Status. */
export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
}

/** A list response: the items and the list's metadata. */
export interface ListResult<T> {
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number } | undefined;
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
