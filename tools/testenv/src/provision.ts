// Provisioning: builds etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok from the Go
// modules pinned in kubernetes.json, once per version, into a cache folder.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { TestEnvError } from "./errors.js";
import { readPin, type KubernetesPin } from "./versions.js";

/** The binaries every control plane needs (and that `KUBETS_TESTENV_BIN` must hold). */
export const BINARIES = ["etcd", "kube-apiserver", "kube-controller-manager"] as const;
/** The binaries that simulated nodes need in addition: the scheduler and kwok. */
export const NODE_BINARIES = ["kube-scheduler", "kwok"] as const;
/** kwok's stage definitions and CRDs, taken from its module at build time, beside the kwok binary. */
export const KWOK_FILES = ["kwok-stages.yaml", "kwok-crds.yaml"] as const;
/** Bumped when the way binaries are built changes, so that older caches are rebuilt (mostly relinked). */
const BUILD_FORMAT = 2;
const KWOK_BUILD_FORMAT = 1;
export type BinaryName = (typeof BINARIES)[number] | (typeof NODE_BINARIES)[number];

export interface ProvisionOptions {
  /** Versions to build; defaults to the repository's kubernetes.json. */
  pin?: KubernetesPin;
  /** Cache root; defaults to $KUBETS_TESTENV_CACHE, else $XDG_CACHE_HOME/kubets/testenv, else ~/.cache/kubets/testenv. */
  cacheDir?: string;
  /** Progress lines; defaults to stderr. */
  log?: (line: string) => void;
  /**
   * Also provide kube-scheduler and kwok, which simulated nodes need (default true). kube-scheduler is built
   * from the same pinned Kubernetes modules; kwok from the `kwok` version in kubernetes.json.
   */
  nodes?: boolean;
}

/** kwok and the files it needs. */
export interface KwokBinaries {
  /** the kwok executable */
  bin: string;
  /** kwok's node and pod stages (its module's kustomize/stage/fast), one YAML stream */
  stages: string;
  /** kwok's CustomResourceDefinitions (its module's kustomize/crd/bases), one YAML stream */
  crds: string;
}

export interface Binaries {
  dir: string;
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  /** present when nodes were asked for */
  kubeScheduler?: string;
  /** present when nodes were asked for */
  kwok?: KwokBinaries;
  /** true when this call built them */
  built: boolean;
  /** build time in ms when built */
  buildMs?: number;
}

export function defaultCacheDir(): string {
  const env = process.env["KUBETS_TESTENV_CACHE"];
  if (env) return env;
  const xdg = process.env["XDG_CACHE_HOME"];
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), ".cache"), "kubets", "testenv");
}

function binaries(dir: string, built: boolean, extra: { kubeScheduler?: string; kwok?: KwokBinaries; buildMs?: number } = {}): Binaries {
  return {
    dir,
    etcd: join(dir, "etcd"),
    kubeApiserver: join(dir, "kube-apiserver"),
    kubeControllerManager: join(dir, "kube-controller-manager"),
    built,
    ...extra,
  };
}

function missing(dir: string, names: readonly string[] = BINARIES): string[] {
  return names.filter((b) => !existsSync(join(dir, b)));
}

/** The folder that holds (or will hold) the binaries of one pinned version. */
export function versionDir(pin: KubernetesPin, cacheDir = defaultCacheDir()): string {
  return join(cacheDir, `kubernetes-${pin.kubernetes}-etcd-${pin.etcd}`);
}

/** The folder that holds (or will hold) kwok of one pinned version. */
export function kwokDir(version: string, cacheDir = defaultCacheDir()): string {
  return join(cacheDir, `kwok-${version}`);
}

/**
 * Returns the binaries, building them first when they are not cached: once per version, behind a lock, so
 * that parallel test runs build once. `KUBETS_TESTENV_BIN=<dir>` points at prebuilt binaries instead.
 */
