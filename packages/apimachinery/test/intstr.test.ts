import { describe, expect, it } from "vitest";
import {
  IntOrStringError,
  fromInt,
  fromString,
  getScaledValueFromIntOrPercent,
  getValueFromIntOrPercent,
  intOrStringToString,
  intValue,
  isInt,
  parse,
  valueOrDefault,
} from "../src/intstr/index.js";

describe("IntOrString", () => {
  it("is the JSON shape", () => {
    expect(fromInt(5)).toBe(5);
    expect(fromInt(2 ** 31)).toBe(-(2 ** 31)); // int32 truncation, as Go
    expect(fromString("25%")).toBe("25%");
    expect(JSON.stringify({ maxSurge: fromString("25%"), port: fromInt(8080) })).toBe('{"maxSurge":"25%","port":8080}');
    expect(isInt(8080)).toBe(true);
    expect(isInt("http")).toBe(false);
  });

  it("parses int32 strings into numbers and leaves anything else a string", () => {
    expect(parse("42")).toBe(42);
    expect(parse("-7")).toBe(-7);
    expect(parse("2147483648")).toBe("2147483648");
    expect(parse("http")).toBe("http");
    expect(intOrStringToString(42)).toBe("42");
    expect(intValue("123")).toBe(123);
    expect(intValue("abc")).toBe(0);
    expect(valueOrDefault(undefined, "25%")).toBe("25%");
    expect(valueOrDefault(3, "25%")).toBe(3);
  });

  it("scales percentages with rounding", () => {
    expect(getScaledValueFromIntOrPercent("25%", 10, true)).toBe(3);
    expect(getScaledValueFromIntOrPercent("25%", 10, false)).toBe(2);
    expect(getScaledValueFromIntOrPercent(4, 10, true)).toBe(4);
    expect(getValueFromIntOrPercent("25", 10, true)).toBe(3);
  });

  it("fails like Go", () => {
    expect(() => getScaledValueFromIntOrPercent(undefined, 10, true)).toThrow("nil value for IntOrString");
    expect(() => getScaledValueFromIntOrPercent("25", 10, true)).toThrow(
      "invalid value for IntOrString: invalid type: string is not a percentage",
    );
    expect(() => getScaledValueFromIntOrPercent("x%", 10, true)).toThrow(
      'invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax',
    );
    expect(() => getScaledValueFromIntOrPercent("x%", 10, true)).toThrow(IntOrStringError);
  });
});
