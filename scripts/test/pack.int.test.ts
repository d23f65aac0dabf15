// What a user gets from npm: the runtime packages are packed as `npm publish` would pack them, installed
// into a fresh project outside the repository, bundled into one ESM file with esbuild's defaults for
// Node (no banner, no externals) and run, away from any node_modules, against the real API server.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as esbuild from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "@kubets/testenv/vitest";

const run = promisify(execFile);
const repo = join(import.meta.dirname, "..", "..");
const packages = ["apimachinery", "api", "client", "informers", "workqueue", "prometheus"] as const;
const work = mkdtempSync(join(tmpdir(), "kubets-pack-"));
const npmFlags = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}
const packed = new Map<string, PackResult>();

beforeAll(async () => {
  for (const name of packages) {
    const dir = join(repo, "packages", name);
    if (!existsSync(join(dir, "dist", "index.js"))) throw new Error(`packages/${name}/dist is missing; run 'npm run build' first`);
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: dir });
    const [result] = JSON.parse(stdout) as PackResult[];
    packed.set(name, result!);
  }
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tarball(name: (typeof packages)[number]): string {
  return join(work, packed.get(name)!.filename);
}

async function freshProject(name: string, dependencies: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module", dependencies }, null, 2));
  return dir;
}

function dirSize(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return n;
}

const program = `
import { loadConfig } from "@kubets/client";
import { newForConfig } from "@kubets/client/kubernetes";
import { isNotFound } from "@kubets/apimachinery/errors";
import { newSharedInformerFactory } from "@kubets/informers/informers";
import { newTypedRateLimitingQueue, defaultTypedControllerRateLimiter } from "@kubets/workqueue";

const cs = newForConfig(await loadConfig());
const namespaces = await cs.coreV1().namespaces().list();
console.log("namespaces", namespaces.items.map((n) => n.metadata?.name).sort().join(","));
try {
  await cs.coreV1().configMaps("default").get("no-such-config-map");
} catch (err) {
  console.log("notFound", isNotFound(err));
}
const factory = newSharedInformerFactory(cs, { resyncPeriod: 0 });
const informer = factory.core().v1().namespaces().informer();
const ac = new AbortController();
factory.start(ac.signal);
await factory.waitForCacheSync(ac.signal);
console.log("cached", informer.getStore().list().some((n) => n.metadata?.name === "kube-system"));
ac.abort();
const queue = newTypedRateLimitingQueue(defaultTypedControllerRateLimiter());
queue.add("default/a");
console.log("queued", queue.len());
queue.shutDown();
await cs.close();
`;

// prom-client is CommonJS that requires Node builtins, so it has no place in an esbuild ESM bundle
// without a banner, whoever imports it; this one runs under Node only.
const metricsProgram = `
import { registerMetrics } from "@kubets/prometheus";
import { register } from "prom-client";
import { loadConfig } from "@kubets/client";
import { newForConfig } from "@kubets/client/kubernetes";

registerMetrics();
const cs = newForConfig(await loadConfig());
await cs.coreV1().namespaces().list();
await cs.close();
console.log("scraped", /rest_client_requests_total[{]code="200",method="GET",host="[^"]+"[}] 1/.test(await register.metrics()));
`;

