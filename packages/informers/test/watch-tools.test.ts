// tools/watch against scripted watches: the misbehaviour a real server shows only rarely (errors in
// the middle of a stream, events without a resourceVersion, unknown event types).
import { describe, expect, it } from "vitest";
import { StatusError, isGone } from "@kubets/apimachinery/errors";
import type { ListOptions } from "@kubets/apimachinery/meta/v1";
import { isWaitTimeoutError } from "@kubets/apimachinery/util";
import type { WatchEvent } from "../src/index.js";
import type { RetryWatcher} from "../src/watch/index.js";
import { isWatchClosedError, newIndexerInformerWatcher, newRetryWatcher, untilWithSync, untilWithoutRetry, type WatcherClient } from "../src/watch/index.js";
import { FakeSource } from "./fake-source.js";
import { obj, type Obj } from "./helpers.js";

type Step = WatchEvent<Obj> | { throw: unknown } | "end";

/** A client whose n-th watch plays the n-th script (then blocks until stopped). */
class ScriptedClient implements WatcherClient<Obj> {
  calls: ListOptions[] = [];
  constructor(private readonly scripts: Array<Step[] | { reject: unknown }>) {}
  async watch(options: ListOptions): Promise<AsyncIterable<WatchEvent<Obj>> & { stop(): void }> {
    const { signal: _s, ...rest } = options as ListOptions & { signal?: AbortSignal };
    this.calls.push(rest);
    const script = this.scripts[this.calls.length - 1] ?? [];
    if (!Array.isArray(script)) throw script.reject;
    let stopped = false;
    let release: (() => void) | undefined;
    return {
      stop: () => {
        stopped = true;
        release?.();
      },
      async *[Symbol.asyncIterator]() {
        for (const step of script) {
          if (stopped) return;
          if (step === "end") return;
          if ("throw" in step) throw step.throw;
          yield step;
        }
        if (!stopped) await new Promise<void>((r) => (release = r));
      },
    };
  }
}

const ev = (type: WatchEvent<Obj>["type"], name: string, rv: string): WatchEvent<Obj> => ({ type, object: obj("ns", name, rv) });
const status = (code: number, reason: string, retryAfterSeconds?: number) => ({
  kind: "Status",
  apiVersion: "v1",
  status: "Failure",
  code,
  reason,
  message: `${reason} happened`,
  ...(retryAfterSeconds !== undefined ? { details: { retryAfterSeconds } } : {}),
});

async function take(rw: RetryWatcher<Obj>, n: number): Promise<string[]> {
  const out: string[] = [];
  for await (const e of rw) {
    out.push(`${e.type} ${(e.object as Obj).metadata.name}@${(e.object as Obj).metadata.resourceVersion ?? ""}`);
    if (out.length === n) break;
  }
  return out;
}

describe("RetryWatcher", () => {
  it("refuses to start from \"\" or \"0\"", () => {
    const c = new ScriptedClient([]);
    expect(() => newRetryWatcher("", c)).toThrow(/not supported by a RetryWatcher/);
    expect(() => newRetryWatcher("0", c)).toThrow(TypeError);
  });

  it("resumes from the last delivered resourceVersion after clean ends, errors and bookmarks", async () => {
    const c = new ScriptedClient([
      [ev("ADDED", "a", "11"), "end"],
      [ev("MODIFIED", "a", "12"), ev("BOOKMARK", "", "15"), "end"],
      [{ throw: new Error("connection reset") }],
      { reject: new Error("connection refused") },
      [{ type: "ERROR", object: status(500, "InternalError") as unknown as Obj }],
      [ev("DELETED", "a", "16")],
    ]);
    const rw = newRetryWatcher("10", c, { minRestartDelay: 0 });
    expect(await take(rw, 3)).toEqual(["ADDED a@11", "MODIFIED a@12", "DELETED a@16"]);
    expect(c.calls.map((o) => o.resourceVersion)).toEqual(["10", "11", "15", "15", "15", "15"]);
    expect(c.calls.every((o) => o.allowWatchBookmarks === true)).toBe(true);
    expect(rw.lastResourceVersion()).toBe("16");
    await rw.done();
  });

  it("stops on 410 with an error that says what to do, from an ERROR event or a typed watch's throw", async () => {
    for (const step of [
      { type: "ERROR", object: status(410, "Expired") as unknown as Obj } as Step,
      { throw: new StatusError(status(410, "Gone") as never) } as Step,
    ]) {
      const c = new ScriptedClient([[ev("ADDED", "a", "21"), step]]);
      const rw = newRetryWatcher("20", c, { minRestartDelay: 0 });
      const seen: string[] = [];
      const err = await (async () => {
        for await (const e of rw) seen.push(e.type);
      })().catch((e: unknown) => e);
      expect(seen).toEqual(["ADDED"]);
      expect(isGone(err) || (err as StatusError).reason === "Expired").toBe(true);
      expect((err as Error).message).toMatch(/^retry watcher: resourceVersion 21 is too old to watch from .*list again/);
      expect(c.calls).toHaveLength(1);
    }
  });

  it("waits retryAfterSeconds of an ERROR Status and stops on Forbidden", async () => {
    const c = new ScriptedClient([[{ type: "ERROR", object: status(504, "Timeout", 0) as unknown as Obj }], { reject: new StatusError(status(403, "Forbidden") as never) }]);
    const rw = newRetryWatcher("5", c, { minRestartDelay: 0 });
    await expect(take(rw, 1)).rejects.toMatchObject({ name: "StatusError", code: 403 });
  });

  it("fails on events without a resourceVersion or of unknown type", async () => {
    const noRV = new ScriptedClient([[{ type: "ADDED", object: { metadata: { name: "x" } } }]]);
    await expect(take(newRetryWatcher("1", noRV, { minRestartDelay: 0 }), 1)).rejects.toThrow(/has no metadata.resourceVersion/);
    const odd = new ScriptedClient([[{ type: "WEIRD" as "ADDED", object: obj("ns", "x", "2") }]]);
    await expect(take(newRetryWatcher("1", odd, { minRestartDelay: 0 }), 1)).rejects.toThrow(/failed to recognize Event type "WEIRD"/);
  });

  it("gives up after maxConsecutiveFailures, rethrowing the last error", async () => {
    const boom = new Error("still down");
    const c = new ScriptedClient([{ reject: boom }, { reject: boom }, { reject: boom }]);
    await expect(take(newRetryWatcher("1", c, { minRestartDelay: 0, maxConsecutiveFailures: 3 }), 1)).rejects.toBe(boom);
    expect(c.calls).toHaveLength(3);
  });

  it("stop() and the signal end the iteration", async () => {
    const c = new ScriptedClient([[ev("ADDED", "a", "2")]]);
    const ac = new AbortController();
    const rw = newRetryWatcher("1", c, { signal: ac.signal, minRestartDelay: 0 });
    const seen: string[] = [];
    for await (const e of rw) {
      seen.push(e.type);
      ac.abort();
    }
    expect(seen).toEqual(["ADDED"]);
    await rw.done();
  });
});

