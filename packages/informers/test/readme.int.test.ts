// The README's typed-informer example, run as written against the real API server through KUBECONFIG.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { testEnv } from "@kubets/testenv/vitest";
import { afterEach, expect, it, vi } from "vitest";
import { typecheckSnippets } from "../../../scripts/test/typecheck.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const typedExample = blocks.find((code) => code.includes("newSharedInformerFactory"));
const watchExample = blocks.find((code) => code.includes("newRetryWatcher"));
const dynamicExample = blocks.find((code) => code.includes("newFilteredDynamicSharedInformerFactory"));

async function runBlock(code: string, name: string): Promise<string[]> {
  process.env["KUBECONFIG"] = testEnv().kubeconfigPath;
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  const file = join(import.meta.dirname, `.readme-${name}.ts`);
  writeFileSync(file, code);
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    rmSync(file, { force: true });
  }
  return lines;
}

const saved = process.env["KUBECONFIG"];
afterEach(() => {
  if (saved === undefined) delete process.env["KUBECONFIG"];
  else process.env["KUBECONFIG"] = saved;
  vi.restoreAllMocks();
});

it("the typed informer example syncs, and its lister answers what its comment says", async () => {
  expect(typedExample).toBeDefined();
  process.env["KUBECONFIG"] = testEnv().kubeconfigPath;
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  const file = join(import.meta.dirname, ".readme-example.ts");
  writeFileSync(file, typedExample!);
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    rmSync(file, { force: true });
  }
  expect(lines).toEqual(["kube-system"]);
});

it("the dynamic and metadata informer example prints what its comments say", async () => {
  expect(dynamicExample).toBeDefined();
  const lines = await runBlock(dynamicExample!, "dynamic");
  const expected = [...dynamicExample!.matchAll(/console\.log\(.*\); *\/\/ (.*)$/gm)].map((m) => m[1]!.trim());
  expect(expected).toEqual(["string", "0", "true"]);
  expect(lines).toEqual(expected);
});

it("the tools/watch example prints what its comments say", async () => {
  expect(watchExample).toBeDefined();
  const lines = await runBlock(watchExample!, "watch");
  const expected = [...watchExample!.matchAll(/console\.log\(.*\); *\/\/ (.*)$/gm)].map((m) => m[1]!.trim());
  expect(expected).toEqual(["MODIFIED", "undefined", "MODIFIED yes"]);
  expect(lines).toEqual(expected);
});

it("every example of the README type-checks under the repository's strict settings", () => {
  expect(typecheckSnippets(blocks, import.meta.dirname)).toEqual([]);
}, 120_000);
