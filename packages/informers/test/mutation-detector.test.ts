import { afterEach, describe, expect, it } from "vitest";
import { CacheMutationError, SharedIndexInformer, isCacheMutationError, mutationDetectionEnabledByEnv, type ResourceEventHandler } from "../src/index.js";
import { FakeSource } from "./fake-source.js";
import { obj, until, type Obj } from "./helpers.js";

const saved = process.env["KUBE_CACHE_MUTATION_DETECTOR"];
afterEach(() => {
  if (saved === undefined) delete process.env["KUBE_CACHE_MUTATION_DETECTOR"];
  else process.env["KUBE_CACHE_MUTATION_DETECTOR"] = saved;
});

async function runWith(handler: ResourceEventHandler<Obj>, failures: CacheMutationError[]): Promise<{ informer: SharedIndexInformer<Obj>; source: FakeSource; stop: () => Promise<void> }> {
  const source = new FakeSource();
  source.add(obj("ns", "a", "1", { labels: { app: "web" } }));
  const informer = new SharedIndexInformer<Obj>(source, {
    typeDescription: "test/v1, Resource=things",
    mutationDetector: { onFailure: (e) => void failures.push(e), period: 60_000 },
  });
  informer.addEventHandler(handler);
  const ac = new AbortController();
  const running = informer.run(ac.signal);
  await informer.whenSynced();
  return {
    informer,
    source,
    stop: async () => {
      ac.abort();
      await running;
    },
  };
}

describe("cache mutation detector", () => {
  it("catches a handler that changes a cached object in place", async () => {
    const failures: CacheMutationError[] = [];
    let handled = 0;
    const { informer, source, stop } = await runWith(
      {
        onAdd: (o) => {
          handled++;
          o.metadata.labels = { ...o.metadata.labels, touched: "yes" }; // the bug
        },
      },
      failures,
    );
    await until(() => handled === 1);
    const err = informer.getMutationDetector().compareObjects();
    expect(isCacheMutationError(err)).toBe(true);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.message).toContain("cache test/v1, Resource=things modified");
    expect(failures[0]?.paths).toEqual([".metadata.labels.touched"]);
    // Reported once; later objects are still watched.
    expect(informer.getMutationDetector().compareObjects()).toBeUndefined();
    source.add(obj("ns", "b"));
    await until(() => handled === 2);
    expect(informer.getMutationDetector().compareObjects()?.paths).toEqual([".metadata.labels"]);
    await stop();
  });

  it("stays quiet for a handler that copies before changing", async () => {
    const failures: CacheMutationError[] = [];
    let handled = 0;
    const { informer, source, stop } = await runWith(
      {
        onAdd: (o) => {
          const mine = structuredClone(o);
          mine.metadata.labels = { touched: "yes" };
          handled++;
        },
        onUpdate: (_, o) => {
          structuredClone(o).spec = { value: "x" };
          handled++;
        },
      },
      failures,
    );
    source.modify(obj("ns", "a", "1", {}, "v2"));
    await until(() => handled === 2);
    expect(informer.getMutationDetector().compareObjects()).toBeUndefined();
    expect(failures).toEqual([]);
    await stop();
  });

  it("is off unless KUBE_CACHE_MUTATION_DETECTOR says true, as in Go", () => {
    delete process.env["KUBE_CACHE_MUTATION_DETECTOR"];
    expect(mutationDetectionEnabledByEnv()).toBe(false);
    expect(new SharedIndexInformer<Obj>(new FakeSource()).getMutationDetector().enabled).toBe(false);
    process.env["KUBE_CACHE_MUTATION_DETECTOR"] = "true";
    expect(new SharedIndexInformer<Obj>(new FakeSource()).getMutationDetector().enabled).toBe(true);
    expect(new SharedIndexInformer<Obj>(new FakeSource(), { mutationDetector: false }).getMutationDetector().enabled).toBe(false);
    process.env["KUBE_CACHE_MUTATION_DETECTOR"] = "no";
    expect(mutationDetectionEnabledByEnv()).toBe(false);
  });

  it("without onFailure, fails loudly from a timer as Go panics", async () => {
    const thrown: unknown[] = [];
    const onUncaught = (e: unknown): void => void thrown.push(e);
    const listeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    process.on("uncaughtException", onUncaught);
    try {
      const source = new FakeSource();
      source.add(obj("ns", "a"));
      const informer = new SharedIndexInformer<Obj>(source, { mutationDetector: { period: 60_000 } });
      let handled = 0;
      informer.addEventHandler({
        onAdd: (o) => {
          o.metadata.name = "changed";
          handled++;
        },
      });
      const ac = new AbortController();
      const running = informer.run(ac.signal);
      await until(() => handled === 1);
      informer.getMutationDetector().compareObjects();
      await until(() => thrown.length === 1);
      expect(thrown[0]).toBeInstanceOf(CacheMutationError);
      ac.abort();
      await running;
    } finally {
      process.removeListener("uncaughtException", onUncaught);
      for (const l of listeners) process.on("uncaughtException", l);
    }
  });
});
