import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as validation from "../src/util/validation.js";

const vectors = JSON.parse(
  readFileSync(new URL("../../../tools/conformance/vectors/validation.json", import.meta.url), "utf8"),
) as { validators: string[]; messages: string[]; rows: [string, ...number[][]][] };

describe("name validation conformance with k8s.io/apimachinery", () => {
  it("returns Go's exact error lists for every generated name", () => {
    const fns = vectors.validators.map((name) => {
      const fn = (validation as unknown as Record<string, (v: string) => string[]>)[name];
      if (typeof fn !== "function") throw new Error(`missing validator ${name}`);
      return [name, fn] as const;
    });
    const mismatches: string[] = [];
    let checked = 0;
    for (const [input, ...results] of vectors.rows) {
      fns.forEach(([name, fn], i) => {
        const want = (results[i] as number[]).map((k) => vectors.messages[k]);
        const got = fn(input);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          mismatches.push(`${name}(${JSON.stringify(input)}): got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
        }
        checked++;
      });
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    console.log(`validation vectors checked: ${checked} (${vectors.rows.length} names x ${fns.length} validators)`);
  });
});
