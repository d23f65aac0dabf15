import { describe, expect, it } from "vitest";
import { newTyped, newTypedWithConfig } from "../src/index.js";
import type { GetResult, Queue } from "../src/index.js";

/** Lets pending promise callbacks run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

async function getItem<T>(q: { get(): Promise<GetResult<T>> }): Promise<T> {
  const r = await q.get();
  if (r.shutdown) throw new Error("unexpected shutdown");
  return r.item;
}

describe("Typed queue", () => {
  it("hands items out in FIFO order and deduplicates waiting items", async () => {
    const q = newTyped();
    q.add("a");
    q.add("b");
    q.add("a");
    q.add("c");
    q.add("b");
    expect(q.len()).toBe(3);
    expect(await getItem(q)).toBe("a");
    expect(await getItem(q)).toBe("b");
    expect(await getItem(q)).toBe("c");
    expect(q.len()).toBe(0);
  });

  it("re-queues an item added while it is processed, only when done is called", async () => {
    const q = newTyped();
    q.add("a");
    expect(await getItem(q)).toBe("a");
    q.add("a");
    q.add("a");
    expect(q.len()).toBe(0); // not handed to a second worker
    const second = q.get();
    let resolved = false;
    void second.then(() => (resolved = true));
    await flush();
    expect(resolved).toBe(false);
    q.done("a");
    expect(await second).toEqual({ item: "a", shutdown: false });
    q.done("a");
    expect(q.len()).toBe(0);
    // After the second done nothing is pending.
    q.shutDown();
    expect(await q.get()).toEqual({ item: undefined, shutdown: true });
  });

  it("done without a re-add leaves nothing queued", async () => {
    const q = newTyped();
    q.add("a");
    await getItem(q);
    q.done("a");
    expect(q.len()).toBe(0);
    q.add("a");
    expect(q.len()).toBe(1);
  });

  it("get waits for an add and waiters are served in order", async () => {
    const q = newTyped<number>();
    const g1 = q.get();
    const g2 = q.get();
    await flush();
    q.add(1);
    q.add(2);
    expect(await g1).toEqual({ item: 1, shutdown: false });
    expect(await g2).toEqual({ item: 2, shutdown: false });
  });

  it("shutDown wakes waiters, ignores later adds, but still hands out queued items", async () => {
    const q = newTyped();
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toEqual({ item: undefined, shutdown: true });
    expect(q.shuttingDown()).toBe(true);

    const q2 = newTyped();
    q2.add("x");
    q2.shutDown();
    q2.add("y"); // ignored, no throw
    expect(q2.len()).toBe(1);
    expect(await q2.get()).toEqual({ item: "x", shutdown: false });
    expect(await q2.get()).toEqual({ item: undefined, shutdown: true });
    q2.done("x");
    q2.shutDown(); // twice is fine
  });

  it("an item re-added before shutdown while in flight is queued again on done", async () => {
    const q = newTyped();
    q.add("a");
    await getItem(q);
    q.add("a");
    q.shutDown();
    q.done("a");
    expect(await q.get()).toEqual({ item: "a", shutdown: false });
  });

  it("shutDownWithDrain resolves only after in-flight items are done", async () => {
    const q = newTyped();
    q.add("a");
    q.add("b");
    const a = await getItem(q);
    const b = await getItem(q);
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    expect(q.shuttingDown()).toBe(true);
    await flush();
    expect(drained).toBe(false);
    q.done(a);
    await flush();
    expect(drained).toBe(false);
    q.done(b);
    await drain;
    expect(drained).toBe(true);
  });

  it("shutDownWithDrain resolves at once when nothing is in flight", async () => {
    const q = newTyped();
    q.add("queued-but-not-taken");
    await q.shutDownWithDrain();
    expect(q.shuttingDown()).toBe(true);
  });

  it("shutDown after shutDownWithDrain stops the wait", async () => {
    const q = newTyped();
    q.add("a");
    await getItem(q);
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    await flush();
    expect(drained).toBe(false);
    q.shutDown();
    await drain;
    expect(drained).toBe(true);
  });

  it("ignores done for an item it never handed out", async () => {
    const q = newTyped();
    q.done("never"); // no throw
    q.add("a");
    q.done("a"); // queued, not held: must not queue a duplicate
    expect(q.len()).toBe(1);
    expect(await getItem(q)).toBe("a");
    expect(q.len()).toBe(0);
    q.done("a");
    q.done("a");
    expect(q.len()).toBe(0);
  });

  it("uses a key function for object items, keeping the first queued object", async () => {
    type Obj = { namespace: string; name: string; v: number };
    const q = newTypedWithConfig<Obj>({ keyFunc: (o) => `${o.namespace}/${o.name}` });
    q.add({ namespace: "ns", name: "a", v: 1 });
    q.add({ namespace: "ns", name: "a", v: 2 });
    q.add({ namespace: "ns", name: "b", v: 1 });
    expect(q.len()).toBe(2);
    const first = await getItem(q);
    expect(first).toEqual({ namespace: "ns", name: "a", v: 1 });
    // A different object with the same key while in flight waits for done.
    q.add({ namespace: "ns", name: "a", v: 3 });
    expect(await getItem(q)).toEqual({ namespace: "ns", name: "b", v: 1 });
    expect(q.len()).toBe(0);
    q.done({ namespace: "ns", name: "a", v: 999 });
    expect(await getItem(q)).toEqual({ namespace: "ns", name: "a", v: 3 });
  });

  it("without a key function, object items are compared by reference", async () => {
    const q = newTyped<{ id: number }>();
    const o = { id: 1 };
    q.add(o);
    q.add(o);
    q.add({ id: 1 });
    expect(q.len()).toBe(2);
  });

  it("accepts a custom storage Queue and touches re-added items", async () => {
    const touched: number[] = [];
    // A LIFO store to show the order comes from the storage.
    const items: number[] = [];
    const lifo: Queue<number> = {
      touch: (i) => touched.push(i),
      push: (i) => items.push(i),
      len: () => items.length,
      pop: () => items.pop() as number,
    };
    const q = newTypedWithConfig<number>({ queue: lifo });
    q.add(1);
    q.add(2);
    q.add(1);
    expect(touched).toEqual([1]);
    expect(await getItem(q)).toBe(2);
    q.add(2); // in flight: not touched
    expect(touched).toEqual([1]);
    expect(await getItem(q)).toBe(1);
  });

  it("keeps working through many items without O(n) shifts (ring buffer wraps and grows)", async () => {
    const q = newTyped<number>();
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 37; i++) q.add(next++);
      for (let i = 0; i < 23; i++) {
        const it = await getItem(q);
        expect(it).toBe(expected++);
        q.done(it);
      }
    }
    expect(q.len()).toBe(next - expected);
    while (q.len() > 0) expect(await getItem(q)).toBe(expected++);
    expect(expected).toBe(next);
  });
});
