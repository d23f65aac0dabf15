import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import {
  FakeClock,
  RealClock,
  newTyped,
  newTypedDelayingQueueWithConfig,
  newTypedItemExponentialFailureRateLimiter,
  newTypedRateLimitingQueueWithConfig,
} from "../src/index.js";
import type { GetResult, TypedInterface } from "../src/index.js";

async function getItem<T>(q: { get(): Promise<GetResult<T>> }): Promise<T> {
  const r = await q.get();
  if (r.shutdown) throw new Error("unexpected shutdown");
  return r.item;
}

function activeRefedTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
}

describe("delaying queue (fake clock)", () => {
  it("adds an item only once its delay has passed", async () => {
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig({ clock });
    q.addAfter("foo", 50);
    expect(q.len()).toBe(0);
    expect(q.waitingLen()).toBe(1);
    clock.step(49);
    expect(q.len()).toBe(0);
    clock.step(1);
    expect(q.len()).toBe(1);
    const item = await getItem(q);
    expect(item).toBe("foo");
    q.done(item);
    clock.step(10_000);
    expect(q.len()).toBe(0);
    expect(clock.hasWaiters()).toBe(false);
  });

  it("keeps the earlier ready time when an item is added again (deduping)", async () => {
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig({ clock });
    q.addAfter("foo", 50);
    q.addAfter("foo", 70); // later: ignored
    expect(q.waitingLen()).toBe(1);
    clock.step(60);
    expect(q.len()).toBe(1);
    q.done(await getItem(q));
    clock.step(20);
    expect(q.len()).toBe(0);

    q.addAfter("foo", 50);
    q.addAfter("foo", 30); // earlier: wins
    expect(q.waitingLen()).toBe(1);
    clock.step(40);
    expect(q.len()).toBe(1);
    q.done(await getItem(q));
    clock.step(20);
    expect(q.len()).toBe(0);
  });

  it("fires items in ready-time order, regardless of insertion order", async () => {
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig({ clock });
    q.addAfter("foo", 1000);
    q.addAfter("bar", 50);
    clock.step(60);
    expect(q.len()).toBe(1);
    expect(await getItem(q)).toBe("bar");
    q.addAfter("baz", 2000);
    clock.step(1000);
    expect(q.len()).toBe(1);
    expect(await getItem(q)).toBe("foo");
    clock.step(2000);
    expect(q.len()).toBe(1);
    expect(await getItem(q)).toBe("baz");
  });

  it("adds everything that became ready in one step, earliest first (heap order)", async () => {
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig({ clock });
    q.addAfter("foo", 1000);
    q.addAfter("bar", 500);
    q.addAfter("baz", 250);
    q.addAfter("qux", 750);
    clock.step(2000);
    expect(q.len()).toBe(4);
    expect([await getItem(q), await getItem(q), await getItem(q), await getItem(q)]).toEqual(["baz", "bar", "qux", "foo"]);
  });

  it("keeps ready-time order for many random delays", async () => {
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig<number>({ clock });
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const delays = new Map<number, number>();
    for (let i = 0; i < 500; i++) {
      const d = 1 + Math.floor(rand() * 10_000);
      q.addAfter(i, d);
      delays.set(i, Math.min(delays.get(i) ?? Infinity, d));
      if (rand() < 0.3) {
        const again = Math.floor(rand() * i);
        const d2 = 1 + Math.floor(rand() * 10_000);
        q.addAfter(again, d2);
        delays.set(again, Math.min(delays.get(again) ?? Infinity, d2));
      }
    }
    // Step through time; at each instant exactly the items due by then are queued.
    const seen: number[] = [];
    for (let t = 0; t <= 10_000; t += 97) {
      clock.setTime(t);
      while (q.len() > 0) {
        const item = await getItem(q);
        expect(delays.get(item)).toBeLessThanOrEqual(t);
        expect(delays.get(item)).toBeGreaterThan(t - 97);
        seen.push(item);
        q.done(item);
      }
    }
    clock.setTime(20_000);
    expect(q.len()).toBe(0);
    expect(seen.length).toBe(500);
    expect(new Set(seen).size).toBe(500);
  });

  it("adds at once for a delay <= 0 or NaN", async () => {
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig({ clock });
    q.addAfter("zero", 0);
    q.addAfter("negative", -5);
    q.addAfter("nan", Number.NaN);
    expect(q.len()).toBe(3);
    expect(clock.hasWaiters()).toBe(false);
  });

  it("an immediate add does not cancel a pending delayed add of the same item", async () => {
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig({ clock });
    q.addAfter("a", 100);
    q.add("a");
    q.done(await getItem(q));
    clock.step(100);
    expect(q.len()).toBe(1);
  });

  it("ignores addAfter after shutdown and drops waiting items and timers on shutdown", async () => {
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig({ clock });
    q.addAfter("a", 100);
    expect(clock.hasWaiters()).toBe(true);
    q.shutDown();
    expect(clock.hasWaiters()).toBe(false);
    q.addAfter("b", 10);
    q.addAfter("c", 0);
    clock.step(1000);
    expect(q.len()).toBe(0);
    expect(await q.get()).toEqual({ item: undefined, shutdown: true });
    q.shutDown();
  });

  it("shutDownWithDrain waits for in-flight items and stops timers", async () => {
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig({ clock });
    q.add("a");
    q.addAfter("b", 100);
    const a = await getItem(q);
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    expect(clock.hasWaiters()).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(drained).toBe(false);
    q.done(a);
    await drain;
    expect(drained).toBe(true);
  });

  it("hands a delayed item to a worker that is already waiting", async () => {
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig({ clock });
    const waiting = q.get();
    q.addAfter("late", 5000);
    clock.step(5000);
    expect(await waiting).toEqual({ item: "late", shutdown: false });
  });

  it("merges delayed adds of equal objects through the key function", async () => {
    type Obj = { ns: string; name: string };
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig<Obj>({ clock, keyFunc: (o) => `${o.ns}/${o.name}` });
    q.addAfter({ ns: "a", name: "x" }, 100);
    q.addAfter({ ns: "a", name: "x" }, 50);
    expect(q.waitingLen()).toBe(1);
    clock.step(50);
    expect(q.len()).toBe(1);
  });

  it("reports errors thrown while adding from a timer instead of throwing into the event loop", () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    const inner = newTyped();
    const broken: TypedInterface<string> = {
      add: () => {
        throw new Error("storage failure");
      },
      len: () => inner.len(),
      get: () => inner.get(),
      done: (item) => inner.done(item),
      shutDown: () => inner.shutDown(),
      shutDownWithDrain: () => inner.shutDownWithDrain(),
      shuttingDown: () => inner.shuttingDown(),
    };
    const q = newTypedDelayingQueueWithConfig({ clock, queue: broken, onError: (e) => errors.push(e) });
    q.addAfter("a", 10);
    expect(() => clock.step(10)).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain("storage failure");
  });

  it("arms at most one timer however many items wait", () => {
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig<number>({ clock });
    for (let i = 0; i < 100; i++) q.addAfter(i, 1000 - i);
    expect(clock.waiterCount()).toBe(1);
    clock.step(950);
    expect(q.len()).toBe(50);
    expect(clock.waiterCount()).toBe(1);
    q.shutDown();
    expect(clock.waiterCount()).toBe(0);
  });

  it("waits for items whose delay exceeds the longest Node timer", () => {
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig({ clock });
    const thirtyDays = 30 * 24 * 3600 * 1000;
    q.addAfter("far", thirtyDays);
    clock.step(2 ** 31 - 1);
    expect(q.len()).toBe(0);
    expect(clock.hasWaiters()).toBe(true); // re-armed for the rest
    clock.setTime(thirtyDays);
    expect(q.len()).toBe(1);
  });
});