describe("packed packages", () => {
  it("every tarball holds the Apache-2.0 LICENSE, the README and dist, and no tests", () => {
    const license = readFileSync(join(repo, "LICENSE"), "utf8");
    expect(license).toContain("Apache License");
    expect(license).toContain("Version 2.0, January 2004");
    for (const name of packages) {
      const files = packed.get(name)!.files.map((f) => f.path);
      expect(files, name).toContain("LICENSE");
      expect(readFileSync(join(repo, "packages", name, "LICENSE"), "utf8"), name).toBe(license);
      expect(files, name).toContain("README.md");
      expect(files, name).toContain("dist/index.js");
      expect(files.filter((f) => f.includes("/test/") || f.endsWith(".test.ts")), name).toEqual([]);
    }
    // The generated @kubets/api ships no sources and no maps; the hand-written packages ship both.
    expect(packed.get("api")!.files.filter((f) => f.path.startsWith("src/") || f.path.endsWith(".map"))).toEqual([]);
    expect(packed.get("client")!.files.map((f) => f.path)).toContain("src/index.ts");
    expect(packed.get("client")!.files.map((f) => f.path)).toContain("dist/index.d.ts.map");
    for (const name of packages) {
      const r = packed.get(name)!;
      const extra = r.files.filter((f) => f.path.startsWith("src/") || f.path.endsWith(".map")).reduce((n, f) => n + f.size, 0);
      console.log(`size @kubets/${name}: tarball ${(r.size / 1e3).toFixed(0)} kB, unpacked ${(r.unpackedSize / 1e6).toFixed(2)} MB (sources and maps ${(extra / 1e6).toFixed(2)} MB), ${r.files.length} files`);
    }
    expect(packed.get("client")!.files.map((f) => f.path)).toContain("dist/vendor/undici.LICENSE");
    expect(packed.get("apimachinery")!.files.map((f) => f.path)).toContain("dist/vendor/yaml.LICENSE");
  });

  it("installs into a fresh project, runs under Node, bundles to one ESM file that runs without node_modules", async () => {
    const dir = await freshProject("app", {
      "@kubets/apimachinery": `file:${tarball("apimachinery")}`,
      "@kubets/api": `file:${tarball("api")}`,
      "@kubets/client": `file:${tarball("client")}`,
      "@kubets/informers": `file:${tarball("informers")}`,
      "@kubets/workqueue": `file:${tarball("workqueue")}`,
      "@kubets/prometheus": `file:${tarball("prometheus")}`,
      "prom-client": "^15.1.3",
    });
    await run("npm", ["install", ...npmFlags], { cwd: dir });
    const closure = ["@kubets/client", "@kubets/api", "@kubets/apimachinery", "undici", "yaml"];
    const bytes = closure.reduce((n, p) => n + dirSize(join(dir, "node_modules", p)), 0);
    console.log(`size installed @kubets/client with its peers and dependencies (${closure.join(", ")}): ${(bytes / 1e6).toFixed(1)} MB`);
    writeFileSync(join(dir, "main.mjs"), program);
    const env = { ...process.env, KUBECONFIG: testEnv().kubeconfigPath };
    const expected = ["notFound true", "cached true", "queued 1"];

    // Node, from the installed packages (the real undici and yaml).
    const direct = await run(process.execPath, ["main.mjs"], { cwd: dir, env });
    expect(direct.stdout).toMatch(/^namespaces .*\bdefault\b.*\bkube-system\b/m);
    for (const line of expected) expect(direct.stdout).toContain(line);
    writeFileSync(join(dir, "metrics.mjs"), metricsProgram);
    expect((await run(process.execPath, ["metrics.mjs"], { cwd: dir, env })).stdout).toContain("scraped true");

    // One ESM file, esbuild's Node defaults, no banner; moved away from node_modules and run.
    const outDir = join(work, "bundle");
    mkdirSync(outDir);
    const result = await esbuild.build({
      entryPoints: [join(dir, "main.mjs")],
      absWorkingDir: dir,
      bundle: true,
      format: "esm",
      platform: "node",
      outfile: join(outDir, "app.mjs"),
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    // No warnings either (such as "Ignoring this import because ... was marked as having no side effects"
    // for the bare chunk imports esbuild writes in the packages' own dist/bundle: scripts/bundle-dist.mjs).
    expect(result.warnings.map((w) => w.text)).toEqual([]);
    const bundled = await run(process.execPath, ["app.mjs"], { cwd: outDir, env });
    expect(bundled.stdout).toMatch(/^namespaces .*\bdefault\b.*\bkube-system\b/m);
    for (const line of expected) expect(bundled.stdout).toContain(line);
  }, 300_000);

  it("an @kubets/client whose @kubets/api is older than the one it was released with fails at install", async () => {
    // A client released at 99.0.0 names its peers `>=99.0.0` (scripts/sync-peer-ranges.mjs); pairing it
    // with this api must stop npm, not the program.
    const unpacked = join(work, "client-99");
    mkdirSync(unpacked);
    await run("tar", ["-xzf", tarball("client"), "-C", unpacked, "--strip-components=1"]);
    const manifest = JSON.parse(readFileSync(join(unpacked, "package.json"), "utf8"));
    manifest.version = "99.0.0";
    manifest.peerDependencies = { "@kubets/api": ">=99.0.0", "@kubets/apimachinery": ">=99.0.0" };
    writeFileSync(join(unpacked, "package.json"), JSON.stringify(manifest));
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: unpacked });
    const client99 = join(work, (JSON.parse(stdout) as PackResult[])[0]!.filename);
    const dir = await freshProject("mismatched", {
      "@kubets/apimachinery": `file:${tarball("apimachinery")}`,
      "@kubets/api": `file:${tarball("api")}`,
      "@kubets/client": `file:${client99}`,
    });
    const failure = await run("npm", ["install", ...npmFlags], { cwd: dir }).then(
      () => undefined,
      (err: { stderr: string }) => err,
    );
    expect(failure?.stderr).toMatch(/ERESOLVE/);
    expect(failure?.stderr).toContain("@kubets/api");
  }, 300_000);
});

