// The versioning rule in the root README, exercised with the real changesets CLI on a copy of the
// repository's package manifests: a minor change to @kubets/api releases the whole fixed group at one
// version without a forced major, and the peer ranges move up to that version.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repo = join(import.meta.dirname, "..", "..");
const group = { "@kubets/apimachinery": "packages/apimachinery", "@kubets/api": "packages/api", "@kubets/client": "packages/client", "@kubets/informers": "packages/informers", "@kubets/prometheus": "packages/prometheus" };
const others = { "@kubets/workqueue": "packages/workqueue", "@kubets/codegen": "tools/codegen", "@kubets/testenv": "tools/testenv" };

const work = mkdtempSync(join(tmpdir(), "kubets-versioning-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function manifest(dir: string): { version: string; peerDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(work, dir, "package.json"), "utf8"));
}

describe("versioning rule", () => {
  it("a minor change to @kubets/api releases the fixed group together and moves the peer floors", () => {
    cpSync(join(repo, "package.json"), join(work, "package.json"));
    cpSync(join(repo, ".changeset", "config.json"), join(work, ".changeset", "config.json"));
    for (const dir of [...Object.values(group), ...Object.values(others)]) {
      mkdirSync(join(work, dir), { recursive: true });
      cpSync(join(repo, dir, "package.json"), join(work, dir, "package.json"));
    }
    const before = manifest("packages/api").version;
    writeFileSync(join(work, ".changeset", "api-minor.md"), '---\n"@kubets/api": minor\n---\n\nA new group-version.\n');
    execFileSync(join(repo, "node_modules", ".bin", "changeset"), ["version"], { cwd: work, stdio: "pipe" });
    execFileSync(process.execPath, [join(repo, "scripts", "sync-peer-ranges.mjs"), "--root", work], { stdio: "pipe" });

    const [major, minor] = before.split(".").map(Number) as [number, number];
    const next = `${major}.${minor + 1}.0`;
    for (const dir of Object.values(group)) expect(manifest(dir).version).toBe(next);
    // Not in the group, not depending on it: untouched.
    expect(manifest("packages/workqueue").version).toBe(JSON.parse(readFileSync(join(repo, "packages/workqueue/package.json"), "utf8")).version);
    expect(manifest("packages/client").peerDependencies).toEqual({ "@kubets/api": `>=${next}`, "@kubets/apimachinery": `>=${next}` });
    expect(manifest("packages/informers").peerDependencies).toEqual({
      "@kubets/api": `>=${next}`,
      "@kubets/apimachinery": `>=${next}`,
      "@kubets/client": `>=${next}`,
    });
    expect(manifest("packages/api").peerDependencies).toEqual({ "@kubets/apimachinery": `>=${next}` });
    // A peer outside the group keeps its range.
    expect(manifest("packages/prometheus").peerDependencies).toEqual({ "@kubets/client": `>=${next}`, "@kubets/workqueue": ">=0.0.0", "prom-client": ">=15.0.0" });
    // And the check the pretest runs agrees.
    execFileSync(process.execPath, [join(repo, "scripts", "sync-peer-ranges.mjs"), "--root", work, "--check"], { stdio: "pipe" });
  });

  it("the repository's peer ranges are current", () => {
    execFileSync(process.execPath, [join(repo, "scripts", "sync-peer-ranges.mjs"), "--check"], { stdio: "pipe" });
  });
});
