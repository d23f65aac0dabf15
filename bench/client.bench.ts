/**
 * @kubets/client end to end against a real kube-apiserver (started here, without controller-manager).
 *
 *   node --conditions=@kubets/source --expose-gc --import tsx bench/client.bench.ts
 *
 * Every time is a ratio against a floor measured in the same run on the same server (lower is better,
 * 1.00 = the floor):
 *   list      10,000 Pods with the typed clientset (JSON, protobuf) vs one undici request of the same URL
 *             + JSON.parse (target <= 1.1); @kubernetes/client-node beside it when installed
 *   get       1,000 sequential GETs of one ConfigMap: ms per call vs undici + JSON.parse, and the TLS
 *             connections the client opened (target 1)
 *   watch     20,000 MODIFIED events replayed from one watch stream: events/s vs undici + line split
 *             + JSON.parse per event
 *   import    cold `import("@kubets/client")` from the built dist in a fresh node, vs a bare node start
 *   size      installed size of @kubets/client and everything it brings, vs @kubernetes/client-node
 * The clients run with the rate limiter off (qps -1): client-go's default 5 qps would be the only figure.
 * BENCH_PODS, BENCH_EVENTS, BENCH_GETS and BENCH_ROUNDS scale it down for a quick look.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { Agent } from "undici";
import type { ConfigMap } from "@kubets/api/core/v1";
import { readPodList } from "@kubets/api/core/v1";
import { ProtoReader } from "@kubets/apimachinery/protobuf";
import { decodeEnvelope } from "@kubets/apimachinery/serializer";
import { ClientConfigLoader, type RestConfig } from "@kubets/client/config";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { PatchType } from "@kubets/client/rest";
import { benchPod } from "./fixtures.js";
import { Transport } from "@kubets/client/transport";
import { startControlPlane, type ControlPlane } from "@kubets/testenv";
import type * as ClientNode from "@kubernetes/client-node";

const PODS = Number(process.env["BENCH_PODS"] ?? 10_000);
const EVENTS = Number(process.env["BENCH_EVENTS"] ?? 20_000);
const GETS = Number(process.env["BENCH_GETS"] ?? 1_000);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3);
const PROTOBUF = "application/vnd.kubernetes.protobuf";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

// ---------------------------------------------------------------------------------------------------
// helpers

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number): string => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const mb = (x: number): string => `${(x / 1024 / 1024).toFixed(2)} MB`;
const ratio = (x: number, floor: number): string => `${(x / floor).toFixed(2)}x`;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  gc();
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Runs every variant once per round, in turn (so drift hits all alike); returns the median of each. */
async function alternate(
  rounds: number,
  variants: Record<string, () => Promise<unknown>>,
  warmups: Record<string, () => Promise<unknown>> = variants,
): Promise<Record<string, number>> {
  const times: Record<string, number[]> = {};
  for (const name of Object.keys(variants)) {
    await (warmups[name] ?? variants[name]!)(); // warm-up
    times[name] = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(variants)) times[name]!.push(await timed(fn));
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

async function parallel(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}


// ---------------------------------------------------------------------------------------------------
// the floor: undici with the same TLS settings, nothing else

class Floor {
  readonly agent: Agent;
  readonly origin: string;
  constructor(env: ControlPlane) {
    this.origin = env.server;
    this.agent = new Agent({ connect: { ca: env.caPem, cert: env.adminCertPem, key: env.adminKeyPem }, keepAliveTimeout: 90_000 });
  }
  async bytes(path: string, accept: string, gzip = false): Promise<Uint8Array> {
    const res = await this.agent.request({
      origin: this.origin,
      path,
      method: "GET",
      headers: { accept, ...(gzip ? { "accept-encoding": "gzip" } : {}) },
    });
    const body = new Uint8Array(await res.body.arrayBuffer());
    if (res.statusCode !== 200) throw new Error(`floor GET ${path}: ${res.statusCode}`);
    return res.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body;
  }
  async json(path: string, gzip = false): Promise<unknown> {
    const b = await this.bytes(path, "application/json", gzip);
    return JSON.parse(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8"));
  }
  /** A watch: reads the stream, one JSON.parse per line, until `n` events. */
  async watch(path: string, n: number): Promise<number> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 120_000);
    const res = await this.agent.request({ origin: this.origin, path, method: "GET", headers: { accept: "application/json" }, signal: ac.signal });
    let seen = 0;
    let rest = "";
    try {
      for await (const chunk of res.body) {
        const text = rest + (chunk as Buffer).toString("utf8");
        let start = 0;
        for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
          const ev = JSON.parse(text.slice(start, nl)) as { type: string };
          start = nl + 1;
          if (ev.type === "MODIFIED" && ++seen === n) return seen;
        }
        rest = text.slice(start);
      }
    } finally {
      clearTimeout(timer);
      ac.abort();
      res.body.destroy();
    }
    throw new Error(`floor watch ended after ${seen} events`);
  }
}

