import { describe, expect, it } from "vitest";
import { FakeClock, KeyFormatError, isKeyFormatError, metaNamespaceKeyFunc, splitMetaNamespaceKey } from "../src/index.js";
import { FakeClock as FakeClockFromTesting } from "../src/testing.js";

describe("keys", () => {
  it("builds namespace/name keys", () => {
    expect(metaNamespaceKeyFunc({ metadata: { namespace: "ns", name: "a" } })).toBe("ns/a");
    expect(metaNamespaceKeyFunc({ metadata: { name: "node-1" } })).toBe("node-1");
    expect(metaNamespaceKeyFunc({ metadata: { namespace: "", name: "c" } })).toBe("c");
  });

  it("splits keys like client-go's SplitMetaNamespaceKey", () => {
    expect(splitMetaNamespaceKey("ns/a")).toEqual({ namespace: "ns", name: "a" });
    expect(splitMetaNamespaceKey("a")).toEqual({ namespace: "", name: "a" });
    expect(splitMetaNamespaceKey("/a")).toEqual({ namespace: "", name: "a" });
    expect(splitMetaNamespaceKey("ns/")).toEqual({ namespace: "ns", name: "" });
    expect(splitMetaNamespaceKey("")).toEqual({ namespace: "", name: "" });
    let err: unknown;
    try {
      splitMetaNamespaceKey("a/b/c");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KeyFormatError);
    expect(isKeyFormatError(err)).toBe(true);
    expect((err as Error).name).toBe("KeyFormatError");
    expect((err as Error).message).toContain('"a/b/c"');
    expect(isKeyFormatError(new Error("x"))).toBe(false);
  });
});

describe("FakeClock", () => {
  it("is the same class from both entry points", () => {
    expect(FakeClockFromTesting).toBe(FakeClock);
  });

  it("fires timers in due order when stepped, and not before", () => {
    const c = new FakeClock(100);
    const fired: string[] = [];
    c.afterFunc(30, () => fired.push("b"));
    c.afterFunc(10, () => fired.push("a"));
    const stopped = c.afterFunc(20, () => fired.push("never"));
    c.afterFunc(30, () => fired.push("c")); // same time as b: creation order
    expect(stopped.stop()).toBe(true);
    expect(stopped.stop()).toBe(false);
    c.step(9);
    expect(fired).toEqual([]);
    c.step(21);
    expect(fired).toEqual(["a", "b", "c"]);
    expect(c.now()).toBe(130);
    expect(c.since(100)).toBe(30);
    expect(c.hasWaiters()).toBe(false);
  });

  it("fires a timer created by a callback in the same step when due at once", () => {
    const c = new FakeClock();
    const fired: number[] = [];
    c.afterFunc(10, () => {
      fired.push(c.now());
      c.afterFunc(0, () => fired.push(-1));
      c.afterFunc(5, () => fired.push(-2)); // due at 25: later
    });
    c.step(20);
    expect(fired).toEqual([20, -1]);
    expect(c.waiterCount()).toBe(1);
    c.step(5);
    expect(fired).toEqual([20, -1, -2]);
  });

  it("tickers fire at most once per step and keep their period", () => {
    const c = new FakeClock();
    let ticks = 0;
    const t = c.newTicker(100, () => ticks++);
    c.step(50);
    expect(ticks).toBe(0);
    c.step(50);
    expect(ticks).toBe(1);
    c.step(1000); // missed ticks are dropped
    expect(ticks).toBe(2);
    c.step(100);
    expect(ticks).toBe(3);
    t.stop();
    c.step(1000);
    expect(ticks).toBe(3);
    expect(() => c.newTicker(0, () => {})).toThrow(RangeError);
  });
});
