/**
 * Reflector (client-go tools/cache reflector.go, tools/pager): keeps a store in step with
 * the API server by listing, then watching from the list's resourceVersion. When a watch ends
 * (closed by the server, or its connection cut, reset or found dead) it re-watches from the last
 * resourceVersion it saw; it relists only when that version expired (410) or a watch ended
 * without a single event in under a second, as client-go's reflector. It never gives up: every
 * other failure is reported to the watch error handler and followed by a relist after a
 * jittered exponential backoff, until the AbortSignal passed to `run` fires.
 */
import { fromObject, hasStatusCause, isGone, isInternalError, isResourceExpired, isTimeout, isTooManyRequests, apiStatusOf } from "@kubets/apimachinery/errors";
import type { ListOptions } from "@kubets/apimachinery/meta/v1";
import type { ReflectorStore } from "./delta-fifo.js";
import type { ListResult, ListWatchOptions, ListerWatcher, Watch, WatchEvent } from "./listwatch.js";
import type { BackoffOptions } from "../internal/backoff.js";
import { BackoffManager } from "../internal/backoff.js";
import { handleError } from "../internal/errors.js";
import { abortPromise, sleep } from "../internal/sleep.js";

/** The annotation on the BOOKMARK that ends the initial events of a streaming list. */
export const InitialEventsAnnotationKey = "k8s.io/initial-events-end";

/** Default page size of the initial list (client-go's pager). */
export const defaultPageSize = 500;

const defaultMinWatchTimeout = 5 * 60_000;

/** Called with every error that made a list/watch cycle end. */
export type WatchErrorHandler = (reflector: Reflector<unknown>, err: unknown) => void;

/** Reports anything but the expected ends of a watch (expiry, end of stream). */
export const defaultWatchErrorHandler: WatchErrorHandler = (r, err) => {
  if (isExpiredError(err)) return;
  handleError(err, `${r.name}: failed to watch ${r.typeDescription}`);
};

/** Options of {@link Reflector}. */
export interface ReflectorOptions {
  /** Used in error messages. */
  name?: string;
  /** What is being reflected, e.g. "*v1.Pod". */
  typeDescription?: string;
  /** How often to call `store.resync()` (when {@link shouldResync} agrees), in ms; 0 = never. */
  resyncPeriod?: number;
  /** Asked before each periodic resync. */
  shouldResync?: () => boolean;
  /** Lower bound of the random watch timeout, in ms (client-go: 5 min; upper bound is twice it). */
  minWatchTimeout?: number;
  /** Backoff between failed list/watch cycles (client-go's defaults when omitted). */
  backoff?: BackoffOptions;
  /** Page size of the initial list; default 500. */
  pageSize?: number;
  /**
   * Use a streaming list (watch with sendInitialEvents=true) instead of list, falling back
   * to list when the server refuses. Off by default.
   */
  useWatchList?: boolean;
  watchErrorHandler?: WatchErrorHandler;
}

/** The watch ended in less than a second without a single event. */
export class VeryShortWatchError extends Error {
  override readonly name = "VeryShortWatchError" as const;
  constructor(reflectorName: string) {
    super(`very short watch: ${reflectorName}: Unexpected watch close - watch lasted less than a second and no items received`);
  }
}

const STOP: unique symbol = Symbol("stop");

interface ActiveWatch<T> {
  watch: Watch<T>;
  it: AsyncIterator<WatchEvent<T>>;
}

/** client-go's Reflector. */
export class Reflector<T> {
  readonly name: string;
  readonly typeDescription: string;
  /** Asked before each periodic resync; may be set before `run`. */
  shouldResync: (() => boolean) | undefined;
  private readonly lw: ListerWatcher<T>;
  private readonly store: ReflectorStore<T>;
  private readonly resyncPeriod: number;
  private readonly minWatchTimeout: number;
  private readonly maxWatchTimeout: number;
  private readonly backoff: BackoffManager;
  private readonly pageSize: number | undefined;
  private readonly useWatchList: boolean;
  private watchErrorHandler: WatchErrorHandler;
  private lastSyncRV = "";
  private isLastSyncRVUnavailable = false;
  private paginatedResult = false;

