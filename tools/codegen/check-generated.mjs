#!/usr/bin/env node
// CI check: regenerates everything in memory and fails when a committed generated file (or the
// input hashes in kubernetes.json) differ. Run: node tools/codegen/check-generated.mjs
import { register } from "tsx/esm/api";

register();
const { generateAll } = await import("./src/generate.ts");
const { repoRoot } = await import("./src/inputs.ts");
const { existsSync, readFileSync } = await import("node:fs");
const { join } = await import("node:path");

const root = repoRoot();
const result = generateAll();
const stale = result.files.filter((f) => !existsSync(join(root, f.path)) || readFileSync(join(root, f.path), "utf8") !== f.content).map((f) => f.path);
const pin = JSON.parse(readFileSync(join(root, "kubernetes.json"), "utf8"));
for (const [k, v] of Object.entries(result.inputs)) if (pin.inputs?.[`codegen:${k}`] !== v) stale.push(`kubernetes.json inputs.codegen:${k}`);
if (stale.length > 0) {
  console.error(`generated files are stale; run 'npm run generate' and commit:\n  ${stale.join("\n  ")}`);
  process.exit(1);
}
console.log(`generated files are up to date (${result.files.length} files)`);
