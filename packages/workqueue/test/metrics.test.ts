import { describe, expect, it } from "vitest";
import {
  FakeClock,
  newTypedRateLimitingQueueWithConfig,
  newTypedWithConfig,
  newTypedItemFastSlowRateLimiter,
  setProvider,
} from "../src/index.js";
import type { MetricsProvider } from "../src/index.js";

class Recorder {
  gauges = new Map<string, number>();
  counters = new Map<string, number>();
  observations = new Map<string, number[]>();
  created: string[] = [];

  provider(): MetricsProvider {
    const gauge = (id: string) => ({
      inc: () => this.gauges.set(id, (this.gauges.get(id) ?? 0) + 1),
      dec: () => this.gauges.set(id, (this.gauges.get(id) ?? 0) - 1),
      set: (v: number) => this.gauges.set(id, v),
    });
    const counter = (id: string) => ({ inc: () => this.counters.set(id, (this.counters.get(id) ?? 0) + 1) });
    const histogram = (id: string) => ({
      observe: (v: number) => this.observations.set(id, [...(this.observations.get(id) ?? []), v]),
    });
    const made = <M>(id: string, m: M): M => {
      this.created.push(id);
      return m;
    };
    return {
      newDepthMetric: (n) => made(`${n}:depth`, gauge(`${n}:depth`)),
      newAddsMetric: (n) => made(`${n}:adds`, counter(`${n}:adds`)),
      newLatencyMetric: (n) => made(`${n}:latency`, histogram(`${n}:latency`)),
      newWorkDurationMetric: (n) => made(`${n}:work`, histogram(`${n}:work`)),
      newUnfinishedWorkSecondsMetric: (n) => made(`${n}:unfinished`, gauge(`${n}:unfinished`)),
      newLongestRunningProcessorSecondsMetric: (n) => made(`${n}:longest`, gauge(`${n}:longest`)),
      newRetriesMetric: (n) => made(`${n}:retries`, counter(`${n}:retries`)),
    };
  }
}

describe("queue metrics", () => {
  it("records depth, adds, latency, work duration and unfinished work like client-go", async () => {
    const clock = new FakeClock();
    const rec = new Recorder();
    const q = newTypedWithConfig({ name: "test", clock, metricsProvider: rec.provider() });
    expect(clock.waiterCount()).toBe(1); // the 500 ms unfinished-work ticker

    q.add("a");
    q.add("b");
    q.add("a"); // deduplicated: not counted
    expect(rec.counters.get("test:adds")).toBe(2);
    expect(rec.gauges.get("test:depth")).toBe(2);

    clock.step(1000); // tick with nothing in flight
    expect(rec.gauges.get("test:unfinished")).toBe(0);
    expect(rec.gauges.get("test:longest")).toBe(0);

    const a = await q.get();
    expect(rec.gauges.get("test:depth")).toBe(1);
    expect(rec.observations.get("test:latency")).toEqual([1]);

    clock.step(250);
    await q.get();
    expect(rec.observations.get("test:latency")).toEqual([1, 1.25]);
    expect(rec.gauges.get("test:depth")).toBe(0);

    clock.step(250); // tick at 1500: a running 0.5 s, b 0.25 s
    expect(rec.gauges.get("test:unfinished")).toBe(0.75);
    expect(rec.gauges.get("test:longest")).toBe(0.5);

    q.done(a.item as string);
    expect(rec.observations.get("test:work")).toEqual([0.5]);

    // Re-added while in flight: counted as an add now, depth rises, latency from this add.
    q.add("b");
    expect(rec.counters.get("test:adds")).toBe(3);
    expect(rec.gauges.get("test:depth")).toBe(1);
    clock.step(100);
    q.done("b");
    expect(rec.observations.get("test:work")).toEqual([0.5, 0.35]);
    await q.get();
    expect(rec.observations.get("test:latency")).toEqual([1, 1.25, 0.1]);

    q.shutDown();
    expect(clock.hasWaiters()).toBe(false);
  });

  it("records nothing for an unnamed queue and starts no ticker", () => {
    const clock = new FakeClock();
    const rec = new Recorder();
    const q = newTypedWithConfig({ clock, metricsProvider: rec.provider() });
    q.add("a");
    expect(rec.created).toEqual([]);
    expect(clock.hasWaiters()).toBe(false);
  });

  it("counts retries of a rate-limiting queue", () => {
    const clock = new FakeClock();
    const rec = new Recorder();
    const q = newTypedRateLimitingQueueWithConfig(newTypedItemFastSlowRateLimiter(10, 100, 1), {
      name: "rl",
      clock,
      metricsProvider: rec.provider(),
    });
    q.addRateLimited("a");
    q.addRateLimited("a");
    q.addAfter("b", 0);
    expect(rec.counters.get("rl:retries")).toBe(3);
    expect(rec.created).toContain("rl:depth");
    q.shutDown();
  });

  it("setProvider sets the global provider once", () => {
    const first = new Recorder();
    const second = new Recorder();
    setProvider(first.provider());
    setProvider(second.provider());
    const clock = new FakeClock();
    const q = newTypedWithConfig({ name: "global", clock });
    q.add("x");
    expect(first.counters.get("global:adds")).toBe(1);
    expect(second.created).toEqual([]);
    q.shutDown();
  });
});
