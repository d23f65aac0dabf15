// client-go's EventCorrelator rules and tools/reference, without a server.
import { describe, expect, it } from "vitest";
import type { Event } from "@kubets/api/core/v1";
import { EventCorrelator, newBroadcaster, type EventSink } from "@kubets/client/record";
import { getPartialReference, getReference, isObjectReferenceError } from "@kubets/client/reference";

function ev(message: string, reason = "Failed", name = "web"): Event {
  return {
    metadata: { name: `${name}.1`, namespace: "ns" },
    involvedObject: { kind: "Pod", apiVersion: "v1", name, namespace: "ns", uid: "u1" },
    reason,
    message,
    type: "Warning",
    count: 1,
    firstTimestamp: "2024-01-01T00:00:00Z",
    lastTimestamp: "2024-01-01T00:00:00Z",
    source: { component: "ctl", host: "h" },
    reportingComponent: "ctl",
    reportingInstance: "h",
  };
}

describe("EventCorrelator", () => {
  it("counts identical events on one Event and produces the patch", () => {
    const c = new EventCorrelator({ now: () => new Date("2024-01-01T00:00:00Z") });
    const first = c.eventCorrelate(ev("boom"));
    expect(first.skip).toBe(false);
    expect(first.patch).toBeUndefined();
    expect(first.event?.count).toBe(1);
    c.updateState({ ...first.event!, metadata: { ...first.event!.metadata, resourceVersion: "7" } });
    const second = c.eventCorrelate({ ...ev("boom"), metadata: { name: "web.2", namespace: "ns" }, lastTimestamp: "2024-01-01T00:01:00Z" });
    expect(second.event?.count).toBe(2);
    expect(second.event?.metadata?.name).toBe("web.1");
    expect(second.event?.metadata?.resourceVersion).toBe("7");
    expect(second.event?.firstTimestamp).toBe("2024-01-01T00:00:00Z");
    expect(second.patch).toEqual({ count: 2, lastTimestamp: "2024-01-01T00:01:00Z", message: "boom" });
  });

  it("aggregates the 10th distinct message about the same object and reason within 10 minutes", () => {
    let t = Date.parse("2024-01-01T00:00:00Z");
    const c = new EventCorrelator({ now: () => new Date(t), burstSize: 100 });
    for (let i = 0; i < 9; i++) {
      const r = c.eventCorrelate(ev(`message ${i}`));
      expect(r.event?.message).toBe(`message ${i}`);
      t += 1000;
    }
    const tenth = c.eventCorrelate(ev("message 9"));
    expect(tenth.event?.message).toBe("(combined from similar events): message 9");
    expect(tenth.event?.count).toBe(1);
    const eleventh = c.eventCorrelate(ev("message 10"));
    expect(eleventh.event?.message).toBe("(combined from similar events): message 10");
    expect(eleventh.event?.count).toBe(2); // counted on the aggregate event
    expect(eleventh.event?.metadata?.name).toBe(tenth.event?.metadata?.name);
    // Another reason is another group; after the window a group starts over.
    expect(c.eventCorrelate(ev("x", "Other")).event?.message).toBe("x");
    t += 601_000;
    expect(c.eventCorrelate(ev("message 11")).event?.message).toBe("message 11");
  });

  it("drops events beyond a burst of 25 per source and object, then lets one through every 5 minutes", () => {
    let t = Date.parse("2024-01-01T00:00:00Z");
    const c = new EventCorrelator({ now: () => new Date(t) });
    const results = Array.from({ length: 30 }, (_, i) => c.eventCorrelate(ev(`m${i % 5}`, `R${i}`)).skip);
    expect(results.filter((s) => !s)).toHaveLength(25);
    expect(results.slice(25)).toEqual([true, true, true, true, true]);
    // Another object has its own bucket.
    expect(c.eventCorrelate(ev("m", "R", "other")).skip).toBe(false);
    t += 299_000;
    expect(c.eventCorrelate(ev("late", "Late")).skip).toBe(true);
    t += 2_000;
    expect(c.eventCorrelate(ev("later", "Later")).skip).toBe(false);
  });
});