// ---------------------------------------------------------------------------------------------------
// @kubernetes/client-node, when installed

interface Peer {
  list(ns: string): Promise<{ items: unknown[] }>;
  get(ns: string, name: string): Promise<unknown>;
  watch(ns: string, rv: string, n: number): Promise<number>;
}

async function loadPeer(kubeconfigPath: string, context: string): Promise<Peer | undefined> {
  let k8s: typeof ClientNode;
  try {
    k8s = await import("@kubernetes/client-node");
  } catch {
    return undefined;
  }
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext(context);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const watcher = new k8s.Watch(kc);
  return {
    list: (namespace) => core.listNamespacedPod({ namespace }),
    get: (namespace, name) => core.readNamespacedConfigMap({ namespace, name }),
    watch: (ns, rv, n) =>
      new Promise<number>((resolve, reject) => {
        let seen = 0;
        let ac: AbortController | undefined;
        let finished = false;
        const timer = setTimeout(() => {
          if (finished) return;
          finished = true;
          ac?.abort();
          reject(new Error(`client-node watch timed out after ${seen} events`));
        }, 120_000);
        watcher
          .watch(
            `/api/v1/namespaces/${ns}/configmaps`,
            { resourceVersion: rv },
            (phase) => {
              if (phase === "MODIFIED" && ++seen === n && !finished) {
                finished = true;
                clearTimeout(timer);
                ac?.abort();
                resolve(seen);
              }
            },
            (err) => {
              if (!finished) {
                finished = true;
                clearTimeout(timer);
                if (err && !(err instanceof Error && err.name === "AbortError")) reject(err as Error);
                else if (seen < n) reject(new Error(`client-node watch ended after ${seen} events`));
              }
            },
          )
          .then((c) => {
            ac = c;
            if (finished) c.abort();
          }, reject);
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// import time and installed size

function importTimes(): Array<[string, number, number]> {
  const node = process.execPath;
  const run = (code: string): { wall: number; inner: number } => {
    const t = performance.now();
    const out = execFileSync(node, ["--input-type=module", "-e", code], { cwd: root, encoding: "utf8" });
    return { wall: performance.now() - t, inner: Number(out.trim() || "0") };
  };
  const probe = (spec: string | undefined) =>
    spec === undefined
      ? "console.log(0)"
      : `const t = performance.now(); await import(${JSON.stringify(spec)}); console.log(performance.now() - t);`;
  const specs: Array<[string, string | undefined]> = [
    ["bare node", undefined],
    ["@kubets/client", "@kubets/client"],
    ["@kubets/client/kubernetes", "@kubets/client/kubernetes"],
    ["undici", "undici"],
  ];
  if (existsSync(join(root, "node_modules/@kubernetes/client-node"))) specs.push(["@kubernetes/client-node", "@kubernetes/client-node"]);
  const out: Array<[string, number, number]> = [];
  for (const [label, spec] of specs) {
    const walls: number[] = [];
    const inners: number[] = [];
    run(probe(spec)); // file-system cache warm, the import itself cold (a new process each time)
    for (let i = 0; i < 5; i++) {
      const r = run(probe(spec));
      walls.push(r.wall);
      inners.push(r.inner);
    }
    out.push([label, median(walls), median(inners)]);
  }
  return out;
}

function dirSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) {
      bytes += statSync(join(e.parentPath, e.name)).size;
      files++;
    }
  }
  return { bytes, files };
}

/** The package folder `name` resolves to from `from` (node_modules lookup, nested first). */
function resolvePackage(name: string, from: string): string | undefined {
  for (let d = from; ; d = dirname(d)) {
    const p = join(d, "node_modules", name);
    if (existsSync(join(p, "package.json"))) return realpathSync(p);
    if (dirname(d) === d) return undefined;
  }
}

/** Installed bytes of packages and their run-time dependency closure; workspace packages count what `npm pack` ships. */
function installedSize(names: string[]): { bytes: number; files: number; packages: number } {
  const seen = new Set<string>();
  let bytes = 0;
  let files = 0;
  const visit = (name: string, from: string): void => {
    const dir = resolvePackage(name, from);
    if (dir === undefined || seen.has(dir)) return;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    if (!dir.includes(`${join("node_modules")}`)) {
      const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as Array<{
        unpackedSize: number;
        entryCount: number;
      }>;
      bytes += packed[0]!.unpackedSize;
      files += packed[0]!.entryCount;
    } else {
      const s = dirSize(dir);
      bytes += s.bytes;
      files += s.files;
    }
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })) visit(dep, dir);
  };
  for (const n of names) visit(n, root);
  return { bytes, files, packages: seen.size };
}

