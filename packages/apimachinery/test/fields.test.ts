import { describe, expect, it } from "vitest";
import {
  andSelectors,
  escapeValue,
  everything,
  nothing,
  oneTermEqualSelector,
  oneTermNotEqualSelector,
  parseAndTransformSelector,
  parseSelector,
  selectorFromSet,
  unescapeValue,
} from "../src/fields/index.js";

describe("fields", () => {
  it("parses, sorts terms and escapes values in String()", () => {
    const s = parseSelector("status.phase!=Failed,metadata.name=a\\,b");
    expect(s.toString()).toBe("metadata.name=a\\,b,status.phase!=Failed");
    expect(s.matches({ "metadata.name": "a,b", "status.phase": "Running" })).toBe(true);
    expect(s.matches({ "metadata.name": "a,b", "status.phase": "Failed" })).toBe(false);
    expect(s.requiresExactMatch("metadata.name")).toBe("a,b");
    expect(s.requiresExactMatch("status.phase")).toBeUndefined();
    expect(s.requirements()).toEqual([
      { operator: "=", field: "metadata.name", value: "a,b" },
      { operator: "!=", field: "status.phase", value: "Failed" },
    ]);
  });
  it("missing fields read as empty strings", () => {
    expect(parseSelector("spec.nodeName=").matches({})).toBe(true);
    expect(parseSelector("spec.nodeName!=x").matches(undefined)).toBe(true);
  });
  it("reports Go's errors", () => {
    expect(() => parseSelector("a")).toThrowError("invalid selector: 'a'; can't understand 'a'");
    expect(() => parseSelector("a=b=c")).toThrowError("invalid field selector: unescaped character in value: 61");
    expect(() => parseSelector("a=b\\c")).toThrowError("invalid field selector: invalid escape sequence: \\c");
    expect(() => unescapeValue("x\\")).toThrowError("invalid field selector: invalid escape sequence: \\");
  });
  it("escape round trip", () => {
    expect(escapeValue("a\\b,c=d")).toBe("a\\\\b\\,c\\=d");
    expect(unescapeValue(escapeValue("a\\b,c=d"))).toBe("a\\b,c=d");
  });
  it("builders and transform", () => {
    expect(oneTermEqualSelector("metadata.name", "x=y").toString()).toBe("metadata.name=x\\=y");
    expect(andSelectors(oneTermEqualSelector("a", "1"), oneTermNotEqualSelector("b", "2")).toString()).toBe("a=1,b!=2");
    expect(selectorFromSet({ b: "2", a: "1" }).toString()).toBe("a=1,b=2");
    expect(everything().empty()).toBe(true);
    expect(nothing().matches({})).toBe(false);
    const t = parseAndTransformSelector("a=1,b=2", (f, v) => (f === "a" ? ["", ""] : [`spec.${f}`, v]));
    expect(t.toString()).toBe("spec.b=2");
  });
});