  constructor(lw: ListerWatcher<T>, store: ReflectorStore<T>, options: ReflectorOptions = {}) {
    this.lw = lw;
    this.store = store;
    this.name = options.name ?? "reflector";
    this.typeDescription = options.typeDescription ?? "object";
    this.resyncPeriod = options.resyncPeriod ?? 0;
    this.shouldResync = options.shouldResync;
    this.minWatchTimeout = Math.max(options.minWatchTimeout ?? 0, defaultMinWatchTimeout);
    this.maxWatchTimeout = 2 * this.minWatchTimeout;
    this.backoff = new BackoffManager(options.backoff);
    this.pageSize = options.pageSize;
    this.useWatchList = options.useWatchList ?? false;
    this.watchErrorHandler = options.watchErrorHandler ?? defaultWatchErrorHandler;
  }

  /** Replaces the handler told about each failed list/watch cycle. */
  setWatchErrorHandler(handler: WatchErrorHandler): void {
    this.watchErrorHandler = handler;
  }

  /** The resourceVersion the store was last synced to (from a list, an event or a bookmark). */
  lastSyncResourceVersion(): string {
    return this.lastSyncRV;
  }

  /**
   * Lists and watches until `signal` aborts, relisting after any error with backoff.
   * Resolves once stopped; never rejects.
   */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.listAndWatch(signal);
      } catch (err) {
        if (!signal.aborted) this.reportError(err);
      }
      if (signal.aborted) break;
      await sleep(this.backoff.next(), signal);
    }
  }

  /** One cycle: list (or streaming list), then watch until an error ends it. */
  async listAndWatch(signal: AbortSignal): Promise<void> {
    let w: ActiveWatch<T> | undefined;
    try {
      let fallbackToList = !this.useWatchList;
      if (this.useWatchList) {
        try {
          w = await this.watchList(signal);
          if (w === undefined) return;
        } catch {
          // The server may not support streaming lists: fall back to a regular list.
          fallbackToList = true;
          w = undefined;
        }
      }
      if (fallbackToList) {
        await this.list(signal);
        if (signal.aborted) return;
      }
      await this.watchWithResync(signal, w);
      w = undefined;
    } finally {
      if (w !== undefined) stopWatch(w);
    }
  }

  private reportError(err: unknown): void {
    try {
      this.watchErrorHandler(this as Reflector<unknown>, err);
    } catch (e) {
      handleError(e, `${this.name}: watch error handler threw`);
    }
  }

  private relistResourceVersion(): string {
    if (this.isLastSyncRVUnavailable) return "";
    if (this.lastSyncRV === "") return "0";
    return this.lastSyncRV;
  }

  private rewatchResourceVersion(): string {
    return this.isLastSyncRVUnavailable ? "" : this.lastSyncRV;
  }

  private watchTimeoutSeconds(): number {
    const min = this.minWatchTimeout / 1000;
    const max = this.maxWatchTimeout / 1000;
    return Math.floor(min + Math.random() * (max - min));
  }

  private async list(signal: AbortSignal): Promise<void> {
    const options: ListOptions = { resourceVersion: this.relistResourceVersion() };
    let pageSize = defaultPageSize;
    if (this.pageSize !== undefined && this.pageSize !== 0) {
      pageSize = this.pageSize;
    } else if (!this.paginatedResult && options.resourceVersion !== "" && options.resourceVersion !== "0") {
      // A list at a specific resourceVersion is served whole from the watch cache.
      pageSize = 0;
    }
    let result: { list: ListResult<T>; paginated: boolean };
    try {
      try {
        result = await this.pagedList(options, pageSize, signal);
      } catch (err) {
        if (signal.aborted) return;
        if (!isExpiredError(err) && !isTooLargeResourceVersionError(err)) throw err;
        this.isLastSyncRVUnavailable = true;
        result = await this.pagedList({ resourceVersion: this.relistResourceVersion() }, pageSize, signal);
      }
    } catch (err) {
      if (signal.aborted) return;
      throw new Error(`failed to list ${this.typeDescription}: ${messageOf(err)}`, { cause: err });
    }
    if (signal.aborted) return;
    if (options.resourceVersion === "0" && result.paginated) this.paginatedResult = true;
    this.isLastSyncRVUnavailable = false;
    const rv = result.list.metadata?.resourceVersion ?? "";
    try {
      this.store.replace(result.list.items, rv);
    } catch (err) {
      throw new Error(`unable to sync list result: ${messageOf(err)}`, { cause: err });
    }
    this.lastSyncRV = rv;
  }

  /** client-go's pager: follows `continue`, and on an expired continue token lists in full. */
  private async pagedList(
    initial: ListOptions,
    pageSize: number,
    signal: AbortSignal,
  ): Promise<{ list: ListResult<T>; paginated: boolean }> {
    const options: ListWatchOptions = { ...initial, signal };
    if ((options.limit ?? 0) === 0 && pageSize > 0) options.limit = pageSize;
    let paginated = false;
    let items: T[] | undefined;
    let rv = "";
    for (;;) {
      let page: ListResult<T>;
      try {
        page = await orAbort(this.lw.list({ ...options }), signal);
      } catch (err) {
        if (!isResourceExpired(err) || (options.continue ?? "") === "") throw err;
        // The continue token expired while paging: fall back to one full list.
        const full: ListWatchOptions = { ...options };
        delete full.limit;
        delete full.continue;
        return { list: await orAbort(this.lw.list(full), signal), paginated };
      }
      const cont = page.metadata?.continue ?? "";
      if (cont === "" && items === undefined) return { list: page, paginated };
      if (items === undefined) {
        items = [];
        rv = page.metadata?.resourceVersion ?? "";
      }
      for (const it of page.items) items.push(it);
      if (cont === "") return { list: { metadata: { resourceVersion: rv }, items }, paginated };
      options.continue = cont;
      delete options.resourceVersion;
      delete options.resourceVersionMatch;
      paginated = true;
    }
  }

  private async watchList(signal: AbortSignal): Promise<ActiveWatch<T> | undefined> {
    const retriable = async (err: unknown): Promise<boolean> => {
      if (isWatchErrorRetriable(err)) {
        await sleep(this.backoff.next(), signal);
        return true;
      }
      if (isExpiredError(err) || isTooLargeResourceVersionError(err)) {
        this.isLastSyncRVUnavailable = true;
        return true;
      }
      return false;
    };
    for (;;) {
      if (signal.aborted) return undefined;
      let resourceVersion = "";
      const items = new Map<string, T>();
      const lastKnownRV = this.rewatchResourceVersion();
      const options: ListWatchOptions = {
        allowWatchBookmarks: true,
        sendInitialEvents: true,
        resourceVersionMatch: "NotOlderThan",
        timeoutSeconds: this.watchTimeoutSeconds(),
        signal,
      };
      if (lastKnownRV !== "") options.resourceVersion = lastKnownRV;
      const start = Date.now();
      let w: ActiveWatch<T>;
      try {
        w = openWatch(await orAbort(this.lw.watch(options), signal, stopLate));
      } catch (err) {
        if (signal.aborted) return undefined;
        if (await retriable(err)) continue;
        throw err;
      }
      const temp: ReflectorStore<T> = {
        add: (o) => items.set(objectKey(o), o),
        update: (o) => items.set(objectKey(o), o),
        delete: (o) => items.delete(objectKey(o)),
        replace: () => {},
        resync: () => {},
      };
      let done: boolean;
      const interrupt = new Interrupt(signal);
      try {
        done = await this.handleAnyWatch(
          interrupt,
          start,
          w,
          temp,
          (rv, besidesAdded) => {
            if (besidesAdded) resourceVersion = rv;
          },
          true,
        );
      } catch (err) {
        stopWatch(w);
        if (err === STOP) return undefined;
        if (await retriable(err)) continue;
        throw err;
      } finally {
        interrupt.dispose();
      }
      if (!done) {
        stopWatch(w);
        continue;
      }
      this.isLastSyncRVUnavailable = false;
      this.store.replace(Array.from(items.values()), resourceVersion);
      this.lastSyncRV = resourceVersion;
      return w;
    }
  }

  private async watchWithResync(signal: AbortSignal, w: ActiveWatch<T> | undefined): Promise<void> {
    const interrupt = new Interrupt(signal);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (): void => {
      if (this.resyncPeriod <= 0 || signal.aborted) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (this.shouldResync === undefined || this.shouldResync()) {
          try {
            this.store.resync();
          } catch (err) {
            interrupt.trigger(err);
            return;
          }
        }
        schedule();
      }, this.resyncPeriod);
    };
    schedule();
    try {
      await this.watch(signal, w, interrupt);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      interrupt.dispose();
    }
  }

  private async watch(signal: AbortSignal, initial: ActiveWatch<T> | undefined, interrupt: Interrupt): Promise<void> {
    let w = initial;
    try {
      for (;;) {
        if (signal.aborted) return;
        const start = Date.now();
        let propagateRVFromStart = true;
        if (w === undefined) {
          const options: ListWatchOptions = {
            resourceVersion: this.lastSyncResourceVersion(),
            timeoutSeconds: this.watchTimeoutSeconds(),
            allowWatchBookmarks: true,
            signal,
          };
          if (options.resourceVersion === "" || options.resourceVersion === "0") propagateRVFromStart = false;
          try {
            w = openWatch(await orAbort(this.lw.watch(options), signal, stopLate));
          } catch (err) {
            if (signal.aborted) return;
            if (isWatchErrorRetriable(err)) {
              await sleep(this.backoff.next(), signal);
              continue;
            }
            throw err;
          }
        }
        const current = w;
        w = undefined;
        let err: unknown;
        let failed = false;
        try {
          await this.handleAnyWatch(
            interrupt,
            start,
            current,
            this.store,
            (rv, besidesAdded) => {
              if (propagateRVFromStart || besidesAdded) this.lastSyncRV = rv;
            },
            false,
          );
        } catch (e) {
          err = e;
          failed = true;
        } finally {
          stopWatch(current);
        }
        if (!failed) continue;
        if (err === STOP) return;
        if (isExpiredError(err)) return; // relist
        if (isTooManyRequests(err)) {
          await sleep(this.backoff.next(), signal);
          continue;
        }
        // Anything else ends this cycle; the caller relists after backoff.
        if (!signal.aborted) this.reportError(err);
        return;
      }
    } finally {
      if (w !== undefined) stopWatch(w);
    }
  }

  /**
   * Feeds watch events into `store` until the stream ends (resolves false), the
   * initial-events-end bookmark arrives when `exitOnInitialEventsEnd` (resolves true), or an
   * error (rejects; STOP when the signal aborted).
   */
  private async handleAnyWatch(
    interrupt: Interrupt,
    start: number,
    w: ActiveWatch<T>,
    store: ReflectorStore<T>,
    setLastSyncResourceVersion: (rv: string, eventReceivedBesidesAdded: boolean) => void,
    exitOnInitialEventsEnd: boolean,
  ): Promise<boolean> {
    let bookmarkReceived = false;
    let besidesAdded = false;
    let count = 0;
    for (;;) {
      if (interrupt.reason !== undefined) throw interrupt.reason;
      let r: IteratorResult<WatchEvent<T>>;
      try {
        r = await interrupt.race(w.it.next());
      } catch (err) {
        // As client-go's StreamWatcher: a connection that was cut, reset or went silent ends the watch
        // like a close by the server, so the reflector re-watches from its last resourceVersion.
        if (interrupt.reason === undefined && isWatchStreamCut(err)) break;
        throw err;
      }
      if (r.done === true) break;
      const event = r.value;
      if (event.type === "ERROR") throw fromObject(event.object);
      const obj = event.object as unknown;
      if (typeof obj !== "object" || obj === null) {
        handleError(new Error(`watch event object is not an object: ${String(obj)}`), `${this.name}: unable to understand watch event`);
        continue;
      }
      const metadata = (obj as { metadata?: { resourceVersion?: string; annotations?: Record<string, string> } }).metadata;
      const resourceVersion = metadata?.resourceVersion ?? "";
      try {
        switch (event.type) {
          case "ADDED":
            store.add(event.object);
            break;
          case "MODIFIED":
            besidesAdded = true;
            store.update(event.object);
            break;
          case "DELETED":
            besidesAdded = true;
            store.delete(event.object);
            break;
          case "BOOKMARK":
            besidesAdded = true;
            if (metadata?.annotations?.[InitialEventsAnnotationKey] === "true") bookmarkReceived = true;
            store.bookmark?.(resourceVersion);
            break;
          default:
            handleError(new Error(`unknown watch event type ${JSON.stringify((event as { type: unknown }).type)}`), `${this.name}: unknown watch event`);
        }
      } catch (err) {
        handleError(err, `${this.name}: unable to apply ${event.type} watch event to the store`);
      }
      setLastSyncResourceVersion(resourceVersion, besidesAdded);
      count++;
      if (exitOnInitialEventsEnd && bookmarkReceived) return true;
    }
    if (Date.now() - start < 1000 && count === 0) throw new VeryShortWatchError(this.name);
    return bookmarkReceived;
  }
}

