import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ErrorHandler } from "../src/index.js";
import { SharedIndexInformer, isDeletedFinalStateUnknown, setErrorHandler } from "../src/index.js";
import type { Obj } from "./helpers.js";
import { obj, until } from "./helpers.js";
import { FakeSource, gone } from "./fake-source.js";

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let prev: ErrorHandler;
beforeEach(() => {
  prev = setErrorHandler(() => {});
});
afterEach(() => {
  setErrorHandler(prev);
});

describe.each(["RealFIFO", "DeltaFIFO"] as const)("convergence over %s", (queue) => {
  it.each([1, 2, 3])("cache and handler view converge to the source through random changes, drops and 410s (seed %i)", async (seed) => {
    const rand = rng(seed);
    const src = new FakeSource();
    const names = Array.from({ length: 12 }, (_, i) => `o${i}`);
    for (const n of names.slice(0, 6)) src.add(obj("ns", n));
    const inf = new SharedIndexInformer<Obj>(src, { queue, reflector: { backoff: { initial: 1, max: 3 } } });
    // What a handler believes exists, rebuilt only from notifications.
    const view = new Map<string, string>();
    let outOfOrder = 0;
    inf.addEventHandler({
      onAdd: (o) => {
        view.set(`ns/${o.metadata.name}`, o.metadata.resourceVersion ?? "");
      },
      onUpdate: (a, b) => {
        const k = `ns/${b.metadata.name}`;
        if (view.get(k) !== a.metadata.resourceVersion) outOfOrder++;
        view.set(k, b.metadata.resourceVersion ?? "");
      },
      onDelete: (o) => {
        view.delete(isDeletedFinalStateUnknown(o) ? o.key : `ns/${o.metadata.name}`);
      },
    });
    const ac = new AbortController();
    const done = inf.run(ac.signal);
    await inf.whenSynced();

    for (let step = 0; step < 150; step++) {
      const name = names[Math.floor(rand() * names.length)] as string;
      const exists = src.items.has(`ns/${name}`);
      const r = rand();
      const change = (): void => {
        if (!exists) src.add(obj("ns", name));
        else if (r < 0.5) src.modify(obj("ns", name));
        else src.delete(obj("ns", name));
      };
      if (r < 0.08) {
        src.silently(change); // the event is lost...
        src.compact(); // ...and history is gone: the next watch must relist
        src.breakWatches(gone());
      } else if (r < 0.12) {
        src.breakWatches(new Error("connection reset"));
      } else {
        change();
      }
      if (rand() < 0.3) await new Promise((res) => setTimeout(res, 0));
    }

    const expected = (): string[] => Array.from(src.items.values(), (o) => `ns/${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
    const cached = (): string[] => inf.getStore().list().map((o) => `ns/${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
    const seen = (): string[] => Array.from(view, ([k, rv]) => `${k}@${rv}`).sort();
    await until(() => cached().join() === expected().join() && seen().join() === expected().join(), 10_000, "convergence");
    expect(outOfOrder).toBe(0);
    // The run really went through relists after lost events.
    expect(src.listCalls.length).toBeGreaterThan(3);
    ac.abort();
    await done;
  });
});
