// The event broadcaster over an in-memory sink: aggregation keys, series writes, retries, bounds.
import { describe, expect, it } from "vitest";
import type { Event } from "@kubets/api/events/v1";
import { newInternalError, newNotFound } from "@kubets/apimachinery/errors";
import { generateEventName, getReference, newBroadcaster, type EventSink } from "@kubets/client/events";

const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "ns", uid: "u1" } };

function memorySink(): EventSink & { calls: string[]; store: Map<string, Event>; fail: number } {
  const store = new Map<string, Event>();
  const sink = {
    calls: [] as string[],
    store,
    fail: 0,
    create(e: Event) {
      sink.calls.push(`create ${e.metadata?.name} ${e.series?.count ?? ""}`.trim());
      if (sink.fail > 0) {
        sink.fail--;
        return Promise.reject(new TypeError("fetch failed"));
      }
      store.set(e.metadata!.name!, structuredClone(e));
      return Promise.resolve(e);
    },
    update(e: Event) {
      return Promise.resolve(e);
    },
    patch(e: Event, data: object) {
      sink.calls.push(`patch ${e.metadata?.name} ${JSON.stringify(data)}`);
      const cur = store.get(e.metadata!.name!);
      if (!cur) return Promise.reject(newNotFound({ group: "events.k8s.io", resource: "events" }, e.metadata!.name!));
      Object.assign(cur, data);
      return Promise.resolve(cur);
    },
  };
  return sink;
}

async function settle(ms = 30): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

describe("EventBroadcaster", () => {
  it("creates a new event, patches the series on the first repeat, counts later repeats in memory", async () => {
    const sink = memorySink();
    const b = newBroadcaster({ sink, log: () => undefined });
    const stop = new AbortController();
    b.startRecordingToSink(stop.signal);
    const r = b.newRecorder("kubets.dev/c", "i");
    r.eventf(pod, undefined, "Normal", "Pulled", "Pull", "image %q pulled", "nginx");
    await settle();
    r.eventf(pod, undefined, "Normal", "Pulled", "Pull", "image %q pulled", "nginx");
    r.eventf(pod, undefined, "Normal", "Pulled", "Pull", "image %q pulled", "nginx");
    // A different reason is a different key.
    r.eventf(pod, undefined, "Normal", "Started", "Start", "started");
    await settle();
    stop.abort();
    await b.shutdown();
    const [first, second, third] = sink.calls;
    expect(first).toMatch(/^create web\.[0-9a-f]+$/);
    expect(second).toMatch(/^patch web\.[0-9a-f]+ \{"series":\{"count":2,"lastObservedTime":"[^"]+Z"\}\}$/);
    expect(third).toMatch(/^create web\.[0-9a-f]+$/);
    expect(sink.calls).toHaveLength(3);
    const pulled = [...sink.store.values()].find((e) => e.reason === "Pulled");
    expect(pulled?.note).toBe('image "nginx" pulled');
    expect(pulled?.regarding).toEqual({ apiVersion: "v1", kind: "Pod", name: "web", namespace: "ns", uid: "u1" });
    expect(b.stats.aggregated).toBe(2);
  });

  it("retries a write that did not reach the server, then gives up after maxTriesPerEvent", async () => {
    const sink = memorySink();
    sink.fail = 2;
    const b = newBroadcaster({ sink, sleepDuration: 5, log: () => undefined });
    const stop = new AbortController();
    b.startRecordingToSink(stop.signal);
    b.newRecorder("kubets.dev/c", "i").eventf(pod, undefined, "Normal", "A", "A", "x");
    await settle(100);
    expect(sink.calls.filter((c) => c.startsWith("create"))).toHaveLength(3);
    expect(sink.store.size).toBe(1);

    sink.fail = 100;
    const b2 = newBroadcaster({ sink, sleepDuration: 1, maxTriesPerEvent: 4, log: () => undefined });
    b2.startRecordingToSink(stop.signal);
    b2.newRecorder("kubets.dev/c", "i").eventf(pod, undefined, "Normal", "B", "B", "x");
    await settle(100);
    expect(b2.stats.failed).toBe(1);
    expect(sink.fail).toBe(96);
    stop.abort();
    await Promise.all([b.shutdown(), b2.shutdown()]);
  });

  it("does not retry what the server rejects", async () => {
    const calls: string[] = [];
    const sink: EventSink = {
      create: () => (calls.push("create"), Promise.reject(newInternalError(new Error("no")))),
      update: (e) => Promise.resolve(e),
      patch: (e) => Promise.resolve(e),
    };
    const b = newBroadcaster({ sink, sleepDuration: 1, log: () => undefined });
    const stop = new AbortController();
    b.startRecordingToSink(stop.signal);
    b.newRecorder("kubets.dev/c", "i").eventf(pod, undefined, "Normal", "A", "A", "x");
    await settle(50);
    expect(calls).toEqual(["create"]);
    expect(b.stats.failed).toBe(1);
    stop.abort();
    await b.shutdown();
  });

  it("a sink that never answers: memory stays bounded, events are dropped and counted", async () => {
    let creates = 0;
    const sink: EventSink = {
      create: () => (creates++, new Promise<Event>(() => undefined)),
      update: (e) => Promise.resolve(e),
      patch: (e) => Promise.resolve(e),
    };
    const b = newBroadcaster({ sink, maxQueuedEvents: 5, maxCachedEvents: 20, log: () => undefined });
    const stop = new AbortController();
    b.startRecordingToSink(stop.signal);
    const r = b.newRecorder("kubets.dev/c", "i");
    for (let i = 0; i < 1000; i++) r.eventf({ ...pod, metadata: { ...pod.metadata, name: `p${i}` } }, undefined, "Normal", "A", "A", "%d", i);
    await settle();
    expect(creates).toBe(1); // one write in flight, the rest wait or are dropped
    expect(b.queued()).toBeLessThanOrEqual(5);
    expect(b.stats.dropped).toBeGreaterThanOrEqual(990);
    stop.abort();
  });

  it("a throwing watcher does not stop delivery to others", async () => {
    const b = newBroadcaster({ sink: memorySink(), log: () => undefined });
    const seen: string[] = [];
    b.startEventWatcher(() => {
      throw new Error("bad handler");
    });
    const stopLog = b.startStructuredLogging((m) => seen.push(m));
    b.newRecorder("kubets.dev/c", "i").eventf(pod, undefined, "Warning", "Failed", "Sync", "%s: %d", "x", 3);
    await settle();
    expect(seen).toEqual(['Event occurred: object=ns/web kind=Pod type=Warning reason=Failed action=Sync note="x: 3"']);
    stopLog();
  });
});

describe("helpers", () => {
  it("getReference and generateEventName", () => {
    expect(getReference({ kind: "Node", name: "n1" })).toEqual({ kind: "Node", name: "n1" });
    expect(getReference({ metadata: { name: "x" } })).toMatch(/no kind/);
    expect(generateEventName("web", 0x1234n)).toBe("web.1234");
    expect(generateEventName("Not_Valid", 1n)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