export async function ensureBinaries(options: ProvisionOptions = {}): Promise<Binaries> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[kubets-testenv] ${line}\n`));
  const nodes = options.nodes ?? true;
  const prebuilt = process.env["KUBETS_TESTENV_BIN"];
  if (prebuilt) {
    const gone = missing(prebuilt, nodes ? [...BINARIES, ...NODE_BINARIES, ...KWOK_FILES] : BINARIES);
    if (gone.length > 0) {
      throw new TestEnvError(
        `KUBETS_TESTENV_BIN=${prebuilt} lacks ${gone.join(", ")}. Put etcd, kube-apiserver and kube-controller-manager there` +
          (nodes ? " (and kube-scheduler, kwok, kwok-stages.yaml and kwok-crds.yaml for simulated nodes)" : "") +
          ", or unset KUBETS_TESTENV_BIN to build them.",
      );
    }
    return binaries(prebuilt, false, nodes ? { kubeScheduler: join(prebuilt, "kube-scheduler"), kwok: kwokFiles(prebuilt) } : {});
  }
  const pin = options.pin ?? readPin();
  const started = Date.now();
  if (nodes && !pin.kwok) throw new TestEnvError('simulated nodes need kwok, but kubernetes.json pins no "kwok" version: add "kwok": "v0.8.0"');
  // in parallel: each has its own cache folder and lock, so one proceeds while the other waits for a lock
  // another process holds; the go build cache is shared and safe for concurrent use
  const [kubeResult, kwokResult] = await Promise.allSettled([
    ensureKubernetes(pin, options.cacheDir, nodes, log),
    nodes && pin.kwok ? ensureKwok(pin.kwok, options.cacheDir, (l) => log(`kwok: ${l}`)) : undefined,
  ]);
  // both settle first, so that no build is left running behind a failure
  if (kubeResult.status === "rejected") throw kubeResult.reason;
  if (kwokResult.status === "rejected") throw kwokResult.reason;
  const kube = kubeResult.value;
  const kwok = kwokResult.value;
  const built = kube.built || (kwok?.built ?? false);
  return binaries(kube.bin, built, {
    ...(nodes ? { kubeScheduler: join(kube.bin, "kube-scheduler") } : {}),
    ...(kwok ? { kwok: kwok.files } : {}),
    ...(built ? { buildMs: Date.now() - started } : {}),
  });
}

async function ensureKubernetes(
  pin: KubernetesPin,
  cacheDir: string | undefined,
  nodes: boolean,
  log: (l: string) => void,
): Promise<{ bin: string; built: boolean }> {
  const root = versionDir(pin, cacheDir);
  const bin = join(root, "bin");
  const stamp = join(root, "build.json");
  const want: readonly string[] = nodes ? [...BINARIES, "kube-scheduler"] : BINARIES;
  const current = (): boolean => missing(bin, want).length === 0 && buildFormat(stamp) === BUILD_FORMAT;
  if (current()) return { bin, built: false };

  mkdirSync(root, { recursive: true });
  const release = await lock(join(root, "build.lock"), log);
  try {
    if (current()) return { bin, built: false }; // built by another process meanwhile
    // a cache of an older build format is rebuilt whole; otherwise only what is missing (kube-scheduler
    // for a cache made before nodes existed)
    if (buildFormat(stamp) !== BUILD_FORMAT) rmSync(bin, { recursive: true, force: true });
    const todo = missing(bin, want);
    const started = Date.now();
    await build(pin, root, bin, todo, log);
    const ms = Date.now() - started;
    log(`built ${todo.join(", ")} in ${(ms / 1000).toFixed(0)} s into ${bin}`);
    writeFileSync(stamp, JSON.stringify({ ...pin, format: BUILD_FORMAT, buildMs: ms, builtAt: new Date().toISOString() }, null, 2));
    return { bin, built: true };
  } finally {
    release();
  }
}

function kwokFiles(dir: string): KwokBinaries {
  return { bin: join(dir, "kwok"), stages: join(dir, "kwok-stages.yaml"), crds: join(dir, "kwok-crds.yaml") };
}

async function ensureKwok(version: string, cacheDir: string | undefined, log: (l: string) => void): Promise<{ files: KwokBinaries; built: boolean }> {
  const root = kwokDir(version, cacheDir);
  const bin = join(root, "bin");
  const stamp = join(root, "build.json");
  const current = (): boolean => missing(bin, ["kwok", ...KWOK_FILES]).length === 0 && buildFormat(stamp) === KWOK_BUILD_FORMAT;
  if (current()) return { files: kwokFiles(bin), built: false };
  mkdirSync(root, { recursive: true });
  const release = await lock(join(root, "build.lock"), log);
  try {
    if (current()) return { files: kwokFiles(bin), built: false };
    const started = Date.now();
    await buildKwok(version, root, bin, log);
    const ms = Date.now() - started;
    log(`built kwok ${version} in ${(ms / 1000).toFixed(0)} s into ${bin}`);
    writeFileSync(stamp, JSON.stringify({ kwok: version, format: KWOK_BUILD_FORMAT, buildMs: ms, builtAt: new Date().toISOString() }, null, 2));
    return { files: kwokFiles(bin), built: true };
  } finally {
    release();
  }
}

async function lock(path: string, log: (l: string) => void): Promise<() => void> {
  let warned = false;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, "pid"), String(process.pid));
      return () => rmSync(path, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number(readFileSafe(join(path, "pid")));
      const ageMs = Date.now() - mtime(path);
      if ((owner > 0 && !alive(owner)) || (!(owner > 0) && ageMs > 60_000)) {
        rmSync(path, { recursive: true, force: true });
        continue;
      }
      if (!warned) log(`waiting for another process (pid ${owner}) that is building the binaries`);
      warned = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function buildFormat(stampFile: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(stampFile, "utf8")) as { format?: number }).format;
  } catch {
    return undefined;
  }
}

function readFileSafe(p: string): string {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return "";
  }
}
function mtime(p: string): number {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function checkGo(): string {
  const r = spawnSync("go", ["version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new TestEnvError(
      "Go is needed to build kube-apiserver and etcd, but `go version` failed" +
        (r.error ? ` (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` : "") +
        ". Install Go (https://go.dev/dl) and put it on PATH, or set KUBETS_TESTENV_BIN to a folder with prebuilt binaries.",
    );
  }
  return r.stdout.trim();
}

interface GoResult {
  stdout: string;
  stderr: string;
}

function go(args: string[], cwd: string, onLine?: (line: string) => void): Promise<GoResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("go", args, {
      cwd,
      env: { ...process.env, GOFLAGS: "-mod=mod", GOWORK: "off", CGO_ENABLED: process.env["CGO_ENABLED"] ?? "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      if (stderr.length > 1_000_000) stderr = stderr.slice(-500_000);
      if (onLine) {
        const lines = (partial + d).split("\n");
        partial = lines.pop() ?? "";
        for (const l of lines) onLine(l);
      }
    });
    child.on("error", (err) => reject(new TestEnvError(`could not run go ${args[0]}: ${err.message}`, { cause: err })));
    child.on("close", (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(goFailure(args, `${stderr}\n${stdout}`));
    });
  });
}

function goFailure(args: string[], stderr: string): TestEnvError {
  const tail = stderr
    .trim()
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(-15)
    .join("\n");
  const network = /dial tcp|no such host|connection refused|i\/o timeout|proxy\.golang|TLS handshake|403 Forbidden|404 Not Found/i.test(stderr);
  const hint = network
    ? "The Go module proxy could not be reached or refused a module: check network access to GOPROXY (`go env GOPROXY`), or set KUBETS_TESTENV_BIN to prebuilt binaries."
    : "The build failed: check that the Go version is at least the one k8s.io/kubernetes's go.mod names, and the output above.";
  return new TestEnvError(`go ${args.slice(0, 2).join(" ")} failed.\n${tail}\n${hint}`);
}

/** The k8s.io/<staging> modules that k8s.io/kubernetes requires and replaces with ./staging paths. */
export function stagingModules(goMod: string): string[] {
  const required = new Set<string>();
  for (const m of goMod.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+v0\.0\.0\s*$/gm)) required.add(m[1]!);
  const replaced: string[] = [];
  for (const m of goMod.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\//gm)) {
    if (required.has(m[1]!)) replaced.push(m[1]!);
  }
  return replaced.sort();
}

/** The go.mod of the generated wrapper module that builds Kubernetes' commands from the module proxy. */
export function kubernetesWrapperGoMod(pin: KubernetesPin, staging: readonly string[]): string {
  return [
    "// Generated by @kubets/testenv: builds Kubernetes commands from published modules.",
    "module kubets.local/testenv/kubernetes",
    "",
    "go 1.26.0",
    "",
    `require k8s.io/kubernetes ${pin.kubernetes}`,
    "",
    "replace (",
    ...staging.map((m) => `\t${m} => ${m} ${pin.stagingModules}`),
    ")",
    "",
  ].join("\n");
}

async function build(pin: KubernetesPin, root: string, bin: string, todo: readonly string[], log: (l: string) => void): Promise<void> {
  const cmds = todo.filter((b) => b.startsWith("kube-")).map((b) => `k8s.io/kubernetes/cmd/${b}`);
  const etcd = todo.includes("etcd");
  const steps = (cmds.length > 0 ? 3 : 0) + (etcd ? 2 : 0);
  let step = 0;
  const next = (): string => `[${++step}/${steps}]`;
  const names = todo.filter((b) => b !== "etcd");
  log(
    `building ${[names.length > 0 ? `Kubernetes ${pin.kubernetes} (${names.join(", ")})` : "", etcd ? `etcd ${pin.etcd}` : ""].filter(Boolean).join(" and ")} with ${checkGo()}`,
  );
  log("this happens once per version and takes several minutes; later runs start from the cache");
  const tmpBin = join(root, "bin.partial");
  rmSync(tmpBin, { recursive: true, force: true });
  mkdirSync(tmpBin, { recursive: true });

  if (cmds.length > 0) {
    const k8sDir = join(root, "src-kubernetes");
    mkdirSync(k8sDir, { recursive: true });
    log(`${next()} fetching k8s.io/kubernetes@${pin.kubernetes} from the Go module proxy`);
    const dl = await go(["mod", "download", "-json", `k8s.io/kubernetes@${pin.kubernetes}`], k8sDir);
    const info = JSON.parse(dl.stdout) as { GoMod?: string; Error?: string };
    if (!info.GoMod) throw new TestEnvError(`go mod download k8s.io/kubernetes@${pin.kubernetes} gave no go.mod: ${info.Error ?? "unknown error"}`);
    const staging = stagingModules(readFileSync(info.GoMod, "utf8"));
    writeFileSync(join(k8sDir, "go.mod"), kubernetesWrapperGoMod(pin, staging));
    rmSync(join(k8sDir, "go.sum"), { force: true });
    log(`${next()} resolving dependencies (${staging.length} staging modules pinned to ${pin.stagingModules})`);
    await go(["get", ...cmds.map((c) => `${c}@${pin.kubernetes}`)], k8sDir);
    log(`${next()} compiling ${names.join(", ")}`);
    await compile(cmds, k8sDir, tmpBin, log, undefined, versionLdflags(pin.kubernetes));
  }

  if (etcd) {
    const etcdDir = join(root, "src-etcd");
    mkdirSync(etcdDir, { recursive: true });
    writeFileSync(
      join(etcdDir, "go.mod"),
      `// Generated by @kubets/testenv: builds etcd from published modules.\nmodule kubets.local/testenv/etcd\n\ngo 1.26.0\n`,
    );
    rmSync(join(etcdDir, "go.sum"), { force: true });
    log(`${next()} resolving go.etcd.io/etcd/server/v3@${pin.etcd}`);
    await go(["get", `go.etcd.io/etcd/server/v3@${pin.etcd}`], etcdDir);
    log(`${next()} compiling etcd`);
    await compile(["go.etcd.io/etcd/server/v3"], etcdDir, tmpBin, log, "etcd");
  }

  const gone = missing(tmpBin, todo);
  if (gone.length > 0) throw new TestEnvError(`the build finished without producing ${gone.join(", ")} in ${tmpBin}`);
  mkdirSync(bin, { recursive: true });
  for (const b of todo) renameSync(join(tmpBin, b), join(bin, b));
  rmSync(tmpBin, { recursive: true, force: true });
}

