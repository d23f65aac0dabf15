#!/usr/bin/env node
/**
 * kubets-codegen: `generate` regenerates the built-in API packages; `crd <crd.yaml ...> --out <dir>`
 * writes TypeScript types, GVK constants, a typed clientset and informers for custom resources.
 */
import { runCrdCommand } from "./crd.js";
import { generateAll, writeAll } from "./generate.js";

function usage(): never {
  process.stderr.write("usage: kubets-codegen generate\n       kubets-codegen crd <crd.yaml ...> --out <dir> [--no-informers] [--types-only]\n");
  process.exit(2);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "generate") {
  const result = generateAll();
  writeAll(result);
  const api = result.model.packages.filter((p) => p.target === "api" && p.group !== undefined);
  process.stdout.write(`kubets-codegen: ${api.length} group-versions, ${result.files.length} files\n`);
} else if (cmd === "crd") {
  runCrdCommand(args);
} else {
  usage();
}
