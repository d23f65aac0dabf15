import { describe, expect, it } from "vitest";
import { parallelizeUntil } from "../src/index.js";

const tick = () => new Promise<void>((r) => setImmediate(r));

describe("parallelizeUntil", () => {
  it("runs every piece exactly once with at most `workers` in progress", async () => {
    for (const chunkSize of [1, 3, 7, 1000]) {
      const seen = new Array<number>(1000).fill(0);
      let running = 0;
      let maxRunning = 0;
      await parallelizeUntil(
        undefined,
        8,
        1000,
        async (p) => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          if (p % 5 === 0) await tick();
          seen[p] = (seen[p] ?? 0) + 1;
          running--;
        },
        { chunkSize },
      );
      expect(seen.every((c) => c === 1)).toBe(true);
      expect(maxRunning).toBeLessThanOrEqual(8);
      if (chunkSize < 125) expect(maxRunning).toBe(8);
    }
  });

  it("does nothing for zero pieces and accepts sync work", async () => {
    let calls = 0;
    await parallelizeUntil(undefined, 4, 0, () => {
      calls++;
    });
    expect(calls).toBe(0);
    await parallelizeUntil(undefined, 4, 10, () => {
      calls++;
    });
    expect(calls).toBe(10);
  });

  it("stops starting pieces once the signal aborts", async () => {
    const ac = new AbortController();
    let started = 0;
    await parallelizeUntil(ac.signal, 2, 100, async (p) => {
      started++;
      if (p === 9) ac.abort();
      await tick();
    });
    expect(started).toBeGreaterThanOrEqual(10);
    expect(started).toBeLessThanOrEqual(11);
  });

  it("rejects with the first error after running pieces finish, starting no more", async () => {
    let started = 0;
    let finished = 0;
    const result = parallelizeUntil(undefined, 3, 100, async (p) => {
      started++;
      await tick();
      if (p === 4) throw new Error("piece 4 failed");
      finished++;
    });
    await expect(result).rejects.toThrow("piece 4 failed");
    expect(started).toBeLessThan(100);
    expect(finished).toBe(started - 1);
  });
});
