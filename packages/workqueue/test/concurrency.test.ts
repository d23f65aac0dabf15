import { describe, expect, it } from "vitest";
import {
  FakeClock,
  newTyped,
  newTypedItemExponentialFailureRateLimiter,
  newTypedRateLimitingQueueWithConfig,
} from "../src/index.js";
import type { TypedInterface } from "../src/index.js";

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Random "processing time": a random mix of microtask and macrotask yields. */
async function randomPause(rand: () => number): Promise<void> {
  const n = Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    if (rand() < 0.2) await immediate();
    else await Promise.resolve();
  }
}

interface Harness {
  q: TypedInterface<string>;
  /** Called by the producer between adds (e.g. to move a fake clock). */
  tick?: () => void;
  /** How a worker re-adds the key it holds. */
  readd: (key: string) => void;
  /** True when re-adds go through a delay (dropped, like client-go, if still waiting at shutdown). */
  delayedReadds?: boolean;
  /** True when nothing waits outside the queue (e.g. no delayed item pending). */
  settled?: () => boolean;
}

async function stress(h: Harness, opts: { seed: number; workers: number; keys: number; adds: number }) {
  const { q } = h;
  const rand = prng(opts.seed);
  let seq = 0;
  const active = new Set<string>();
  const lastAdd = new Map<string, number>(); // seq of the last add accepted before shutdown
  const lastStart = new Map<string, number>(); // seq at which processing last started
  let violations = 0;
  let gets = 0;
  let adds = 0;
  let inFlightAtDrain: Set<string> | undefined;
  let nearShutdown = false;
  const mayDrop = new Set<string>(); // keys whose last add was delayed close to shutdown

  const add = (key: string, how: "add" | "readd") => {
    if (q.shuttingDown()) return;
    lastAdd.set(key, ++seq);
    adds++;
    if (nearShutdown && how === "readd" && h.delayedReadds) mayDrop.add(key);
    else mayDrop.delete(key);
    if (how === "add") q.add(key);
    else h.readd(key);
  };

  const worker = async () => {
    for (;;) {
      const r = await q.get();
      if (r.shutdown) return;
      const key = r.item;
      gets++;
      if (active.has(key)) violations++;
      active.add(key);
      lastStart.set(key, ++seq);
      await randomPause(rand);
      if (rand() < 0.3) add(key, "readd"); // re-add while held: must be processed again
      if (rand() < 0.2) add(`k${Math.floor(rand() * opts.keys)}`, "add");
      await randomPause(rand);
      active.delete(key);
      inFlightAtDrain?.delete(key);
      q.done(key);
    }
  };

  const workers = Array.from({ length: opts.workers }, () => worker());

  for (let i = 0; i < opts.adds; i++) {
    add(`k${Math.floor(rand() * opts.keys)}`, "add");
    h.tick?.();
    if (rand() < 0.05) await immediate();
    else if (rand() < 0.3) await Promise.resolve();
  }

  // Let the queue settle: everything added so far must be processed.
  for (let idle = 0; idle < 3; ) {
    h.tick?.();
    await immediate();
    idle = q.len() === 0 && active.size === 0 && (h.settled?.() ?? true) ? idle + 1 : 0;
  }
  for (const [key, added] of lastAdd) {
    expect(lastStart.get(key), `key ${key} not processed after its last add`).toBeGreaterThan(added);
  }

  // Now shut down with work in flight; re-adds keep happening and are ignored.
  nearShutdown = true;
  for (let i = 0; i < opts.workers * 2; i++) add(`k${i % opts.keys}`, "add");
  await Promise.resolve();
  await Promise.resolve();
  inFlightAtDrain = new Set(active);
  const hadInFlight = inFlightAtDrain.size;
  await q.shutDownWithDrain();
  // Everything that was being processed when the drain started is done.
  expect(inFlightAtDrain.size).toBe(0);
  expect(q.shuttingDown()).toBe(true);
  await Promise.all(workers);
  expect(active.size).toBe(0);
  expect(q.len()).toBe(0);
  for (const [key, added] of lastAdd) {
    if (mayDrop.has(key)) continue;
    expect(lastStart.get(key), `key ${key} lost after shutdown`).toBeGreaterThan(added);
  }
  expect(violations).toBe(0);
  return { gets, adds, hadInFlight };
}

describe("concurrency", () => {
  it("plain queue: 100k operations, no key held twice, no add lost, drain waits", async () => {
    const q = newTyped();
    const r = await stress({ q, readd: (k) => q.add(k) }, { seed: 1, workers: 32, keys: 300, adds: 60_000 });
    expect(r.gets + r.adds).toBeGreaterThanOrEqual(100_000);
    expect(r.hadInFlight).toBeGreaterThan(0);
  });

  it("plain queue with few hot keys (maximum contention)", async () => {
    const q = newTyped();
    const r = await stress({ q, readd: (k) => q.add(k) }, { seed: 7, workers: 16, keys: 5, adds: 20_000 });
    expect(r.gets).toBeGreaterThan(0);
  });

  it("rate-limiting queue with a fake clock: re-adds through addRateLimited and addAfter", async () => {
    const clock = new FakeClock();
    const q = newTypedRateLimitingQueueWithConfig(newTypedItemExponentialFailureRateLimiter<string>(1, 50), { clock });
    const rand = prng(99);
    const r = await stress(
      {
        q,
        tick: () => clock.step(1),
        delayedReadds: true,
        settled: () => !clock.hasWaiters(),
        readd: (k) => {
          if (rand() < 0.5) q.addRateLimited(k);
          else {
            q.forget(k);
            q.addAfter(k, Math.floor(rand() * 20) - 5);
          }
        },
      },
      { seed: 3, workers: 16, keys: 100, adds: 20_000 },
    );
    expect(r.gets).toBeGreaterThan(0);
  });
});
