import { describe, expect, it } from "vitest";
import { BackoffManager } from "../src/internal/backoff.js";

describe("reflector backoff (client-go defaults)", () => {
  it("doubles from 800 ms up to a 30 s base, without jitter when random is 0", () => {
    const now = 0;
    const b = new BackoffManager({}, () => now, () => 0);
    const seq = Array.from({ length: 8 }, () => b.next());
    expect(seq).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000]);
  });

  it("adds up to 100% jitter", () => {
    const b = new BackoffManager({}, () => 0, () => 0.5);
    expect(b.next()).toBe(1200);
    expect(b.next()).toBe(2400);
  });

  it("starts over once more than 2 minutes passed since the sequence last started", () => {
    let now = 0;
    const b = new BackoffManager({}, () => now, () => 0);
    b.next();
    b.next();
    now = 60_000;
    expect(b.next()).toBe(3200);
    now = 120_001;
    expect(b.next()).toBe(800);
    expect(b.next()).toBe(1600);
  });

  it("honours custom parameters", () => {
    const b = new BackoffManager({ initial: 10, max: 25, factor: 3, jitter: 0 }, () => 0);
    expect([b.next(), b.next(), b.next()]).toEqual([10, 25, 25]);
  });
});
