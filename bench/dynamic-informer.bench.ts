/**
 * The dynamic informer (`@kubets/informers/dynamicinformer`) on custom objects against the typed
 * informer on ConfigMaps, against a real kube-apiserver (started here, without controller-manager).
 *
 *   node --conditions=@kubets/source --expose-gc --import tsx bench/dynamic-informer.bench.ts
 *
 * 10,000 custom objects (a CRD whose spec holds the same strings as the ConfigMaps' data) and
 * 10,000 ConfigMaps. One run of each informer, each in a fresh node process (after a warm-up on an
 * eighth of the objects): the time from start until the handler has seen every object, and the heap
 * retained once synced (after gc), as ratios against
 * the typed informer with JSON, the same wire format the dynamic client speaks. The typed informer
 * with protobuf (the typed clientset's default) is printed beside it. BENCH_OBJECTS scales it down.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ConfigMap } from "@kubets/api/core/v1";
import type { Unstructured } from "@kubets/apimachinery/runtime";
import { pollUntilContextTimeout } from "@kubets/apimachinery/wait";
import { ClientConfigLoader, type RestConfig } from "@kubets/client/config";
import * as dynamic from "@kubets/client/dynamic";
import { newForConfig } from "@kubets/client/kubernetes";
import { newFilteredDynamicSharedInformerFactory } from "@kubets/informers/dynamicinformer";
import { newSharedInformerFactory } from "@kubets/informers/informers";
import { startControlPlane } from "@kubets/testenv";

const N = Number(process.env["BENCH_OBJECTS"] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc (npm run bench does)");
const GROUP = "bench.kubets.example.com";
const WIDGETS = { group: GROUP, version: "v1", resource: "widgets" };

function payload(i: number): Record<string, string> {
  return {
    owner: `team-${i % 17}`,
    endpoint: `https://svc-${i}.bench.svc.cluster.local:8443/v1/items`,
    settings: `replicas=${i % 5};timeout=${30 + (i % 90)}s;retries=${i % 4};mode=${i % 2 ? "active" : "standby"}`,
  };
}

async function parallel(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await fn(next++);
  }));
}

interface Figure {
  ms: number;
  heap: number;
  count: number;
}

/**
 * Starts one informer, waits until its handler has seen every object of the initial list (not the
 * factory's 100 ms sync poll), measures, and stops it again.
 */
async function measure(expected: number, run: (signal: AbortSignal, onAdd: () => void) => { size: () => number; shutdown: () => Promise<void> }): Promise<Figure> {
  gc!();
  const before = process.memoryUsage().heapUsed;
  const stop = new AbortController();
  let adds = 0;
  let all!: () => void;
  const done = new Promise<void>((r) => (all = r));
  const t = performance.now();
  const { size, shutdown } = run(stop.signal, () => {
    if (++adds === expected) all();
  });
  await done;
  const ms = performance.now() - t;
  gc!();
  const heap = process.memoryUsage().heapUsed - before;
  if (process.env["BENCH_DEBUG"]) console.log(`debug: before ${(before / 1e6).toFixed(1)} MB, after ${((heap + before) / 1e6).toFixed(1)} MB`);
  const count = size();
  stop.abort();
  // Everything of this run must be gone before the next one takes its baseline.
  await shutdown();
  if (count !== expected || adds !== expected) throw new Error(`cached ${count} objects and saw ${adds} adds, expected ${expected}`);
  return { ms, heap, count };
}

const [, , mode, kubeconfig, context] = process.argv;
if (mode === "--child") {
  // One variant in a fresh process: a clean heap baseline.
  const variant = process.env["BENCH_VARIANT"] ?? "";
  const base: RestConfig = { ...new ClientConfigLoader({ explicitPath: kubeconfig ?? "", context: context ?? "" }).clientConfig(), qps: -1 };
  const ns = "bench-informers";
  const dyn = dynamic.newForConfig(base);
  const typed = async (contentType: string, selector: string, expected: number): Promise<Figure> => {
    const cs = newForConfig({ ...base, contentType });
    try {
      return await measure(expected, (signal, onAdd) => {
        const f = newSharedInformerFactory(cs, { namespace: ns, tweakListOptions: (o) => void (o.labelSelector = selector) });
        const inf = f.core().v1().configMaps();
        inf.informer().addEventHandler({ onAdd: (_o: ConfigMap) => onAdd() });
        f.start(signal);
        return { size: () => inf.lister().list().length, shutdown: () => f.shutdown() };
      });
    } finally {
      await cs.close();
    }
  };
  const dynamicFigure = (selector: string, expected: number): Promise<Figure> =>
    measure(expected, (signal, onAdd) => {
      const f = newFilteredDynamicSharedInformerFactory(dyn, 0, ns, (o) => void (o.labelSelector = selector));
      const inf = f.forResource(WIDGETS);
      inf.informer().addEventHandler({ onAdd: (_o: Unstructured) => onAdd() });
      f.start(signal);
      return { size: () => inf.lister().list().length, shutdown: () => f.shutdown() };
    });
  const run = (selector: string, expected: number): Promise<Figure> =>
    variant === "dynamic" ? dynamicFigure(selector, expected) : typed(variant === "protobuf" ? "application/vnd.kubernetes.protobuf" : "application/json", selector, expected);
  await run("app=a0", Math.ceil(N / 8)); // warm-up
  const fig = await run("app", N);
  await dyn.close();
  process.stdout.write(`${JSON.stringify(fig)}\n`);
  process.exit(0);
}

