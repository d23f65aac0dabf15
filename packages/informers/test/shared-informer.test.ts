import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ErrorHandler, ResourceEventHandler } from "../src/index.js";
import {
  NamespaceIndex,
  SharedIndexInformer,
  isDeletedFinalStateUnknown,
  metaNamespaceIndexFunc,
  setErrorHandler,
  waitForCacheSync,
} from "../src/index.js";
import type { Obj } from "./helpers.js";
import { obj, until } from "./helpers.js";
import { FakeSource, gone } from "./fake-source.js";

const fast = { backoff: { initial: 1, max: 4 } };

let reported: unknown[] = [];
let prev: ErrorHandler;
beforeEach(() => {
  reported = [];
  prev = setErrorHandler((err) => void reported.push(err));
});
afterEach(() => {
  setErrorHandler(prev);
});

/** Records notifications as strings: "add ns/a 1 initial", "update ns/a 1->2", "delete ns/a". */
function recorder(log: string[], gate?: () => Promise<void>): ResourceEventHandler<Obj> {
  const k = (o: Obj): string => `${o.metadata.namespace}/${o.metadata.name}`;
  return {
    onAdd: async (o, initial) => {
      await gate?.();
      log.push(`add ${k(o)} ${o.metadata.resourceVersion}${initial ? " initial" : ""}`);
    },
    onUpdate: async (a, b) => {
      await gate?.();
      log.push(`update ${k(b)} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`);
    },
    onDelete: async (o) => {
      await gate?.();
      log.push(isDeletedFinalStateUnknown(o) ? `tombstone ${o.key}` : `delete ${k(o)}`);
    },
  };
}

