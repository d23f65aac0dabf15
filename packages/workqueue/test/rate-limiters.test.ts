import { describe, expect, it } from "vitest";
import {
  FakeClock,
  Inf,
  Limiter,
  defaultTypedControllerRateLimiter,
  defaultTypedItemBasedRateLimiter,
  every,
  newTypedBucketRateLimiter,
  newTypedItemExponentialFailureRateLimiter,
  newTypedItemFastSlowRateLimiter,
  newTypedMaxOfRateLimiter,
  newTypedWithMaxWaitRateLimiter,
} from "../src/index.js";
import type { TypedRateLimiter } from "../src/index.js";

describe("ItemExponentialFailureRateLimiter", () => {
  it("doubles per failure, per item, and forgets", () => {
    const l = newTypedItemExponentialFailureRateLimiter(1, 1000);
    expect([1, 2, 3, 4, 5].map(() => l.when("one"))).toEqual([1, 2, 4, 8, 16]);
    expect(l.numRequeues("one")).toBe(5);
    expect(l.when("two")).toBe(1);
    expect(l.when("two")).toBe(2);
    expect(l.numRequeues("two")).toBe(2);
    l.forget("one");
    expect(l.numRequeues("one")).toBe(0);
    expect(l.when("one")).toBe(1);
    expect(l.numRequeues("two")).toBe(2);
  });

  it("caps at maxDelay and never overflows", () => {
    const l = newTypedItemExponentialFailureRateLimiter(1, 1_000_000);
    for (let i = 0; i < 5; i++) l.when("one");
    expect(l.when("one")).toBe(32);
    for (let i = 0; i < 1000; i++) l.when("overflow");
    expect(l.when("overflow")).toBe(1_000_000);
    for (let i = 0; i < 5000; i++) l.when("huge");
    expect(l.when("huge")).toBe(1_000_000);
    const zero = newTypedItemExponentialFailureRateLimiter(0, 1000);
    for (let i = 0; i < 1100; i++) zero.when("z");
    expect(zero.when("z")).toBe(0);
    const minutes = newTypedItemExponentialFailureRateLimiter(60_000, 3_600_000_000);
    minutes.when("two");
    minutes.when("two");
    expect(minutes.when("two")).toBe(240_000);
  });

  it("default item-based limiter runs from 1 ms to 1000 s", () => {
    const l = defaultTypedItemBasedRateLimiter();
    expect(l.when("a")).toBe(1);
    for (let i = 0; i < 40; i++) l.when("a");
    expect(l.when("a")).toBe(1_000_000);
  });

  it("uses the key function for object items", () => {
    type Obj = { ns: string; name: string };
    const l = newTypedItemExponentialFailureRateLimiter<Obj>(1, 1000, { keyFunc: (o) => `${o.ns}/${o.name}` });
    l.when({ ns: "a", name: "x" });
    expect(l.when({ ns: "a", name: "x" })).toBe(2);
    expect(l.numRequeues({ ns: "a", name: "x" })).toBe(2);
    l.forget({ ns: "a", name: "x" });
    expect(l.numRequeues({ ns: "a", name: "x" })).toBe(0);
  });
});

describe("ItemFastSlowRateLimiter", () => {
  it("is fast for maxFastAttempts, then slow", () => {
    const l = newTypedItemFastSlowRateLimiter(5, 10_000, 3);
    expect([1, 2, 3, 4, 5].map(() => l.when("one"))).toEqual([5, 5, 5, 10_000, 10_000]);
    expect(l.numRequeues("one")).toBe(5);
    expect(l.when("two")).toBe(5);
    expect(l.when("two")).toBe(5);
    expect(l.numRequeues("two")).toBe(2);
    l.forget("one");
    expect(l.numRequeues("one")).toBe(0);
    expect(l.when("one")).toBe(5);
  });
});

describe("MaxOfRateLimiter", () => {
  it("returns the worst delay and the highest requeue count, forgets in all", () => {
    const l = newTypedMaxOfRateLimiter(
      newTypedItemFastSlowRateLimiter(5, 3000, 3),
      newTypedItemExponentialFailureRateLimiter(1, 1000),
    );
    expect([1, 2, 3, 4, 5].map(() => l.when("one"))).toEqual([5, 5, 5, 3000, 3000]);
    expect(l.numRequeues("one")).toBe(5);
    expect(l.when("two")).toBe(5);
    expect(l.when("two")).toBe(5);
    expect(l.numRequeues("two")).toBe(2);
    l.forget("one");
    expect(l.numRequeues("one")).toBe(0);
    expect(l.when("one")).toBe(5);
  });

  it("with no limiters waits 0", () => {
    const l = newTypedMaxOfRateLimiter<string>();
    expect(l.when("x")).toBe(0);
    expect(l.numRequeues("x")).toBe(0);
  });
});

