/**
 * kubets against its peers on one real kube-apiserver: client-go v0.37.2 (bench/clientgo, built from
 * the module pinned in kubernetes.json) and @kubernetes/client-node. Every figure is measured in a
 * fresh child process per client and round (bench/peers/runner.ts for the Node clients, run from the
 * built dist; the Go harness for client-go), the clients in turn within each round, and printed as
 * the median with the ratios kubets/client-go and kubets/client-node: median [min-max] of the
 * per-round ratios. Lower is better for every figure but events/s.
 *
 *   npm run bench peers                        (or: node --conditions=@kubets/source --expose-gc --import tsx bench/peers.bench.ts)
 *
 * All clients: protobuf where they speak it (client-node: JSON), rate limiter off.
 * BENCH_ROUNDS (5), BENCH_PODS (10000), BENCH_EVENTS (20000, replay), BENCH_LIVE_EVENTS (5000, after
 * BENCH_LIVE_WARM 2000 unmeasured),
 * BENCH_GETS (1000) scale it; BENCH_SCALE_PODS=100000 adds an informer sync of that many pods (takes
 * minutes: the pods are created first). BENCH_PEERS=kubets,client-go limits the clients, BENCH_ONLY=replay,live
 * (gets, informer, list, metalist, firstget) the figures; BENCH_PROFILE_DIR=folder makes every kubets process
 * write a CPU profile there (summarize one with bench/peers/profile-summary.ts).
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { ClientConfigLoader, type RestConfig } from "@kubets/client/config";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { PatchType } from "@kubets/client/rest";
import { benchPod } from "./fixtures.js";
import { readPin, startControlPlane } from "@kubets/testenv";
import { formatRatio, parseResult, ratioStats, type RunnerOptions, type RunnerResult } from "./peers/protocol.js";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 5);
const PODS = Number(process.env["BENCH_PODS"] ?? 10_000);
const EVENTS = Number(process.env["BENCH_EVENTS"] ?? 20_000);
const LIVE_EVENTS = Number(process.env["BENCH_LIVE_EVENTS"] ?? 5_000);
/** Live watch: events each client sees before it measures (a controller runs for days: steady state, JIT warm). */
const LIVE_WARM = Number(process.env["BENCH_LIVE_WARM"] ?? 2_000);
const GETS = Number(process.env["BENCH_GETS"] ?? 1_000);
const SCALE_PODS = Number(process.env["BENCH_SCALE_PODS"] ?? 0);
const PEERS = (process.env["BENCH_PEERS"] ?? "kubets,client-go,client-node").split(",");
/** Figure groups to run: replay, live, gets, informer, list, metalist, firstget (default: all). */
const ONLY = process.env["BENCH_ONLY"]?.split(",");
const want = (group: string): boolean => ONLY === undefined || ONLY.includes(group);
/** A folder: every kubets runner process writes a V8 CPU profile there (node --cpu-prof), named by mode. */
const PROFILE_DIR = process.env["BENCH_PROFILE_DIR"];
const PROTOBUF = "application/vnd.kubernetes.protobuf";
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");

type Peer = "kubets" | "client-go" | "client-node";

// ---------------------------------------------------------------------------------------------------
// the children

/** The client-go harness, built once per source hash and cached like testenv's binaries. */
function clientGoBinary(): string {
  const src = join(here, "clientgo");
  const hash = createHash("sha256");
  for (const f of ["main.go", "go.mod", "go.sum"]) hash.update(readFileSync(join(src, f)));
  const dir = join(process.env["XDG_CACHE_HOME"] ?? join(homedir(), ".cache"), "kubets", "bench", `clientgo-${hash.digest("hex").slice(0, 16)}`);
  const bin = join(dir, "clientgo");
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  console.log(`building the client-go harness (bench/clientgo) into ${dir}...`);
  const tmp = `${bin}.${process.pid}.partial`;
  const r = spawnSync("go", ["build", "-o", tmp, "."], { cwd: src, stdio: "inherit", env: { ...process.env, GOFLAGS: "-mod=mod", GOWORK: "off", CGO_ENABLED: "0" } });
  if (r.status !== 0) throw new Error(`go build of bench/clientgo failed (exit ${r.status ?? r.error?.message}); Go >= the version in kubernetes.json is needed`);
  renameSync(tmp, bin);
  return bin;
}

/** The Node runner as plain JavaScript next to node_modules, so @kubets/* resolve to the built dist. */
function nodeRunner(): string {
  spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", "packages/apimachinery", "packages/api", "packages/client", "packages/informers"], {
    cwd: root,
    stdio: "inherit",
  });
  // The subpath bundles the packages' exports point at (their build does the same after tsc).
  for (const p of ["apimachinery", "client"]) spawnSync(process.execPath, [join(root, "scripts/bundle-dist.mjs")], { cwd: join(root, "packages", p), stdio: "inherit" });
  const out = join(root, "node_modules/.cache/kubets-bench/runner.mjs");
  mkdirSync(dirname(out), { recursive: true });
  buildSync({ entryPoints: [join(here, "peers/runner.ts")], format: "esm", platform: "node", outfile: out, logLevel: "warning" });
  return out;
}

