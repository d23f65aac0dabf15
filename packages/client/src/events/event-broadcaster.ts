/**
 * client-go tools/events eventBroadcasterImpl: receives the events recorders make, aggregates
 * repeats into series, and writes them to the API server (events.k8s.io/v1).
 *
 * Bounded everywhere: each watcher buffers at most `maxQueuedEvents` events and the writer queue
 * holds at most `maxQueuedEvents` writes (further events are dropped and counted, as client-go's
 * DropIfChannelFull); the series cache holds at most `maxCachedEvents` keys. A dead API server
 * therefore costs a fixed amount of memory, and nothing is ever thrown at the caller.
 */
import { hostname } from "node:os";
import type { Event } from "@kubets/api/events/v1";
import { apiStatusOf, isAlreadyExists, isNotFound } from "@kubets/apimachinery/errors";
import { loggerFor, type Logger } from "@kubets/apimachinery/log";
import { nowMicroTime, parseMicroTime } from "@kubets/apimachinery/meta/v1";
import { jitter, sleep } from "@kubets/apimachinery/util";
import type { EventsV1Interface } from "../gen/kubernetes/typed/events/v1.js";
import { RecorderImpl, type EventLog, type EventRecorder } from "./event-recorder.js";

const MAX_TRIES_PER_EVENT = 12;
const FINISH_TIME = 6 * 60_000;
const REFRESH_TIME = 30 * 60_000;
const MAX_QUEUED_EVENTS = 1000;
const DEFAULT_SLEEP = 10_000;
const MAX_CACHED_EVENTS = 4096;

/** Where events are written (tools/events EventSink). */
export interface EventSink {
  create(event: Event, signal?: AbortSignal): Promise<Event>;
  update(event: Event, signal?: AbortSignal): Promise<Event>;
  /** A strategic merge patch of the named event. */
  patch(event: Event, data: object, signal?: AbortSignal): Promise<Event>;
}

/** EventSinkImpl: writes through `clientset.eventsV1()`. */
export function newEventSink(client: Pick<EventsV1Interface, "events">): EventSink {
  const ns = (e: Event, verb: string): string => {
    const n = e.metadata?.namespace;
    if (!n) throw new Error(`can't ${verb} an event with empty namespace`);
    return n;
  };
  return {
    create: (e, signal) => client.events(ns(e, "create")).create(e, signal ? { signal } : {}),
    update: (e, signal) => client.events(ns(e, "update")).update(e, signal ? { signal } : {}),
    patch: (e, data, signal) => client.events(ns(e, "patch")).patch(e.metadata?.name ?? "", "application/strategic-merge-patch+json", data, signal ? { signal } : {}),
  };
}

export interface BroadcasterOptions {
  /** A clientset (its `eventsV1()` is used) or `clientset.eventsV1()` itself. Either this or `sink`. */
  client?: { eventsV1(): Pick<EventsV1Interface, "events"> } | Pick<EventsV1Interface, "events">;
  /** Where events go, instead of `client`. */
  sink?: EventSink;
  /** Events buffered per watcher, and writes queued for the sink (default 1000); more are dropped. */
  maxQueuedEvents?: number;
  /** Base wait (ms) between attempts to write one event (default 10 s, jittered by up to 25%). */
  sleepDuration?: number;
  /** Attempts per event before it is dropped (default 12). */
  maxTriesPerEvent?: number;
  /** How often (ms) open series are written again with their current count (default 30 min). */
  refreshInterval?: number;
  /** A series not seen for this long (ms) is written a last time and forgotten (default 6 min). */
  finishTime?: number;
  /** Keys remembered for aggregation (default 4096; the oldest is forgotten first). */
  maxCachedEvents?: number;
  /**
   * Where failures go (default: the shared logger's "events" component, see `setLogger` in
   * `@kubets/apimachinery/log`; errors reach stderr, info is silent).
   */
  logger?: Logger;
  /**
   * Receives each message instead of `logger`.
   * @deprecated Use `logger`.
   */
  log?: EventLog;
}

function eventKey(e: Event): string {
  const ref = (r: Event["regarding"]): unknown[] =>
    r ? [r.kind ?? "", r.namespace ?? "", r.name ?? "", r.uid ?? "", r.apiVersion ?? "", r.resourceVersion ?? "", r.fieldPath ?? ""] : [];
  return JSON.stringify([e.type ?? "", e.action ?? "", e.reason ?? "", e.reportingController ?? "", e.reportingInstance ?? "", ref(e.regarding), ref(e.related)]);
}

function copyEvent(e: Event): Event {
  return structuredClone(e);
}

function microTimeMs(t: string | null | undefined): number {
  if (!t) return 0;
  try {
    const u = parseMicroTime(t);
    return u.seconds * 1000 + Math.floor(u.nanos / 1e6);
  } catch {
    return 0;
  }
}

interface Watcher {
  buffer: Event[];
  handler: (event: Event) => void;
  scheduled: boolean;
  stopped: boolean;
}

