// The workqueue logs through the shared kubets logger without depending on @kubets/apimachinery:
// `setLogger` (global or for "workqueue") reaches it through the globalThis slot, a `logger` option
// wins over both, and the deprecated `onError` still wins over everything.
import { afterEach, describe, expect, it } from "vitest";
import { setLogger } from "@kubets/apimachinery/log";
import { FakeClock, newTyped, newTypedDelayingQueueWithConfig, newTypedRateLimitingQueueWithConfig, newTypedItemExponentialFailureRateLimiter } from "../src/index.js";
import type { LogFields, Logger, TypedInterface } from "../src/index.js";

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (m: string, f?: LogFields) =>
    void lines.push(`${level} ${m} ${JSON.stringify({ ...f, err: f?.["err"] instanceof Error ? f["err"].message : f?.["err"] })}`);
  return { lines, error: rec("error"), warn: rec("warn"), info: rec("info"), debug: rec("debug") };
}

function brokenQueue(): TypedInterface<string> {
  const inner = newTyped<string>();
  return {
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
}

afterEach(() => {
  setLogger(undefined);
  setLogger(undefined, "workqueue");
});

describe("workqueue logging", () => {
  it("sends a timer's error to the logger set for the workqueue component", () => {
    const global = capture();
    const own = capture();
    setLogger(global);
    setLogger(own, "workqueue");
    const clock = new FakeClock();
    const q = newTypedDelayingQueueWithConfig({ clock, queue: brokenQueue(), name: "jobs" });
    q.addAfter("a", 10);
    expect(() => clock.step(10)).not.toThrow();
    expect(own.lines).toEqual(['error error while adding delayed items {"component":"workqueue","err":"storage failure","name":"jobs"}']);
    expect(global.lines).toEqual([]);
  });

  it("prefers a queue's own logger, and the deprecated onError over it", () => {
    const global = capture();
    setLogger(global);
    const own = capture();
    const clock = new FakeClock();
    const rl = newTypedRateLimitingQueueWithConfig(newTypedItemExponentialFailureRateLimiter<string>(5, 1000), {
      clock,
      logger: own,
      delayingQueue: undefined,
    });
    expect(rl.len()).toBe(0);
    const q = newTypedDelayingQueueWithConfig({ clock, queue: brokenQueue(), logger: own });
    q.addAfter("a", 10);
    clock.step(10);
    expect(own.lines).toHaveLength(1);
    const errors: unknown[] = [];
    const legacy = newTypedDelayingQueueWithConfig({ clock, queue: brokenQueue(), logger: own, onError: (e) => errors.push(e) });
    legacy.addAfter("b", 10);
    clock.step(10);
    expect(errors).toHaveLength(1);
    expect(own.lines).toHaveLength(1);
    expect(global.lines).toEqual([]);
  });
});