/**
 * Cuts a pending await short when the signal aborts (reason STOP) or `trigger` is called
 * (e.g. a failed resync). Unlike racing against one long-lived promise, nothing piles up per
 * awaited event.
 */
class Interrupt {
  reason: unknown = undefined;
  private fire: ((reason: unknown) => void) | undefined;
  private readonly onAbort = (): void => this.trigger(STOP);

  constructor(private readonly signal: AbortSignal) {
    if (signal.aborted) this.reason = STOP;
    else signal.addEventListener("abort", this.onAbort, { once: true });
  }

  trigger(reason: unknown): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    const fire = this.fire;
    this.fire = undefined;
    fire?.(reason);
  }

  /** Settles like `p`, or rejects with the reason as soon as an interrupt comes. */
  race<V>(p: Promise<V>): Promise<V> {
    if (this.reason !== undefined) {
      p.catch(() => {});
      return Promise.reject(this.reason);
    }
    return new Promise<V>((resolve, reject) => {
      this.fire = reject;
      p.then(
        (v) => {
          this.fire = undefined;
          resolve(v);
        },
        (e: unknown) => {
          this.fire = undefined;
          reject(e);
        },
      );
    });
  }

  dispose(): void {
    this.signal.removeEventListener("abort", this.onAbort);
  }
}

