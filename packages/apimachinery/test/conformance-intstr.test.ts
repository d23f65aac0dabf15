import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type IntOrString,
  getScaledValueFromIntOrPercent,
  getValueFromIntOrPercent,
  intOrStringToString,
  intValue,
  isIntOrStringError,
  parse,
} from "../src/intstr/index.js";

type Result = number | { error: string };
const vectors = JSON.parse(
  readFileSync(new URL("../../../tools/conformance/vectors/intstr.json", import.meta.url), "utf8"),
) as {
  scaled: [IntOrString, number, boolean, Result, Result][];
  parse: [string, IntOrString, string, number][];
};

function run(fn: () => number): Result {
  try {
    return fn();
  } catch (err) {
    if (!isIntOrStringError(err)) throw err;
    return { error: err.message };
  }
}

describe("IntOrString conformance with k8s.io/apimachinery", () => {
  it("scales integers and percentages like Go", () => {
    const mismatches: string[] = [];
    for (const [v, total, up, scaled, value] of vectors.scaled) {
      const a = run(() => getScaledValueFromIntOrPercent(v, total, up));
      const b = run(() => getValueFromIntOrPercent(v, total, up));
      const tag = `${JSON.stringify(v)}, ${total}, ${up}`;
      if (JSON.stringify(a) !== JSON.stringify(scaled)) mismatches.push(`scaled(${tag}): got ${JSON.stringify(a)}, want ${JSON.stringify(scaled)}`);
      if (JSON.stringify(b) !== JSON.stringify(value)) mismatches.push(`value(${tag}): got ${JSON.stringify(b)}, want ${JSON.stringify(value)}`);
    }
    expect(mismatches.slice(0, 30)).toEqual([]);
    console.log(`intstr scaled vectors checked: ${vectors.scaled.length}`);
  });

  it("parses, prints and converts like Go", () => {
    const mismatches: string[] = [];
    for (const [input, parsed, str, iv] of vectors.parse) {
      const p = parse(input);
      if (p !== parsed) mismatches.push(`Parse(${JSON.stringify(input)}): got ${JSON.stringify(p)}`);
      if (intOrStringToString(p) !== str) mismatches.push(`String(${JSON.stringify(input)})`);
      if (intValue(p) !== iv) mismatches.push(`IntValue(${JSON.stringify(input)}): got ${intValue(p)}, want ${iv}`);
    }
    expect(mismatches).toEqual([]);
    console.log(`intstr parse vectors checked: ${vectors.parse.length}`);
  });
});
