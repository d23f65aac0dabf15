// Holds the label and field selector ports to the vectors computed by the real
// k8s.io/apimachinery (tools/conformance/selectors).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as fields from "../src/fields/index.js";
import * as labels from "../src/labels/index.js";

const vectorsDir = fileURLToPath(new URL("../../../tools/conformance/vectors/", import.meta.url));

interface LabelVectors {
  labelSets: Record<string, string>[];
  parse: ([string, string, string, string[][]] | [string, null, string])[];
  requirements: ([string, string, string[] | null, string, string] | [string, string, string[] | null, null, string])[];
  fromSet: [Record<string, string>, string, string, string | null][];
}
interface FieldVectors {
  fieldSets: Record<string, string>[];
  parse: ([string, string, string, [string, string, string][], boolean] | [string, null, string])[];
  escape: ([string, string, string] | [string, string, null, string])[];
}

const lv = JSON.parse(readFileSync(`${vectorsDir}selectors-labels.json`, "utf8")) as LabelVectors;
const fv = JSON.parse(readFileSync(`${vectorsDir}selectors-fields.json`, "utf8")) as FieldVectors;

function errorOf(fn: () => unknown): Error | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

describe("label selector vectors", () => {
  it("parse: String(), Matches() and requirements for every valid input; Go's error for every invalid one", () => {
    let ok = 0;
    let failed = 0;
    const mismatches: string[] = [];
    for (const row of lv.parse) {
      const [input] = row;
      if (row[1] === null) {
        failed++;
        const err = errorOf(() => labels.parse(input));
        if (err?.message !== row[2] || err.name !== "LabelSelectorParseError") {
          mismatches.push(`${JSON.stringify(input)}: want error ${JSON.stringify(row[2])}, got ${err ? JSON.stringify(err.message) : "success"}`);
        }
        continue;
      }
      ok++;
      const [, str, matches, reqs] = row;
      let sel: labels.Selector;
      try {
        sel = labels.parse(input);
      } catch (e) {
        mismatches.push(`${JSON.stringify(input)}: unexpected error ${(e as Error).message}`);
        continue;
      }
      if (sel.toString() !== str) mismatches.push(`${JSON.stringify(input)}: String() ${JSON.stringify(sel.toString())} want ${JSON.stringify(str)}`);
      const got = lv.labelSets.map((s) => (sel.matches(s) ? "1" : "0")).join("");
      if (got !== matches) mismatches.push(`${JSON.stringify(input)}: matches ${got} want ${matches}`);
      const gotReqs = sel.requirements().requirements.map((r) => [r.key, r.operator, ...r.values]);
      if (JSON.stringify(gotReqs) !== JSON.stringify(reqs)) {
        mismatches.push(`${JSON.stringify(input)}: requirements ${JSON.stringify(gotReqs)} want ${JSON.stringify(reqs)}`);
      }
    }
    console.log(`label selectors: ${lv.parse.length} vectors (${ok} valid, ${failed} invalid) x ${lv.labelSets.length} label sets`);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(ok).toBeGreaterThan(1000);
    expect(failed).toBeGreaterThan(1000);
  });

  it("newRequirement: validation messages, String() and Matches()", () => {
    const mismatches: string[] = [];
    for (const row of lv.requirements) {
      const [key, op, values] = row;
      const vals = values ?? [];
      if (row[3] === null) {
        const err = errorOf(() => labels.newRequirement(key, op as labels.Operator, vals));
        // Go prints a nil slice as null and an empty one as []; kubets has no nil slice, so
        // an empty array stands for both.
        const want = values === null ? row[4].replaceAll(": null: ", ": []: ") : row[4];
        if (err?.message !== want || err.name !== "InvalidRequirementError") {
          mismatches.push(`${key} ${op} ${JSON.stringify(values)}: want ${JSON.stringify(want)}, got ${err ? JSON.stringify(err.message) : "success"}`);
        }
        continue;
      }
      const r = labels.newRequirement(key, op as labels.Operator, vals);
      if (labels.requirementToString(r) !== row[3]) mismatches.push(`${key} ${op}: String ${labels.requirementToString(r)} want ${row[3]}`);
      const got = lv.labelSets.map((s) => (labels.requirementMatches(r, s) ? "1" : "0")).join("");
      if (got !== row[4]) mismatches.push(`${key} ${op} ${JSON.stringify(values)}: matches ${got} want ${row[4]}`);
    }
    console.log(`label requirements: ${lv.requirements.length} vectors`);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it("selectorFromSet / validatedSelectorFromSet / Set.String()", () => {
    const mismatches: string[] = [];
    for (const [set, selStr, setStr, verr] of lv.fromSet) {
      if (labels.selectorFromSet(set).toString() !== selStr) mismatches.push(`fromSet ${JSON.stringify(set)}`);
      if (labels.validatedSetSelector(set).toString() !== selStr) mismatches.push(`validatedSetSelector ${JSON.stringify(set)}`);
      if (labels.setToString(set) !== setStr) mismatches.push(`setToString ${JSON.stringify(set)}`);
      const err = errorOf(() => labels.validatedSelectorFromSet(set));
      if (verr === "*" ? err === undefined : (err?.message ?? null) !== verr) mismatches.push(`validated ${JSON.stringify(set)}: ${err?.message} want ${verr}`);
    }
    console.log(`label sets as selectors: ${lv.fromSet.length} vectors`);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });
});

describe("field selector vectors", () => {
  it("parse: String(), Matches(), requirements and Empty(); Go's error otherwise", () => {
    let ok = 0;
    let failed = 0;
    const mismatches: string[] = [];
    for (const row of fv.parse) {
      const [input] = row;
      if (row[1] === null) {
        failed++;
        const err = errorOf(() => fields.parseSelector(input));
        if (err?.message !== row[2]) {
          mismatches.push(`${JSON.stringify(input)}: want error ${JSON.stringify(row[2])}, got ${err ? JSON.stringify(err.message) : "success"}`);
        }
        continue;
      }
      ok++;
      const [, str, matches, reqs, empty] = row;
      let sel: fields.Selector;
      try {
        sel = fields.parseSelector(input);
      } catch (e) {
        mismatches.push(`${JSON.stringify(input)}: unexpected error ${(e as Error).message}`);
        continue;
      }
      if (sel.toString() !== str) mismatches.push(`${JSON.stringify(input)}: String() ${JSON.stringify(sel.toString())} want ${JSON.stringify(str)}`);
      const got = fv.fieldSets.map((s) => (sel.matches(s) ? "1" : "0")).join("");
      if (got !== matches) mismatches.push(`${JSON.stringify(input)}: matches ${got} want ${matches}`);
      const gotReqs = sel.requirements().map((r) => [r.field, r.operator, r.value]);
      if (JSON.stringify(gotReqs) !== JSON.stringify(reqs)) mismatches.push(`${JSON.stringify(input)}: reqs ${JSON.stringify(gotReqs)}`);
      if (sel.empty() !== empty) mismatches.push(`${JSON.stringify(input)}: empty ${sel.empty()}`);
    }
    console.log(`field selectors: ${fv.parse.length} vectors (${ok} valid, ${failed} invalid) x ${fv.fieldSets.length} field sets`);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(ok).toBeGreaterThan(1000);
    expect(failed).toBeGreaterThan(500);
  });

  it("escapeValue / unescapeValue", () => {
    const mismatches: string[] = [];
    for (const row of fv.escape) {
      const [input, escaped] = row;
      if (fields.escapeValue(input) !== escaped) mismatches.push(`escape ${JSON.stringify(input)}`);
      if (row[2] === null) {
        const err = errorOf(() => fields.unescapeValue(input));
        if (err?.message !== row[3]) mismatches.push(`unescape ${JSON.stringify(input)}: ${err?.message} want ${row[3]}`);
      } else if (fields.unescapeValue(input) !== row[2]) {
        mismatches.push(`unescape ${JSON.stringify(input)}`);
      }
      // Escaping always round-trips.
      if (fields.unescapeValue(fields.escapeValue(input)) !== input) mismatches.push(`round trip ${JSON.stringify(input)}`);
    }
    console.log(`field value escapes: ${fv.escape.length} vectors`);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });
});