/**
 * Awaits `p`, unless `signal` aborts first: then throws STOP at once, and hands the value to
 * `onLate` whenever it arrives (so a watch opened too late still gets stopped).
 */
async function orAbort<V>(p: Promise<V>, signal: AbortSignal, onLate?: (v: V) => void): Promise<V> {
  const late = (): void => {
    p.then(
      (v) => onLate?.(v),
      () => {},
    );
  };
  if (signal.aborted) {
    late();
    throw STOP;
  }
  const abort = abortPromise(signal);
  try {
    const r = await Promise.race([p, abort.promise.then((): typeof STOP => STOP)]);
    if (r === STOP) {
      late();
      throw STOP;
    }
    return r as V;
  } finally {
    abort.dispose();
  }
}

function stopLate<T>(w: Watch<T>): void {
  try {
    w.stop();
  } catch {
    // Nothing to do for a watch nobody will read.
  }
}

function openWatch<T>(watch: Watch<T>): ActiveWatch<T> {
  return { watch, it: watch[Symbol.asyncIterator]() };
}

function stopWatch<T>(w: ActiveWatch<T>): void {
  try {
    w.watch.stop();
  } catch (err) {
    handleError(err, "stopping a watch failed");
  }
  try {
    const r = w.it.return?.();
    if (r !== undefined) r.catch(() => {});
  } catch {
    // Already finished.
  }
}