let goBin = "";
let runner = "";
let common: Pick<RunnerOptions, "kubeconfig" | "context"> = { kubeconfig: "", context: "" };

interface Child {
  /** Resolves with the result line and the ms from spawn until it was printed. */
  result: Promise<RunnerResult & { sinceSpawnMs: number }>;
  /** Resolves when the child printed "ready". */
  ready: Promise<void>;
}

function start(peer: Peer, mode: string, o: Omit<RunnerOptions, "kubeconfig" | "context">, env: Record<string, string> = {}): Child {
  const opts: RunnerOptions = { ...common, ...o };
  let cmd: string;
  let args: string[];
  if (peer === "client-go") {
    cmd = goBin;
    args = ["-kubeconfig", opts.kubeconfig, "-context", opts.context, "-mode", mode, "-namespace", opts.namespace];
    if (opts.name !== undefined) args.push("-name", opts.name);
    if (opts.n !== undefined) args.push("-n", String(opts.n));
    if (opts.rv !== undefined) args.push("-rv", opts.rv);
    if (opts.ready) args.push("-ready");
    if (opts.warm !== undefined) args.push("-warm", String(opts.warm));
    if (opts.expect !== undefined) args.push("-expect", String(opts.expect));
    env = { ...env, KUBE_FEATURE_WatchListClient: String(opts.watchList === true) };
  } else {
    cmd = process.execPath;
    const prof = PROFILE_DIR && peer === "kubets" ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${mode}${opts.watchList ? "-watchlist" : ""}-${Date.now()}.cpuprofile`] : [];
    args = [...prof, "--expose-gc", runner, peer, mode, JSON.stringify(opts)];
  }
  const t0 = performance.now();
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let printedAt = 0;
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (onReady = r));
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
    if (stdout.includes("ready\n")) onReady();
    if (printedAt === 0 && /\{.*"count".*\}\n/.test(stdout)) printedAt = performance.now();
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-4000)));
  const timer = setTimeout(() => child.kill("SIGKILL"), 600_000);
  const result = new Promise<RunnerResult & { sinceSpawnMs: number }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${peer} ${mode} exited ${code}: ${stderr.trim().split("\n").slice(-8).join("\n")}`));
      try {
        resolve({ ...parseResult(stdout), sinceSpawnMs: printedAt - t0 });
      } catch (err) {
        reject(err as Error);
      }
    });
  });
  result.catch(() => onReady());
  return { result, ready };
}

const run = (peer: Peer, mode: string, o: Omit<RunnerOptions, "kubeconfig" | "context">, env?: Record<string, string>): Promise<RunnerResult & { sinceSpawnMs: number }> =>
  start(peer, mode, o, env).result;

// ---------------------------------------------------------------------------------------------------
// figures

