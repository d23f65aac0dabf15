/**
 * client-go's tools/watch NewIndexerInformerWatcher: an informer presented as a watch. The watch
 * starts with an ADDED event for every existing object (the informer's initial list), then follows
 * the informer, so it never ends on a 410 or a dropped connection: the informer relists.
 */
import type { ListerWatcher, Watch, WatchEvent } from "../cache/listwatch.js";
import { isDeletedFinalStateUnknown } from "../cache/keys.js";
import { SharedIndexInformer, type SharedIndexInformerOptions } from "../cache/shared-informer.js";
import type { Indexer } from "../cache/store.js";

/** What {@link newIndexerInformerWatcher} returns. */
export interface IndexerInformerWatcher<T> {
  /** The informer's cache. */
  indexer: Indexer<T>;
  informer: SharedIndexInformer<T>;
  /** The events; `stop()` stops the informer. Iterate it once. */
  watch: Watch<T>;
  /** Resolves when the informer has stopped after `stop()`. */
  done: Promise<void>;
}

/**
 * client-go's NewIndexerInformerWatcher. Events wait in an unbounded queue until read, as in Go;
 * a deletion the informer only learned of by relisting arrives as DELETED with the last known
 * object.
 */
export function newIndexerInformerWatcher<T>(
  lw: ListerWatcher<T>,
  options: Omit<SharedIndexInformerOptions<T>, "resyncPeriod"> = {},
): IndexerInformerWatcher<T> {
  const informer = new SharedIndexInformer<T>(lw, { ...options, resyncPeriod: 0 });
  const queue: WatchEvent<T>[] = [];
  let wake: (() => void) | undefined;
  const push = (ev: WatchEvent<T>): void => {
    queue.push(ev);
    const w = wake;
    wake = undefined;
    w?.();
  };
  informer.addEventHandler({
    onAdd: (obj) => push({ type: "ADDED", object: obj }),
    onUpdate: (_old, obj) => push({ type: "MODIFIED", object: obj }),
    onDelete: (obj) => {
      if (isDeletedFinalStateUnknown(obj)) {
        if (obj.obj !== undefined) push({ type: "DELETED", object: obj.obj });
        return;
      }
      push({ type: "DELETED", object: obj });
    },
  });
  const controller = new AbortController();
  const done = informer.run(controller.signal);
  const stopped = new Promise<void>((resolve) => controller.signal.addEventListener("abort", () => resolve(), { once: true }));
  let iterated = false;
  const watch: Watch<T> = {
    stop: () => {
      controller.abort();
      const w = wake;
      wake = undefined;
      w?.();
    },
    async *[Symbol.asyncIterator]() {
      if (iterated) throw new TypeError("the watch of an informer watcher can be iterated only once");
      iterated = true;
      try {
        for (;;) {
          const ev = queue.shift();
          if (ev !== undefined) {
            yield ev;
            continue;
          }
          if (controller.signal.aborted) return;
          await Promise.race([new Promise<void>((resolve) => (wake = resolve)), stopped]);
        }
      } finally {
        controller.abort();
      }
    },
  };
  return { indexer: informer.getIndexer(), informer, watch, done };
}