describe("WithMaxWaitRateLimiter", () => {
  it("caps the wrapped limiter's delay and passes forget/numRequeues through", () => {
    // Step limiter as in client-go's test: base until `threshold` calls, then max.
    let count = 0;
    const step: TypedRateLimiter<number> = {
      when: () => (++count <= 100 ? 5 : 1_000_000),
      forget: () => {
        count = 0;
      },
      numRequeues: () => count,
    };
    const l = newTypedWithMaxWaitRateLimiter(step, 500_000);
    for (let i = 0; i < 100; i++) expect(l.when(i)).toBe(5);
    for (let i = 100; i < 110; i++) expect(l.when(i)).toBe(500_000);
    expect(l.numRequeues(0)).toBe(110);
    l.forget(0);
    expect(l.numRequeues(0)).toBe(0);
    expect(l.when(0)).toBe(5);
  });
});

describe("BucketRateLimiter / Limiter", () => {
  it("allows the burst at once, then spaces reservations at 1/qps", () => {
    const clock = new FakeClock(1_000);
    const l = newTypedBucketRateLimiter(10, 3, clock);
    expect([l.when("a"), l.when("b"), l.when("c")]).toEqual([0, 0, 0]);
    // Bucket empty: each further reservation goes 100 ms deeper into debt.
    expect(l.when("d")).toBeCloseTo(100, 9);
    expect(l.when("e")).toBeCloseTo(200, 9);
    expect(l.numRequeues("e")).toBe(0);
    l.forget("e"); // no-op
    clock.step(300);
    // 3 tokens refilled, 2 were owed: one left.
    expect(l.when("f")).toBe(0);
    expect(l.when("g")).toBeCloseTo(100, 9);
  });

  it("refills no further than the burst", () => {
    const clock = new FakeClock();
    const lim = new Limiter(10, 2, clock);
    expect(lim.reserve()).toBe(0);
    expect(lim.reserve()).toBe(0);
    clock.step(60_000);
    expect(lim.tokensAt()).toBe(2);
    expect(lim.reserve()).toBe(0);
    expect(lim.reserve()).toBe(0);
    expect(lim.reserve()).toBeCloseTo(100, 9);
  });

  it("handles the edge cases of x/time/rate", () => {
    const clock = new FakeClock();
    expect(new Limiter(Inf, 0, clock).reserve()).toBe(0);
    // n > burst cannot be granted and takes nothing.
    const small = new Limiter(1, 1, clock);
    expect(small.reserve(2)).toBe(Infinity);
    expect(small.reserve()).toBe(0);
    // A zero rate never refills.
    const zero = new Limiter(0, 1, clock);
    expect(zero.reserve()).toBe(0);
    clock.step(1e9);
    expect(zero.reserve()).toBe(Infinity);
    expect(every(250)).toBe(4);
    expect(every(0)).toBe(Inf);
  });

  it("does not refill when time goes backwards", () => {
    const clock = new FakeClock(10_000);
    const lim = new Limiter(1, 1, clock);
    expect(lim.reserve()).toBe(0);
    clock.setTime(5_000);
    expect(lim.reserve()).toBeCloseTo(1000, 9);
  });
});

describe("defaultTypedControllerRateLimiter", () => {
  it("is per-item exponential from 5 ms, under an overall 10 qps burst 100 bucket", () => {
    const clock = new FakeClock();
    const l = defaultTypedControllerRateLimiter({ clock });
    expect(l.when("a")).toBe(5);
    expect(l.when("a")).toBe(10);
    expect(l.when("a")).toBe(20);
    expect(l.numRequeues("a")).toBe(3);
    // 3 tokens spent; 97 more different items still get only their own backoff.
    for (let i = 0; i < 97; i++) expect(l.when(`item-${i}`)).toBe(5);
    // The bucket is empty: the 101st failure waits 100 ms, the next 200 ms.
    expect(l.when("b")).toBeCloseTo(100, 9);
    expect(l.when("c")).toBeCloseTo(200, 9);
    l.forget("a");
    expect(l.numRequeues("a")).toBe(0);
  });

  it("caps the per-item backoff at 1000 s", () => {
    const clock = new FakeClock();
    const l = defaultTypedControllerRateLimiter({ clock });
    let last = 0;
    for (let i = 0; i < 40; i++) {
      last = l.when("x");
      clock.step(1_000_000); // keep the bucket full
    }
    expect(last).toBe(1_000_000);
  });
});
