// The events.k8s.io/v1 recorder against the real API server: an event lands with the right fields;
// repeats within the window become a series (count, lastObservedTime) on the same Event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigMap } from "@kubets/api/core/v1";
import type { Event } from "@kubets/api/events/v1";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { newBroadcaster } from "@kubets/client/events";
import { configFor, uniqueName } from "./helpers/int.js";

const ns = uniqueName("kubets-events");
let admin: Clientset;
let subject: ConfigMap;

async function until<T>(get: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function eventsFor(reason: string): Promise<Event[]> {
  const list = await admin.eventsV1().events(ns).list({ fieldSelector: `regarding.name=${subject.metadata?.name}` });
  return list.items.filter((e) => e.reason === reason);
}

beforeAll(async () => {
  admin = newForConfig(configFor("admin"));
  await admin.coreV1().namespaces().create({ metadata: { name: ns } });
  subject = await admin.coreV1().configMaps(ns).create({ metadata: { name: "subject" }, data: { a: "1" } });
  subject = { ...subject, apiVersion: "v1", kind: "ConfigMap" };
});

afterAll(async () => {
  await admin.coreV1().namespaces().delete(ns).catch(() => undefined);
  await admin.close();
});

describe("events.k8s.io/v1 recorder", () => {
  it("writes an Event with regarding, related, reason, action, note and reporting fields", async () => {
    const logs: string[] = [];
    const b = newBroadcaster({ client: admin, log: (_l, m) => logs.push(m) });
    const stop = new AbortController();
    b.startRecordingToSink(stop.signal);
    try {
      const recorder = b.newRecorder("kubets.dev/test-controller", "test-instance-1");
      const related = { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } };
      recorder.eventf(subject, related, "Normal", "Synced", "Reconcile", "synced %s with %d keys", "subject", 1);
      const [ev] = await until(async () => ((await eventsFor("Synced")).length ? eventsFor("Synced") : undefined), "the Synced event");
      expect(ev?.regarding).toMatchObject({ kind: "ConfigMap", apiVersion: "v1", name: "subject", namespace: ns, uid: subject.metadata?.uid });
      expect(ev?.related).toMatchObject({ kind: "Namespace", name: ns });
      expect(ev?.note).toBe("synced subject with 1 keys");
      expect(ev?.action).toBe("Reconcile");
      expect(ev?.type).toBe("Normal");
      expect(ev?.reportingController).toBe("kubets.dev/test-controller");
      expect(ev?.reportingInstance).toBe("test-instance-1");
      expect(ev?.metadata?.name).toMatch(/^subject\.[0-9a-f]+$/);
      expect(ev?.series).toBeUndefined();
      expect(b.stats.written).toBe(1);

      // Bad input is dropped and logged, never thrown.
      expect(() => recorder.eventf(subject, undefined, "Bogus", "X", "Y", "z")).not.toThrow();
      expect(() => recorder.eventf({ metadata: { name: "no-kind" } }, undefined, "Normal", "X", "Y", "z")).not.toThrow();
      expect(logs).toEqual([
        'events: unsupported event type "Bogus" (Normal or Warning), will not report event: X: z',
        "events: could not construct reference (object has no kind (set kind and apiVersion on it)), will not report event: Normal X: z",
      ]);
    } finally {
      stop.abort();
      await b.shutdown();
    }
  });

  it("aggregates repeats into a series on one Event: count 2 at once, the current count on refresh", async () => {
    const logs: string[] = [];
    const b = newBroadcaster({ client: admin.eventsV1(), refreshInterval: 500, log: (_l, m) => logs.push(m) });
    const stop = new AbortController();
    b.startRecordingToSink(stop.signal);
    try {
      const recorder = b.newRecorder("kubets.dev/test-controller", "test-instance-2");
      recorder.eventf(subject, undefined, "Warning", "Failed", "Reconcile", "attempt failed: %v", new Error("boom"));
      await until(async () => ((await eventsFor("Failed")).length ? true : undefined), "the first Failed event");
      recorder.eventf(subject, undefined, "Warning", "Failed", "Reconcile", "attempt failed: %v", new Error("boom"));
      const series = await until(async () => (await eventsFor("Failed")).find((e) => e.series), "the series");
      expect(series.series?.count).toBe(2);
      expect(series.series?.lastObservedTime).toMatch(/Z$/);
      expect(series.note).toBe("attempt failed: boom");
      for (let i = 0; i < 3; i++) recorder.eventf(subject, undefined, "Warning", "Failed", "Reconcile", "attempt failed: %v", new Error("boom"));
      // Later repeats raise the cached count; the refresh writes it.
      const refreshed = await until(async () => (await eventsFor("Failed")).find((e) => (e.series?.count ?? 0) >= 5), "the refreshed count");
      expect(refreshed.series?.count).toBe(5);
      const all = await eventsFor("Failed");
      expect(all).toHaveLength(1); // one Event, not five
      expect(b.stats.aggregated).toBe(4);
      expect(logs.filter((l) => l.includes("rejected"))).toEqual([]);
    } finally {
      stop.abort();
      await b.shutdown();
    }
  });

  it("a dead server: the write queue stays bounded and recording never throws", async () => {
    const dead = newForConfig({ ...configFor("admin"), host: "https://127.0.0.1:1", timeout: 1000 });
    const b = newBroadcaster({
      client: dead,
      maxQueuedEvents: 10,
      sleepDuration: 60_000,
      log: () => undefined,
    });
    const stop = new AbortController();
    b.startRecordingToSink(stop.signal);
    const recorder = b.newRecorder("kubets.dev/test-controller");
    for (let i = 0; i < 500; i++) {
      recorder.eventf({ ...subject, metadata: { ...subject.metadata, name: `obj-${i}` } }, undefined, "Normal", "Tick", "Tick", "%d", i);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(b.queued()).toBeLessThanOrEqual(10);
    expect(b.stats.dropped).toBeGreaterThanOrEqual(480);
    stop.abort();
    await b.shutdown();
    expect(b.queued()).toBe(0);
    await dead.close();
  });
});
