#!/usr/bin/env node
// Bundles a package's compiled ES modules (tsc's dist/**/*.js) into one file per subpath export,
// dist/bundle/<subpath>.js, with the code two subpaths share in shared chunks next to them, and points
// nothing else at them: the package.json "exports" map's "default" conditions do. Run by the package's
// build after tsc (and by bench/peers.bench.ts): node ../../scripts/bundle-dist.mjs
//
// Why: Node 20 pays for every ES module it loads (resolution, file read, compile, link): the 75 modules
// of @kubets/client/config + /kubernetes and @kubets/apimachinery took about 45 ms to import on a
// 2-core machine, the same code bundled about 10 ms (bench/profiles/NOTES.md, "Cold start, part 2").
// Code splitting keeps one copy of every module across all the subpaths of the package, so classes,
// registries and module state are shared exactly as between the separate modules. Every other import
// stays as it is: other packages (@kubets/apimachinery from the client: a peer dependency, one copy
// per application), package imports (#undici, #yaml) and Node builtins.
//
// The bundles sit two levels below the package root like every compiled module (dist/<area>/x.js):
// src/transport/user-agent.ts reads "../../package.json" relative to its module.
// Source maps chain to tsc's maps, so they point at src/**/*.ts.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";

const root = process.cwd();
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const entryPoints = {};
for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
  const source = target?.["@kubets/source"];
  const out = target?.default;
  if (typeof source !== "string" || typeof out !== "string") continue;
  const m = /^\.\/dist\/bundle\/(.+)\.js$/.exec(out);
  if (!m) throw new Error(`bundle-dist: ${pkg.name} exports "${subpath}" default is ${out}, expected ./dist/bundle/<name>.js`);
  // The module tsc wrote for the source file: src/a/b.ts -> dist/a/b.js.
  entryPoints[m[1]] = join(root, source.replace(/^\.\/src\//, "dist/").replace(/\.ts$/, ".js"));
}
if (Object.keys(entryPoints).length === 0) throw new Error(`bundle-dist: ${pkg.name} has no subpath export to bundle`);

const outdir = join(root, "dist", "bundle");
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Other packages, package imports (#undici, #yaml) and builtins stay imports.
  packages: "external",
  external: ["#*"],
  chunkNames: "chunk-[hash]",
  sourcemap: true,
  sourcesContent: false,
  logLevel: "warning",
});

// esbuild lists every chunk an output depends on as a bare `import "./chunk-X.js";` besides the imports
// that take bindings, to keep evaluation order for modules with side effects. Ours have none (no bare
// import in src, "sideEffects": false), and a chunk whose bindings are used is imported with them, so
// the bare imports only make bundlers warn that they ignore them (sideEffects: false). They go; the
// line stays, empty, so the source maps keep their lines.
for (const f of readdirSync(outdir)) {
  if (!f.endsWith(".js")) continue;
  const file = join(outdir, f);
  const code = readFileSync(file, "utf8");
  const stripped = code.replace(/^import "\.\/chunk-[A-Z0-9]+\.js";$/gm, "");
  if (stripped !== code) writeFileSync(file, stripped);
}
