import { describe, expect, it } from "vitest";
import {
  QuantityParseError,
  addQuantities,
  canonicalQuantity,
  compareQuantities,
  isQuantityParseError,
  newMilliQuantity,
  newQuantity,
  newScaledQuantity,
  parseQuantity,
  quantitiesEqual,
  quantityAsApproximateFloat64,
  quantityMilliValue,
  quantityToString,
  quantityValue,
  subQuantities,
  tryParseQuantity,
} from "../src/resource/index.js";

describe("parseQuantity / quantityToString", () => {
  it.each([
    ["1.5", "1500m"],
    ["1.5Gi", "1536Mi"],
    ["0.1m", "100u"],
    ["0.1n", "1n"],
    ["1e-10", "1e-9"],
    ["1024Mi", "1Gi"],
    ["1000m", "1"],
    ["12e6", "12e6"],
    ["1e3", "1e3"],
    ["100000k", "100M"],
    ["0.5Ki", "512"],
    ["1.1Ki", "1126400m"],
    ["5000000000000000000000000000E", "5"],
  ])("%s prints as %s", (input, want) => {
    expect(quantityToString(input)).toBe(want);
  });

  it("keeps a canonical input verbatim like Go, and canonicalQuantity normalizes it", () => {
    expect(parseQuantity("+5").toString()).toBe("+5");
    expect(canonicalQuantity("+5")).toBe("5");
    expect(parseQuantity("010").toString()).toBe("010");
    expect(canonicalQuantity("010")).toBe("10");
  });

  it("remembers the format of the suffix", () => {
    expect(parseQuantity("1Ki").format).toBe("BinarySI");
    expect(parseQuantity("1k").format).toBe("DecimalSI");
    expect(parseQuantity("1e3").format).toBe("DecimalExponent");
    // Values below one are never BinarySI.
    expect(parseQuantity("0.5Ki").format).toBe("BinarySI");
    expect(parseQuantity("0.0001Ki").format).toBe("DecimalSI");
  });

  it("caps BinarySI at the largest int64", () => {
    expect(quantityToString("16Ei")).toBe("9223372036854775807");
  });

  it("rejects malformed strings with Go's errors", () => {
    const cases: [string, string][] = [
      ["", "FormatWrong"],
      ["1 ", "FormatWrong"],
      ["abc", "FormatWrong"],
      ["1Zi", "FormatWrong"],
      ["1K", "Suffix"],
      ["1e", "Suffix"],
      [".e-10", "Numeric"],
    ];
    for (const [input, kind] of cases) {
      let caught: unknown;
      try {
        parseQuantity(input);
      } catch (err) {
        caught = err;
      }
      expect(caught, input).toBeInstanceOf(QuantityParseError);
      expect(isQuantityParseError(caught)).toBe(true);
      expect((caught as QuantityParseError).kind, input).toBe(kind);
      expect((caught as QuantityParseError).input).toBe(input);
      expect((caught as Error).name).toBe("QuantityParseError");
    }
    expect(tryParseQuantity("1Zi")).toBeUndefined();
    expect(tryParseQuantity("1Ki")?.toString()).toBe("1Ki");
  });
});

describe("values", () => {
  it("rounds up like Go's Value and MilliValue", () => {
    expect(quantityValue("1.5")).toBe(2n);
    expect(quantityValue("-1.5")).toBe(-2n);
    expect(quantityValue("100m")).toBe(1n);
    expect(quantityMilliValue("100m")).toBe(100n);
    expect(quantityMilliValue("1.0001m")).toBe(2n);
    expect(quantityMilliValue("1Gi")).toBe(1073741824000n);
    expect(quantityValue("9223372036854775807")).toBe(9223372036854775807n);
  });

  it("gives approximate floats", () => {
    expect(quantityAsApproximateFloat64("1500m")).toBe(1.5);
    expect(quantityAsApproximateFloat64("1Ki")).toBe(1024);
    expect(quantityAsApproximateFloat64("1e400")).toBe(Infinity);
  });

  it("prints its exact decimal value", () => {
    expect(parseQuantity("1.5Gi").toDecimalString()).toBe("1610612736");
    expect(parseQuantity("-1m").toDecimalString()).toBe("-0.001");
    expect(parseQuantity("0").toDecimalString()).toBe("0");
  });
});

describe("comparison and arithmetic", () => {
  it("compares across suffixes", () => {
    expect(compareQuantities("1Ki", "1024")).toBe(0);
    expect(compareQuantities("1k", "1Ki")).toBe(-1);
    expect(compareQuantities("1e21", "1E")).toBe(1);
    expect(quantitiesEqual("1000m", "1")).toBe(true);
  });

  it("adds and subtracts exactly, taking the format of the first non-zero operand", () => {
    expect(addQuantities("1Gi", "512Mi").toString()).toBe("1536Mi");
    expect(addQuantities("0", "512Mi").toString()).toBe("512Mi");
    expect(subQuantities("1", "1m").toString()).toBe("999m");
    expect(addQuantities("9223372036854775807", "1").toString()).toBe("9223372036854775808");
  });

  it("is immutable", () => {
    const a = parseQuantity("1");
    const b = a.add("2");
    expect(a.toString()).toBe("1");
    expect(b.toString()).toBe("3");
    expect(JSON.stringify({ cpu: b })).toBe('{"cpu":"3"}');
  });

  it("builds from integers", () => {
    expect(newQuantity(1024, "BinarySI").toString()).toBe("1Ki");
    expect(newMilliQuantity(1500, "DecimalSI").toString()).toBe("1500m");
    expect(() => newQuantity(2n ** 63n, "DecimalSI")).toThrow(RangeError);
  });
});

describe("quantityFromJSON", () => {
  it("accepts what Go's UnmarshalJSON accepts", async () => {
    const { quantityFromJSON } = await import("../src/resource/index.js");
    expect(quantityFromJSON(null)).toBeUndefined();
    expect(quantityFromJSON(" 1Gi\n")?.toString()).toBe("1Gi");
    expect(quantityFromJSON(0.5)?.toString()).toBe("500m");
    expect(quantityFromJSON(2)?.toString()).toBe("2");
    // String(1e21) is "1e+21", which Go also keeps verbatim
    expect(quantityFromJSON(1e21)?.toString()).toBe("1e+21");
    expect(() => quantityFromJSON("\ufeff1")).toThrow(QuantityParseError);
    expect(() => quantityFromJSON(true)).toThrow(QuantityParseError);
  });
});

describe("extreme scales", () => {
  it("answers without building huge numbers", () => {
    expect(quantityValue("0e2000000000")).toBe(0n);
    expect(newScaledQuantity(5, -2_000_000_000).value()).toBe(1n);
    expect(newScaledQuantity(-5, -2_000_000_000).value()).toBe(-1n);
    expect(newScaledQuantity(5, 2_000_000_000).value()).toBe(0n); // int64 overflow gives 0, as in Go
  });
});