type Samples = Partial<Record<Peer, number[]>>;
interface Figure {
  name: string;
  unit: (x: number) => string;
  samples: Samples;
  /** Higher is better (events/s); every other figure: lower is better. */
  higherIsBetter?: boolean;
}
const figures: Figure[] = [];
function figure(name: string, unit: (x: number) => string, higherIsBetter = false): Figure {
  const f: Figure = { name, unit, samples: {}, higherIsBetter };
  figures.push(f);
  return f;
}
function add(f: Figure, peer: Peer, x: number): void {
  (f.samples[peer] ??= []).push(x);
}
const median = (xs: readonly number[] | undefined): number => {
  if (!xs || xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmtMs = (x: number): string => (x < 10 ? `${x.toFixed(2)} ms` : `${Math.round(x)} ms`);
const fmtMB = (x: number): string => `${(x / 1024 / 1024).toFixed(0)} MB`;
const fmtRate = (x: number): string => `${(x / 1000).toFixed(1)}k/s`;

function table(): string[] {
  const rows: string[][] = [["figure (median of rounds)", "kubets", "client-go", "client-node", "kubets / client-go", "kubets / client-node"]];
  for (const f of figures) {
    if (Object.keys(f.samples).length === 0) continue;
    const k = f.samples.kubets ?? [];
    const cell = (p: Peer): string => (f.samples[p]?.length ? f.unit(median(f.samples[p])) : "-");
    rows.push([
      f.name,
      cell("kubets"),
      cell("client-go"),
      cell("client-node"),
      f.samples["client-go"]?.length ? formatRatio(ratioStats(k, f.samples["client-go"])) : "-",
      f.samples["client-node"]?.length ? formatRatio(ratioStats(k, f.samples["client-node"])) : "-",
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)];
}


async function parallel(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function namespace(cs: Clientset, name: string): Promise<void> {
  await cs.coreV1().namespaces().create({ metadata: { name } });
  // no controller-manager: the ServiceAccount admission plugin wants the default account to exist
  await cs.coreV1().serviceAccounts(name).create({ metadata: { name: "default" } });
}

// ---------------------------------------------------------------------------------------------------

const peers = (["kubets", "client-go", "client-node"] as const).filter((p) => PEERS.includes(p));
goBin = peers.includes("client-go") ? clientGoBinary() : "";
runner = nodeRunner();
console.log(`starting a control plane (kube-apiserver + etcd, no controller-manager)...`);
const env = await startControlPlane({ controllerManager: false });
const started = performance.now();
try {
  common = { kubeconfig: env.kubeconfigPath, context: env.contexts.admin };
  const base: RestConfig = { ...new ClientConfigLoader({ explicitPath: env.kubeconfigPath, context: env.contexts.admin }).clientConfig(), qps: -1, contentType: PROTOBUF };
  const admin = newForConfig(base);
  const podNs = "bench-pods";
  const cmNs = "bench-cm";
  await namespace(admin, podNs);
  await namespace(admin, cmNs);
  let t = performance.now();
  if (want("informer") || want("list") || want("metalist")) await parallel(PODS, 48, (i) => admin.coreV1().pods(podNs).create(benchPod(i)));
  console.log(`created ${PODS} pods in ${fmtMs(performance.now() - t)}`);
  await admin.coreV1().configMaps(cmNs).create({ metadata: { name: "probe", labels: { app: "bench" } }, data: { hello: "world" } });
  const CMS = 100;
  await parallel(CMS, 16, (i) => admin.coreV1().configMaps(cmNs).create({ metadata: { name: `cm-${i}` }, data: { payload: "x".repeat(200) } }));
  const rv0 = (await admin.coreV1().configMaps(cmNs).list({ limit: 1 })).metadata?.resourceVersion ?? "";
  t = performance.now();
  let counter = 0;
  const patch = (i: number): Promise<unknown> => admin.coreV1().configMaps(cmNs).patch(`cm-${i % CMS}`, PatchType.Merge, { data: { n: String(++counter) } });
  if (want("replay")) await parallel(EVENTS, 48, patch);
  console.log(`generated ${EVENTS} events in ${fmtMs(performance.now() - t)} (replayed from resourceVersion ${rv0})`);

  const replayRate = figure(`watch replay from the watch cache, ${EVENTS / 1000}k events`, fmtRate, true);
  const replayCpu = figure("  CPU per 1k events, replay", fmtMs);
  const liveCpu = figure(`live watch, CPU per 1k events (${LIVE_EVENTS / 1000}k after ${LIVE_WARM / 1000}k warm-up, server-paced)`, fmtMs);
  const gets = figure(`${GETS} sequential GETs, per call`, fmtMs);
  const getsCpu = figure("  CPU per call", fmtMs);
  const syncLW = figure(`informer initial sync, ${PODS / 1000}k pods, list+watch`, fmtMs);
  const syncLWCpu = figure("  CPU", fmtMs);
  const syncWL = figure(`informer initial sync, ${PODS / 1000}k pods, streaming list`, fmtMs);
  const syncWLCpu = figure("  CPU", fmtMs);
  const firstList = figure(`first LIST of ${PODS / 1000}k pods (fresh process)`, fmtMs);
  const firstListCpu = figure("  CPU", fmtMs);
  const metaList = figure(`metadata client LIST of ${PODS / 1000}k pods (warm)`, fmtMs);
  const firstGet = figure("process start to first GET", fmtMs);
  const heap = figure("retained heap after informer sync (list+watch)", fmtMB);
  const rss = figure("  RSS after GC", fmtMB);
  const peak = figure("  peak RSS", fmtMB);
  const kubetsWLvsLW: number[] = [];
  const kubetsPhases: Record<string, number[]> = {};

  for (let r = 0; r < ROUNDS; r++) {
    const tr = performance.now();
    // replay, one client at a time
    for (const p of want("replay") ? peers : []) {
      const x = await run(p, "watch", { namespace: cmNs, rv: rv0, n: EVENTS });
      add(replayRate, p, (x.count / x.wallMs) * 1000);
      add(replayCpu, p, (x.cpuMs / x.count) * 1000);
    }
    // live: every client watches the same server-paced stream at once; CPU time is per process
    const rvLive = (await admin.coreV1().configMaps(cmNs).list({ limit: 1 })).metadata?.resourceVersion ?? "";
    const live = (want("live") ? peers : []).map((p) => [p, start(p, "watch", { namespace: cmNs, rv: rvLive, n: LIVE_EVENTS, warm: LIVE_WARM, ready: true })] as const);
    await Promise.all(live.map(([, c]) => c.ready));
    if (live.length > 0) await parallel(LIVE_WARM + LIVE_EVENTS, 8, patch);
    for (const [p, c] of live) {
      const x = await c.result;
      add(liveCpu, p, (x.cpuMs / x.count) * 1000);
    }
    for (const p of want("gets") ? peers : []) {
      const x = await run(p, "gets", { namespace: cmNs, name: "probe", n: GETS });
      add(gets, p, x.wallMs / x.count);
      add(getsCpu, p, x.cpuMs / x.count);
    }
    for (const p of want("informer") ? peers : []) {
      const x = await run(p, "informer", { namespace: podNs, expect: PODS, watchList: false });
      add(syncLW, p, x.wallMs);
      add(syncLWCpu, p, x.cpuMs);
      add(heap, p, x.heapBytes ?? NaN);
      add(rss, p, x.rssBytes ?? NaN);
      add(peak, p, x.peakRssBytes ?? NaN);
      if (p === "client-node") continue;
      const y = await run(p, "informer", { namespace: podNs, expect: PODS, watchList: true });
      add(syncWL, p, y.wallMs);
      add(syncWLCpu, p, y.cpuMs);
      if (p === "kubets") kubetsWLvsLW.push(y.wallMs / x.wallMs);
    }
    for (const p of want("list") ? peers : []) {
      const x = await run(p, "list", { namespace: podNs, expect: PODS });
      add(firstList, p, x.wallMs);
      add(firstListCpu, p, x.cpuMs);
    }
    for (const p of want("metalist") ? peers : []) {
      if (p === "client-node") continue;
      const x = await run(p, "metalist", { namespace: podNs });
      if (x.count !== PODS) throw new Error(`${p} metadata list: ${x.count} items`);
      add(metaList, p, x.wallMs);
    }
    for (const p of want("firstget") ? peers : []) {
      const x = await run(p, "firstget", { namespace: cmNs, name: "probe" });
      add(firstGet, p, x.sinceSpawnMs);
      if (p === "kubets") for (const [k, v] of Object.entries(x.phases ?? {})) (kubetsPhases[k] ??= []).push(v);
    }
    console.log(`round ${r + 1}/${ROUNDS} in ${fmtMs(performance.now() - tr)}`);
  }

  if (SCALE_PODS > 0) {
    const scaleNs = "bench-scale";
    await namespace(admin, scaleNs);
    t = performance.now();
    await parallel(SCALE_PODS, 48, (i) => admin.coreV1().pods(scaleNs).create(benchPod(i)));
    console.log(`created ${SCALE_PODS} pods in ${fmtMs(performance.now() - t)}`);
    const sync = figure(`informer initial sync, ${SCALE_PODS / 1000}k pods, list+watch`, fmtMs);
    const syncHeap = figure("  retained heap", fmtMB);
    const syncWLs = figure(`informer initial sync, ${SCALE_PODS / 1000}k pods, streaming list`, fmtMs);
    for (let r = 0; r < Math.min(ROUNDS, 2); r++) {
      for (const p of peers) {
        const x = await run(p, "informer", { namespace: scaleNs, expect: SCALE_PODS, watchList: false });
        add(sync, p, x.wallMs);
        add(syncHeap, p, x.heapBytes ?? NaN);
        if (p === "client-node") continue;
        const y = await run(p, "informer", { namespace: scaleNs, expect: SCALE_PODS, watchList: true });
        add(syncWLs, p, y.wallMs);
      }
    }
  }
  await admin.close();

  const out: string[] = [];
  out.push(`kubets vs client-go v0.37.2 and @kubernetes/client-node on kube-apiserver ${readPin().kubernetes}, ${ROUNDS} interleaved rounds, node ${process.version}`);
  out.push(`(protobuf for kubets and client-go, JSON for client-node; rate limiters off; ratios: median [min-max] of the per-round ratios)`);
  out.push("");
  out.push(...table());
  out.push("");
  if (kubetsWLvsLW.length) {
    out.push(`kubets streaming list / its own list+watch: ${formatRatio(ratioStats(kubetsWLvsLW, kubetsWLvsLW.map(() => 1)))}`);
  }
  const ph = Object.entries(kubetsPhases).map(([k, v]) => `${k} ${fmtMs(median(v))}`);
  if (ph.length) out.push(`kubets first GET, from process start: ${ph.join(", ")} (the rest is node's own start)`);
  out.push(`(events/s: higher is better; every other figure: lower is better. Total ${fmtMs(performance.now() - started)})`);
  console.log(`\n${out.join("\n")}`);
  const resultsDir = join(root, "bench/results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "peers.md"), `${out.join("\n")}\n`);
} finally {
  await env.stop();
  rmSync(join(root, "node_modules/.cache/kubets-bench"), { recursive: true, force: true });
}
