#!/usr/bin/env node
// Writes ESM builds of the CommonJS dependencies a package imports through its "#<name>" package
// imports, for bundlers only. Run by each package's build: node ../../scripts/vendor-esm.mjs <name>...
//
// Why: `esbuild --bundle --format=esm --platform=node` turns a CommonJS dependency's
// `require("node:assert")` into a shim that throws `Dynamic require of "node:assert" is not
// supported` (esbuild issue 1921). `yaml` (its "node" export is CommonJS) and `undici` (CommonJS
// only) both do that. Each package maps `#yaml` / `#undici` in its package.json "imports":
//   "@kubets/source" and "default" (tests, and Node at run time) -> a small CommonJS file that requires
//   the installed package (undici: src/transport/undici.cjs, only the parts the client uses; yaml:
//   src/serializer/yaml-lib.cjs, on the first document the YAML fast path leaves to it), "module" ->
//   dist/vendor/<name>.js (bundlers: esbuild, webpack and rollup match the "module" condition, Node does
//   not), so Node users still load the installed dependency (and its security updates),
// while a bundler gets an ESM file whose builtin requires go through node:module's createRequire.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as esbuild from "esbuild";

const require = createRequire(join(process.cwd(), "package.json"));

/** What each vendored module exports: exactly the names the package's sources import from "#<name>". */
const recipes = {
  // yaml ships an ESM build under its "default" export condition (its "node" one is CommonJS); a
  // neutral-platform bundle picks it and needs no Node builtins.
  yaml: {
    platform: "neutral",
    contents: [
      'import { Composer, Parser, isAlias, isMap, isScalar, isSeq, visit } from "yaml";',
      "const lib = { Composer, Parser, isAlias, isMap, isScalar, isSeq, visit };",
      "export function loadYAML() { return lib; }",
    ].join("\n"),
  },
  // undici is CommonJS only. Bundle the dispatchers the client uses (not fetch, WebSocket, the cache or
  // the mocks), give Dispatcher its request/stream API as undici's index does, and route the builtin
  // requires through createRequire so the result is valid ESM in any bundle.
  undici: {
    platform: "node",
    contents: [
      'import Dispatcher from "undici/lib/dispatcher/dispatcher.js";',
      'import api from "undici/lib/api/index.js";',
      "Object.assign(Dispatcher.prototype, api);",
      'export { default as Agent } from "undici/lib/dispatcher/agent.js";',
      'export { default as buildConnector } from "undici/lib/core/connect.js";',
      'import ProxyAgent from "undici/lib/dispatcher/proxy-agent.js";',
      'import EnvHttpProxyAgent from "undici/lib/dispatcher/env-http-proxy-agent.js";',
      'import Socks5ProxyAgent from "undici/lib/dispatcher/socks5-proxy-agent.js";',
      "export function proxyAgents() { return { ProxyAgent, EnvHttpProxyAgent, Socks5ProxyAgent }; }",
    ].join("\n"),
    banner: 'import { createRequire as __vendorCreateRequire } from "node:module";\nconst require = __vendorCreateRequire(import.meta.url);',
  },
};

const names = process.argv.slice(2);
if (names.length === 0) throw new Error("usage: vendor-esm.mjs <yaml|undici>...");
for (const name of names) {
  const recipe = recipes[name];
  if (recipe === undefined) throw new Error(`vendor-esm: no recipe for "${name}" (known: ${Object.keys(recipes).join(", ")})`);
  const version = require(`${name}/package.json`).version;
  const out = join(process.cwd(), "dist", "vendor", `${name}.js`);
  mkdirSync(dirname(out), { recursive: true });
  await esbuild.build({
    stdin: { contents: recipe.contents, resolveDir: process.cwd(), loader: "js" },
    bundle: true,
    format: "esm",
    platform: recipe.platform,
    target: "node20",
    outfile: out,
    banner: { js: `// ${name}@${version}, bundled as ESM for bundlers by scripts/vendor-esm.mjs; license in ${name}.LICENSE\n${recipe.banner ?? ""}` },
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: "eof",
    logLevel: "warning",
  });
  copyFileSync(join(dirname(require.resolve(`${name}/package.json`)), "LICENSE"), join(dirname(out), `${name}.LICENSE`));
}