describe("delaying queue (real clock)", () => {
  it("adds the item after a real delay, on unref'd timers", async () => {
    const q = newTypedDelayingQueueWithConfig({ clock: new RealClock() });
    const before = activeRefedTimers();
    q.addAfter("x", 5);
    // The timer exists but would not keep the process alive.
    expect(activeRefedTimers()).toBe(before);
    expect(await q.get()).toEqual({ item: "x", shutdown: false });
    q.shutDown();
  });

  it("pending delayed items and the metrics ticker do not keep a process alive", async () => {
    const fixture = fileURLToPath(new URL("./fixtures/exit-with-pending.ts", import.meta.url));
    for (const mode of ["running", "shutdown"]) {
      const out = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = execFile(
          process.execPath,
          ["--conditions=@kubets/source", "--import", "tsx", fixture, mode],
          { timeout: 25_000 },
          (err, stdout) => (err && err.killed ? reject(err) : resolve({ code: child.exitCode, stdout })),
        );
      });
      expect(out.stdout.trim()).toBe("armed");
      expect(out.code).toBe(0);
    }
  });

  it("keepAlive timers are ref'd, and none is left after shutdown", async () => {
    const q = newTypedDelayingQueueWithConfig({ clock: new RealClock({ keepAlive: true }) });
    const before = activeRefedTimers();
    q.addAfter("x", 60_000);
    expect(activeRefedTimers()).toBe(before + 1);
    q.shutDown();
    expect(activeRefedTimers()).toBe(before);
  });
});

describe("rate-limiting queue", () => {
  it("delays re-adds by the limiter and forgets", async () => {
    const clock = new FakeClock();
    const limiter = newTypedItemExponentialFailureRateLimiter(100, 10_000);
    const q = newTypedRateLimitingQueueWithConfig(limiter, { clock });
    q.addRateLimited("one");
    expect(q.len()).toBe(0);
    clock.step(99);
    expect(q.len()).toBe(0);
    clock.step(1);
    expect(q.len()).toBe(1);
    q.addRateLimited("one"); // waits 200 ms; "one" is also already queued
    expect(q.numRequeues("one")).toBe(2);
    const item = await getItem(q);
    q.done(item);
    clock.step(200);
    expect(q.len()).toBe(1);
    q.forget("one");
    expect(q.numRequeues("one")).toBe(0);
    q.addRateLimited("one");
    q.done(await getItem(q));
    clock.step(100);
    expect(q.len()).toBe(1);
  });

  it("addAfter counts retries and shutdown stops everything", async () => {
    const clock = new FakeClock();
    const retries = vi.fn();
    const provider = {
      newDepthMetric: () => ({ inc() {}, dec() {} }),
      newAddsMetric: () => ({ inc() {} }),
      newLatencyMetric: () => ({ observe() {} }),
      newWorkDurationMetric: () => ({ observe() {} }),
      newUnfinishedWorkSecondsMetric: () => ({ set() {} }),
      newLongestRunningProcessorSecondsMetric: () => ({ set() {} }),
      newRetriesMetric: () => ({ inc: retries }),
    };
    const q = newTypedRateLimitingQueueWithConfig(newTypedItemExponentialFailureRateLimiter(1, 10), {
      clock,
      name: "rl",
      metricsProvider: provider,
    });
    q.addAfter("a", 10);
    q.addRateLimited("b");
    q.addAfter("c", 0);
    expect(retries).toHaveBeenCalledTimes(3);
    q.shutDown();
    expect(q.shuttingDown()).toBe(true);
    q.addRateLimited("d");
    expect(retries).toHaveBeenCalledTimes(3);
    clock.step(100);
    expect(clock.hasWaiters()).toBe(false);
    expect(q.len()).toBe(1);
  });
});