// ---------------------------------------------------------------------------------------------------

console.log(`starting a control plane (kube-apiserver + etcd, no controller-manager)...`);
const env = await startControlPlane({ controllerManager: false });
const report: string[] = [];
const say = (s: string): void => {
  console.log(s);
  report.push(s);
};
try {
  const base: RestConfig = { ...new ClientConfigLoader({ explicitPath: env.kubeconfigPath, context: env.contexts.admin }).clientConfig(), qps: -1 };
  const jsonConfig: RestConfig = { ...base, contentType: "application/json", disableCompression: true };
  const pbConfig: RestConfig = { ...base, contentType: PROTOBUF, disableCompression: true };
  const admin = newForConfig({ ...base, contentType: PROTOBUF });
  const floor = new Floor(env);
  const peer = await loadPeer(env.kubeconfigPath, env.contexts.admin);
  const ns = "bench-list";
  const wns = "bench-watch";
  for (const n of [ns, wns]) {
    await admin.coreV1().namespaces().create({ metadata: { name: n } });
    // no controller-manager: the ServiceAccount admission plugin wants the default account to exist
    await admin.coreV1().serviceAccounts(n).create({ metadata: { name: "default" } });
  }

  // ---- list ----------------------------------------------------------------------------------------
  let t = performance.now();
  await parallel(PODS, 48, (i) => admin.coreV1().pods(ns).create(benchPod(i)));
  console.log(`created ${PODS} pods in ${ms(performance.now() - t)}`);
  const listPath = `/api/v1/namespaces/${ns}/pods`;
  const jsonBytes = (await floor.bytes(listPath, "application/json")).length;
  const pbBytes = (await floor.bytes(listPath, PROTOBUF)).length;
  const json = newForConfig(jsonConfig);
  const pb = newForConfig(pbConfig);
  const gz = newForConfig({ ...base, contentType: "application/json" });
  const check = (l: { items: unknown[] }): void => {
    if (l.items.length !== PODS) throw new Error(`listed ${l.items.length} pods, expected ${PODS}`);
  };
  const variants: Record<string, () => Promise<unknown>> = {
    "floor JSON": async () => check((await floor.json(listPath)) as { items: unknown[] }),
    "kubets JSON": async () => check(await json.coreV1().pods(ns).list()),
    "floor protobuf": async () => {
      const env2 = decodeEnvelope(await floor.bytes(listPath, PROTOBUF));
      check(readPodList(new ProtoReader(env2.raw, 0, env2.raw.length)) as { items: unknown[] });
    },
    "kubets protobuf": async () => check(await pb.coreV1().pods(ns).list()),
    "floor JSON gzip": async () => check((await floor.json(listPath, true)) as { items: unknown[] }),
    "kubets JSON gzip": async () => check(await gz.coreV1().pods(ns).list()),
  };
  if (peer) variants["client-node"] = async () => check(await peer.list(ns));
  const list = await alternate(ROUNDS, variants);
  say(`\nlist ${PODS} pods (JSON ${mb(jsonBytes)}, protobuf ${mb(pbBytes)}), median of ${ROUNDS}`);
  const f = list["floor JSON"]!;
  say(`  floor     undici + JSON.parse            ${ms(f)}`);
  say(`  kubets    JSON                           ${ms(list["kubets JSON"]!)}  -> ${ratio(list["kubets JSON"]!, f)} the floor (target <= 1.10)`);
  say(`  kubets    protobuf                       ${ms(list["kubets protobuf"]!)}  -> ${ratio(list["kubets protobuf"]!, f)} the floor`);
  say(`  floor     undici + protobuf decode       ${ms(list["floor protobuf"]!)}  -> kubets protobuf ${ratio(list["kubets protobuf"]!, list["floor protobuf"]!)} this floor`);
  const fg = list["floor JSON gzip"]!;
  say(`  gzip      floor undici + gunzip + parse  ${ms(fg)}; kubets (default: gzip) ${ms(list["kubets JSON gzip"]!)} -> ${ratio(list["kubets JSON gzip"]!, fg)}`);
  if (list["client-node"] !== undefined) {
    const c = list["client-node"];
    say(`  client-node listNamespacedPod (gzip)     ${ms(c)}  -> ${ratio(c, f)} the floor, ${ratio(c, fg)} the gzip floor`);
  } else say("  client-node: not installed");
  await Promise.all([json.close(), pb.close(), gz.close()]);
  await admin.coreV1().namespaces().delete(ns);

  // ---- sequential GETs ---------------------------------------------------------------------------
  await admin.coreV1().configMaps(wns).create({ metadata: { name: "probe", labels: { app: "bench" } }, data: { hello: "world" } });
  await admin.close(); // drop the shared pool so the GET clients start with no open connection
  const getPath = `/api/v1/namespaces/${wns}/configmaps/probe`;
  const seq = async (fn: () => Promise<unknown>, n = GETS): Promise<void> => {
    for (let i = 0; i < n; i++) await fn();
  };
  const jsonTransport = new Transport(jsonConfig);
  const getJSON = newForConfig(jsonConfig, { transport: jsonTransport });
  const firstRun = await timed(() => seq(() => getJSON.coreV1().configMaps(wns).get("probe")));
  const opened = jsonTransport.stats.connections;
  const getPB = newForConfig(pbConfig);
  const gets: Record<string, () => Promise<unknown>> = {
    floor: () => seq(() => floor.json(getPath)),
    "kubets JSON": () => seq(() => getJSON.coreV1().configMaps(wns).get("probe")),
    "kubets protobuf": () => seq(() => getPB.coreV1().configMaps(wns).get("probe")),
  };
  if (peer) gets["client-node"] = () => seq(() => peer.get(wns, "probe"));
  // client-node's warm-up is shorter (its calls are slow); the others warm up with one full pass
  const g = await alternate(3, gets, peer ? { "client-node": () => seq(() => peer.get(wns, "probe"), 100) } : {});
  const per = (x: number): string => `${(x / GETS).toFixed(3)} ms/call`;
  say(`\n${GETS} sequential GETs of one ConfigMap, median of 3`);
  say(`  floor     undici + JSON.parse            ${per(g["floor"]!)}`);
  say(`  kubets    JSON                           ${per(g["kubets JSON"]!)}  -> ${ratio(g["kubets JSON"]!, g["floor"]!)} the floor`);
  say(`  kubets    protobuf                       ${per(g["kubets protobuf"]!)}  -> ${ratio(g["kubets protobuf"]!, g["floor"]!)} the floor`);
  if (g["client-node"] !== undefined) say(`  client-node readNamespacedConfigMap       ${per(g["client-node"])}  -> ${ratio(g["client-node"], g["floor"]!)} the floor`);
  say(`  TLS connections opened by kubets for its first ${GETS} GETs (${per(firstRun)}, cold): ${opened} (target 1)`);
  await Promise.all([getJSON.close(), getPB.close(), jsonTransport.close()]);

  // ---- watch ---------------------------------------------------------------------------------------
  const writer = newForConfig({ ...base, contentType: PROTOBUF });
  const CMS = 100;
  await parallel(CMS, 16, (i) => writer.coreV1().configMaps(wns).create({ metadata: { name: `cm-${i}` }, data: { n: "0", payload: "x".repeat(200) } }));
  const rv0 = (await writer.coreV1().configMaps(wns).list({ limit: 1 })).metadata?.resourceVersion ?? "";
  t = performance.now();
  await parallel(EVENTS, 48, (i) => writer.coreV1().configMaps(wns).patch(`cm-${i % CMS}`, PatchType.Merge, { data: { n: String(i + 1) } }));
  console.log(`generated ${EVENTS} events in ${ms(performance.now() - t)}; replaying them from resourceVersion ${rv0}`);
  await writer.close();
  const wjson = newForConfig(jsonConfig);
  const wpb = newForConfig(pbConfig);
  const consume = async (cs: Clientset): Promise<number> => {
    const w = await cs.coreV1().configMaps(wns).watch({ resourceVersion: rv0, signal: AbortSignal.timeout(120_000) });
    let seen = 0;
    try {
      for await (const ev of w) {
        if (ev.type === "MODIFIED" && (ev.object as ConfigMap).data?.["n"] !== undefined && ++seen === EVENTS) return seen;
      }
    } finally {
      w.stop();
    }
    throw new Error(`kubets watch ended after ${seen} events`);
  };
  const watchPath = `/api/v1/namespaces/${wns}/configmaps?watch=true&resourceVersion=${rv0}`;
  const watches: Record<string, () => Promise<unknown>> = {
    floor: () => floor.watch(watchPath, EVENTS),
    "kubets JSON": () => consume(wjson),
    "kubets protobuf": () => consume(wpb),
  };
  if (peer) watches["client-node"] = () => peer.watch(wns, rv0, EVENTS);
  const w = await alternate(3, watches);
  const eps = (x: number): string => `${Math.round((EVENTS / x) * 1000).toLocaleString("en")} events/s`;
  say(`\nwatch: ${EVENTS} events from one stream (replayed from the watch cache), median of 3`);
  say(`  floor     undici + split + JSON.parse    ${eps(w["floor"]!)} (${ms(w["floor"]!)})`);
  say(`  kubets    JSON                           ${eps(w["kubets JSON"]!)}  -> time ${ratio(w["kubets JSON"]!, w["floor"]!)} the floor`);
  say(`  kubets    protobuf                       ${eps(w["kubets protobuf"]!)}  -> time ${ratio(w["kubets protobuf"]!, w["floor"]!)} the floor`);
  if (w["client-node"] !== undefined) say(`  client-node Watch                        ${eps(w["client-node"])}  -> time ${ratio(w["client-node"], w["floor"]!)} the floor`);
  await Promise.all([wjson.close(), wpb.close(), floor.agent.close()]);
} finally {
  await env.stop();
}