/** The go.mod of the generated wrapper module that builds kwok from the module proxy. */
export function kwokWrapperGoMod(): string {
  return "// Generated by @kubets/testenv: builds kwok from published modules.\nmodule kubets.local/testenv/kwok\n\ngo 1.26.0\n";
}

/**
 * The YAML files a kustomization names, depth first, resolved against a folder (only `resources:` lists of
 * plain files and folders, which is all kwok's stage kustomizations use).
 */
export function kustomizationFiles(dir: string, read: (path: string) => string = (p) => readFileSync(p, "utf8")): string[] {
  const text = read(join(dir, "kustomization.yaml"));
  const out: string[] = [];
  let inResources = false;
  for (const line of text.split("\n")) {
    if (/^resources:\s*$/.test(line)) {
      inResources = true;
      continue;
    }
    if (/^[A-Za-z_]/.test(line)) inResources = false;
    const m = inResources ? /^\s*-\s*(\S+)\s*$/.exec(line) : null;
    if (!m) continue;
    const target = join(dir, m[1]!);
    if (target.endsWith(".yaml") || target.endsWith(".yml")) out.push(target);
    else out.push(...kustomizationFiles(target, read));
  }
  return out;
}

async function buildKwok(version: string, root: string, bin: string, log: (l: string) => void): Promise<void> {
  log(`building kwok ${version} (simulated nodes and the kubelet's exec, attach, port-forward and logs) with ${checkGo()}`);
  log("this happens once per version and takes several minutes; later runs start from the cache");
  const tmpBin = join(root, "bin.partial");
  rmSync(tmpBin, { recursive: true, force: true });
  mkdirSync(tmpBin, { recursive: true });
  const src = join(root, "src-kwok");
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, "go.mod"), kwokWrapperGoMod());
  rmSync(join(src, "go.sum"), { force: true });
  log(`[1/3] resolving sigs.k8s.io/kwok/cmd/kwok@${version}`);
  await go(["get", `sigs.k8s.io/kwok/cmd/kwok@${version}`], src);
  const mod = JSON.parse((await go(["list", "-m", "-json", "sigs.k8s.io/kwok"], src)).stdout) as { Dir?: string };
  if (!mod.Dir) throw new TestEnvError(`go list -m sigs.k8s.io/kwok@${version} gave no module folder`);
  log(`[2/3] taking stages and CRDs from ${mod.Dir}`);
  const stages = kustomizationFiles(join(mod.Dir, "kustomize", "stage", "fast"));
  writeFileSync(join(tmpBin, "kwok-stages.yaml"), joinYaml(stages));
  const crdDir = join(mod.Dir, "kustomize", "crd", "bases");
  const crds = readdirSync(crdDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => join(crdDir, f));
  writeFileSync(join(tmpBin, "kwok-crds.yaml"), joinYaml(crds));
  log("[3/3] compiling kwok");
  await compile(["sigs.k8s.io/kwok/cmd/kwok"], src, tmpBin, log, "kwok", [`-X sigs.k8s.io/kwok/pkg/consts.Version=${version.replace(/^v/, "")}`]);
  const gone = missing(tmpBin, ["kwok", ...KWOK_FILES]);
  if (gone.length > 0) throw new TestEnvError(`the kwok build finished without producing ${gone.join(", ")} in ${tmpBin}`);
  rmSync(bin, { recursive: true, force: true });
  renameSync(tmpBin, bin);
}

