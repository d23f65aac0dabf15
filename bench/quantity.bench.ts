/**
 * @kubets/apimachinery Quantity (and meta/v1 Time) throughput.
 *
 *   node --conditions=@kubets/source --import tsx bench/quantity.bench.ts
 *
 * Each figure is printed beside a floor measured in the same run on the same inputs:
 *   - Quantity parse + String(): floor = parseFloat(s) + String(n) (no exactness, no suffixes).
 *   - Time formatting from epoch seconds: floor = new Date(ms).toISOString().
 * ratio = floor time per op ÷ kubets time per op (1.0 = as fast as the floor; 0.25 = 4x slower).
 */
import { readFileSync } from "node:fs";
import { canonicalQuantity, compareQuantities, parseQuantity } from "@kubets/apimachinery/resource";
import { formatTimeSeconds, parseTime } from "@kubets/apimachinery/meta/v1";

const MEASURE_MS = Number(process.env["BENCH_MS"] ?? 1500);

/** Typical values from pod specs and node status. */
const typical = ["100m", "250m", "500m", "1", "2", "4", "128Mi", "256Mi", "512Mi", "1Gi", "2Gi", "8Gi", "10Gi",
  "1500m", "0.5", "2000m", "64Ki", "100Gi", "1e3", "3800m", "16164580Ki", "110", "32893208Ki", "1k"];

/** Every valid input of the conformance vectors (random and edge cases, many large or odd). */
const vectors = (
  JSON.parse(readFileSync(new URL("../tools/conformance/vectors/quantity.json", import.meta.url), "utf8")) as {
    parse: [string, string | null][];
  }
).parse
  .filter((r) => r[1] !== null && !/e[+-]?\d{3}/i.test(r[0]))
  .map((r) => r[0]);

let sink = 0;

/** ns per op of `fn` over `inputs`, after a warm-up. */
function measure(inputs: readonly string[], fn: (s: string) => unknown): number {
  const warmEnd = performance.now() + MEASURE_MS / 4;
  while (performance.now() < warmEnd) for (const s of inputs) fn(s);
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < MEASURE_MS) {
    for (const s of inputs) {
      const r = fn(s);
      if (typeof r === "string") sink += r.length;
    }
    ops += inputs.length;
    now = performance.now();
  }
  return ((now - start) * 1e6) / ops;
}

function row(label: string, ns: number, floorNs: number): void {
  const opsPerSec = 1e9 / ns;
  console.log(
    `  ${label.padEnd(44)} ${(opsPerSec / 1e6).toFixed(2).padStart(7)} M ops/s  ${ns.toFixed(0).padStart(6)} ns/op  ratio ${(floorNs / ns).toFixed(3)}`,
  );
}

const floor = (s: string): string => String(parseFloat(s));
const parseAndPrint = (s: string): string => parseQuantity(s).toString();

for (const [name, inputs] of [
  ["typical pod/node values", typical],
  [`conformance inputs (${vectors.length})`, vectors],
] as const) {
  console.log(`Quantity, ${name}`);
  const floorNs = measure(inputs, floor);
  row("floor: parseFloat + String", floorNs, floorNs);
  row("parseQuantity(s).toString()", measure(inputs, parseAndPrint), floorNs);
  row("canonicalQuantity(s) (always recomputed)", measure(inputs, canonicalQuantity), floorNs);
  row("compareQuantities(s, '1Gi')", measure(inputs, (s) => compareQuantities(s, "1Gi")), floorNs);
}

console.log("meta/v1 Time");
const seconds = Array.from({ length: 1000 }, (_, i) => 1_600_000_000 + i * 7919 * 13);
const secondStrings = seconds.map(String);
const times = seconds.map((s) => formatTimeSeconds(s));
const isoFloorNs = measure(secondStrings, (s) => new Date(Number(s) * 1000).toISOString());
row("floor: new Date(ms).toISOString()", isoFloorNs, isoFloorNs);
row("formatTimeSeconds(sec), a new day each time", measure(secondStrings, (s) => formatTimeSeconds(Number(s))), isoFloorNs);
const sameDay = seconds.map((s, i) => String(1_700_000_000 + ((s * 31 + i) % 80_000)));
row("formatTimeSeconds(sec), spread over a day", measure(sameDay, (s) => formatTimeSeconds(Number(s))), isoFloorNs);
const parseFloorNs = measure(times, (s) => Date.parse(s));
row("floor: Date.parse(s)", parseFloorNs, parseFloorNs);
row("parseTime(s) (Go time.Parse rules)", measure(times, (s) => parseTime(s).seconds), parseFloorNs);

if (sink === 42) console.log("");
