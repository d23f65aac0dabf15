import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatDuration, isDurationParseError, parseDuration } from "../src/meta/v1/duration.js";
import { formatMicroTime, formatTimeSeconds, isTimeParseError, parseMicroTime, parseTime } from "../src/meta/v1/time.js";

// Vectors computed by the real Go time package and k8s.io/apimachinery (tools/conformance/cmd/vectors).
function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../tools/conformance/vectors/${name}`, import.meta.url), "utf8")) as T;
}
const timeVectors = load<{
  format: [number, number, string, string][];
  parse: ([string, "time" | "micro", number, number] | [string, "time" | "micro", null, string])[];
}>("time.json");
const durationVectors = load<{
  format: [string, string][];
  parse: ([string, string] | [string, null, string])[];
}>("duration.json");

describe("Time and MicroTime conformance with Go", () => {
  it("formats every instant like t.UTC().Format(RFC3339 / RFC3339Micro)", () => {
    const mismatches: string[] = [];
    for (const [sec, nsec, rfc, micro] of timeVectors.format) {
      const a = formatTimeSeconds(sec);
      if (a !== rfc) mismatches.push(`Time(${sec}): got ${a}, want ${rfc}`);
      const b = formatMicroTime(sec, nsec);
      if (b !== micro) mismatches.push(`MicroTime(${sec}, ${nsec}): got ${b}, want ${micro}`);
    }
    expect(mismatches.slice(0, 30)).toEqual([]);
    console.log(`time format vectors checked: ${timeVectors.format.length}`);
  });

  it("parses every string like time.Parse, with Go's error messages", () => {
    const mismatches: string[] = [];
    for (const row of timeVectors.parse) {
      const [input, layout] = row;
      const parse = layout === "time" ? parseTime : parseMicroTime;
      const tag = `${layout} ${JSON.stringify(input)}`;
      try {
        const t = parse(input);
        if (row[2] === null) mismatches.push(`${tag}: got ${t.seconds}/${t.nanos}, want error ${row[3]}`);
        else if (t.seconds !== row[2] || t.nanos !== row[3])
          mismatches.push(`${tag}: got ${t.seconds}/${t.nanos}, want ${row[2]}/${row[3]}`);
      } catch (err) {
        if (!isTimeParseError(err)) throw err;
        if (row[2] !== null) mismatches.push(`${tag}: unexpected error ${err.message}`);
        else if (err.message !== row[3]) mismatches.push(`${tag}: got error ${err.message}, want ${row[3]}`);
      }
    }
    expect(mismatches.slice(0, 30)).toEqual([]);
    console.log(`time parse vectors checked: ${timeVectors.parse.length}`);
  });
});

describe("Duration conformance with Go", () => {
  it("formats like Duration.String()", () => {
    const mismatches: string[] = [];
    for (const [ns, want] of durationVectors.format) {
      const got = formatDuration(BigInt(ns));
      if (got !== want) mismatches.push(`String(${ns}): got ${got}, want ${want}`);
    }
    expect(mismatches.slice(0, 30)).toEqual([]);
    console.log(`duration format vectors checked: ${durationVectors.format.length}`);
  });

  it("parses like time.ParseDuration, with Go's error messages", () => {
    const mismatches: string[] = [];
    for (const row of durationVectors.parse) {
      const tag = JSON.stringify(row[0]);
      try {
        const d = parseDuration(row[0]);
        if (row[1] === null) mismatches.push(`${tag}: got ${d}, want error ${row[2]}`);
        else if (d.toString() !== row[1]) mismatches.push(`${tag}: got ${d}, want ${row[1]}`);
      } catch (err) {
        if (!isDurationParseError(err)) throw err;
        if (row[1] !== null) mismatches.push(`${tag}: unexpected error ${err.message}`);
        else if (err.message !== row[2]) mismatches.push(`${tag}: got error ${err.message}, want ${row[2]}`);
      }
    }
    expect(mismatches.slice(0, 30)).toEqual([]);
    console.log(`duration parse vectors checked: ${durationVectors.parse.length}`);
  });
});
