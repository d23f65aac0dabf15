import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StatusError } from "@kubets/apimachinery/errors";
import type { ErrorHandler, Store } from "../src/index.js";
import { Reflector, metaNamespaceKeyFunc, newStore, setErrorHandler } from "../src/index.js";
import type { Obj } from "./helpers.js";
import { obj, until } from "./helpers.js";
import { FakeSource, gone } from "./fake-source.js";

const fast = { backoff: { initial: 1, max: 4, resetAfter: 60_000 } };

let reported: unknown[] = [];
let prev: ErrorHandler;
beforeEach(() => {
  reported = [];
  prev = setErrorHandler((err) => void reported.push(err));
});
afterEach(() => {
  setErrorHandler(prev);
});

function r(s: Store<Obj>): string | undefined {
  return s.getByKey("ns/a")?.metadata.resourceVersion;
}

function names(s: Store<Obj>): string[] {
  return s.listKeys().sort();
}

function start(src: FakeSource, store: Store<Obj>, options = {}) {
  const ac = new AbortController();
  const errors: unknown[] = [];
  const r = new Reflector<Obj>(src, store, { ...fast, watchErrorHandler: (_, e) => void errors.push(e), ...options });
  const done = r.run(ac.signal);
  return {
    r,
    errors,
    stop: async () => {
      ac.abort();
      await done;
    },
  };
}

