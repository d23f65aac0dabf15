/**
 * An in-memory ListerWatcher for unit tests (the role of client-go's FakeControllerSource):
 * a resourceVersion counter, an event history, live watches, pagination, compaction (410)
 * and injectable failures.
 */
import { StatusError, newResourceExpired } from "@kubets/apimachinery/errors";
import type { ListResult, ListWatchOptions, ListerWatcher, Watch, WatchEvent, WatchEventType } from "../src/index.js";
import type { Obj } from "./helpers.js";

class Channel<T> implements AsyncIterable<WatchEvent<T>> {
  private queue: Array<{ ev?: WatchEvent<T>; err?: unknown; end?: true }> = [];
  private waiter: (() => void) | undefined;
  closed = false;
  push(ev: WatchEvent<T>): void {
    if (this.closed) return;
    this.queue.push({ ev });
    this.wake();
  }
  fail(err: unknown): void {
    if (this.closed) return;
    this.queue.push({ err });
    this.closed = true;
    this.wake();
  }
  end(): void {
    if (this.closed) return;
    this.queue.push({ end: true });
    this.closed = true;
    this.wake();
  }
  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    for (;;) {
      const item = this.queue.shift();
      if (item === undefined) {
        await new Promise<void>((r) => (this.waiter = r));
        continue;
      }
      if (item.end === true) return;
      if (item.err !== undefined) throw item.err;
      if (item.ev !== undefined) yield item.ev;
    }
  }
}

export interface FakeWatch {
  options: ListWatchOptions;
  channel: Channel<Obj>;
  stopped: boolean;
}

export class FakeSource implements ListerWatcher<Obj> {
  rv = 0;
  /** Events at or below this resourceVersion are gone: watching from older versions gets 410. */
  compactedRV = 0;
  items = new Map<string, Obj>();
  history: Array<{ rv: number; ev: WatchEvent<Obj> }> = [];
  watches: FakeWatch[] = [];
  listCalls: ListWatchOptions[] = [];
  watchCalls: ListWatchOptions[] = [];
  listFailures: unknown[] = [];
  watchFailures: unknown[] = [];
  /** Continue tokens that have expired. */
  expireContinue = false;
  /** Honour sendInitialEvents (streaming list); otherwise such a watch is rejected. */
  supportsWatchList = false;

  private key(o: Obj): string {
    return o.metadata.namespace === undefined ? o.metadata.name : `${o.metadata.namespace}/${o.metadata.name}`;
  }

  private emit(type: WatchEventType, o: Obj): void {
    const ev = { type, object: o };
    this.history.push({ rv: this.rv, ev });
    for (const w of this.watches) if (!w.stopped) w.channel.push(ev);
  }

  private stamp(o: Obj): Obj {
    this.rv++;
    return { ...o, metadata: { ...o.metadata, resourceVersion: String(this.rv) } };
  }

  add(o: Obj): Obj {
    const s = this.stamp(o);
    this.items.set(this.key(s), s);
    this.emit("ADDED", s);
    return s;
  }

  modify(o: Obj): Obj {
    const s = this.stamp(o);
    this.items.set(this.key(s), s);
    this.emit("MODIFIED", s);
    return s;
  }

  delete(o: Obj): Obj {
    const s = this.stamp(o);
    this.items.delete(this.key(s));
    this.emit("DELETED", s);
    return s;
  }

  /** Changes state without telling any watch (as if events were lost). */
  silently(fn: () => void): void {
    const watches = this.watches;
    this.watches = [];
    try {
      fn();
    } finally {
      this.watches = watches;
    }
  }

  /** Sends a BOOKMARK at the current resourceVersion to all live watches. */
  bookmark(annotations?: Record<string, string>): void {
    const o: Obj = { metadata: { name: "", resourceVersion: String(this.rv), ...(annotations ? { annotations } : {}) } } as Obj;
    for (const w of this.watches) if (!w.stopped) w.channel.push({ type: "BOOKMARK", object: o });
  }

  /** Forgets history up to now: watches from older resourceVersions get 410 Gone. */
  compact(): void {
    this.compactedRV = this.rv;
    this.history = [];
  }

  live(): FakeWatch[] {
    return this.watches.filter((w) => !w.stopped && !w.channel.closed);
  }

  /** Ends every live watch with an error (thrown from iteration). */
  breakWatches(err: unknown): void {
    for (const w of this.live()) w.channel.fail(err);
  }

  /** Sends an ERROR event carrying a Status to every live watch. */
  errorEvent(status: object): void {
    for (const w of this.live()) w.channel.push({ type: "ERROR", object: status as Obj });
  }

  /** Closes every live watch cleanly (as a server-side timeout would). */
  closeWatches(): void {
    for (const w of this.live()) w.channel.end();
  }

  async list(options: ListWatchOptions): Promise<ListResult<Obj>> {
    this.listCalls.push(options);
    await Promise.resolve();
    const f = this.listFailures.shift();
    if (f !== undefined) throw f;
    const all = Array.from(this.items.values()).sort((a, b) => (this.key(a) < this.key(b) ? -1 : 1));
    let start = 0;
    let rv = String(this.rv);
    if (options.continue !== undefined && options.continue !== "") {
      if (this.expireContinue) throw newResourceExpired("The provided continue parameter is too old");
      const parsed = JSON.parse(options.continue) as { start: number; rv: string };
      start = parsed.start;
      rv = parsed.rv;
    }
    const limit = options.limit ?? 0;
    const end = limit > 0 ? Math.min(all.length, start + limit) : all.length;
    const metadata: { resourceVersion: string; continue?: string } = { resourceVersion: rv };
    if (end < all.length) metadata.continue = JSON.stringify({ start: end, rv });
    return { metadata, items: all.slice(start, end) };
  }

  async watch(options: ListWatchOptions): Promise<Watch<Obj>> {
    this.watchCalls.push(options);
    await Promise.resolve();
    const f = this.watchFailures.shift();
    if (f !== undefined) throw f;
    const channel = new Channel<Obj>();
    const w: FakeWatch = { options, channel, stopped: false };
    if (options.sendInitialEvents === true) {
      if (!this.supportsWatchList) {
        throw new StatusError({ kind: "Status", status: "Failure", code: 400, reason: "BadRequest", message: "sendInitialEvents unsupported" });
      }
      for (const o of Array.from(this.items.values())) channel.push({ type: "ADDED", object: o });
      const bm = { metadata: { name: "", resourceVersion: String(this.rv), annotations: { "k8s.io/initial-events-end": "true" } } } as Obj;
      channel.push({ type: "BOOKMARK", object: bm });
    } else {
      const from = Number(options.resourceVersion ?? "0");
      if (options.resourceVersion !== undefined && options.resourceVersion !== "" && from < this.compactedRV) {
        throw new StatusError({ kind: "Status", status: "Failure", code: 410, reason: "Expired", message: `too old resource version: ${from} (${this.compactedRV})` });
      }
      for (const h of this.history) if (h.rv > from) channel.push(h.ev);
    }
    this.watches.push(w);
    const it = channel;
    return {
      [Symbol.asyncIterator]: () => it[Symbol.asyncIterator](),
      stop: () => {
        w.stopped = true;
        channel.end();
      },
    };
  }
}

export function gone(): StatusError {
  return new StatusError({ kind: "Status", status: "Failure", code: 410, reason: "Expired", message: "too old resource version" });
}
