import { describe, expect, it } from "vitest";
import type { Deltas } from "../src/index.js";
import {
  DeletedFinalStateUnknown,
  DeltaFIFO,
  FIFOClosedError,
  RequeueError,
  isDeletedFinalStateUnknown,
  metaNamespaceKeyFunc,
  newStore,
} from "../src/index.js";
import type { Obj } from "./helpers.js";
import { obj } from "./helpers.js";

async function popAll(f: DeltaFIFO<Obj>): Promise<Array<[string, Deltas<Obj>, boolean]>> {
  const out: Array<[string, Deltas<Obj>, boolean]> = [];
  while (f.listKeys().length > 0) {
    await f.pop((d, initial) => {
      out.push([f.keyOf(d), d, initial]);
    });
  }
  return out;
}

const types = (d: Deltas<Obj>): string[] => d.map((x) => x.type);

describe("DeltaFIFO", () => {
  it("accumulates deltas per key and pops keys in FIFO order", async () => {
    const f = new DeltaFIFO<Obj>();
    f.add(obj("ns", "a", "1"));
    f.add(obj("ns", "b", "2"));
    f.update(obj("ns", "a", "3"));
    f.delete(obj("ns", "a", "4"));
    const popped = await popAll(f);
    expect(popped.map(([k]) => k)).toEqual(["ns/a", "ns/b"]);
    expect(types(popped[0]![1])).toEqual(["Added", "Updated", "Deleted"]);
    expect(popped[0]![1][1]!.object).toMatchObject({ metadata: { resourceVersion: "3" } });
  });

  it("collapses two consecutive deletes, preferring the one that is not a tombstone", async () => {
    const f = new DeltaFIFO<Obj>();
    f.add(obj("ns", "a"));
    f.delete(new DeletedFinalStateUnknown("ns/a", obj("ns", "a", "1")));
    f.delete(obj("ns", "a", "9"));
    const [[, d]] = (await popAll(f)) as [[string, Deltas<Obj>, boolean]];
    expect(types(d)).toEqual(["Added", "Deleted"]);
    expect(isDeletedFinalStateUnknown(d[1]!.object)).toBe(false);

    f.add(obj("ns", "b"));
    f.delete(obj("ns", "b", "2"));
    f.delete(new DeletedFinalStateUnknown("ns/b", undefined));
    const [[, d2]] = (await popAll(f)) as [[string, Deltas<Obj>, boolean]];
    expect(types(d2)).toEqual(["Added", "Deleted"]);
    expect(d2[1]!.object).toMatchObject({ metadata: { resourceVersion: "2" } });
  });

  it("drops deletes of objects neither queued nor known", async () => {
    const known = newStore<Obj>(metaNamespaceKeyFunc);
    known.add(obj("ns", "known"));
    const f = new DeltaFIFO<Obj>({ knownObjects: known });
    f.delete(obj("ns", "stranger"));
    f.delete(obj("ns", "known"));
    const popped = await popAll(f);
    expect(popped.map(([k, d]) => [k, types(d)])).toEqual([["ns/known", ["Deleted"]]]);
  });

  it("replace emits Replaced deltas and tombstones for vanished objects", async () => {
    const known = newStore<Obj>(metaNamespaceKeyFunc);
    known.add(obj("ns", "stays", "1"));
    known.add(obj("ns", "vanished", "1"));
    const f = new DeltaFIFO<Obj>({ knownObjects: known, emitDeltaTypeReplaced: true });
    f.add(obj("ns", "queued-only", "2"));
    f.replace([obj("ns", "stays", "3")], "3");
    const popped = new Map((await popAll(f)).map(([k, d]) => [k, d]));
    expect(types(popped.get("ns/stays")!)).toEqual(["Replaced"]);
    const vanished = popped.get("ns/vanished")!;
    expect(types(vanished)).toEqual(["Deleted"]);
    const tomb = vanished[0]!.object;
    expect(isDeletedFinalStateUnknown(tomb) && tomb.key).toBe("ns/vanished");
    expect(isDeletedFinalStateUnknown(tomb) && tomb.obj).toMatchObject({ metadata: { name: "vanished" } });
    const queued = popped.get("ns/queued-only")!;
    expect(types(queued)).toEqual(["Added", "Deleted"]);
    expect(isDeletedFinalStateUnknown(queued[1]!.object)).toBe(true);
  });

  it("replace emits Sync deltas unless emitDeltaTypeReplaced is set", async () => {
    const f = new DeltaFIFO<Obj>();
    f.replace([obj("ns", "a")], "1");
    const [[, d]] = (await popAll(f)) as [[string, Deltas<Obj>, boolean]];
    expect(types(d)).toEqual(["Sync"]);
  });

  it("hasSynced once the items of the first replace are popped", async () => {
    const f = new DeltaFIFO<Obj>();
    expect(f.hasSynced()).toBe(false);
    f.replace([obj("ns", "a"), obj("ns", "b")], "1");
    f.add(obj("ns", "c"));
    expect(f.hasSynced()).toBe(false);
    const flags: boolean[] = [];
    await f.pop((_, initial) => void flags.push(initial));
    expect(f.hasSynced()).toBe(false);
    await f.pop((_, initial) => void flags.push(initial));
    expect(f.hasSynced()).toBe(true);
    await f.pop((_, initial) => void flags.push(initial));
    expect(flags).toEqual([true, true, false]);
    await f.whenSynced();
  });

  it("is synced at once when something other than replace comes first", () => {
    const f = new DeltaFIFO<Obj>();
    f.add(obj("ns", "a"));
    expect(f.hasSynced()).toBe(true);
  });

  it("an empty initial replace syncs immediately", () => {
    const f = new DeltaFIFO<Obj>();
    f.replace([], "1");
    expect(f.hasSynced()).toBe(true);
  });

  it("resync queues Sync for known objects without pending deltas", async () => {
    const known = newStore<Obj>(metaNamespaceKeyFunc);
    known.add(obj("ns", "a", "1"));
    known.add(obj("ns", "b", "1"));
    const f = new DeltaFIFO<Obj>({ knownObjects: known });
    f.update(obj("ns", "b", "2"));
    f.resync();
    const popped = new Map((await popAll(f)).map(([k, d]) => [k, types(d)]));
    expect(popped.get("ns/a")).toEqual(["Sync"]);
    expect(popped.get("ns/b")).toEqual(["Updated"]);
  });

  it("pop waits for an item", async () => {
    const f = new DeltaFIFO<Obj>();
    const got: string[] = [];
    const p = f.pop((d) => void got.push(f.keyOf(d)));
    await Promise.resolve();
    expect(got).toEqual([]);
    f.add(obj("ns", "late"));
    await p;
    expect(got).toEqual(["ns/late"]);
  });

  it("close wakes a waiting pop with FIFOClosedError, after draining queued items", async () => {
    const f = new DeltaFIFO<Obj>();
    const waiting = f.pop(() => {});
    f.close();
    await expect(waiting).rejects.toBeInstanceOf(FIFOClosedError);
    const g = new DeltaFIFO<Obj>();
    g.add(obj("ns", "a"));
    g.close();
    await expect(g.pop(() => {})).resolves.toHaveLength(1);
    await expect(g.pop(() => {})).rejects.toBeInstanceOf(FIFOClosedError);
  });

  it("RequeueError puts the item back and pop rejects with the cause", async () => {
    const f = new DeltaFIFO<Obj>();
    f.add(obj("ns", "a"));
    const cause = new Error("handler not ready");
    await expect(
      f.pop(() => {
        throw new RequeueError(cause);
      }),
    ).rejects.toBe(cause);
    expect(f.listKeys()).toEqual(["ns/a"]);
    const seen: string[][] = [];
    await f.pop((d) => void seen.push(types(d)));
    expect(seen).toEqual([["Added"]]);
  });

  it("a requeued item does not overwrite newer deltas queued during processing", async () => {
    const f = new DeltaFIFO<Obj>();
    f.add(obj("ns", "a", "1"));
    await expect(
      f.pop(async () => {
        f.update(obj("ns", "a", "2"));
        throw new RequeueError(new Error("x"));
      }),
    ).rejects.toThrow("x");
    expect(types(f.getByKey("ns/a")!)).toEqual(["Updated"]);
  });

  it("other errors from process are returned and the item is not requeued", async () => {
    const f = new DeltaFIFO<Obj>();
    f.add(obj("ns", "a"));
    await expect(
      f.pop(() => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(f.listKeys()).toEqual([]);
  });

  it("transforms objects except tombstones and resyncs", async () => {
    const known = newStore<Obj>(metaNamespaceKeyFunc);
    known.add(obj("ns", "k"));
    let calls = 0;
    const f = new DeltaFIFO<Obj>({
      knownObjects: known,
      transformer: (o) => {
        calls++;
        return { ...o, spec: { value: "transformed" } };
      },
    });
    f.add(obj("ns", "a"));
    f.resync();
    f.delete(new DeletedFinalStateUnknown("ns/k", obj("ns", "k")));
    expect(calls).toBe(1);
    expect(f.getByKey("ns/a")![0]!.object).toMatchObject({ spec: { value: "transformed" } });
  });
});