function objectKey(o: unknown): string {
  const m = (o as { metadata?: { namespace?: string; name?: string } } | null)?.metadata;
  const ns = m?.namespace ?? "";
  return ns === "" ? (m?.name ?? "") : `${ns}/${m?.name ?? ""}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A watch or list failed because the resourceVersion is too old (410 Gone / Expired). */
export function isExpiredError(err: unknown): boolean {
  return isResourceExpired(err) || isGone(err);
}

/** The requested resourceVersion is ahead of the server's (ResourceVersionTooLarge). */
export function isTooLargeResourceVersionError(err: unknown): boolean {
  if (hasStatusCause(err, "ResourceVersionTooLarge")) return true;
  if (!isTimeout(err)) return false;
  const status = apiStatusOf(err);
  if (status === undefined) return false;
  for (const c of status.details?.causes ?? []) {
    if (c.message === "Too large resource version") return true;
  }
  return (status.message ?? "").includes("Too large resource version");
}

/**
 * True for errors that end a watch stream the way client-go's StreamWatcher ends it quietly
 * (net.IsProbableEOF, net.IsTimeout): a TransportError from a connection cut (FIN, RST, undici's
 * "other side closed"), an idle (dead) connection, or a timeout. The reflector re-watches from its last
 * resourceVersion after these instead of relisting.
 */
export function isWatchStreamCut(err: unknown): boolean {
  if (typeof err !== "object" || err === null || (err as { name?: unknown }).name !== "TransportError") return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && WATCH_CUT_CODES.has(code);
}

const WATCH_CUT_CODES: ReadonlySet<string> = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ERR_WATCH_IDLE_TIMEOUT", "ERR_WATCH_DEADLINE", "ETIMEDOUT"]);

/** Errors after which a watch is retried without relisting: connection refused, 429. */
export function isWatchErrorRetriable(err: unknown): boolean {
  return isConnectionRefused(err) || isTooManyRequests(err);
}

/** An internal (500) error; exported for callers that want client-go's retry policy. */
export { isInternalError };

function isConnectionRefused(err: unknown): boolean {
  const seen = new Set<unknown>();
  const stack: unknown[] = [err];
  while (stack.length > 0) {
    const e = stack.pop();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    if ((e as { code?: unknown }).code === "ECONNREFUSED") return true;
    stack.push((e as { cause?: unknown }).cause);
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) stack.push(...errors);
  }
  return false;
}
