import { describe, expect, it } from "vitest";
import type { AnyDelta } from "../src/index.js";
import { FIFOClosedError, RealFIFO, isDeletedFinalStateUnknown, metaNamespaceKeyFunc, newStore } from "../src/index.js";
import type { Obj } from "./helpers.js";
import { obj } from "./helpers.js";

async function drain(f: RealFIFO<Obj>): Promise<Array<[AnyDelta<Obj>, boolean]>> {
  const out: Array<[AnyDelta<Obj>, boolean]> = [];
  while (f.length() > 0) {
    await f.pop((d, initial) => {
      for (const x of d) out.push([x, initial]);
    });
  }
  return out;
}

const describeDelta = (d: AnyDelta<Obj>): string => {
  switch (d.type) {
    case "ReplacedAll":
      return `ReplacedAll@${d.object.resourceVersion}:${d.object.objects.map((o) => o.metadata.name).join(",")}`;
    case "SyncAll":
      return "SyncAll";
    case "Bookmark":
      return `Bookmark@${d.object.resourceVersion}`;
    default: {
      const o = d.object;
      return `${d.type}:${isDeletedFinalStateUnknown(o) ? `tombstone(${o.key})` : (o as Obj).metadata.name}`;
    }
  }
};

describe("RealFIFO", () => {
  it("keeps every event in arrival order, without merging per key", async () => {
    const f = new RealFIFO<Obj>({ atomicEvents: true });
    f.add(obj("ns", "a"));
    f.update(obj("ns", "b"));
    f.update(obj("ns", "a"));
    f.delete(obj("ns", "a"));
    expect((await drain(f)).map(([d]) => describeDelta(d))).toEqual(["Added:a", "Updated:b", "Updated:a", "Deleted:a"]);
  });

  it("atomic mode: a relist is one ReplacedAll delta, a resync one SyncAll, bookmarks pass through", async () => {
    const f = new RealFIFO<Obj>({ atomicEvents: true, transformer: (o) => ({ ...o, spec: { value: "t" } }) });
    f.replace([obj("ns", "a"), obj("ns", "b")], "7");
    expect(f.hasSynced()).toBe(false);
    f.resync();
    f.bookmark("8");
    const out = await drain(f);
    expect(out.map(([d]) => describeDelta(d))).toEqual(["ReplacedAll@7:a,b", "SyncAll", "Bookmark@8"]);
    expect(out.map(([, initial]) => initial)).toEqual([true, false, false]);
    const first = out[0]![0];
    expect(first.type === "ReplacedAll" && first.object.objects[0]!.spec?.value).toBe("t");
    expect(f.hasSynced()).toBe(true);
  });

  it("non-atomic mode: replace queues tombstones for vanished objects, then Replaced deltas", async () => {
    const known = newStore<Obj>(metaNamespaceKeyFunc);
    known.add(obj("ns", "kept"));
    known.add(obj("ns", "gone"));
    const f = new RealFIFO<Obj>({ knownObjects: known });
    f.replace([obj("ns", "kept"), obj("ns", "new")], "3");
    const out = await drain(f);
    expect(out.map(([d]) => describeDelta(d))).toEqual(["Deleted:tombstone(ns/gone)", "Replaced:kept", "Replaced:new"]);
    expect(out.every(([, initial]) => initial)).toBe(true);
    expect(f.hasSynced()).toBe(true);
  });

  it("non-atomic mode: resync queues Sync for known objects with nothing queued", async () => {
    const known = newStore<Obj>(metaNamespaceKeyFunc);
    known.add(obj("ns", "a"));
    known.add(obj("ns", "b"));
    const f = new RealFIFO<Obj>({ knownObjects: known });
    f.update(obj("ns", "b", "2"));
    f.resync();
    expect((await drain(f)).map(([d]) => describeDelta(d))).toEqual(["Updated:b", "Sync:a"]);
  });

  it("rejects contradictory options", () => {
    const known = newStore<Obj>(metaNamespaceKeyFunc);
    expect(() => new RealFIFO<Obj>({ atomicEvents: true, knownObjects: known })).toThrow(/must not be given/);
    expect(() => new RealFIFO<Obj>({})).toThrow(/knownObjects is required/);
  });

  it("close ends a waiting pop", async () => {
    const f = new RealFIFO<Obj>({ atomicEvents: true });
    const p = f.pop(() => {});
    f.close();
    await expect(p).rejects.toBeInstanceOf(FIFOClosedError);
  });
});
