/**
 * client-go's tools/record EventCorrelator (events_cache.go): what happens to a core/v1 Event before
 * it is written. Similar events (same source, object, type and reason, different messages) are
 * aggregated once 10 arrive within 10 minutes into one "(combined from similar events)" event;
 * identical events are counted on one Event (count, lastTimestamp, patched); and a token bucket per
 * source and object (burst 25, then one per 5 minutes) drops the rest.
 */
import type { Event } from "@kubets/api/core/v1";
import { formatTime } from "@kubets/apimachinery/meta/v1";
import { generateEventName } from "../events/event-recorder.js";

const MAX_LRU_CACHE_ENTRIES = 4096;
const DEFAULT_AGGREGATE_MAX_EVENTS = 10;
const DEFAULT_AGGREGATE_INTERVAL_SECONDS = 600;
const DEFAULT_SPAM_BURST = 25;
const DEFAULT_SPAM_QPS = 1 / 300;

/** A map that forgets its least recently used key beyond `max` entries (k8s.io/utils/lru). */
class LRU<V> {
  readonly #map = new Map<string, V>();
  constructor(readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  add(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.max) {
      const oldest = this.#map.keys().next().value;
      if (oldest === undefined) break;
      this.#map.delete(oldest);
    }
  }
  get size(): number {
    return this.#map.size;
  }
}

const src = (e: Event): string[] => [e.source?.component ?? "", e.source?.host ?? ""];
const obj = (e: Event, fieldPath: boolean): string[] => {
  const o = e.involvedObject ?? {};
  return [o.kind ?? "", o.namespace ?? "", o.name ?? "", ...(fieldPath ? [o.fieldPath ?? ""] : []), o.uid ?? "", o.apiVersion ?? ""];
};

/** getEventKey: identical events share it. */
export function getEventKey(e: Event): string {
  return [...src(e), ...obj(e, true), e.type ?? "", e.reason ?? "", e.message ?? ""].join("");
}

/** getSpamKey: the spam filter's bucket (source, object, type). */
export function getSpamKey(e: Event): string {
  return [...src(e), ...obj(e, false), e.type ?? ""].join("");
}

/** EventAggregatorByReasonFunc: events alike but for the message share the aggregate key; the message is the local key. */
export function eventAggregatorByReasonFunc(e: Event): [aggregateKey: string, localKey: string] {
  return [[...src(e), ...obj(e, false), e.type ?? "", e.reason ?? "", e.reportingComponent ?? "", e.reportingInstance ?? ""].join(""), e.message ?? ""];
}

/** EventAggregatorByReasonMessageFunc. */
export function eventAggregatorByReasonMessageFunc(e: Event): string {
  return `(combined from similar events): ${e.message ?? ""}`;
}

/** Options of the correlator (client-go CorrelatorOptions); unset fields take client-go's defaults. */
export interface CorrelatorOptions {
  /** Entries of each cache (4096). */
  lruCacheSize?: number;
  /** Spam filter: events per source+object allowed at once (25). */
  burstSize?: number;
  /** Spam filter: refill rate in events per second (1/300). */
  qps?: number;
  keyFunc?: (e: Event) => [aggregateKey: string, localKey: string];
  messageFunc?: (e: Event) => string;
  spamKeyFunc?: (e: Event) => string;
  /** Distinct messages under one aggregate key before aggregating (10). */
  maxEvents?: number;
  /** Window of the aggregation, seconds (600). */
  maxIntervalInSeconds?: number;
  /** The clock (tests). */
  now?: () => Date;
}

/** EventSourceObjectSpamFilter: a token bucket per spam key; true means drop. */
export class EventSourceObjectSpamFilter {
  readonly #cache: LRU<{ tokens: number; last: number }>;
  constructor(
    lruCacheSize: number,
    readonly burst: number,
    readonly qps: number,
    readonly now: () => Date,
    readonly spamKeyFunc: (e: Event) => string,
  ) {
    this.#cache = new LRU(lruCacheSize);
  }

  filter(e: Event): boolean {
    const key = this.spamKeyFunc(e);
    const t = this.now().getTime();
    const rec = this.#cache.get(key) ?? { tokens: this.burst, last: t };
    rec.tokens = Math.min(this.burst, rec.tokens + ((t - rec.last) / 1000) * this.qps);
    rec.last = t;
    let drop = true;
    if (rec.tokens >= 1) {
      rec.tokens -= 1;
      drop = false;
    }
    this.#cache.add(key, rec);
    return drop;
  }
}

interface AggregateRecord {
  localKeys: Set<string>;
  lastTimestamp: number;
}

/** EventAggregator. */
export class EventAggregator {
  readonly #cache: LRU<AggregateRecord>;
  constructor(
    lruCacheSize: number,
    readonly keyFunc: (e: Event) => [string, string],
    readonly messageFunc: (e: Event) => string,
    readonly maxEvents: number,
    readonly maxIntervalInSeconds: number,
    readonly now: () => Date,
  ) {
    this.#cache = new LRU(lruCacheSize);
  }