/** tools/events EventBroadcaster. */
export class EventBroadcaster {
  readonly #sink: EventSink | undefined;
  readonly #maxQueued: number;
  readonly #sleep: number;
  readonly #maxTries: number;
  readonly #refresh: number;
  readonly #finish: number;
  readonly #maxCached: number;
  readonly #log: EventLog;
  readonly #watchers = new Set<Watcher>();
  /** Aggregation cache: key -> the event as last written (with its series when it has one). */
  readonly #cache = new Map<string, Event>();
  readonly #writes: Event[] = [];
  #writing: Promise<void> | undefined;
  #signal: AbortSignal | undefined;
  #shutdown = false;
  /** Counters, for logs and tests. */
  readonly stats = { dropped: 0, written: 0, failed: 0, aggregated: 0 };

  constructor(options: BroadcasterOptions) {
    const client = options.client;
    this.#sink = options.sink ?? (client ? newEventSink("eventsV1" in client ? client.eventsV1() : client) : undefined);
    this.#maxQueued = options.maxQueuedEvents ?? MAX_QUEUED_EVENTS;
    this.#sleep = options.sleepDuration ?? DEFAULT_SLEEP;
    this.#maxTries = options.maxTriesPerEvent ?? MAX_TRIES_PER_EVENT;
    this.#refresh = options.refreshInterval ?? REFRESH_TIME;
    this.#finish = options.finishTime ?? FINISH_TIME;
    this.#maxCached = options.maxCachedEvents ?? MAX_CACHED_EVENTS;
    const logger = options.logger ?? loggerFor("events");
    this.#log = options.log ?? ((level, m) => logger[level](m));
  }

