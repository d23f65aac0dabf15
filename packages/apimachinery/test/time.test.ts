import { describe, expect, it } from "vitest";
import {
  TimeParseError,
  ZERO_TIME_SECONDS,
  canonicalTime,
  formatMicroTime,
  formatMicroTimeOf,
  formatTime,
  formatTimeSeconds,
  isTimeParseError,
  isZeroTime,
  nowMicroTime,
  nowTime,
  parseMicroTime,
  parseTime,
  timeToDate,
} from "../src/meta/v1/time.js";

describe("meta/v1 Time", () => {
  it("formats epoch seconds in UTC with second precision", () => {
    expect(formatTimeSeconds(0)).toBe("1970-01-01T00:00:00Z");
    expect(formatTimeSeconds(1704164645)).toBe("2024-01-02T03:04:05Z");
    expect(formatTimeSeconds(951782400)).toBe("2000-02-29T00:00:00Z");
    expect(formatTimeSeconds(-1)).toBe("1969-12-31T23:59:59Z");
    expect(formatTimeSeconds(1.9)).toBe("1970-01-01T00:00:01Z");
    expect(formatTimeSeconds(ZERO_TIME_SECONDS)).toBe("0001-01-01T00:00:00Z");
    expect(formatTimeSeconds(253402300800)).toBe("10000-01-01T00:00:00Z");
    expect(formatTimeSeconds(-62198755200)).toBe("-0001-01-01T00:00:00Z");
  });

  it("formats a Date the same way as the matching Date.toISOString without millis", () => {
    const d = new Date(Date.UTC(2023, 6, 15, 12, 34, 56, 789));
    expect(formatTime(d)).toBe("2023-07-15T12:34:56Z");
    expect(formatMicroTimeOf(d)).toBe("2023-07-15T12:34:56.789000Z");
  });

  it("parses offsets into UTC and normalizes", () => {
    expect(parseTime("2024-01-02T05:04:05+02:00")).toEqual({ seconds: 1704164645, nanos: 0 });
    expect(canonicalTime("2024-01-02T05:04:05.999+02:00")).toBe("2024-01-02T03:04:05Z");
    expect(parseTime("2024-01-02T03:04:05.5Z").nanos).toBe(500_000_000);
    expect(timeToDate("2024-01-02T03:04:05.25Z").getTime()).toBe(1704164645250);
  });

  it("rejects bad strings with Go's messages", () => {
    expect(() => parseTime("2023-02-29T00:00:00Z")).toThrow('parsing time "2023-02-29T00:00:00Z": day out of range');
    expect(() => parseTime("2023-01-01")).toThrow(
      'parsing time "2023-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"',
    );
    let caught: unknown;
    try {
      parseTime("nope");
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TimeParseError);
    expect(isTimeParseError(caught)).toBe(true);
    expect((caught as TimeParseError).input).toBe("nope");
  });

  it("recognizes the zero time", () => {
    expect(isZeroTime(parseTime("0001-01-01T00:00:00Z"))).toBe(true);
    expect(isZeroTime(parseTime("1970-01-01T00:00:00Z"))).toBe(false);
  });

  it("produces current times in the right shape", () => {
    expect(nowTime()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(nowMicroTime()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });
});

describe("meta/v1 MicroTime", () => {
  it("formats with six truncated fractional digits", () => {
    expect(formatMicroTime(0, 999_999_999)).toBe("1970-01-01T00:00:00.999999Z");
    expect(formatMicroTime(1704164645, 6000)).toBe("2024-01-02T03:04:05.000006Z");
  });

  it("requires exactly six fractional digits when parsing", () => {
    expect(parseMicroTime("2024-01-02T03:04:05.000006Z")).toEqual({ seconds: 1704164645, nanos: 6000 });
    expect(() => parseMicroTime("2024-01-02T03:04:05Z")).toThrow('cannot parse "Z" as ".000000"');
  });
});
