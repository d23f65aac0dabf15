/**
 * client-go's tools/watch RetryWatcher: a watch that survives the ends of its underlying watches by
 * starting a new one from the last resourceVersion it delivered (bookmarks included), and stops for
 * good, with a clear error, when that resourceVersion is too old (410 Gone / Expired).
 */
import { StatusError, fromObject, isForbidden, isGone, isResourceExpired, isUnauthorized } from "@kubets/apimachinery/errors";
import type { ListOptions, Status } from "@kubets/apimachinery/meta/v1";
import type { ObjectWatchEvent } from "@kubets/apimachinery/watch";
import type { Watch, WatchEvent } from "../cache/listwatch.js";
import { sleep } from "../internal/sleep.js";

/** What a RetryWatcher watches through: any client's `watch(options)` (typed, dynamic, metadata, a ListerWatcher). */
export interface WatcherClient<T> {
  watch(options: ListOptions & { signal?: AbortSignal }): Promise<AsyncIterable<WatchEvent<T> | ObjectWatchEvent<T>> & { stop(): void }>;
}

/** Options of {@link newRetryWatcher}. */
export interface RetryWatcherOptions {
  /** Stops the watcher (as `stop()`). */
  signal?: AbortSignal;
  /** The least time between the starts of two watches, ms (client-go: 1 s). */
  minRestartDelay?: number;
  /**
   * How many watches in a row may fail (an error, not a clean end) before the watcher gives up and
   * rethrows the last error (default 300: five minutes at the default delay). A watch that delivers
   * an event resets the count.
   */
  maxConsecutiveFailures?: number;
}

function internalError(message: string): StatusError {
  const status: Status = { kind: "Status", apiVersion: "v1", status: "Failure", code: 500, reason: "InternalError", message, details: { causes: [{ message }] } };
  return new StatusError(status);
}

