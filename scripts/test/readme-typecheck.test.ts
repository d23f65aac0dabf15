// Every `ts` code block (and every `typescript` block: sketches that are not run) of every README and of docs/*.md type-checks under the repository's strict
// settings, as a user would paste it (fragments declare what they assume with `declare`). The client
// and informers READMEs are also run against the real API server by their packages' readme tests.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { typecheckSnippets } from "./typecheck.js";

const root = join(import.meta.dirname, "..", "..");
const files = [
  "README.md",
  ...["packages", "tools"].flatMap((d) => readdirSync(join(root, d)).map((p) => `${d}/${p}/README.md`)),
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
].filter((f) => {
  try {
    readFileSync(join(root, f));
    return true;
  } catch {
    return false;
  }
});

describe("documentation code blocks", () => {
  it("type-check under the strict settings", () => {
    const snippets: string[] = [];
    const origin: string[] = [];
    for (const f of files) {
      const md = readFileSync(join(root, f), "utf8");
      for (const [i, m] of [...md.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)].entries()) {
        snippets.push(m[1]!);
        origin.push(`${relative(root, join(root, f))} block ${i + 1}`);
      }
    }
    expect(snippets.length).toBeGreaterThan(10);
    const errors = typecheckSnippets(snippets, import.meta.dirname).map((e) =>
      e.replace(/^example (\d+)/, (_, n: string) => origin[Number(n) - 1] ?? `example ${n}`),
    );
    expect(errors).toEqual([]);
  }, 180_000);
});
