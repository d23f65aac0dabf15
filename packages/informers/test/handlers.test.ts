import { describe, expect, it } from "vitest";
import { parse } from "@kubets/apimachinery/labels";
import { DeletedFinalStateUnknown, filteringResourceEventHandler, isDeletedFinalStateUnknown, metaNamespaceKeyFunc, newGenericLister, newIndexer } from "../src/index.js";
import type { Obj } from "./helpers.js";
import { obj } from "./helpers.js";

describe("filteringResourceEventHandler", () => {
  // As client-go's filters do: unwrap a tombstone to judge the last known state.
  const seen: Array<Obj | DeletedFinalStateUnknown<Obj>> = [];
  const web = (o: Obj | DeletedFinalStateUnknown<Obj>): boolean => {
    seen.push(o);
    const target = isDeletedFinalStateUnknown(o) ? o.obj : o;
    return target === undefined || target.metadata.labels?.["app"] === "web";
  };
  const log: string[] = [];
  const h = filteringResourceEventHandler<Obj>(web, {
    onAdd: (o, initial) => void log.push(`add ${o.metadata.name} ${initial}`),
    onUpdate: (_, o) => void log.push(`update ${o.metadata.name}`),
    onDelete: (o) => void log.push(`delete ${o instanceof DeletedFinalStateUnknown ? `tombstone ${o.key}` : o.metadata.name}`),
  });
  const w = (name: string) => obj("ns", name, "1", { labels: { app: "web" } });
  const d = (name: string) => obj("ns", name, "1", { labels: { app: "db" } });

  it("turns updates across the filter boundary into adds and deletes", async () => {
    log.length = 0;
    await h.onAdd?.(w("a"), true);
    await h.onAdd?.(d("b"), true);
    await h.onUpdate?.(w("a"), w("a"));
    await h.onUpdate?.(d("b"), w("b"));
    await h.onUpdate?.(w("a"), d("a"));
    await h.onUpdate?.(d("c"), d("c"));
    await h.onDelete?.(d("c"));
    await h.onDelete?.(w("b"));
    await h.onDelete?.(new DeletedFinalStateUnknown("ns/x", d("x")));
    await h.onDelete?.(new DeletedFinalStateUnknown("ns/y", w("y")));
    await h.onDelete?.(new DeletedFinalStateUnknown<Obj>("ns/z", undefined));
    expect(log).toEqual([
      "add a true",
      "update a",
      "add b false",
      "delete a",
      "delete b",
      "delete tombstone ns/y",
      "delete tombstone ns/z",
    ]);
  });

  it("passes the tombstone itself to the filter on delete, as client-go does", async () => {
    seen.length = 0;
    const tomb = new DeletedFinalStateUnknown("ns/x", w("x"));
    await h.onDelete?.(tomb);
    expect(seen).toEqual([tomb]);
    expect(seen[0]).toBe(tomb);
    // A filter that only knows objects drops every tombstone: write the filter for both.
    const names: string[] = [];
    const strict = filteringResourceEventHandler<Obj>((o) => !isDeletedFinalStateUnknown(o), { onDelete: () => void names.push("x") });
    await strict.onDelete?.(tomb);
    expect(names).toEqual([]);
  });
});

describe("listers with apimachinery label selectors", () => {
  it("accepts a parsed labels.Selector", () => {
    const ix = newIndexer<Obj>(metaNamespaceKeyFunc, {});
    ix.add(obj("ns", "a", "1", { labels: { app: "web", tier: "fe" } }));
    ix.add(obj("ns", "b", "1", { labels: { app: "web", tier: "be" } }));
    ix.add(obj("ns", "c", "1", { labels: { app: "db" } }));
    ix.add(obj("ns", "d"));
    const l = newGenericLister(ix, { group: "", resource: "pods" });
    const names = (sel: string): string[] => l.list(parse(sel)).map((o) => o.metadata.name).sort();
    expect(names("app=web,tier!=be")).toEqual(["a"]);
    expect(names("app in (web,db)")).toEqual(["a", "b", "c"]);
    expect(names("!app")).toEqual(["d"]);
    expect(names("")).toEqual(["a", "b", "c", "d"]);
  });
});