describe("EventBroadcaster to a sink", () => {
  it("creates, then patches repeats, retries failed writes and never throws at the caller", async () => {
    const calls: string[] = [];
    let failures = 1;
    const sink: EventSink = {
      create: async (e) => {
        calls.push(`create ${e.reason} ${e.count}`);
        if (failures-- > 0) throw new Error("connection refused");
        return { ...e, metadata: { ...e.metadata, resourceVersion: "1" } };
      },
      update: async (e) => e,
      patch: async (e, data) => {
        calls.push(`patch ${JSON.stringify(data)}`);
        return { ...e, ...data };
      },
    };
    const b = newBroadcaster({ sleepDuration: 1, log: () => undefined });
    b.startRecordingToSink(sink);
    const rec = b.newRecorder({ component: "test-controller" }, { now: () => new Date("2024-01-01T00:00:00Z") });
    const pod = { kind: "Pod", apiVersion: "v1", metadata: { name: "web", namespace: "ns", uid: "u" } };
    rec.eventf(pod, "Warning", "Failed", "could not pull %q: %d tries", "nginx", 3);
    rec.event(pod, "Bogus", "X", "unsupported type: dropped");
    rec.event({ metadata: { name: "no-kind" } }, "Normal", "X", "no kind: dropped");
    await new Promise((r) => setTimeout(r, 50));
    rec.eventf(pod, "Warning", "Failed", "could not pull %q: %d tries", "nginx", 3);
    await new Promise((r) => setTimeout(r, 50));
    await b.shutdown();
    expect(calls).toEqual([
      "create Failed 1",
      "create Failed 1",
      'patch {"count":2,"lastTimestamp":"2024-01-01T00:00:00Z","message":"could not pull \\"nginx\\": 3 tries"}',
    ]);
    expect(b.stats.written).toBe(2);
  });

  it("logs events structurally, and drops beyond maxQueuedEvents per watcher", async () => {
    const b = newBroadcaster({ maxQueuedEvents: 2, log: () => undefined });
    const lines: Array<[string, Record<string, unknown>]> = [];
    b.startStructuredLogging((m, kv) => void lines.push([m, kv]));
    const rec = b.newRecorder({ component: "c", host: "h" });
    const obj = { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "cm", namespace: "ns" } };
    for (let i = 0; i < 4; i++) rec.event(obj, "Normal", "Synced", `n${i}`);
    await b.shutdown();
    expect(lines).toEqual([
      ["Event occurred", { object: "ns/cm", fieldPath: "", kind: "ConfigMap", apiVersion: "v1", type: "Normal", reason: "Synced", message: "n0" }],
      ["Event occurred", { object: "ns/cm", fieldPath: "", kind: "ConfigMap", apiVersion: "v1", type: "Normal", reason: "Synced", message: "n1" }],
    ]);
    expect(b.stats.dropped).toBe(2);
  });
});

describe("tools/reference", () => {
  it("builds references, with a fieldPath, from objects and references", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "ns", uid: "u1", resourceVersion: "5" } };
    expect(getReference(pod)).toEqual({ kind: "Pod", apiVersion: "v1", name: "web", namespace: "ns", uid: "u1", resourceVersion: "5" });
    expect(getPartialReference(pod, "spec.containers{web}").fieldPath).toBe("spec.containers{web}");
    expect(getReference({ metadata: { name: "x" } }, { kind: "Foo", apiVersion: "example.com/v1" })).toEqual({ kind: "Foo", apiVersion: "example.com/v1", name: "x" });
    const ref = { kind: "Node", name: "n1" };
    expect(getReference(ref, { fieldPath: "status" })).toEqual({ kind: "Node", name: "n1", fieldPath: "status" });
    let err: unknown;
    try {
      getReference({ metadata: { name: "typed-list-item", namespace: "ns" } });
    } catch (e) {
      err = e;
    }
    expect(isObjectReferenceError(err)).toBe(true);
    expect((err as Error).message).toContain("ns/typed-list-item has no kind and apiVersion");
  });
});
