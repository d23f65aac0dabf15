import { describe, expect, it } from "vitest";
import {
  ApplyCBORPatchType,
  ApplyPatchType,
  InvalidResourceVersionError,
  JSONPatchType,
  MergePatchType,
  NamespacedNameError,
  StrategicMergePatchType,
  WaitTimeoutError,
  compareResourceVersion,
  exponentialBackoff,
  isInvalidResourceVersionError,
  isPatchType,
  isWaitTimeoutError,
  jitter,
  namespacedName,
  namespacedNameToString,
  parseNamespacedName,
  sleep,
  stepBackoff,
  type Backoff,
} from "../src/util/index.js";

describe("NamespacedName", () => {
  it("prints like Go and parses back", () => {
    expect(namespacedNameToString(namespacedName("ns", "a"))).toBe("ns/a");
    expect(namespacedNameToString(namespacedName("", "node-1"))).toBe("/node-1");
    expect(parseNamespacedName("ns/a")).toEqual({ namespace: "ns", name: "a" });
    expect(parseNamespacedName("node-1")).toEqual({ namespace: "", name: "node-1" });
    expect(() => parseNamespacedName("a/b/c")).toThrow(NamespacedNameError);
  });
});

describe("PatchType", () => {
  it("has Go's content types", () => {
    expect(JSONPatchType).toBe("application/json-patch+json");
    expect(MergePatchType).toBe("application/merge-patch+json");
    expect(StrategicMergePatchType).toBe("application/strategic-merge-patch+json");
    expect(ApplyPatchType).toBe("application/apply-patch+yaml");
    expect(ApplyCBORPatchType).toBe("application/apply-patch+cbor");
    expect(isPatchType("application/json")).toBe(false);
    expect(isPatchType(ApplyPatchType)).toBe(true);
  });
});

describe("compareResourceVersion", () => {
  it("orders by length, then lexically", () => {
    expect(compareResourceVersion("9", "10")).toBe(-1);
    expect(compareResourceVersion("100", "99")).toBe(1);
    expect(compareResourceVersion("12345", "12345")).toBe(0);
    expect(compareResourceVersion("123456789012345678901234567890", "123456789012345678901234567891")).toBe(-1);
  });

  it("rejects malformed versions, naming the first bad one", () => {
    for (const [a, b, bad] of [
      ["0", "1", "0"],
      ["01", "1", "01"],
      ["1", "", ""],
      ["1", "1a", "1a"],
      ["-1", "x", "-1"],
    ] as const) {
      let caught: unknown;
      try {
        compareResourceVersion(a, b);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(InvalidResourceVersionError);
      expect(isInvalidResourceVersionError(caught)).toBe(true);
      expect((caught as Error).message).toBe(`resource version is not well formed: ${bad}`);
    }
  });
});

describe("Backoff", () => {
  it("steps exponentially up to the cap, then stays there", () => {
    const b: Backoff = { duration: 10, factor: 2, steps: 10, cap: 50 };
    const got = Array.from({ length: 6 }, () => stepBackoff(b));
    expect(got).toEqual([10, 20, 40, 50, 50, 50]);
    expect(b.steps).toBe(0);
  });

  it("counts steps down and keeps the duration constant with factor 0", () => {
    const b: Backoff = { duration: 5, steps: 2 };
    expect([stepBackoff(b), stepBackoff(b), stepBackoff(b)]).toEqual([5, 5, 5]);
    expect(b.steps).toBe(0);
  });

  it("jitters by up to duration * jitter", () => {
    expect(jitter(100, 0.5, () => 0.5)).toBe(125);
    expect(jitter(100, 0, () => 0.5)).toBe(150); // maxFactor <= 0 means 1
    const b: Backoff = { duration: 100, factor: 1.5, jitter: 0.1, steps: 3 };
    expect(stepBackoff(b, () => 1)).toBeCloseTo(110, 9);
    expect(b.duration).toBe(150);
  });

  it("retries until the condition holds", async () => {
    const waits: number[] = [];
    let calls = 0;
    await exponentialBackoff(
      { duration: 1, factor: 3, steps: 5 },
      () => ++calls === 3,
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(calls).toBe(3);
    expect(waits).toEqual([1, 3]);
  });

  it("gives up after the steps with WaitTimeoutError, without waiting after the last try", async () => {
    const waits: number[] = [];
    const backoff: Backoff = { duration: 1, factor: 2, steps: 3 };
    let caught: unknown;
    try {
      await exponentialBackoff(backoff, () => false, { sleep: async (ms) => void waits.push(ms) });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WaitTimeoutError);
    expect(isWaitTimeoutError(caught)).toBe(true);
    expect(waits).toEqual([1, 2]);
    expect(backoff.steps).toBe(3); // the caller's object is untouched
  });

  it("stops when the signal aborts", async () => {
    const ac = new AbortController();
    const reason = new Error("stop");
    const p = exponentialBackoff({ duration: 60_000, steps: 5 }, () => false, { signal: ac.signal });
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
    await expect(sleep(10, ac.signal)).rejects.toBe(reason);
  });

  it("propagates the condition's error", async () => {
    const boom = new Error("boom");
    await expect(
      exponentialBackoff({ duration: 1, steps: 3 }, () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });
});