// ---- cold import ---------------------------------------------------------------------------------
if (!existsSync(join(root, "packages/client/dist/bundle/index.js")) || !existsSync(join(root, "packages/api/dist/index.js"))) {
  console.log("\nbuilding dist (tsc -b, then the subpath bundles) for the import figures...");
  spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", "packages/apimachinery", "packages/api", "packages/client"], { cwd: root, stdio: "inherit" });
  for (const p of ["apimachinery", "client"]) spawnSync(process.execPath, [join(root, "scripts/bundle-dist.mjs")], { cwd: join(root, "packages", p), stdio: "inherit" });
}
const imports = importTimes();
const bare = imports[0]!;
say(`\ncold import in a fresh node (built dist; median of 5 processes)`);
say(`  floor     bare node start                process ${ms(bare[1])}`);
for (const [label, wall, inner] of imports.slice(1)) {
  say(`  ${label.padEnd(40)} import ${ms(inner)}, process ${ms(wall)} -> ${ratio(wall, bare[1])} a bare node start`);
}

// ---- installed size ------------------------------------------------------------------------------
const ours = installedSize(["@kubets/client"]);
say(`\ninstalled size (unpacked, with run-time and peer dependencies)`);
say(`  @kubets/client + deps                    ${mb(ours.bytes)} in ${ours.files} files, ${ours.packages} packages`);
if (existsSync(join(root, "node_modules/@kubernetes/client-node"))) {
  const theirs = installedSize(["@kubernetes/client-node"]);
  say(`  @kubernetes/client-node + deps           ${mb(theirs.bytes)} in ${theirs.files} files, ${theirs.packages} packages -> kubets ${ratio(ours.bytes, theirs.bytes)}`);
}
