/**
 * client-go's tools/watch Until* functions: wait, through a watch, until conditions on its events
 * hold one after the other.
 */
import { fromObject } from "@kubets/apimachinery/errors";
import { WaitTimeoutError } from "@kubets/apimachinery/util";
import type { ObjectWatchEvent } from "@kubets/apimachinery/watch";
import type { ListerWatcher, WatchEvent } from "../cache/listwatch.js";
import type { Store } from "../cache/store.js";
import { waitForCacheSync } from "../cache/shared-informer.js";
import { newIndexerInformerWatcher } from "./informer-watcher.js";
import { newRetryWatcher, type RetryWatcherOptions, type WatcherClient } from "./retry-watcher.js";

/** A condition on one event: true when satisfied; a thrown error ends the wait with it. */
export type ConditionFunc<T> = (event: ObjectWatchEvent<T>) => boolean | Promise<boolean>;

/** A condition on the informer's synced cache, checked before any event (client-go PreconditionFunc). */
export type PreconditionFunc<T> = (store: Store<T>) => boolean | Promise<boolean>;

/** The watch ended before the conditions were met (client-go's ErrWatchClosed). */
export class WatchClosedError extends Error {
  override readonly name = "WatchClosedError" as const;
  constructor() {
    super("watch closed before UntilWithoutRetry timeout: the server or the caller ended the watch; use until() or untilWithSync() to retry");
  }
}

/** Whether `err` is a WatchClosedError: the watch ended before the condition was met. */
export function isWatchClosedError(err: unknown): err is WatchClosedError {
  return err instanceof Error && err.name === "WatchClosedError";
}

/** An abort as client-go's wait.ErrorInterrupted: a WaitTimeoutError whose cause is the signal's reason. */
function interruptedError(signal: AbortSignal): WaitTimeoutError {
  return new WaitTimeoutError({ cause: signal.reason });
}

/**
 * client-go's UntilWithoutRetry: reads events from `watch` until each condition in turn returns true
 * (the event that satisfied one is offered to the next first), then stops the watch and resolves
 * with the last event (undefined when there are no conditions). Rejects with
 * {@link WatchClosedError} when the watch ends first, a `WaitTimeoutError` (cause: the signal's
 * reason) when `signal` aborts first, or what a condition throws. An ERROR event rejects with its
 * StatusError (in Go the conditions see it, and nearly all return it as their error). The watch is
 * stopped in every case.
 */
export async function untilWithoutRetry<T>(
  signal: AbortSignal,
  watch: AsyncIterable<WatchEvent<T> | ObjectWatchEvent<T>> & { stop(): void },
  ...conditions: ConditionFunc<T>[]
): Promise<ObjectWatchEvent<T> | undefined> {
  if (signal.aborted) {
    watch.stop();
    throw interruptedError(signal);
  }
  const it = watch[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<"aborted">((resolve) => {
    onAbort = () => resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
  });
  let last: ObjectWatchEvent<T> | undefined;
  try {
    for (const condition of conditions) {
      if (last !== undefined && (await condition(last))) continue;
      for (;;) {
        const next = await Promise.race([it.next(), aborted]);
        if (next === "aborted") throw interruptedError(signal);
        if (next.done === true) throw new WatchClosedError();
        if (next.value.type === "ERROR") throw fromObject(next.value.object);
        last = next.value;
        if (await condition(last)) break;
      }
    }
    return last;
  } finally {
    if (onAbort !== undefined) signal.removeEventListener("abort", onAbort);
    watch.stop();
    void it.return?.();
  }
}

/**
 * client-go's Until: {@link untilWithoutRetry} over a {@link RetryWatcher} from `initialResourceVersion`,
 * so a dropped connection or a server timeout does not end the wait (a 410 still does).
 */
export async function until<T>(
  signal: AbortSignal,
  initialResourceVersion: string,
  client: WatcherClient<T>,
  ...conditions: ConditionFunc<T>[]
): Promise<ObjectWatchEvent<T> | undefined> {
  return untilWithoutRetry(signal, newRetryWatcher(initialResourceVersion, client, { signal } satisfies RetryWatcherOptions), ...conditions);
}

/**
 * client-go's UntilWithSync: runs an informer over `lw` and waits on its events, so it survives
 * 410s and relists. When `precondition` is given it runs first on the synced cache; if it returns
 * true, the result is undefined without waiting for any event. Rejects with a `WaitTimeoutError`
 * when `signal` aborts first (also before the cache synced).
 */
export async function untilWithSync<T>(
  signal: AbortSignal,
  lw: ListerWatcher<T>,
  precondition: PreconditionFunc<T> | undefined,
  ...conditions: ConditionFunc<T>[]
): Promise<ObjectWatchEvent<T> | undefined> {
  const { indexer, informer, watch, done } = newIndexerInformerWatcher(lw);
  try {
    if (precondition !== undefined) {
      if (!(await waitForCacheSync(signal, informer))) {
        throw new WaitTimeoutError({ cause: new Error(`untilWithSync: unable to sync caches: ${String(signal.reason)}`) });
      }
      if (await precondition(indexer)) return undefined;
    }
    return await untilWithoutRetry(signal, watch, ...conditions);
  } finally {
    watch.stop();
    await done;
  }
}
