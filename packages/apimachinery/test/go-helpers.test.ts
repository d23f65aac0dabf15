import { describe, expect, it } from "vitest";
import { compareGoStrings, goJSON, goQuote, utf8Length } from "../src/errors/go-format.js";
import { goSort } from "../src/labels/go-sort.js";

describe("Go formatting helpers", () => {
  it("goQuote matches strconv.Quote", () => {
    expect(goQuote("plain")).toBe('"plain"');
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote("\n\t\r\x07\b\f\v")).toBe('"\\n\\t\\r\\a\\b\\f\\v"');
    expect(goQuote("\x00\x1f\x7f")).toBe('"\\x00\\x1f\\x7f"');
    expect(goQuote("ü日本")).toBe('"ü日本"');
    expect(goQuote("\u0085\u00ad")).toBe('"\\u0085\\u00ad"');
    expect(goQuote("😀")).toBe('"😀"');
  });
  it("compareGoStrings orders by code point like Go's byte order", () => {
    expect(compareGoStrings("a", "b")).toBeLessThan(0);
    expect(compareGoStrings("ab", "a")).toBeGreaterThan(0);
    expect(compareGoStrings("", "")).toBe(0);
    // U+FF61 sorts before U+1F600 in UTF-8, but after it in UTF-16 code units.
    expect(compareGoStrings("\uff61", "😀")).toBeLessThan(0);
    expect(["😀", "\uff61", "z"].sort(compareGoStrings)).toEqual(["z", "\uff61", "😀"]);
  });
  it("utf8Length counts UTF-8 bytes", () => {
    expect(utf8Length("abc")).toBe(3);
    expect(utf8Length("ü")).toBe(2);
    expect(utf8Length("日")).toBe(3);
    expect(utf8Length("😀")).toBe(4);
  });
  it("goJSON escapes HTML characters as encoding/json does", () => {
    expect(goJSON(["<a>", "&"])).toBe('["\\u003ca\\u003e","\\u0026"]');
    expect(goJSON([])).toBe("[]");
  });
});

describe("goSort", () => {
  it("is stable and sorted for 12 elements or fewer", () => {
    const items = ["b1", "a1", "b2", "a2", "c1", "a3"];
    expect(goSort(items, (x, y) => x[0]! < y[0]!)).toEqual(["a1", "a2", "a3", "b1", "b2", "c1"]);
  });
  it("sorts longer inputs by key (order of equal keys follows Go, see conformance vectors)", () => {
    let seed = 7;
    for (let n = 13; n < 400; n += 17) {
      const items = Array.from({ length: n }, (_, i) => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return { k: seed % 7, i };
      });
      const out = goSort([...items], (x, y) => x.k < y.k);
      for (let i = 1; i < out.length; i++) expect(out[i - 1]!.k <= out[i]!.k).toBe(true);
      expect(out.map((x) => x.i).sort((a, b) => a - b)).toEqual(items.map((x) => x.i));
    }
    const desc = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(goSort(desc, (x, y) => x < y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});