describe.each(["RealFIFO", "DeltaFIFO"] as const)("SharedIndexInformer over %s", (queue) => {
  function newInformer(src: FakeSource, resyncPeriod = 0) {
    return new SharedIndexInformer<Obj>(src, {
      queue,
      resyncPeriod,
      indexers: { [NamespaceIndex]: metaNamespaceIndexFunc },
      typeDescription: "test.Obj",
      reflector: fast,
    });
  }

  describe("behaviour", () => {
    it("fills the cache, syncs, and delivers the initial list as initial adds", async () => {
      const src = new FakeSource();
      src.add(obj("ns", "a"));
      src.add(obj("ns", "b"));
      const inf = newInformer(src);
      const log: string[] = [];
      const reg = inf.addEventHandler(recorder(log));
      const ac = new AbortController();
      expect(inf.hasSynced()).toBe(false);
      const done = inf.run(ac.signal);
      expect(await waitForCacheSync(ac.signal, inf, reg)).toBe(true);
      expect(inf.getStore().listKeys().sort()).toEqual(["ns/a", "ns/b"]);
      expect(log.sort()).toEqual(["add ns/a 1 initial", "add ns/b 2 initial"]);
      src.add(obj("ns", "c"));
      await until(() => log.length === 3);
      expect(log[2]).toBe("add ns/c 3");
      expect(inf.lastSyncResourceVersion()).toBe("3");
      ac.abort();
      await done;
      expect(inf.isStopped()).toBe(true);
      expect(() => inf.addEventHandler({})).toThrow(/stopped/);
    });

    it("delivers add/update/delete in order to two handlers without the slow one holding up the fast one", async () => {
      const src = new FakeSource();
      const inf = newInformer(src);
      const fastLog: string[] = [];
      const slowLog: string[] = [];
      let release!: () => void;
      const gateOpen = new Promise<void>((r) => (release = r));
      inf.addEventHandler(recorder(fastLog));
      inf.addEventHandler(recorder(slowLog, () => gateOpen));
      const ac = new AbortController();
      const done = inf.run(ac.signal);
      await until(() => inf.hasSynced() && src.live().length === 1);

      src.add(obj("ns", "a"));
      src.modify(obj("ns", "a"));
      src.add(obj("ns", "b"));
      src.delete(obj("ns", "a"));
      src.modify(obj("ns", "b"));
      const expected = ["add ns/a 1", "update ns/a 1->2", "add ns/b 3", "delete ns/a", "update ns/b 3->5"];
      await until(() => fastLog.length === expected.length, 5000, "fast handler");
      expect(fastLog).toEqual(expected);
      // The slow handler is still stuck on its first notification.
      expect(slowLog).toEqual([]);
      release();
      await until(() => slowLog.length === expected.length, 5000, "slow handler");
      expect(slowLog).toEqual(expected);
      ac.abort();
      await done;
    });

    it("gives a handler added after start the existing objects, and its own hasSynced", async () => {
      const src = new FakeSource();
      src.add(obj("ns", "a"));
      src.add(obj("ns", "b"));
      const inf = newInformer(src);
      const ac = new AbortController();
      const done = inf.run(ac.signal);
      await inf.whenSynced();
      const log: string[] = [];
      let release!: () => void;
      const gateOpen = new Promise<void>((r) => (release = r));
      const reg = inf.addEventHandler(recorder(log, () => gateOpen));
      await new Promise((r) => setTimeout(r, 5));
      expect(reg.hasSynced()).toBe(false);
      release();
      await reg.whenSynced();
      expect(reg.hasSynced()).toBe(true);
      expect(log.sort()).toEqual(["add ns/a 1 initial", "add ns/b 2 initial"]);
      src.add(obj("ns", "c"));
      await until(() => log.length === 3);
      expect(log[2]).toBe("add ns/c 3");
      ac.abort();
      await done;
    });

    it("tells handlers about objects deleted while the watch was down, with a tombstone", async () => {
      const src = new FakeSource();
      src.add(obj("ns", "a"));
      src.add(obj("ns", "b"));
      const inf = newInformer(src);
      const log: string[] = [];
      inf.addEventHandler(recorder(log));
      const ac = new AbortController();
      const done = inf.run(ac.signal);
      await until(() => inf.hasSynced() && log.length === 2);
      src.silently(() => {
        src.delete(obj("ns", "a"));
        src.modify(obj("ns", "b"));
      });
      src.compact();
      src.breakWatches(gone());
      await until(() => log.length === 4, 5000, "relist notifications");
      expect(log.slice(2).sort()).toEqual(["tombstone ns/a", "update ns/b 2->4"]);
      expect(inf.getStore().listKeys()).toEqual(["ns/b"]);
      expect(inf.getIndexer().byIndex(NamespaceIndex, "ns").map((o) => o.metadata.name)).toEqual(["b"]);
      ac.abort();
      await done;
    });

    it("resyncs only the handlers that asked for it", async () => {
      const src = new FakeSource();
      src.add(obj("ns", "a"));
      // As in client-go, per-handler resync needs a non-zero informer default (here 1 h).
      const inf = newInformer(src, 3_600_000);
      const resyncing: string[] = [];
      const quiet: string[] = [];
      inf.addEventHandler(recorder(resyncing), { resyncPeriod: 1000 });
      inf.addEventHandler(recorder(quiet));
      const ac = new AbortController();
      const done = inf.run(ac.signal);
      await until(() => resyncing.length >= 2, 10_000, "a resync");
      expect(resyncing[1]).toBe("update ns/a 1->1");
      expect(quiet).toEqual(["add ns/a 1 initial"]);
      ac.abort();
      await done;
    });

    it("applies the transform before caching and delivering; refuses it after start", async () => {
      const src = new FakeSource();
      src.add(obj("ns", "a", "", {}, "raw"));
      const inf = newInformer(src);
      inf.setTransform((o) => ({ ...o, spec: { value: "slim" } }));
      const seen: Array<string | undefined> = [];
      inf.addEventHandler({ onAdd: (o) => void seen.push(o.spec?.value) });
      const ac = new AbortController();
      const done = inf.run(ac.signal);
      await until(() => seen.length === 1);
      expect(seen).toEqual(["slim"]);
      expect(inf.getStore().getByKey("ns/a")?.spec?.value).toBe("slim");
      expect(() => inf.setTransform((o) => o)).toThrow(/already started/);
      expect(() => inf.setWatchErrorHandler(() => {})).toThrow(/already started/);
      ac.abort();
      await done;
    });

    it("stops delivering to a removed handler", async () => {
      const src = new FakeSource();
      const inf = newInformer(src);
      const kept: string[] = [];
      const removed: string[] = [];
      inf.addEventHandler(recorder(kept));
      const reg = inf.addEventHandler(recorder(removed));
      const ac = new AbortController();
      const done = inf.run(ac.signal);
      await until(() => inf.hasSynced() && src.live().length === 1);
      src.add(obj("ns", "a"));
      await until(() => removed.length === 1 && kept.length === 1);
      await inf.removeEventHandler(reg);
      src.add(obj("ns", "b"));
      await until(() => kept.length === 2);
      expect(removed).toEqual(["add ns/a 1"]);
      ac.abort();
      await done;
    });

    it("survives a throwing handler and reports the error", async () => {
      const src = new FakeSource();
      const inf = newInformer(src);
      const log: string[] = [];
      inf.addEventHandler({
        onAdd: (o) => {
          if (o.metadata.name === "bad") throw new Error("handler bug");
          log.push(o.metadata.name);
        },
      });
      const ac = new AbortController();
      const done = inf.run(ac.signal);
      await until(() => inf.hasSynced() && src.live().length === 1);
      src.add(obj("ns", "bad"));
      src.add(obj("ns", "good"));
      await until(() => log.length === 1);
      expect(log).toEqual(["good"]);
      expect(reported.map((e) => (e as Error).message)).toContain("handler bug");
      ac.abort();
      await done;
    });

    it("keeps going through watch errors and passes them to the watch error handler", async () => {
      const src = new FakeSource();
      const inf = newInformer(src);
      const errors: unknown[] = [];
      inf.setWatchErrorHandler((_, e) => void errors.push(e));
      const log: string[] = [];
      inf.addEventHandler(recorder(log));
      const ac = new AbortController();
      const done = inf.run(ac.signal);
      await until(() => inf.hasSynced() && src.live().length === 1);
      src.listFailures.push(new Error("apiserver restarting"));
      src.breakWatches(new Error("connection reset"));
      await until(() => src.live().length === 1 && src.listCalls.length === 3, 5000, "recovery");
      src.add(obj("ns", "after"));
      await until(() => log.length === 1);
      expect(log).toEqual(["add ns/after 1"]);
      expect(errors.map((e) => (e as Error).message)).toEqual(["connection reset", "failed to list test.Obj: apiserver restarting"]);
      ac.abort();
      await done;
    });

    it("adds indexers after start", async () => {
      const src = new FakeSource();
      src.add(obj("ns", "a", "", { labels: { app: "web" } }));
      const inf = newInformer(src);
      const ac = new AbortController();
      const done = inf.run(ac.signal);
      await inf.whenSynced();
      inf.addIndexers({ app: (o) => [o.metadata.labels?.["app"] ?? ""] });
      expect(inf.getIndexer().indexKeys("app", "web")).toEqual(["ns/a"]);
      ac.abort();
      await done;
    });

    it("syncs from a streaming list when the reflector is asked to use one", async () => {
      const src = new FakeSource();
      src.supportsWatchList = true;
      src.add(obj("ns", "a"));
      src.add(obj("ns", "b"));
      const inf = new SharedIndexInformer<Obj>(src, { queue, reflector: { ...fast, useWatchList: true } });
      const log: string[] = [];
      const reg = inf.addEventHandler(recorder(log));
      const ac = new AbortController();
      const done = inf.run(ac.signal);
      await reg.whenSynced();
      expect(log.sort()).toEqual(["add ns/a 1 initial", "add ns/b 2 initial"]);
      expect(src.listCalls).toEqual([]);
      src.modify(obj("ns", "a"));
      await until(() => log.length === 3);
      expect(log[2]).toBe("update ns/a 1->3");
      ac.abort();
      await done;
    });

    it("a handler removed before start never hears anything", async () => {
      const src = new FakeSource();
      src.add(obj("ns", "a"));
      const inf = newInformer(src);
      const removed: string[] = [];
      const kept: string[] = [];
      const reg = inf.addEventHandler(recorder(removed));
      inf.addEventHandler(recorder(kept));
      await reg.remove();
      const ac = new AbortController();
      const done = inf.run(ac.signal);
      await until(() => kept.length === 1);
      expect(removed).toEqual([]);
      ac.abort();
      await done;
    });

    it("waitForCacheSync resolves false when aborted first", async () => {
      const src = new FakeSource();
      const inf = newInformer(src);
      const ac = new AbortController();
      const p = waitForCacheSync(ac.signal, inf);
      ac.abort();
      expect(await p).toBe(false);
    });

    it("waitForCacheSync wakes on whenSynced without polling, and polls plain functions", async () => {
      vi.useFakeTimers();
      try {
        let syncA!: () => void;
        let a = false;
        const sourceA = { hasSynced: () => a, whenSynced: () => new Promise<void>((r) => (syncA = r)) };
        const ac = new AbortController();
        let settled: boolean | undefined;
        void waitForCacheSync(ac.signal, sourceA).then((v) => (settled = v));
        await Promise.resolve();
        expect(settled).toBeUndefined();
        a = true;
        syncA();
        // No timer advanced: the answer comes from whenSynced alone.
        for (let i = 0; i < 10 && settled === undefined; i++) await Promise.resolve();
        expect(settled).toBe(true);

        let b = false;
        settled = undefined;
        void waitForCacheSync(ac.signal, () => b).then((v) => (settled = v));
        await Promise.resolve();
        b = true;
        expect(settled).toBeUndefined();
        await vi.advanceTimersByTimeAsync(100);
        expect(settled).toBe(true);
      } finally {
        vi.useRealTimers();
      }
    });
  });
});
