/**
 * client-go's tools/record: the core/v1 EventRecorder and EventBroadcaster that most controllers and
 * kubectl still read (`kubectl describe`, `kubectl get events`). Events go through client-go's
 * EventCorrelator (aggregation, counting of repeats, spam filter) and are written to an EventSink
 * with retries. For events.k8s.io/v1 see `@kubets/client/events`.
 *
 * Bounded: each watcher buffers at most `maxQueuedEvents` (1000, client-go's) events and drops the
 * rest (client-go's DropIfChannelFull); each event is tried `maxTriesPerEvent` (12) times; the
 * correlator's caches hold 4096 keys. Recording never throws and never waits for the API server.
 */
import { hostname } from "node:os";
import type { Event, EventSource, ObjectReference } from "@kubets/api/core/v1";
import { apiStatusOf, hasStatusCause, isAlreadyExists, isNotFound } from "@kubets/apimachinery/errors";
import { formatTime } from "@kubets/apimachinery/meta/v1";
import { sleep } from "@kubets/apimachinery/util";
import type { CoreV1Interface } from "../gen/kubernetes/typed/core/v1.js";
import { generateEventName } from "../events/event-recorder.js";
import { sprintf } from "../events/format.js";
import { getReference, type GetReferenceOptions, type ReferenceSubject } from "../reference/index.js";
import { EventCorrelator, type CorrelatorOptions, type EventCorrelateResult } from "./correlator.js";

export const EventTypeNormal = "Normal";
export const EventTypeWarning = "Warning";

/** The object an event is about; pass `{ kind, apiVersion }` in the recorder options for objects that lack them. */
export type EventObject = ReferenceSubject;

/** client-go's record.EventRecorder (core/v1). Calls never throw and never wait. */
export interface EventRecorder {
  /** An event with a fixed message. `eventtype` is "Normal" or "Warning"; `reason` a short UpperCamelCase word. */
  event(object: EventObject, eventtype: string, reason: string, message: string): void;
  /** The message is a Go-style format ("%s", "%d", "%v", "%q") applied to `args`. */
  eventf(object: EventObject, eventtype: string, reason: string, messageFmt: string, ...args: unknown[]): void;
  /** Same, with annotations on the Event. */
  annotatedEventf(object: EventObject, annotations: Record<string, string>, eventtype: string, reason: string, messageFmt: string, ...args: unknown[]): void;
}

/** Where events are written (record.EventSink). */
export interface EventSink {
  create(event: Event): Promise<Event>;
  update(event: Event): Promise<Event>;
  /** A strategic merge patch of the event. */
  patch(event: Event, data: object): Promise<Event>;
}

/** record's EventSinkImpl over `clientset.coreV1()`. */
export function newEventSink(coreV1: Pick<CoreV1Interface, "events">): EventSink {
  const ns = (e: Event): string => e.metadata?.namespace || "default";
  return {
    create: (e) => coreV1.events(ns(e)).create(e),
    update: (e) => coreV1.events(ns(e)).update(e),
    patch: (e, data) => coreV1.events(ns(e)).patch(e.metadata?.name ?? "", "application/strategic-merge-patch+json", data),
  };
}

/** Log lines of the broadcaster itself (failures); default: errors to console.error. */
export type RecordLog = (level: "info" | "error", message: string, keysAndValues?: Record<string, unknown>) => void;

/** Options of {@link newBroadcaster}. */
export interface BroadcasterOptions {
  /** Events each watcher buffers (1000); more are dropped and counted in `stats.dropped`. */
  maxQueuedEvents?: number;
  /** Base wait between attempts to write one event, ms (10 s; the first wait is random in [0, it)). */
  sleepDuration?: number;
  /** Attempts per event (12). */
  maxTriesPerEvent?: number;
  /** The correlator's settings (client-go CorrelatorOptions). */
  correlatorOptions?: CorrelatorOptions;
  log?: RecordLog;
}

/** Options of `newRecorder`. */
export interface RecorderOptions extends Omit<GetReferenceOptions, "fieldPath"> {
  /** The clock (tests). */
  now?: () => Date;
}

interface Watcher {
  buffer: Event[];
  handler: (event: Event) => void | Promise<void>;
  running: boolean;
  stopped: boolean;
}

/** client-go's record.EventBroadcaster. */
export class EventBroadcaster {
  readonly #maxQueued: number;
  readonly #sleep: number;
  readonly #maxTries: number;
  readonly #correlatorOptions: CorrelatorOptions;
  readonly #log: RecordLog;
  readonly #watchers = new Set<Watcher>();
  readonly #controller = new AbortController();
  readonly #idle = new Set<Promise<void>>();
  #shutdown = false;
  /** Counters, for logs and tests. */
  readonly stats = { dropped: 0, written: 0, skipped: 0, failed: 0 };

