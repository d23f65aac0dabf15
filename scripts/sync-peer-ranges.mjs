#!/usr/bin/env node
// Keeps the @kubets peer ranges current: after `changeset version`, every internal peer dependency of a
// package in the fixed group becomes `>=<the version released with it>`, so a @kubets/client paired with
// an older @kubets/api fails at install (npm's ERESOLVE) instead of at the first use of a missing group.
// Run by `npm run version-packages`; `--check` only reports ranges that are behind (exit 1); `--root DIR`
// works on another checkout (the versioning test).
//
// Why `>=` and this script rather than changesets alone: changesets gives a package a major bump when a
// peer it depends on gets a minor one, unless `onlyUpdatePeerDependentsWhenOutOfRange` is set, and then
// it rewrites a peer range only once the range no longer matches. A `>=` range always matches a newer
// release (no forced major), and this script moves its floor to the new version.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const rootArg = process.argv.indexOf("--root");
const root = rootArg > 0 ? process.argv[rootArg + 1] : new URL("..", import.meta.url).pathname;
const config = JSON.parse(readFileSync(join(root, ".changeset", "config.json"), "utf8"));
const group = config.fixed.flat();
const dirs = { "@kubets/apimachinery": "packages/apimachinery", "@kubets/api": "packages/api", "@kubets/client": "packages/client", "@kubets/informers": "packages/informers", "@kubets/prometheus": "packages/prometheus" };

const check = process.argv.includes("--check");
const versions = new Map(group.map((name) => [name, JSON.parse(readFileSync(join(root, dirs[name], "package.json"), "utf8")).version]));
const behind = [];
for (const name of group) {
  const file = join(root, dirs[name], "package.json");
  const text = readFileSync(file, "utf8");
  const pkg = JSON.parse(text);
  for (const peer of Object.keys(pkg.peerDependencies ?? {})) {
    const version = versions.get(peer);
    if (version === undefined) continue;
    const want = `>=${version}`;
    if (pkg.peerDependencies[peer] !== want) {
      behind.push(`${name}: peer ${peer} is "${pkg.peerDependencies[peer]}", want "${want}"`);
      pkg.peerDependencies[peer] = want;
    }
  }
  if (!check) writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}
if (check && behind.length > 0) {
  console.error(`peer ranges are behind the versions; run 'node scripts/sync-peer-ranges.mjs':\n  ${behind.join("\n  ")}`);
  process.exit(1);
}
if (!check) for (const line of behind) console.log(`updated ${line}`);
