import { describe, expect, it } from "vitest";
import {
  DurationParseError,
  Hour,
  Millisecond,
  formatDuration,
  formatDurationMilliseconds,
  isDurationParseError,
  parseDuration,
  parseDurationMilliseconds,
} from "../src/meta/v1/duration.js";

describe("meta/v1 Duration", () => {
  it("formats like Go", () => {
    expect(formatDuration(0n)).toBe("0s");
    expect(formatDuration(1500)).toBe("1.5µs");
    expect(formatDuration(Hour + 2n * 60n * 1_000_000_000n + 3_500_000_000n)).toBe("1h2m3.5s");
    expect(formatDuration(-1n)).toBe("-1ns");
    expect(formatDuration(1500n * Millisecond)).toBe("1.5s");
    expect(formatDuration(-(2n ** 63n))).toBe("-2562047h47m16.854775808s");
  });

  it("parses like Go", () => {
    expect(parseDuration("1h2m3.5s")).toBe(3723500000000n);
    expect(parseDuration("-1.5h")).toBe(-5400000000000n);
    expect(parseDuration("1.5µs")).toBe(1500n);
    expect(parseDuration("1.5μs")).toBe(1500n);
    expect(parseDuration("0")).toBe(0n);
    expect(parseDurationMilliseconds("250ms")).toBe(250);
    expect(formatDurationMilliseconds(90_000)).toBe("1m30s");
  });

  it("rejects bad strings with Go's messages", () => {
    expect(() => parseDuration("")).toThrow('time: invalid duration ""');
    expect(() => parseDuration("1")).toThrow('time: missing unit in duration "1"');
    expect(() => parseDuration("1d")).toThrow('time: unknown unit "d" in duration "1d"');
    expect(() => parseDuration("9223372036854775808ns")).toThrow("time: invalid duration");
    let caught: unknown;
    try {
      parseDuration("x");
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DurationParseError);
    expect(isDurationParseError(caught)).toBe(true);
  });
});
