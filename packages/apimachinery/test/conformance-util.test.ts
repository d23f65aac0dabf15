import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  compareResourceVersion,
  isInvalidResourceVersionError,
  namespacedNameToString,
  stepBackoff,
  type Backoff,
} from "../src/util/index.js";

const vectors = JSON.parse(
  readFileSync(new URL("../../../tools/conformance/vectors/util.json", import.meta.url), "utf8"),
) as {
  resourceVersion: ([string, string, number] | [string, string, null, string])[];
  namespacedName: [string, string, string][];
  backoff: [[number, number, number, number], number[], number, number][];
};

describe("util conformance with k8s.io/apimachinery", () => {
  it("compares resource versions like CompareResourceVersion", () => {
    const mismatches: string[] = [];
    for (const row of vectors.resourceVersion) {
      const [a, b] = row;
      try {
        const c = compareResourceVersion(a, b);
        if (row[2] !== c) mismatches.push(`(${a}, ${b}): got ${c}, want ${row[2] ?? row[3]}`);
      } catch (err) {
        if (!isInvalidResourceVersionError(err)) throw err;
        if (row[2] !== null || err.message !== row[3]) mismatches.push(`(${a}, ${b}): got error ${err.message}`);
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    console.log(`resourceVersion vectors checked: ${vectors.resourceVersion.length}`);
  });

  it("prints NamespacedName like Go", () => {
    for (const [namespace, name, want] of vectors.namespacedName) {
      expect(namespacedNameToString({ namespace, name })).toBe(want);
    }
  });

  it("steps a Backoff like wait.Backoff.Step", () => {
    const mismatches: string[] = [];
    for (const [[duration, factor, steps, cap], want, stepsAfter, durationAfter] of vectors.backoff) {
      const b: Backoff = { duration, factor, steps, cap };
      const got = want.map(() => stepBackoff(b));
      const tag = JSON.stringify([duration, factor, steps, cap]);
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${tag}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      if (b.steps !== stepsAfter || b.duration !== durationAfter) mismatches.push(`${tag}: state ${b.steps}/${b.duration}`);
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    console.log(`backoff vectors checked: ${vectors.backoff.length}`);
  });
});