  /** The event to write (the original, or an aggregate) and the key its count is kept under. */
  eventAggregate(e: Event): [Event, string] {
    const nowDate = this.now();
    const now = nowDate.getTime();
    const eventKey = getEventKey(e);
    const [aggregateKey, localKey] = this.keyFunc(e);
    let rec = this.#cache.get(aggregateKey);
    if (rec === undefined || now - rec.lastTimestamp > this.maxIntervalInSeconds * 1000) rec = { localKeys: new Set(), lastTimestamp: now };
    rec.localKeys.add(localKey);
    rec.lastTimestamp = now;
    this.#cache.add(aggregateKey, rec);
    if (rec.localKeys.size < this.maxEvents) return [e, eventKey];
    // Keep the set from growing without bound (Go pops an arbitrary key).
    const first = rec.localKeys.values().next().value;
    if (first !== undefined) rec.localKeys.delete(first);
    const ts = formatTime(nowDate);
    const aggregated: Event = {
      metadata: { name: generateEventName(e.involvedObject?.name ?? "", BigInt(now) * 1_000_000n), namespace: e.metadata?.namespace ?? "" },
      count: 1,
      firstTimestamp: ts,
      involvedObject: e.involvedObject,
      lastTimestamp: ts,
      message: this.messageFunc(e),
      ...(e.type !== undefined ? { type: e.type } : {}),
      ...(e.reason !== undefined ? { reason: e.reason } : {}),
      ...(e.source !== undefined ? { source: e.source } : {}),
    };
    return [aggregated, aggregateKey];
  }
}

interface EventLogEntry {
  count: number;
  firstTimestamp: string;
  name: string;
  resourceVersion: string;
}

/** What to do with one event: write `event` (patch with `patch` when count > 1), or skip it. */
export interface EventCorrelateResult {
  event?: Event;
  /** The strategic merge patch of an event seen before: its new count, lastTimestamp and message. */
  patch?: { count: number; lastTimestamp?: string; message?: string };
  skip: boolean;
}

/** client-go's EventCorrelator. */
export class EventCorrelator {
  readonly #filter: EventSourceObjectSpamFilter;
  readonly #aggregator: EventAggregator;
  readonly #log: LRU<EventLogEntry>;

  constructor(options: CorrelatorOptions = {}) {
    const size = options.lruCacheSize || MAX_LRU_CACHE_ENTRIES;
    const now = options.now ?? (() => new Date());
    this.#filter = new EventSourceObjectSpamFilter(size, options.burstSize || DEFAULT_SPAM_BURST, options.qps || DEFAULT_SPAM_QPS, now, options.spamKeyFunc ?? getSpamKey);
    this.#aggregator = new EventAggregator(
      size,
      options.keyFunc ?? eventAggregatorByReasonFunc,
      options.messageFunc ?? eventAggregatorByReasonMessageFunc,
      options.maxEvents || DEFAULT_AGGREGATE_MAX_EVENTS,
      options.maxIntervalInSeconds || DEFAULT_AGGREGATE_INTERVAL_SECONDS,
      now,
    );
    this.#log = new LRU(size);
  }

  /** EventCorrelate: aggregate, count repeats, then filter spam. */
  eventCorrelate(newEvent: Event): EventCorrelateResult {
    const [aggregate, key] = this.#aggregator.eventAggregate(newEvent);
    const event: Event = { ...aggregate, metadata: { ...aggregate.metadata } };
    const last = this.#log.get(key);
    let patch: EventCorrelateResult["patch"];
    if (last !== undefined && last.count > 0) {
      event.metadata.name = last.name;
      event.metadata.resourceVersion = last.resourceVersion;
      event.firstTimestamp = last.firstTimestamp;
      event.count = last.count + 1;
      patch = { count: event.count };
      if (event.lastTimestamp) patch.lastTimestamp = event.lastTimestamp;
      if (event.message) patch.message = event.message;
    }
    this.#log.add(key, {
      count: event.count ?? 0,
      firstTimestamp: event.firstTimestamp ?? "",
      name: event.metadata.name ?? "",
      resourceVersion: event.metadata.resourceVersion ?? "",
    });
    if (this.#filter.filter(event)) return { skip: true };
    return { event, ...(patch !== undefined ? { patch } : {}), skip: false };
  }

  /** UpdateState: remember the event as the server wrote it (its name, resourceVersion, count). */
  updateState(event: Event): void {
    this.#log.add(getEventKey(event), {
      count: event.count ?? 0,
      firstTimestamp: event.firstTimestamp ?? "",
      name: event.metadata?.name ?? "",
      resourceVersion: event.metadata?.resourceVersion ?? "",
    });
  }
}
