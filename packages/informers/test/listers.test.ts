import { describe, expect, it } from "vitest";
import { isNotFound } from "@kubets/apimachinery/errors";
import { NamespaceIndex, everything, metaNamespaceIndexFunc, metaNamespaceKeyFunc, newGenericLister, newIndexer } from "../src/index.js";
import type { Obj } from "./helpers.js";
import { obj } from "./helpers.js";

const pods = { group: "", resource: "pods" };

function fixture(withIndex = true) {
  const ix = newIndexer<Obj>(metaNamespaceKeyFunc, withIndex ? { [NamespaceIndex]: metaNamespaceIndexFunc } : {});
  ix.add(obj("a", "web-1", "1", { labels: { app: "web" } }));
  ix.add(obj("a", "db-1", "1", { labels: { app: "db" } }));
  ix.add(obj("b", "web-2", "1", { labels: { app: "web" } }));
  ix.add(obj("b", "bare"));
  return ix;
}

const sortedNames = (os: Obj[]): string[] => os.map((o) => o.metadata.name).sort();

describe("GenericLister", () => {
  it("lists everything, or what a selector matches", () => {
    const l = newGenericLister(fixture(), pods);
    expect(sortedNames(l.list())).toEqual(["bare", "db-1", "web-1", "web-2"]);
    expect(sortedNames(l.list(everything))).toEqual(["bare", "db-1", "web-1", "web-2"]);
    expect(sortedNames(l.list((labels) => labels["app"] === "web"))).toEqual(["web-1", "web-2"]);
    expect(sortedNames(l.list({ matches: (labels) => labels["app"] === "db" }))).toEqual(["db-1"]);
  });

  it("lists and gets within a namespace, with or without the namespace index", () => {
    for (const withIndex of [true, false]) {
      const l = newGenericLister(fixture(withIndex), pods);
      expect(sortedNames(l.byNamespace("b").list())).toEqual(["bare", "web-2"]);
      expect(sortedNames(l.byNamespace("a").list((x) => x["app"] === "web"))).toEqual(["web-1"]);
      expect(l.byNamespace("a").get("db-1").metadata.name).toBe("db-1");
      expect(sortedNames(l.byNamespace("").list())).toHaveLength(4);
    }
  });

  it("throws a NotFound StatusError for missing objects", () => {
    const l = newGenericLister(fixture(), pods);
    let err: unknown;
    try {
      l.byNamespace("a").get("nope");
    } catch (e) {
      err = e;
    }
    expect(isNotFound(err)).toBe(true);
    expect((err as Error).message).toBe('pods "nope" not found');
    expect(() => l.get("missing")).toThrow(/not found/);
    expect(l.get("a/web-1").metadata.name).toBe("web-1");
  });
});
