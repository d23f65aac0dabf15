import { describe, expect, it } from "vitest";
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
} from "../src/util/index.js";

describe("name validation", () => {
  it("accepts valid names with an empty list", () => {
    expect(isDNS1123Label("my-name")).toEqual([]);
    expect(isDNS1123Subdomain("example.com")).toEqual([]);
    expect(isDNS1035Label("abc-123")).toEqual([]);
    expect(isQualifiedName("example.com/MyName")).toEqual([]);
    expect(isValidLabelValue("")).toEqual([]);
    expect(isValidPortName("http")).toEqual([]);
    expect(isValidPortNum(443)).toEqual([]);
  });

  it("explains dots in a label specially", () => {
    expect(isDNS1123Label("a.b")).toEqual(["must not contain dots"]);
  });

  it("reports length and format together, in Go's words", () => {
    const errs = isDNS1123Label("A".repeat(64));
    expect(errs).toHaveLength(2);
    expect(errs[0]).toBe("must be no more than 63 characters");
    expect(errs[1]).toContain("regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'");
  });

  it("counts UTF-8 bytes like Go", () => {
    expect(isValidLabelValue("é".repeat(32))[0]).toBe("must be no more than 63 bytes");
  });

  it("checks both parts of a qualified name", () => {
    expect(isQualifiedName("/a")).toEqual(["prefix part must be non-empty"]);
    expect(isQualifiedName("a/")[0]).toBe("name part must be non-empty");
    expect(isQualifiedName("a/b/c")[0]).toMatch(/^a valid label key /);
    expect(isQualifiedName("Bad_/x")[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
  });

  it("rejects bad port names for every reason", () => {
    expect(isValidPortName("-a--b-")).toEqual([
      "must not contain consecutive hyphens",
      "must not begin or end with a hyphen",
    ]);
    expect(isValidPortName("123")).toEqual(["must contain at least one letter (a-z)"]);
    expect(isValidPortNum(0)).toEqual(["must be between 1 and 65535, inclusive"]);
  });
});
