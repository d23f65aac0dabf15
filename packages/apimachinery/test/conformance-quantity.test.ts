import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  isQuantityParseError,
  newMilliQuantity,
  newQuantity,
  newScaledQuantity,
  parseQuantity,
  type QuantityFormat,
} from "../src/resource/index.js";

// Vectors computed by the real k8s.io/apimachinery (tools/conformance/cmd/vectors).
type ParseRow = [string, string, string, string, string, string, string] | [string, null, string];
interface Vectors {
  parse: ParseRow[];
  cmp: [string, string, number][];
  arith: [string, string, string, string, string, string, string, string][];
  ctor: [string, QuantityFormat, number, string, string, string][];
  scaled: [string, ...string[]][];
  scaledScales: number[];
}
const vectors = JSON.parse(
  readFileSync(new URL("../../../tools/conformance/vectors/quantity.json", import.meta.url), "utf8"),
) as Vectors;

function goFloat(s: string): number {
  if (s === "+Inf") return Infinity;
  if (s === "-Inf") return -Infinity;
  return Number(s);
}

function check(mismatches: string[], what: string, got: unknown, want: unknown): void {
  if (!Object.is(got, want)) mismatches.push(`${what}: got ${String(got)}, want ${String(want)}`);
}

let checked = 0;

describe("Quantity conformance with k8s.io/apimachinery", () => {
  it("parses, prints and evaluates every vector like Go", () => {
    const mismatches: string[] = [];
    for (const row of vectors.parse) {
      const input = row[0];
      if (row[1] === null) {
        try {
          const q = parseQuantity(input);
          mismatches.push(`parse ${JSON.stringify(input)}: got ${q.toString()}, want error ${row[2]}`);
        } catch (err) {
          if (!isQuantityParseError(err)) throw err;
          check(mismatches, `error of ${JSON.stringify(input)}`, err.goMessage, row[2]);
        }
        checked++;
        continue;
      }
      const [, str, canonical, format, value, milli, approx] = row;
      let q;
      try {
        q = parseQuantity(input);
      } catch (err) {
        mismatches.push(`parse ${JSON.stringify(input)}: unexpected ${String(err)}`);
        continue;
      }
      const tag = JSON.stringify(input);
      check(mismatches, `String(${tag})`, q.toString(), str);
      check(mismatches, `canonical(${tag})`, q.neg().neg().toString(), canonical);
      check(mismatches, `Format(${tag})`, q.format, format);
      check(mismatches, `Value(${tag})`, q.value().toString(), value);
      check(mismatches, `MilliValue(${tag})`, q.milliValue().toString(), milli);
      check(mismatches, `AsApproximateFloat64(${tag})`, q.asApproximateFloat64(), goFloat(approx));
      checked++;
    }
    expect(mismatches.slice(0, 30)).toEqual([]);
  });

  it("compares like Go", () => {
    const mismatches: string[] = [];
    for (const [a, b, want] of vectors.cmp) {
      check(mismatches, `Cmp(${a}, ${b})`, parseQuantity(a).cmp(parseQuantity(b)), want);
      checked++;
    }
    expect(mismatches.slice(0, 30)).toEqual([]);
  });

  it("adds and subtracts like Go", () => {
    const mismatches: string[] = [];
    for (const [a, b, sum, sumFormat, diff, diffFormat, sumValue, diffMilli] of vectors.arith) {
      const s = parseQuantity(a).add(parseQuantity(b));
      const d = parseQuantity(a).sub(parseQuantity(b));
      check(mismatches, `${a} + ${b}`, s.toString(), sum);
      check(mismatches, `format of ${a} + ${b}`, s.format, sumFormat);
      check(mismatches, `${a} - ${b}`, d.toString(), diff);
      check(mismatches, `format of ${a} - ${b}`, d.format, diffFormat);
      check(mismatches, `Value(${a} + ${b})`, s.value().toString(), sumValue);
      check(mismatches, `MilliValue(${a} - ${b})`, d.milliValue().toString(), diffMilli);
      checked++;
    }
    expect(mismatches.slice(0, 30)).toEqual([]);
  });

  it("computes ScaledValue at other scales like Go", () => {
    const mismatches: string[] = [];
    for (const [input, ...values] of vectors.scaled) {
      const q = parseQuantity(input);
      vectors.scaledScales.forEach((scale, i) => {
        check(mismatches, `ScaledValue(${input}, ${scale})`, q.scaledValue(scale).toString(), values[i]);
      });
      checked++;
    }
    expect(mismatches.slice(0, 30)).toEqual([]);
  });

  it("constructs from integers like Go", () => {
    const mismatches: string[] = [];
    for (const [v, format, scale, q, milli, scaled] of vectors.ctor) {
      const n = BigInt(v);
      check(mismatches, `NewQuantity(${v}, ${format})`, newQuantity(n, format).toString(), q);
      check(mismatches, `NewMilliQuantity(${v}, ${format})`, newMilliQuantity(n, format).toString(), milli);
      check(mismatches, `NewScaledQuantity(${v}, ${scale})`, newScaledQuantity(n, scale).toString(), scaled);
      checked++;
    }
    expect(mismatches.slice(0, 30)).toEqual([]);
    console.log(`quantity vectors checked: ${checked}`);
  });
});
