import { describe, expect, it } from "vitest";
import {
  conflicts,
  equals,
  convertSelectorToLabelsMap,
  everything,
  formatLabels,
  matchesNothing,
  merge,
  newRequirement,
  newSelector,
  nothing,
  parse,
  parseToRequirements,
  requirementToString,
  selectorFromSet,
  validatedSelectorFromSet,
} from "../src/labels/index.js";

describe("labels.parse", () => {
  it("canonicalises like Go's String(): sorted by key, values sorted and de-duplicated", () => {
    expect(parse("tier notin (b,a,b), app in (web, db) ,!legacy,env").toString()).toBe(
      "app in (db,web),env,!legacy,tier notin (a,b)",
    );
    expect(parse("a==b").toString()).toBe("a==b");
    expect(parse("x>3,x<10").toString()).toBe("x>3,x<10");
    expect(parse("a in ()").toString()).toBe("a in ()");
    expect(parse("a=").toString()).toBe("a=");
    expect(parse("").empty()).toBe(true);
  });
  it("matches label sets", () => {
    const s = parse("app in (web,db),tier!=cache,!legacy,rev>3");
    expect(s.matches({ app: "web", rev: "4" })).toBe(true);
    expect(s.matches({ app: "web", rev: "3" })).toBe(false);
    expect(s.matches({ app: "web", rev: "x" })).toBe(false);
    expect(s.matches({ app: "web", rev: "4", tier: "cache" })).toBe(false);
    expect(s.matches({ app: "web", rev: "4", legacy: "" })).toBe(false);
    expect(s.matches(undefined)).toBe(false);
    expect(parse("!constructor").matches({})).toBe(true);
    expect(parse("constructor").matches({})).toBe(false);
  });
  it("reports Go's errors", () => {
    expect(() => parse("a in b")).toThrowError("unable to parse requirement: found 'b' expected: '('");
    expect(() => parse("a,")).toThrowError("found '', expected: identifier after ','");
    expect(() => parse("a=b c")).toThrowError("found 'c', expected: ',' or 'end of string'");
    expect(() => parse("a b")).toThrowError("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    expect(() => parse("=a")).toThrowError("found '=', expected: !, identifier, or 'end of string'");
    expect(() => parse("a=>1")).toThrowError("unable to parse requirement: found '>', expected: identifier");
    expect(() => parse("a<>1")).toThrowError("unable to parse requirement: found '>', expected: identifier");
    try {
      parse("a=-x");
      expect.unreachable();
    } catch (e) {
      expect((e as Error).name).toBe("LabelSelectorParseError");
      expect(((e as Error).cause as Error).name).toBe("InvalidRequirementError");
    }
  });
  it("requiresExactMatch and requirements", () => {
    const s = parse("a=1,b in (2),c in (3,4),d!=5");
    expect(s.requiresExactMatch("a")).toBe("1");
    expect(s.requiresExactMatch("b")).toBe("2");
    expect(s.requiresExactMatch("c")).toBeUndefined();
    expect(s.requiresExactMatch("d")).toBeUndefined();
    expect(s.requirements().requirements.map((r) => r.key)).toEqual(["a", "b", "c", "d"]);
    expect(parseToRequirements("z,a").map((r) => r.key)).toEqual(["a", "z"]);
  });
});

describe("selectors from sets and requirements", () => {
  it("everything, nothing and add", () => {
    expect(everything().matches({ x: "y" })).toBe(true);
    expect(nothing().matches({})).toBe(false);
    expect(matchesNothing(nothing())).toBe(true);
    expect(matchesNothing(everything())).toBe(false);
    expect(nothing().requirements().selectable).toBe(false);
    const s = newSelector().add(newRequirement("b", "exists", []), newRequirement("a", "in", ["y", "x"]));
    expect(s.toString()).toBe("a in (x,y),b");
    expect(requirementToString(newRequirement("k", "notin", ["b", "a"]))).toBe("k notin (a,b)");
  });
  it("selectorFromSet sorts keys; validatedSelectorFromSet validates", () => {
    expect(selectorFromSet({ b: "2", a: "1" }).toString()).toBe("a=1,b=2");
    expect(selectorFromSet({ b: "2", a: "1" }).matches({ a: "1", b: "2", c: "3" })).toBe(true);
    expect(() => validatedSelectorFromSet({ "-a": "1" })).toThrowError(/key: Invalid value: "-a"/);
  });
  it("newRequirement validates operators and values", () => {
    expect(() => newRequirement("a", "in", [])).toThrowError(
      "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
    );
    expect(() => newRequirement("a", "gt", ["x"])).toThrowError(/for 'Gt', 'Lt' operators, the value must be an integer/);
    expect(() => newRequirement("a", "=", ["x"], { path: "spec.selector" })).not.toThrow();
    expect(() => newRequirement("-a", "=", ["x"], { path: "spec.selector" })).toThrowError(/^spec\.selector\.key: Invalid value/);
  });
  it("set helpers", () => {
    expect(formatLabels({})).toBe("<none>");
    expect(formatLabels({ b: "1", a: "2" })).toBe("a=2,b=1");
    expect(conflicts({ a: "1" }, { a: "2" })).toBe(true);
    expect(conflicts({ a: "1" }, { b: "2" })).toBe(false);
    expect(merge({ a: "1" }, { a: "2", b: "3" })).toEqual({ a: "2", b: "3" });
    expect(equals({ a: "1" }, { a: "1" })).toBe(true);
    expect(equals({ a: "1" }, { a: "1", b: "" })).toBe(false);
    expect(convertSelectorToLabelsMap(" a = 1 ,b=2")).toEqual({ a: "1", b: "2" });
    expect(() => convertSelectorToLabelsMap("a==1")).toThrowError("invalid selector: [a  1]");
  });
});
