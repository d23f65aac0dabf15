import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { testEnv } from "@kubets/testenv/vitest";
import { typecheckSnippets } from "../../../scripts/test/typecheck.js";

// The README's examples, run as they are written, against the real API server through KUBECONFIG.
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

const saved = process.env["KUBECONFIG"];
afterEach(() => {
  if (saved === undefined) delete process.env["KUBECONFIG"];
  else process.env["KUBECONFIG"] = saved;
  vi.restoreAllMocks();
});

describe("README examples", () => {
  it("has examples", () => {
    expect(blocks.length).toBe(expected.length);
  });

  it("every example type-checks under the repository's strict settings", () => {
    expect(typecheckSnippets(blocks, import.meta.dirname)).toEqual([]);
  }, 120_000);

  const expected: string[][] = [
    ["MODIFIED hi", "hey", "true"],
    ["1", "true", "Internal error occurred: injected", "get,update,update,delete"],
    ["true", "bob"],
    ["world", "true"],
    ["ADDED", "MODIFIED"],
    ["apps deployments", "true", "3", "true"],
    ["data", "Event occurred Created", "true"],
    ["true", "true", "true"],
  ];
  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs and prints what its comments say`, async () => {
      process.env["KUBECONFIG"] = testEnv().kubeconfigPath;
      const lines: string[] = [];
      vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
      const file = join(import.meta.dirname, `.readme-example-${i + 1}.ts`);
      writeFileSync(file, code);
      try {
        await import(/* @vite-ignore */ file);
      } finally {
        rmSync(file, { force: true });
      }
      const want = expected[i] ?? [];
      expect(lines.filter((l) => want.includes(l))).toEqual(want);
    });
  });
});