describe("untilWithoutRetry", () => {
  it("applies the conditions in turn and resolves with the last event", async () => {
    const c = new ScriptedClient([[ev("ADDED", "a", "2"), ev("MODIFIED", "a", "3"), ev("MODIFIED", "b", "4"), ev("DELETED", "a", "5")]]);
    const w = await c.watch({});
    const last = await untilWithoutRetry(
      AbortSignal.timeout(5000),
      w,
      (e) => e.type === "MODIFIED",
      (e) => (e.object as Obj).metadata.name === "b",
      (e) => e.type === "MODIFIED", // satisfied by the same event, without reading on
    );
    expect(last).toMatchObject({ type: "MODIFIED", object: { metadata: { name: "b" } } });
  });

  it("rejects with WatchClosedError when the watch ends, WaitTimeoutError when aborted", async () => {
    const closed = new ScriptedClient([[ev("ADDED", "a", "2"), "end"]]);
    const err = await untilWithoutRetry(AbortSignal.timeout(5000), await closed.watch({}), () => false).catch((e: unknown) => e);
    expect(isWatchClosedError(err)).toBe(true);
    const idle = new ScriptedClient([[]]);
    const err2 = await untilWithoutRetry(AbortSignal.timeout(50), await idle.watch({}), () => false).catch((e: unknown) => e);
    expect(isWaitTimeoutError(err2)).toBe(true);
    const boom = new Error("bad condition");
    const bad = new ScriptedClient([[ev("ADDED", "a", "2")]]);
    await expect(
      untilWithoutRetry(AbortSignal.timeout(5000), await bad.watch({}), () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });
});

describe("newIndexerInformerWatcher and untilWithSync", () => {
  it("turns the informer's initial list and changes into watch events, and survives a relist", async () => {
    const source = new FakeSource();
    source.add(obj("ns", "a"));
    const { watch, indexer, done } = newIndexerInformerWatcher<Obj>(source);
    const seen: string[] = [];
    for await (const e of watch) {
      seen.push(`${e.type} ${(e.object as Obj).metadata.name}`);
      if (seen.length === 1) {
        source.add(obj("ns", "b"));
      } else if (seen.length === 2) {
        // A deletion the watch misses, then a 410: the relist reports it as DELETED.
        source.silently(() => source.delete(obj("ns", "a")));
        source.compact();
        source.breakWatches(new StatusError(status(410, "Expired") as never));
      } else break;
    }
    expect(seen).toEqual(["ADDED a", "ADDED b", "DELETED a"]);
    expect(indexer.listKeys()).toEqual(["ns/b"]);
    watch.stop();
    await done;
  });

  it("untilWithSync: the precondition on the synced cache can end the wait at once", async () => {
    const source = new FakeSource();
    source.add(obj("ns", "ready", "1", {}, "yes"));
    const r = await untilWithSync<Obj>(AbortSignal.timeout(5000), source, (store) => store.list().some((o) => o.spec?.value === "yes"), () => false);
    expect(r).toBeUndefined();
  });

  it("untilWithSync: otherwise waits on the events", async () => {
    const source = new FakeSource();
    source.add(obj("ns", "x", "1", {}, "no"));
    const r = await untilWithSync<Obj>(
      AbortSignal.timeout(5000),
      source,
      (store) => {
        const ready = store.list().some((o) => o.spec?.value === "yes");
        if (!ready) source.modify(obj("ns", "x", "1", {}, "yes"));
        return ready;
      },
      (e) => (e.object as Obj).spec?.value === "yes",
    );
    expect(r?.type).toBe("MODIFIED");
    await expect(untilWithSync<Obj>(AbortSignal.timeout(30), source, undefined, () => false)).rejects.toMatchObject({ name: "WaitTimeoutError" });
  });
});
