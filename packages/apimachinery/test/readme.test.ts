import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it, vi } from "vitest";

// The README's controller-helpers example, run as it is written; its comments say what it prints.
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const section = readme.slice(readme.indexOf("## Controller helpers"));
const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? "";

afterEach(() => void vi.restoreAllMocks());

it("the controller helpers example prints what its comments say", async () => {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  const file = join(import.meta.dirname, ".readme-helpers.ts");
  writeFileSync(file, block);
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    rmSync(file, { force: true });
  }
  const expected = [...block.matchAll(/console\.log\(.*\); *\/\/ (.*)$/gm)].map((m) => m[1]!.trim());
  expect(expected).toHaveLength(7);
  expect(lines).toEqual(expected);
});