function joinYaml(files: readonly string[]): string {
  return files.map((f) => `# from ${basename(dirname(f))}/${basename(f)}\n${readFileSync(f, "utf8").trim()}\n`).join("---\n");
}

/** Stamps the version that /version and the user agent report, as Kubernetes' release build does. */
export function versionLdflags(version: string): string[] {
  const [major = "", minor = ""] = version.replace(/^v/, "").split(".");
  const vars = { gitVersion: version, gitMajor: major, gitMinor: minor, gitTreeState: "clean", buildDate: "1970-01-01T00:00:00Z" };
  return ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"].flatMap((pkg) =>
    Object.entries(vars).map(([k, v]) => `-X ${pkg}.${k}=${v}`),
  );
}

async function compile(
  pkgs: string[],
  cwd: string,
  outDir: string,
  log: (l: string) => void,
  outName?: string,
  extraLdflags: string[] = [],
): Promise<void> {
  const deps = await go(["list", "-deps", ...pkgs], cwd);
  const total = deps.stdout.split("\n").filter(Boolean).length;
  let done = 0;
  let lastReport = Date.now();
  const out = outName ? join(outDir, outName) : outDir + "/";
  const ldflags = ["-s", "-w", ...extraLdflags].join(" ");
  await go(["build", "-v", `-ldflags=${ldflags}`, "-o", out, ...pkgs], cwd, (line) => {
    if (!line || line.startsWith("#")) return;
    done++;
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      log(`      compiled ${done} of at most ${total} packages (cached packages are not counted)`);
    }
  });
  log(`      done (${done} packages compiled, ${total} in the dependency graph)`);
}