function resourceVersionOf(obj: unknown): string | undefined {
  if (typeof obj !== "object" || obj === null) return undefined;
  const rv = (obj as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
  return typeof rv === "string" ? rv : undefined;
}

/** Carries an error that ends the watcher out of the per-watch error handling. */
class Fatal {
  constructor(readonly err: unknown) {}
}

function goneError(rv: string, cause: StatusError): StatusError {
  const message =
    `retry watcher: resourceVersion ${rv} is too old to watch from (${cause.code} ${cause.reason}: ${cause.message}); ` +
    "list again and start a new watch from the list's resourceVersion";
  return new StatusError({ ...cause.status, message }, { cause });
}

/** client-go's RetryWatcher; iterate it once (for await), `stop()` to end it. */
export class RetryWatcher<T> implements AsyncIterable<ObjectWatchEvent<T>> {
  #lastResourceVersion: string;
  readonly #client: WatcherClient<T>;
  readonly #controller = new AbortController();
  readonly #minRestartDelay: number;
  readonly #maxFailures: number;
  #iterated = false;
  #current: { stop(): void } | undefined;
  readonly #done: Promise<void>;
  #resolveDone!: () => void;

  constructor(initialResourceVersion: string, client: WatcherClient<T>, options: RetryWatcherOptions = {}) {
    this.#lastResourceVersion = initialResourceVersion;
    this.#client = client;
    this.#minRestartDelay = options.minRestartDelay ?? 1000;
    this.#maxFailures = options.maxConsecutiveFailures ?? 300;
    this.#done = new Promise((resolve) => (this.#resolveDone = resolve));
    const signal = options.signal;
    if (signal !== undefined) {
      if (signal.aborted) this.stop();
      else signal.addEventListener("abort", () => this.stop(), { once: true });
    }
  }

  /** The resourceVersion of the last event delivered (or bookmark seen). */
  lastResourceVersion(): string {
    return this.#lastResourceVersion;
  }

  /** Ends the watcher: the iteration finishes after the event being delivered. */
  stop(): void {
    this.#controller.abort();
    this.#current?.stop();
  }

  /** Resolves when the watcher has ended (stopped, or failed). */
  done(): Promise<void> {
    return this.#done;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ObjectWatchEvent<T>, void, undefined> {
    if (this.#iterated) throw new TypeError("a RetryWatcher can be iterated only once");
    this.#iterated = true;
    const signal = this.#controller.signal;
    let failures = 0;
    try {
      while (!signal.aborted) {
        const started = Date.now();
        let retryAfter = 0;
        let failed: unknown;
        let w: (AsyncIterable<WatchEvent<T> | ObjectWatchEvent<T>> & { stop(): void }) | undefined;
        try {
          w = await this.#client.watch({ resourceVersion: this.#lastResourceVersion, allowWatchBookmarks: true, signal });
        } catch (err) {
          if (signal.aborted) return;
          if (isForbidden(err) || isUnauthorized(err)) throw err;
          failed = err;
        }
        if (w !== undefined) {
          this.#current = w;
          if (signal.aborted) w.stop();
          try {
            for await (const ev of w) {
              if (signal.aborted) return;
              if (ev.type === "ERROR") {
                const err = fromObject(ev.object);
                if (!(err instanceof StatusError)) {
                  failed = err;
                  break;
                }
                if (isGone(err) || isResourceExpired(err)) throw new Fatal(goneError(this.#lastResourceVersion, err));
                retryAfter = (err.status.details?.retryAfterSeconds ?? 0) * 1000;
                failed = err;
                break;
              }
              if (ev.type !== "ADDED" && ev.type !== "MODIFIED" && ev.type !== "DELETED" && ev.type !== "BOOKMARK") {
                throw new Fatal(internalError(`retryWatcher failed to recognize Event type ${JSON.stringify(ev.type)}`));
              }
              const rv = resourceVersionOf(ev.object);
              if (rv === undefined || rv === "") {
                throw new Fatal(internalError(`retryWatcher: object of a ${ev.type} event has no metadata.resourceVersion; a RetryWatcher needs objects with a resourceVersion`));
              }
              failures = 0;
              this.#lastResourceVersion = rv;
              if (ev.type !== "BOOKMARK") yield ev;
              if (signal.aborted) return;
            }
          } catch (err) {
            if (err instanceof Fatal) throw err.err;
            if (signal.aborted) return;
            // A typed watch throws the StatusError of an ERROR event instead of yielding it.
            if (err instanceof StatusError && (isGone(err) || isResourceExpired(err))) throw goneError(this.#lastResourceVersion, err);
            failed = err;
            if (err instanceof StatusError) retryAfter = (err.status.details?.retryAfterSeconds ?? 0) * 1000;
          } finally {
            w.stop();
            this.#current = undefined;
          }
        }
        if (failed !== undefined && ++failures >= this.#maxFailures) throw failed;
        // As client-go's NonSlidingUntil: at least minRestartDelay between the starts of two watches.
        const wait = Math.max(retryAfter, this.#minRestartDelay - (Date.now() - started));
        if (wait > 0) await sleep(wait, signal);
      }
    } finally {
      this.#controller.abort();
      this.#resolveDone();
    }
  }
}

/**
 * client-go's NewRetryWatcherWithContext. The initial resourceVersion must be a real one (from a
 * list or a get): `""` and `"0"` are refused, as in Go, because a watch from them starts with
 * synthetic events that cannot be resumed.
 */
export function newRetryWatcher<T>(initialResourceVersion: string, client: WatcherClient<T>, options: RetryWatcherOptions = {}): RetryWatcher<T> {
  if (initialResourceVersion === "" || initialResourceVersion === "0") {
    throw new TypeError(
      `initial resourceVersion ${JSON.stringify(initialResourceVersion)} is not supported by a RetryWatcher: start from the resourceVersion of a list or a get`,
    );
  }
  return new RetryWatcher<T>(initialResourceVersion, client, options);
}

export type { Watch };
