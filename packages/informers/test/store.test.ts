import { describe, expect, it } from "vitest";
import {
  DeletedFinalStateUnknown,
  KeyError,
  NamespaceIndex,
  deletionHandlingMetaNamespaceKeyFunc,
  isDeletedFinalStateUnknown,
  metaNamespaceIndexFunc,
  metaNamespaceKeyFunc,
  newIndexer,
  newStore,
  splitMetaNamespaceKey,
} from "../src/index.js";
import type { Obj } from "./helpers.js";
import { obj } from "./helpers.js";

describe("keys", () => {
  it("uses namespace/name, or name for cluster-scoped objects", () => {
    expect(metaNamespaceKeyFunc(obj("ns", "a"))).toBe("ns/a");
    expect(metaNamespaceKeyFunc(obj("", "node-1"))).toBe("node-1");
    expect(metaNamespaceKeyFunc("explicit/key")).toBe("explicit/key");
  });

  it("throws KeyError for things without metadata", () => {
    expect(() => metaNamespaceKeyFunc(42)).toThrow(KeyError);
    expect(() => metaNamespaceKeyFunc(null)).toThrow(/couldn't create key/);
    expect(() => metaNamespaceKeyFunc({ kind: "Pod" })).toThrow(/object has no meta/);
  });

  it("takes the key of a DeletedFinalStateUnknown", () => {
    const t = new DeletedFinalStateUnknown("ns/gone", obj("ns", "gone"));
    expect(deletionHandlingMetaNamespaceKeyFunc(t)).toBe("ns/gone");
    expect(deletionHandlingMetaNamespaceKeyFunc(obj("x", "y"))).toBe("x/y");
    expect(isDeletedFinalStateUnknown(t)).toBe(true);
    expect(isDeletedFinalStateUnknown(obj("x", "y"))).toBe(false);
  });

  it("splits keys", () => {
    expect(splitMetaNamespaceKey("ns/a")).toEqual({ namespace: "ns", name: "a" });
    expect(splitMetaNamespaceKey("a")).toEqual({ namespace: "", name: "a" });
    expect(() => splitMetaNamespaceKey("a/b/c")).toThrow(/unexpected key format/);
  });
});

describe("Store", () => {
  it("adds, updates, gets, lists and deletes", () => {
    const s = newStore<Obj>(metaNamespaceKeyFunc);
    s.add(obj("ns", "a", "1"));
    s.add(obj("ns", "b", "2"));
    s.update(obj("ns", "a", "3"));
    expect(s.getByKey("ns/a")?.metadata.resourceVersion).toBe("3");
    expect(s.get(obj("ns", "b"))?.metadata.resourceVersion).toBe("2");
    expect(s.listKeys().sort()).toEqual(["ns/a", "ns/b"]);
    expect(s.list()).toHaveLength(2);
    s.delete(obj("ns", "a"));
    expect(s.getByKey("ns/a")).toBeUndefined();
    expect(s.listKeys()).toEqual(["ns/b"]);
    expect(s.lastStoreSyncResourceVersion()).toBe("1");
  });

  it("replace swaps the contents whole and records the resourceVersion", () => {
    const s = newStore<Obj>(metaNamespaceKeyFunc);
    s.add(obj("ns", "old"));
    const before = s.list();
    s.replace([obj("ns", "x", "5"), obj("ns", "y", "6")], "10");
    expect(s.listKeys().sort()).toEqual(["ns/x", "ns/y"]);
    expect(s.lastStoreSyncResourceVersion()).toBe("10");
    // A list taken before the swap is not mutated.
    expect(before.map((o) => o.metadata.name)).toEqual(["old"]);
  });

  it("replace leaves the old contents if a key cannot be computed", () => {
    const s = newStore<Obj>(metaNamespaceKeyFunc);
    s.add(obj("ns", "keep"));
    expect(() => s.replace([obj("ns", "n"), 7 as unknown as Obj], "2")).toThrow(KeyError);
    expect(s.listKeys()).toEqual(["ns/keep"]);
  });

  it("applies the transformer on add, update and replace", () => {
    const s = newStore<Obj>(metaNamespaceKeyFunc, {
      transformer: (o) => ({ ...o, spec: { value: "t" } }),
    });
    s.add(obj("ns", "a"));
    expect(s.getByKey("ns/a")?.spec?.value).toBe("t");
    s.replace([obj("ns", "b")], "1");
    expect(s.getByKey("ns/b")?.spec?.value).toBe("t");
  });
});

describe("Indexer", () => {
  const byLabel = (o: Obj): string[] => Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`);

  it("indexes by namespace and keeps indices right on update and delete", () => {
    const ix = newIndexer<Obj>(metaNamespaceKeyFunc, { [NamespaceIndex]: metaNamespaceIndexFunc });
    ix.add(obj("a", "one"));
    ix.add(obj("a", "two"));
    ix.add(obj("b", "three"));
    expect(ix.indexKeys(NamespaceIndex, "a")).toEqual(["a/one", "a/two"]);
    expect(ix.byIndex(NamespaceIndex, "b").map((o) => o.metadata.name)).toEqual(["three"]);
    expect(ix.listIndexFuncValues(NamespaceIndex).sort()).toEqual(["a", "b"]);

    ix.delete(obj("b", "three"));
    expect(ix.byIndex(NamespaceIndex, "b")).toEqual([]);
    // Empty index values are dropped.
    expect(ix.listIndexFuncValues(NamespaceIndex)).toEqual(["a"]);
  });

  it("moves an object between index values on update", () => {
    const ix = newIndexer<Obj>(metaNamespaceKeyFunc, { label: byLabel });
    ix.add(obj("ns", "p", "1", { labels: { app: "web", tier: "fe" } }));
    expect(ix.indexKeys("label", "app=web")).toEqual(["ns/p"]);
    ix.update(obj("ns", "p", "2", { labels: { app: "db" } }));
    expect(ix.indexKeys("label", "app=web")).toEqual([]);
    expect(ix.indexKeys("label", "tier=fe")).toEqual([]);
    expect(ix.indexKeys("label", "app=db")).toEqual(["ns/p"]);
    expect(ix.index("label", obj("x", "q", "1", { labels: { app: "db", other: "z" } })).map((o) => o.metadata.name)).toEqual(["p"]);
  });

  it("index() de-duplicates objects matching several values", () => {
    const ix = newIndexer<Obj>(metaNamespaceKeyFunc, { label: byLabel });
    ix.add(obj("ns", "p", "1", { labels: { a: "1", b: "2" } }));
    const found = ix.index("label", obj("ns", "probe", "1", { labels: { a: "1", b: "2" } }));
    expect(found).toHaveLength(1);
  });

  it("rebuilds indices on replace", () => {
    const ix = newIndexer<Obj>(metaNamespaceKeyFunc, { [NamespaceIndex]: metaNamespaceIndexFunc });
    ix.add(obj("gone", "x"));
    ix.replace([obj("new", "y")], "7");
    expect(ix.byIndex(NamespaceIndex, "gone")).toEqual([]);
    expect(ix.indexKeys(NamespaceIndex, "new")).toEqual(["new/y"]);
  });

  it("addIndexers indexes existing items and rejects name conflicts", () => {
    const ix = newIndexer<Obj>(metaNamespaceKeyFunc, {});
    ix.add(obj("a", "one"));
    ix.addIndexers({ [NamespaceIndex]: metaNamespaceIndexFunc });
    expect(ix.indexKeys(NamespaceIndex, "a")).toEqual(["a/one"]);
    expect(() => ix.addIndexers({ [NamespaceIndex]: metaNamespaceIndexFunc })).toThrow(/indexer conflict/);
    expect(Object.keys(ix.getIndexers())).toEqual([NamespaceIndex]);
  });

  it("throws for unknown index names", () => {
    const ix = newIndexer<Obj>(metaNamespaceKeyFunc, {});
    expect(() => ix.byIndex("nope", "x")).toThrow(/Index with name nope does not exist/);
    expect(() => ix.indexKeys("nope", "x")).toThrow(/does not exist/);
  });

  it("leaves the store untouched when an index function throws", () => {
    const ix = newIndexer<Obj>(metaNamespaceKeyFunc, {
      bad: (o) => {
        if (o.metadata.name === "boom") throw new Error("boom");
        return ["ok"];
      },
    });
    ix.add(obj("ns", "fine"));
    expect(() => ix.add(obj("ns", "boom"))).toThrow(/unable to calculate an index entry/);
    expect(ix.listKeys()).toEqual(["ns/fine"]);
    expect(ix.indexKeys("bad", "ok")).toEqual(["ns/fine"]);
  });
});