  constructor(options: BroadcasterOptions = {}) {
    this.#maxQueued = options.maxQueuedEvents ?? 1000;
    this.#sleep = options.sleepDuration ?? 10_000;
    this.#maxTries = options.maxTriesPerEvent ?? 12;
    this.#correlatorOptions = options.correlatorOptions ?? {};
    this.#log = options.log ?? ((level, m, kv) => (level === "error" ? console.error(`kubets/record: ${m}`, kv ?? "") : undefined));
  }

  /** A recorder for a component (`source.component`, e.g. the controller's name; `source.host` defaults to the hostname). */
  newRecorder(source: EventSource, options: RecorderOptions = {}): EventRecorder {
    const src: EventSource = { ...source };
    if (!src.host) src.host = hostname();
    return new RecorderImpl(src, options, (e) => this.#action(e), this.#log);
  }

  /** Calls `handler` with every event recorded from now on, in order; returns a function that stops it. */
  startEventWatcher(handler: (event: Event) => void | Promise<void>): () => void {
    const w: Watcher = { buffer: [], handler, running: false, stopped: false };
    this.#watchers.add(w);
    return () => {
      w.stopped = true;
      w.buffer.length = 0;
      this.#watchers.delete(w);
    };
  }

  /**
   * StartRecordingToSink: every event goes through a correlator (aggregation, counting, spam
   * filter) and is written to `sink` (or `clientset.coreV1()`'s events), retried up to
   * `maxTriesPerEvent` times. Returns a function that stops it.
   */
  startRecordingToSink(sink: EventSink | { coreV1(): Pick<CoreV1Interface, "events"> }): () => void {
    const s: EventSink = "coreV1" in sink ? newEventSink(sink.coreV1()) : sink;
    const correlator = new EventCorrelator(this.#correlatorOptions);
    return this.startEventWatcher((e) => this.#recordToSink(s, e, correlator));
  }

  /**
   * StartStructuredLogging: logs every event ("Event occurred" with object, fieldPath, kind,
   * apiVersion, type, reason, message) through `log` (default: console.info).
   */
  startStructuredLogging(log: (message: string, keysAndValues: Record<string, unknown>) => void = (m, kv) => console.info(m, kv)): () => void {
    return this.startEventWatcher((e) => {
      const o = e.involvedObject ?? {};
      log("Event occurred", {
        object: o.namespace ? `${o.namespace}/${o.name ?? ""}` : (o.name ?? ""),
        fieldPath: o.fieldPath ?? "",
        kind: o.kind ?? "",
        apiVersion: o.apiVersion ?? "",
        type: e.type ?? "",
        reason: e.reason ?? "",
        message: e.message ?? "",
      });
    });
  }

  /** StartLogging: each event as one line through `logf` (client-go's Eventf-style text). */
  startLogging(logf: (line: string) => void): () => void {
    return this.startEventWatcher((e) => {
      const o = e.involvedObject ?? {};
      logf(`Event(${JSON.stringify({ kind: o.kind, namespace: o.namespace, name: o.name, uid: o.uid, apiVersion: o.apiVersion, resourceVersion: o.resourceVersion, fieldPath: o.fieldPath })}): type: '${e.type ?? ""}' reason: '${e.reason ?? ""}' ${e.message ?? ""}`);
    });
  }

  /** Stops taking events, delivers what watchers hold, waits for writes in flight (retry waits end at once). */
  async shutdown(): Promise<void> {
    this.#shutdown = true;
    await new Promise((r) => setImmediate(r));
    while (this.#idle.size > 0) {
      this.#controller.abort();
      await Promise.all([...this.#idle]);
    }
    for (const w of this.#watchers) w.stopped = true;
    this.#watchers.clear();
    this.#controller.abort();
  }

  #action(event: Event): void {
    if (this.#shutdown) {
      this.stats.dropped++;
      return;
    }
    for (const w of this.#watchers) {
      if (w.buffer.length >= this.#maxQueued) {
        this.stats.dropped++;
        this.#log("error", "unable to record event: too many queued events, dropped event", { reason: event.reason, object: event.involvedObject?.name });
        continue;
      }
      w.buffer.push(structuredClone(event));
      if (!w.running) {
        w.running = true;
        const p: Promise<void> = this.#deliver(w).finally(() => this.#idle.delete(p));
        this.#idle.add(p);
      }
    }
  }

  async #deliver(w: Watcher): Promise<void> {
    await new Promise((r) => setImmediate(r));
    try {
      while (!w.stopped && w.buffer.length > 0) {
        const e = w.buffer.shift()!;
        try {
          await w.handler(e);
        } catch (err) {
          this.#log("error", `event handler failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    } finally {
      w.running = false;
    }
  }

  async #recordToSink(sink: EventSink, event: Event, correlator: EventCorrelator): Promise<void> {
    const result = correlator.eventCorrelate(event);
    if (result.skip || result.event === undefined) {
      this.stats.skipped++;
      return;
    }
    const signal = this.#controller.signal;
    for (let tries = 1; ; tries++) {
      if (await this.#recordEvent(sink, result, correlator)) return;
      if (tries >= this.#maxTries) {
        this.stats.failed++;
        this.#log("error", "unable to write event (retry limit exceeded)", { event: result.event.metadata?.name });
        return;
      }
      // The first wait is random so that many clients hitting a dead server spread out (as client-go).
      const delay = tries === 1 ? this.#sleep * Math.random() : this.#sleep;
      try {
        await sleep(delay, signal);
      } catch {
        this.#log("error", "unable to write event (broadcaster is shut down)", { event: result.event.metadata?.name });
        return;
      }
    }
  }

  /** recordEvent: true when done (written, or rejected for good), false to retry. */
  async #recordEvent(sink: EventSink, result: EventCorrelateResult, correlator: EventCorrelator): Promise<boolean> {
    const event = result.event!;
    const update = (event.count ?? 0) > 1 && result.patch !== undefined;
    let written: Event | undefined;
    let err: unknown;
    if (update) {
      try {
        written = await sink.patch(event, result.patch!);
      } catch (e) {
        err = e;
      }
    }
    if (!update || (err !== undefined && isNotFound(err))) {
      err = undefined;
      const { resourceVersion: _rv, ...metadata } = event.metadata ?? {};
      try {
        written = await sink.create({ ...event, metadata });
      } catch (e) {
        err = e;
      }
    }
    if (err === undefined) {
      this.stats.written++;
      if (written !== undefined) correlator.updateState(written);
      return true;
    }
    const msg = err instanceof Error ? err.message : String(err);
    if (apiStatusOf(err)) {
      if (isAlreadyExists(err) || hasStatusCause(err, "NamespaceTerminating")) this.#log("info", `server rejected event (will not retry): ${msg}`);
      else {
        this.stats.failed++;
        this.#log("error", `server rejected event (will not retry): ${msg}`, { event: event.metadata?.name });
      }
      return true;
    }
    this.#log("error", `unable to write event (may retry after sleeping): ${msg}`, { event: event.metadata?.name });
    return false;
  }
}

/** client-go's record.NewBroadcaster. */
export function newBroadcaster(options: BroadcasterOptions = {}): EventBroadcaster {
  return new EventBroadcaster(options);
}

let lastNano = 0n;
function uniqueUnixNano(ms: number): bigint {
  let ns = BigInt(ms) * 1_000_000n;
  if (ns <= lastNano) ns = lastNano + 1n;
  lastNano = ns;
  return ns;
}

class RecorderImpl implements EventRecorder {
  readonly #source: EventSource;
  readonly #options: RecorderOptions;
  readonly #emit: (e: Event) => void;
  readonly #log: RecordLog;

  constructor(source: EventSource, options: RecorderOptions, emit: (e: Event) => void, log: RecordLog) {
    this.#source = source;
    this.#options = options;
    this.#emit = emit;
    this.#log = log;
  }

  event(object: EventObject, eventtype: string, reason: string, message: string): void {
    this.#generate(object, undefined, eventtype, reason, message);
  }

  eventf(object: EventObject, eventtype: string, reason: string, messageFmt: string, ...args: unknown[]): void {
    this.#generate(object, undefined, eventtype, reason, sprintf(messageFmt, args));
  }

  annotatedEventf(object: EventObject, annotations: Record<string, string>, eventtype: string, reason: string, messageFmt: string, ...args: unknown[]): void {
    this.#generate(object, annotations, eventtype, reason, sprintf(messageFmt, args));
  }

  #generate(object: EventObject, annotations: Record<string, string> | undefined, eventtype: string, reason: string, message: string): void {
    let ref: ObjectReference;
    try {
      const { now: _now, ...refOptions } = this.#options;
      ref = getReference(object, refOptions);
    } catch (err) {
      this.#log("error", "could not construct reference, will not report event", { error: err instanceof Error ? err.message : String(err), type: eventtype, reason, message });
      return;
    }
    if (eventtype !== EventTypeNormal && eventtype !== EventTypeWarning) {
      this.#log("error", `unsupported event type ${JSON.stringify(eventtype)} (Normal or Warning), will not report event`, { reason, message });
      return;
    }
    const now = this.#options.now?.() ?? new Date();
    const t = formatTime(now);
    const event: Event = {
      metadata: {
        name: generateEventName(ref.name ?? "", uniqueUnixNano(now.getTime())),
        namespace: ref.namespace || "default",
        ...(annotations !== undefined ? { annotations: { ...annotations } } : {}),
      },
      involvedObject: ref,
      reason,
      message,
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type: eventtype,
      source: this.#source,
      ...(this.#source.component !== undefined ? { reportingComponent: this.#source.component } : {}),
      ...(this.#source.host !== undefined ? { reportingInstance: this.#source.host } : {}),
    };
    this.#emit(event);
  }
}