console.log("starting a control plane (kube-apiserver + etcd, no controller-manager)...");
const env = await startControlPlane({ controllerManager: false });
try {
  const base: RestConfig = { ...new ClientConfigLoader({ explicitPath: env.kubeconfigPath, context: env.contexts.admin }).clientConfig(), qps: -1 };
  const dyn = dynamic.newForConfig(base);
  const admin = newForConfig(base);
  await dyn.resource({ group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" }).create({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `widgets.${GROUP}` },
    spec: {
      group: GROUP,
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget" },
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", additionalProperties: { type: "string" } } } } } }],
    },
  });
  await pollUntilContextTimeout(AbortSignal.timeout(60_000), 200, 60_000, true, () => dyn.resource(WIDGETS).list({ limit: 1 }).then(() => true, () => false));
  const ns = "bench-informers";
  await admin.coreV1().namespaces().create({ metadata: { name: ns } });
  await admin.coreV1().serviceAccounts(ns).create({ metadata: { name: "default" } });
  const t = performance.now();
  await parallel(N, 48, (i) => dyn.resource(WIDGETS).namespace(ns).create({ apiVersion: `${GROUP}/v1`, kind: "Widget", metadata: { name: `w-${i}`, labels: { app: `a${i % 8}` } }, spec: payload(i) }));
  await parallel(N, 48, (i) => admin.coreV1().configMaps(ns).create({ metadata: { name: `cm-${i}`, labels: { app: `a${i % 8}` } }, data: payload(i) }));
  console.log(`created ${N} widgets and ${N} ConfigMaps in ${(performance.now() - t).toFixed(0)} ms`);

  const child = (variant: string): Figure => {
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", env.kubeconfigPath, env.contexts.admin], {
      env: { ...process.env, BENCH_VARIANT: variant },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (r.status !== 0) throw new Error(`the ${variant} run failed (exit ${String(r.status)})`);
    return JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as Figure;
  };
  const typedJSON = child("json");
  const dyn1 = child("dynamic");
  const typedPB = child("protobuf");
  // The floor of each: one list of the same objects through the same client (the server's share).
  const listTime = async (fn: () => Promise<{ items: unknown[] }>): Promise<number> => {
    await fn(); // warm-up
    const start = performance.now();
    const l = await fn();
    if (l.items.length !== N) throw new Error(`listed ${l.items.length}`);
    return performance.now() - start;
  };
  const jsonCS = newForConfig({ ...base, contentType: "application/json" });
  // resourceVersion "0", as the informer's first list: served from the watch cache.
  const listCM = await listTime(() => jsonCS.coreV1().configMaps(ns).list({ labelSelector: "app", resourceVersion: "0" }));
  const listW = await listTime(() => dyn.resource(WIDGETS).namespace(ns).list({ labelSelector: "app", resourceVersion: "0" }));
  await jsonCS.close();
  const mb = (x: number): string => `${(x / 1024 / 1024).toFixed(1)} MB`;
  console.log(`informer initial sync of ${N} objects (one run each; lower is better; 1.00 = the typed informer on ConfigMaps over JSON)`);
  console.log(`  typed ConfigMaps, JSON      ${typedJSON.ms.toFixed(0)} ms   retained heap ${mb(typedJSON.heap)}   1.00x / 1.00x`);
  console.log(`  dynamic custom objects      ${dyn1.ms.toFixed(0)} ms   retained heap ${mb(dyn1.heap)}   ${(dyn1.ms / typedJSON.ms).toFixed(2)}x time / ${(dyn1.heap / typedJSON.heap).toFixed(2)}x heap`);
  console.log(`  one list of the same objects (JSON): ConfigMaps ${listCM.toFixed(0)} ms, custom objects ${listW.toFixed(0)} ms (${(listW / listCM).toFixed(2)}x: the API server serves custom objects slower)`);
  console.log(`  informer over its own list: typed ${(typedJSON.ms / listCM).toFixed(2)}x, dynamic ${(dyn1.ms / listW).toFixed(2)}x`);
  console.log(`  typed ConfigMaps, protobuf  ${typedPB.ms.toFixed(0)} ms   retained heap ${mb(typedPB.heap)}   ${(typedPB.ms / typedJSON.ms).toFixed(2)}x time / ${(typedPB.heap / typedJSON.heap).toFixed(2)}x heap`);
  await Promise.all([dyn.close(), admin.close()]);
} finally {
  await env.stop();
}