describe("Reflector", () => {
  it("lists, then watches from the list's resourceVersion", async () => {
    const src = new FakeSource();
    src.add(obj("ns", "a"));
    src.add(obj("ns", "b"));
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { r, stop } = start(src, store);
    await until(() => src.live().length === 1, 5000, "watch");
    expect(names(store)).toEqual(["ns/a", "ns/b"]);
    expect(src.listCalls[0]).toMatchObject({ resourceVersion: "0", limit: 500 });
    const w = src.watchCalls[0]!;
    expect(w.resourceVersion).toBe("2");
    expect(w.allowWatchBookmarks).toBe(true);
    expect(w.timeoutSeconds).toBeGreaterThanOrEqual(300);
    expect(w.timeoutSeconds).toBeLessThan(600);
    expect(w.signal).toBeInstanceOf(AbortSignal);

    src.modify(obj("ns", "a", "", {}, "v2"));
    src.delete(obj("ns", "b"));
    src.add(obj("ns", "c"));
    await until(() => r.lastSyncResourceVersion() === "5", 5000, "rv 5");
    expect(names(store)).toEqual(["ns/a", "ns/c"]);
    expect(store.getByKey("ns/a")?.spec?.value).toBe("v2");
    await stop();
    expect(src.live()).toHaveLength(0);
  });

  it("pages the initial list 500 at a time", async () => {
    const src = new FakeSource();
    for (let i = 0; i < 1203; i++) src.add(obj("ns", `o${String(i).padStart(4, "0")}`));
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { r, stop } = start(src, store);
    await until(() => src.live().length === 1, 5000, "watch");
    expect(src.listCalls.map((c) => c.limit)).toEqual([500, 500, 500]);
    expect(src.listCalls[0]!.continue).toBeUndefined();
    expect(src.listCalls[1]!.continue).toBeTruthy();
    expect(src.listCalls[1]!.resourceVersion).toBeUndefined();
    expect(store.listKeys()).toHaveLength(1203);
    expect(r.lastSyncResourceVersion()).toBe("1203");
    await stop();
  });

  it("falls back to a full list when a continue token expires", async () => {
    const src = new FakeSource();
    for (let i = 0; i < 700; i++) src.add(obj("ns", `o${i}`));
    src.expireContinue = true;
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { stop } = start(src, store);
    await until(() => src.live().length === 1, 5000, "watch");
    expect(src.listCalls).toHaveLength(3);
    expect(src.listCalls[2]!.limit).toBeUndefined();
    expect(src.listCalls[2]!.continue).toBeUndefined();
    expect(store.listKeys()).toHaveLength(700);
    await stop();
  });

  it("relists after a 410 mid-watch and catches up with what it missed", async () => {
    const src = new FakeSource();
    src.add(obj("ns", "a"));
    src.add(obj("ns", "b"));
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { r, stop, errors } = start(src, store);
    await until(() => src.live().length === 1, 5000, "first watch");
    src.silently(() => {
      src.delete(obj("ns", "a"));
      src.add(obj("ns", "z"));
    });
    src.compact();
    src.breakWatches(gone());
    await until(() => src.listCalls.length === 2 && src.live().length === 1, 5000, "relist and rewatch");
    expect(names(store)).toEqual(["ns/b", "ns/z"]);
    expect(r.lastSyncResourceVersion()).toBe("4");
    expect(src.watchCalls[1]!.resourceVersion).toBe("4");
    // An expired watch is an expected end: not reported as an error.
    expect(errors).toEqual([]);
    await stop();
  });

  it("relists from scratch when the list itself says the resourceVersion expired", async () => {
    const src = new FakeSource();
    src.add(obj("ns", "a"));
    src.listFailures.push(new StatusError({ kind: "Status", status: "Failure", code: 410, reason: "Expired", message: "too old" }));
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { stop } = start(src, store);
    await until(() => src.live().length === 1, 5000, "watch");
    expect(src.listCalls.map((c) => c.resourceVersion)).toEqual(["0", ""]);
    expect(names(store)).toEqual(["ns/a"]);
    await stop();
  });

  it("an ERROR event with 410 triggers a relist", async () => {
    const src = new FakeSource();
    src.add(obj("ns", "a"));
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { stop } = start(src, store);
    await until(() => src.live().length === 1, 5000, "watch");
    src.errorEvent({ kind: "Status", apiVersion: "v1", status: "Failure", code: 410, reason: "Expired", message: "too old resource version" });
    await until(() => src.listCalls.length === 2 && src.live().length === 1, 5000, "relist");
    await stop();
  });

  it("keeps running after list and watch errors, reporting each", async () => {
    const src = new FakeSource();
    src.add(obj("ns", "a"));
    const internal = new StatusError({ kind: "Status", status: "Failure", code: 500, reason: "InternalError", message: "etcd hiccup" });
    src.listFailures.push(new Error("connect ECONNRESET"), internal);
    src.watchFailures.push(new Error("watch refused by proxy"));
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { stop, errors } = start(src, store);
    await until(() => src.live().length === 1, 5000, "watch after failures");
    expect(errors).toHaveLength(3);
    expect((errors[0] as Error).message).toMatch(/failed to list object: connect ECONNRESET/);
    expect((errors[2] as Error).message).toBe("watch refused by proxy");
    expect(names(store)).toEqual(["ns/a"]);

    // A watch stream that dies with a transport error: reported, then relist and rewatch.
    src.breakWatches(new Error("socket hang up"));
    await until(() => src.live().length === 1 && src.watchCalls.length === 3, 5000, "rewatch");
    expect(errors.map((e) => (e as Error).message)).toContain("socket hang up");
    src.add(obj("ns", "b"));
    await until(() => store.listKeys().length === 2, 5000, "event after recovery");
    await stop();
  });

  it("retries a refused watch without relisting", async () => {
    const src = new FakeSource();
    const refused = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
    src.watchFailures.push(refused, refused);
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { stop, errors } = start(src, store);
    await until(() => src.live().length === 1, 5000, "watch");
    expect(src.listCalls).toHaveLength(1);
    expect(src.watchCalls).toHaveLength(3);
    expect(errors).toEqual([]);
    await stop();
  });

  it("rewatches from the last resourceVersion when the server closes the watch", async () => {
    const src = new FakeSource();
    src.add(obj("ns", "a"));
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { stop } = start(src, store);
    await until(() => src.live().length === 1, 5000, "watch");
    src.modify(obj("ns", "a"));
    await until(() => store.getByKey("ns/a")?.metadata.resourceVersion === "2", 5000, "modify");
    src.closeWatches();
    // Closed within a second with one event: a normal end, so no relist.
    await until(() => src.watchCalls.length === 2 && src.live().length === 1, 5000, "rewatch");
    expect(src.watchCalls[1]!.resourceVersion).toBe("2");
    expect(src.listCalls).toHaveLength(1);
    await stop();
  });

  it("re-watches from the last resourceVersion, without a relist, when the connection is cut, reset or found dead", async () => {
    const src = new FakeSource();
    src.add(obj("ns", "a"));
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { stop, errors } = start(src, store);
    await until(() => src.live().length === 1, 5000, "watch");
    let expectedWatches = 1;
    for (const code of ["UND_ERR_SOCKET", "ECONNRESET", "ERR_WATCH_IDLE_TIMEOUT"]) {
      const before = src.rv;
      src.modify(obj("ns", "a"));
      await until(() => r(store) === String(before + 1), 5000, "modify");
      // what @kubets/client's watch throws when the stream breaks
      src.breakWatches(Object.assign(new Error(`cut (${code})`), { name: "TransportError", code, host: "https://h" }));
      expectedWatches++;
      await until(() => src.watchCalls.length === expectedWatches && src.live().length === 1, 5000, "rewatch");
      expect(src.watchCalls[expectedWatches - 1]!.resourceVersion).toBe(String(before + 1));
    }
    expect(src.listCalls).toHaveLength(1);
    expect(errors).toEqual([]);
    await stop();
  });

  it("still relists after a cut watch that lasted under a second without events", async () => {
    const src = new FakeSource();
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { stop, errors } = start(src, store);
    await until(() => src.live().length === 1, 5000, "watch");
    src.breakWatches(Object.assign(new Error("cut"), { name: "TransportError", code: "UND_ERR_SOCKET", host: "https://h" }));
    await until(() => src.listCalls.length === 2 && src.live().length === 1, 5000, "relist");
    expect((errors[0] as Error).name).toBe("VeryShortWatchError");
    await stop();
  });

  it("treats a watch that closes at once without events as an error and relists", async () => {
    const src = new FakeSource();
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { stop, errors } = start(src, store);
    await until(() => src.live().length === 1, 5000, "watch");
    src.closeWatches();
    await until(() => src.listCalls.length === 2 && src.live().length === 1, 5000, "relist");
    expect((errors[0] as Error).name).toBe("VeryShortWatchError");
    await stop();
  });

  it("bookmarks advance lastSyncResourceVersion and reach the store", async () => {
    const src = new FakeSource();
    src.add(obj("ns", "a"));
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { r, stop } = start(src, store);
    await until(() => src.live().length === 1, 5000, "watch");
    src.silently(() => {
      src.add(obj("other", "x"));
      src.add(obj("other", "y"));
    });
    src.bookmark();
    await until(() => r.lastSyncResourceVersion() === "3", 5000, "bookmark rv");
    expect(store.lastStoreSyncResourceVersion()).toBe("3");
    src.closeWatches();
    await until(() => src.watchCalls.length === 2, 5000, "rewatch");
    expect(src.watchCalls[1]!.resourceVersion).toBe("3");
    await stop();
  });

  it("streams the initial list with sendInitialEvents when asked", async () => {
    const src = new FakeSource();
    src.supportsWatchList = true;
    src.add(obj("ns", "a"));
    src.add(obj("ns", "b"));
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { r, stop } = start(src, store, { useWatchList: true });
    await until(() => store.listKeys().length === 2, 5000, "stream");
    expect(src.listCalls).toHaveLength(0);
    expect(src.watchCalls[0]).toMatchObject({ sendInitialEvents: true, resourceVersionMatch: "NotOlderThan", allowWatchBookmarks: true });
    expect(r.lastSyncResourceVersion()).toBe("2");
    // The same watch carries on after the initial-events-end bookmark.
    src.add(obj("ns", "c"));
    await until(() => store.listKeys().length === 3, 5000, "event on the same watch");
    expect(src.watchCalls).toHaveLength(1);
    await stop();
  });

  it("falls back to list when the server refuses a streaming list", async () => {
    const src = new FakeSource();
    src.add(obj("ns", "a"));
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const { stop } = start(src, store, { useWatchList: true });
    await until(() => src.live().length === 1, 5000, "watch");
    expect(src.listCalls).toHaveLength(1);
    expect(names(store)).toEqual(["ns/a"]);
    await stop();
  });

  it("stops promptly on abort, even while backing off", async () => {
    const src = new FakeSource();
    for (let i = 0; i < 50; i++) src.listFailures.push(new Error("down"));
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const ac = new AbortController();
    const r = new Reflector<Obj>(src, store, { backoff: { initial: 60_000 }, watchErrorHandler: () => {} });
    const done = r.run(ac.signal);
    await until(() => src.listCalls.length === 1, 5000, "first list");
    ac.abort();
    await done;
    expect(src.listCalls).toHaveLength(1);
  });

  it("stops on abort while a list hangs, and stops a watch that opens too late", async () => {
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const hanging = { list: () => new Promise<never>(() => {}), watch: () => new Promise<never>(() => {}) };
    const ac = new AbortController();
    const done = new Reflector<Obj>(hanging, store, fast).run(ac.signal);
    await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    await done;

    let stopped = 0;
    let openWatch!: () => void;
    const src = new FakeSource();
    const slowWatch = {
      list: (o: Parameters<FakeSource["list"]>[0]) => src.list(o),
      watch: () =>
        new Promise<Awaited<ReturnType<FakeSource["watch"]>>>((resolve) => {
          openWatch = () => resolve({ stop: () => void stopped++, async *[Symbol.asyncIterator]() {} });
        }),
    };
    const ac2 = new AbortController();
    const done2 = new Reflector<Obj>(slowWatch, store, fast).run(ac2.signal);
    await until(() => openWatch !== undefined, 5000, "watch call");
    ac2.abort();
    await done2;
    openWatch();
    await until(() => stopped === 1, 5000, "late watch stopped");
  });

  it("resyncs the store periodically when shouldResync agrees", async () => {
    const src = new FakeSource();
    let resyncs = 0;
    let allow = false;
    const store = newStore<Obj>(metaNamespaceKeyFunc);
    const counting = Object.assign(Object.create(store) as Store<Obj>, { resync: () => void resyncs++ });
    const { stop } = start(src, counting, { resyncPeriod: 5, shouldResync: () => allow });
    await until(() => src.live().length === 1, 5000, "watch");
    await new Promise((r) => setTimeout(r, 30));
    expect(resyncs).toBe(0);
    allow = true;
    await until(() => resyncs >= 2, 5000, "resyncs");
    await stop();
  });
});
