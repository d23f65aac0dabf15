import { describe, expect, it } from "vitest";
import {
  WaitTimeoutError,
  interrupted,
  isWaitTimeoutError,
  jitterUntil,
  nonSlidingUntil,
  pollUntilContextCancel,
  pollUntilContextTimeout,
  until,
} from "../src/wait/index.js";

describe("pollUntilContextCancel / pollUntilContextTimeout", () => {
  it("runs the condition at once when immediate, and stops when it returns true", async () => {
    let calls = 0;
    await pollUntilContextCancel(new AbortController().signal, 5, true, () => ++calls === 1);
    expect(calls).toBe(1);
  });

  it("waits an interval before the first call when not immediate, and polls until true", async () => {
    let calls = 0;
    await pollUntilContextCancel(new AbortController().signal, 1, false, async () => ++calls === 3);
    expect(calls).toBe(3);
  });

  it("rejects with what the condition throws", async () => {
    const boom = new Error("boom");
    await expect(
      pollUntilContextCancel(new AbortController().signal, 1, true, () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });

  it("rejects with the signal's reason when cancelled", async () => {
    const ac = new AbortController();
    let calls = 0;
    const p = pollUntilContextCancel(ac.signal, 1, true, () => {
      if (++calls === 2) ac.abort(new Error("stopped by caller"));
      return false;
    });
    await expect(p).rejects.toThrow("stopped by caller");
    expect(calls).toBe(2);
    await expect(pollUntilContextCancel(AbortSignal.abort(), 1, true, () => true)).rejects.toMatchObject({ name: "AbortError" });
  });

  it("gives up with WaitTimeoutError at the timeout, aborting the condition's signal", async () => {
    let seen: { aborted: boolean } | undefined;
    const err = await pollUntilContextTimeout(new AbortController().signal, 1, 20, true, (signal) => {
      seen = signal;
      return false;
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(isWaitTimeoutError(err)).toBe(true);
    expect(interrupted(err)).toBe(true);
    expect((err as Error).message).toBe("timed out waiting for the condition");
    expect(seen?.aborted).toBe(true);
  });

  it("succeeds before the timeout and leaves no timer behind", async () => {
    let calls = 0;
    await pollUntilContextTimeout(new AbortController().signal, 1, 60_000, false, () => ++calls === 2);
    expect(calls).toBe(2);
  });

  it("refuses a negative or non-finite interval", async () => {
    await expect(pollUntilContextCancel(new AbortController().signal, -1, true, () => true)).rejects.toBeInstanceOf(RangeError);
    await expect(pollUntilContextTimeout(new AbortController().signal, 1, Number.NaN, true, () => true)).rejects.toBeInstanceOf(RangeError);
  });

  it("interrupted() tells an abort or timeout from a failure", () => {
    expect(interrupted(new DOMException("x", "AbortError"))).toBe(true);
    expect(interrupted(AbortSignal.timeout(0).reason ?? new DOMException("t", "TimeoutError"))).toBe(true);
    expect(interrupted(new Error("boom"))).toBe(false);
    expect(interrupted("nope")).toBe(false);
  });
});

describe("until / jitterUntil", () => {
  it("calls fn repeatedly until the signal aborts, then resolves", async () => {
    const ac = new AbortController();
    let calls = 0;
    await until(() => {
      if (++calls === 3) ac.abort();
    }, 1, ac.signal);
    expect(calls).toBe(3);
  });

  it("waits for an async fn before the next call", async () => {
    const ac = new AbortController();
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    await nonSlidingUntil(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      if (++calls === 3) ac.abort();
    }, 0, ac.signal);
    expect(maxRunning).toBe(1);
    expect(calls).toBe(3);
  });

  it("does not call fn at all on an aborted signal, and rejects with fn's error", async () => {
    let calls = 0;
    await jitterUntil(() => void calls++, 1, 1.0, true, AbortSignal.abort());
    expect(calls).toBe(0);
    await expect(
      jitterUntil(() => {
        throw new Error("crash");
      }, 1, 0.5, false, new AbortController().signal),
    ).rejects.toThrow("crash");
  });
});