  /** A recorder whose events carry these reporting fields (default instance: `<controller>-<hostname>`). */
  newRecorder(reportingController: string, reportingInstance = `${reportingController}-${hostname()}`): EventRecorder {
    return new RecorderImpl(reportingController, reportingInstance, (e) => this.#action(e), this.#log);
  }

  /** Calls `handler` (asynchronously, in order) with every event recorded from now on; returns a stop function. */
  startEventWatcher(handler: (event: Event) => void): () => void {
    const w: Watcher = { buffer: [], handler, scheduled: false, stopped: false };
    this.#watchers.add(w);
    return () => {
      w.stopped = true;
      w.buffer.length = 0;
      this.#watchers.delete(w);
    };
  }

  /** Logs every event through `log` (StartStructuredLogging). */
  startStructuredLogging(log: (message: string) => void): () => void {
    return this.startEventWatcher((e) =>
      log(`Event occurred: object=${e.regarding?.namespace ? `${e.regarding.namespace}/` : ""}${e.regarding?.name ?? ""} kind=${e.regarding?.kind ?? ""} type=${e.type ?? ""} reason=${e.reason ?? ""} action=${e.action ?? ""} note=${JSON.stringify(e.note ?? "")}`),
    );
  }

  /**
   * Writes recorded events to the API server until `signal` aborts (StartRecordingToSinkWithContext):
   * new events are created, a repeat of a cached event turns it into a series (count 2, patched),
   * later repeats raise the cached count, written every `refreshInterval` and when the series ends.
   */
  startRecordingToSink(signal: AbortSignal): void {
    if (!this.#sink) {
      this.#log("error", "events: startRecordingToSink needs a client or a sink");
      return;
    }
    this.#signal = signal;
    const stop = this.startEventWatcher((e) => this.#recordToSink(e));
    signal.addEventListener("abort", stop, { once: true });
    void this.#every(this.#refresh, signal, () => this.#refreshExistingSeries(signal));
    void this.#every(this.#finish, signal, () => this.#finishSeries(signal));
  }

  /**
   * Stops taking events and waits until the writes already queued are done (they end early when the
   * signal given to startRecordingToSink aborts). Watchers are stopped.
   */
  async shutdown(): Promise<void> {
    this.#shutdown = true;
    // Let watchers deliver what they hold, then wait for the writer.
    await new Promise((r) => setImmediate(r));
    for (const w of this.#watchers) w.stopped = true;
    this.#watchers.clear();
    await this.#writing;
  }

  /** Number of writes waiting. */
  queued(): number {
    return this.#writes.length;
  }

  #action(event: Event): void {
    if (this.#shutdown) return;
    for (const w of this.#watchers) {
      if (w.buffer.length >= this.#maxQueued) {
        this.stats.dropped++;
        continue;
      }
      w.buffer.push(event);
      if (!w.scheduled) {
        w.scheduled = true;
        setImmediate(() => this.#deliver(w));
      }
    }
  }

  #deliver(w: Watcher): void {
    w.scheduled = false;
    while (!w.stopped && w.buffer.length > 0) {
      const e = w.buffer.shift()!;
      try {
        w.handler(copyEvent(e));
      } catch (err) {
        this.#log("error", `events: event handler failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** recordToSink: aggregation by key, then a bounded queue of writes. */
  #recordToSink(event: Event): void {
    const key = eventKey(event);
    const cached = this.#cache.get(key);
    let toWrite: Event | undefined;
    if (cached) {
      this.stats.aggregated++;
      // Move the key to the end: the map's order is the eviction order.
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      if (cached.series) {
        cached.series.count++;
        cached.series.lastObservedTime = nowMicroTime();
      } else {
        cached.series = { count: 2, lastObservedTime: nowMicroTime() };
        toWrite = copyEvent(cached);
      }
    } else {
      this.#cache.set(key, event);
      while (this.#cache.size > this.#maxCached) {
        const oldest = this.#cache.keys().next().value;
        if (oldest === undefined) break;
        this.#cache.delete(oldest);
      }
      toWrite = copyEvent(event);
    }
    if (toWrite) this.#enqueue(toWrite);
  }

  #enqueue(event: Event): void {
    if (this.#writes.length >= this.#maxQueued) {
      this.stats.dropped++;
      return;
    }
    this.#writes.push(event);
    this.#writing ??= this.#drain().finally(() => {
      this.#writing = undefined;
    });
  }

  async #drain(): Promise<void> {
    while (this.#writes.length > 0) {
      const signal = this.#signal;
      if (signal?.aborted) {
        this.#writes.length = 0;
        return;
      }
      await this.#attemptRecording(this.#writes.shift()!, signal);
    }
  }

  async #attemptRecording(event: Event, signal: AbortSignal | undefined): Promise<void> {
    for (let tries = 1; ; tries++) {
      const { retry } = await this.#recordEvent(event, signal);
      if (!retry) return;
      if (tries >= this.#maxTries) {
        this.stats.failed++;
        this.#log("error", `events: unable to write event ${event.metadata?.namespace}/${event.metadata?.name} (retry limit exceeded)`);
        return;
      }
      try {
        await sleep(jitter(this.#sleep, 0.25), signal);
      } catch {
        return;
      }
    }
  }

  /** recordEvent: patch a series (create when it is gone), create otherwise. */
  async #recordEvent(event: Event, signal: AbortSignal | undefined): Promise<{ event?: Event; retry: boolean }> {
    const sink = this.#sink!;
    const isSeries = event.series !== undefined;
    let err: unknown;
    let written: Event | undefined;
    if (isSeries) {
      try {
        written = await sink.patch(event, { series: event.series }, signal);
      } catch (e) {
        err = e;
      }
    }
    if (!isSeries || (err !== undefined && isNotFound(err))) {
      err = undefined;
      try {
        const { resourceVersion: _rv, ...metadata } = event.metadata ?? {};
        written = await sink.create({ ...event, metadata }, signal);
      } catch (e) {
        err = e;
      }
    }
    if (err === undefined) {
      this.stats.written++;
      return { ...(written ? { event: written } : {}), retry: false };
    }
    if (signal?.aborted) return { retry: false };
    const msg = err instanceof Error ? err.message : String(err);
    if (apiStatusOf(err)) {
      if (isAlreadyExists(err)) {
        if (isSeries) return { retry: true };
        this.#log("info", `events: server rejected event (will not retry): ${msg}`);
      } else {
        this.stats.failed++;
        this.#log("error", `events: server rejected event ${event.metadata?.namespace}/${event.metadata?.name} (will not retry): ${msg}`);
      }
      return { retry: false };
    }
    this.#log("error", `events: unable to write event (may retry after sleeping): ${msg}`);
    return { retry: true };
  }

  async #every(period: number, signal: AbortSignal, fn: () => Promise<void>): Promise<void> {
    for (;;) {
      try {
        await sleep(period, signal);
      } catch {
        return;
      }
      try {
        await fn();
      } catch (err) {
        this.#log("error", `events: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** refreshExistingEventSeries: writes every open series with its current count. */
  async #refreshExistingSeries(signal: AbortSignal): Promise<void> {
    for (const [key, event] of [...this.#cache]) {
      if (!event.series || signal.aborted) continue;
      const { event: recorded, retry } = await this.#recordEvent(copyEvent(event), signal);
      if (!retry && recorded && this.#cache.has(key)) {
        // Keep the count observed while the write was in flight.
        const current = this.#cache.get(key)!;
        this.#cache.set(key, { ...recorded, series: current.series ?? recorded.series! });
      }
    }
  }

  /** finishSeries: a series not seen for finishTime is written a last time and forgotten; so is an old single event. */
  async #finishSeries(signal: AbortSignal): Promise<void> {
    const cutoff = Date.now() - this.#finish;
    for (const [key, event] of [...this.#cache]) {
      if (signal.aborted) return;
      if (event.series) {
        if (microTimeMs(event.series.lastObservedTime) < cutoff) {
          const { retry } = await this.#recordEvent(copyEvent(event), signal);
          if (!retry) this.#cache.delete(key);
        }
      } else if (microTimeMs(event.eventTime) < cutoff) {
        this.#cache.delete(key);
      }
    }
  }
}

/** NewBroadcaster. */
export function newBroadcaster(options: BroadcasterOptions): EventBroadcaster {
  return new EventBroadcaster(options);
}
