/**
 * The Node side of the peer benchmark (bench/peers.bench.ts): one measurement per process, for
 * `kubets` (@kubets/client, built dist) or `client-node` (@kubernetes/client-node), the same modes as
 * bench/clientgo, printed as one JSON line (see ./protocol.ts). Everything is imported lazily, so a
 * `firstget` process loads only what that client needs for one GET.
 *
 *   node --expose-gc runner.mjs <kubets|client-node> <mode> <json options>
 */
import { readFileSync } from "node:fs";
import type { RunnerOptions, RunnerResult } from "./protocol.js";

const [peer, mode, rawOpts] = process.argv.slice(2);
const opts = JSON.parse(rawOpts ?? "{}") as RunnerOptions;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const PROTOBUF = "application/vnd.kubernetes.protobuf";

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function procStatus(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}
function emit(r: RunnerResult): void {
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
function memory(): Pick<RunnerResult, "heapBytes" | "rssBytes" | "peakRssBytes"> {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heapBytes: m.heapUsed, rssBytes: m.rss, peakRssBytes: procStatus("VmHWM") };
}
function expectCount(what: string, got: number): void {
  if (opts.expect !== undefined && opts.expect > 0 && got !== opts.expect) throw new Error(`${peer} ${mode}: ${what} ${got}, expected ${opts.expect}`);
}

async function kubets(): Promise<void> {
  const tImport = performance.now();
  const { ClientConfigLoader } = await import("@kubets/client/config");
  const { newForConfig } = await import("@kubets/client/kubernetes");
  const imported = performance.now();
  const config = {
    ...new ClientConfigLoader({ explicitPath: opts.kubeconfig, context: opts.context }).clientConfig(),
    qps: -1,
    contentType: PROTOBUF,
  };
  const cs = newForConfig(config);
  const configured = performance.now();
  const ns = opts.namespace;
  try {
    switch (mode) {
      case "firstget": {
        await cs.coreV1().configMaps(ns).get(opts.name!);
        const done = performance.now();
        emit({ wallMs: done, cpuMs: cpuMs(), count: 1, phases: { import: imported - tImport, config: configured - imported, get: done - configured } });
        return;
      }
      case "list": {
        const c0 = cpuMs();
        const t0 = performance.now();
        const l = await cs.coreV1().pods(ns).list();
        const r = { wallMs: performance.now() - t0, cpuMs: cpuMs() - c0, count: l.items.length };
        expectCount("listed", r.count);
        emit(r);
        return;
      }
      case "metalist": {
        const { newForConfig: newMetadata } = await import("@kubets/client/metadata");
        const pods = newMetadata(config).resource({ group: "", version: "v1", resource: "pods" }).namespace(ns);
        await pods.list({ limit: 1 });
        const c0 = cpuMs();
        const t0 = performance.now();
        const l = await pods.list();
        emit({ wallMs: performance.now() - t0, cpuMs: cpuMs() - c0, count: l.items.length });
        return;
      }
      case "gets": {
        const cms = cs.coreV1().configMaps(ns);
        const n = opts.n ?? 1000;
        for (let i = 0; i < n; i++) await cms.get(opts.name!);
        const c0 = cpuMs();
        const t0 = performance.now();
        for (let i = 0; i < n; i++) await cms.get(opts.name!);
        emit({ wallMs: performance.now() - t0, cpuMs: cpuMs() - c0, count: n });
        return;
      }
      case "watch": {
        let c0 = cpuMs();
        let t0 = performance.now();
        const w = await cs.coreV1().configMaps(ns).watch({ resourceVersion: opts.rv ?? "", signal: AbortSignal.timeout(300_000) });
        if (opts.ready) {
          process.stdout.write("ready\n");
          c0 = cpuMs();
          t0 = performance.now();
        }
        let seen = 0;
        let warm = opts.warm ?? 0;
        try {
          for await (const ev of w) {
            if (ev.type !== "MODIFIED" || !ev.object.data?.["n"]) continue;
            if (warm > 0) {
              if (--warm === 0) {
                c0 = cpuMs();
                t0 = performance.now();
              }
            } else if (++seen === opts.n) {
              emit({ wallMs: performance.now() - t0, cpuMs: cpuMs() - c0, count: seen });
              return;
            }
          }
        } finally {
          w.stop();
        }
        throw new Error(`kubets watch ended after ${seen} events`);
      }
      case "informer": {
        const { newSharedInformerFactory } = await import("@kubets/informers/informers");
        const factory = newSharedInformerFactory(cs, { namespace: ns, informerOptions: { reflector: { useWatchList: opts.watchList === true } } });
        const informer = factory.core().v1().pods().informer();
        let added = 0;
        informer.addEventHandler({ onAdd: () => void added++ });
        const ac = new AbortController();
        const c0 = cpuMs();
        const t0 = performance.now();
        factory.start(ac.signal);
        await factory.waitForCacheSync(ac.signal);
        const wallMs = performance.now() - t0;
        const cpu = cpuMs() - c0;
        const count = informer.getStore().listKeys().length;
        expectCount("informer holds", count);
        emit({ wallMs, cpuMs: cpu, count, ...memory() });
        ac.abort();
        await factory.shutdown();
        return;
      }
      default:
        throw new Error(`unknown mode ${mode}`);
    }
  } finally {
    await cs.close();
  }
}

async function clientNode(): Promise<void> {
  const tImport = performance.now();
  const k8s = await import("@kubernetes/client-node");
  const imported = performance.now();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(opts.kubeconfig);
  kc.setCurrentContext(opts.context);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const configured = performance.now();
  const ns = opts.namespace;
  switch (mode) {
    case "firstget": {
      await core.readNamespacedConfigMap({ namespace: ns, name: opts.name! });
      const done = performance.now();
      emit({ wallMs: done, cpuMs: cpuMs(), count: 1, phases: { import: imported - tImport, config: configured - imported, get: done - configured } });
      return;
    }
    case "list": {
      const c0 = cpuMs();
      const t0 = performance.now();
      const l = await core.listNamespacedPod({ namespace: ns });
      const r = { wallMs: performance.now() - t0, cpuMs: cpuMs() - c0, count: l.items.length };
      expectCount("listed", r.count);
      emit(r);
      return;
    }
    case "gets": {
      const n = opts.n ?? 1000;
      for (let i = 0; i < n; i++) await core.readNamespacedConfigMap({ namespace: ns, name: opts.name! });
      const c0 = cpuMs();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await core.readNamespacedConfigMap({ namespace: ns, name: opts.name! });
      emit({ wallMs: performance.now() - t0, cpuMs: cpuMs() - c0, count: n });
      return;
    }
    case "watch": {
      const watcher = new k8s.Watch(kc);
      let c0 = cpuMs();
      let t0 = performance.now();
      let seen = 0;
      let warm = opts.warm ?? 0;
      await new Promise<void>((resolve, reject) => {
        let ac: AbortController | undefined;
        let finished = false;
        const finish = (err?: Error): void => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          ac?.abort();
          if (err) reject(err);
          else resolve();
        };
        const timer = setTimeout(() => finish(new Error(`client-node watch timed out after ${seen} events`)), 300_000);
        watcher
          .watch(
            `/api/v1/namespaces/${ns}/configmaps`,
            { resourceVersion: opts.rv ?? "" },
            (phase, obj: { data?: Record<string, string> }) => {
              if (phase !== "MODIFIED" || !obj.data?.["n"]) return;
              if (warm > 0) {
                if (--warm === 0) {
                  c0 = cpuMs();
                  t0 = performance.now();
                }
              } else if (++seen === opts.n) {
                emit({ wallMs: performance.now() - t0, cpuMs: cpuMs() - c0, count: seen });
                finish();
              }
            },
            (err) => {
              if (err && !(err instanceof Error && err.name === "AbortError")) finish(err as Error);
              else if (seen < (opts.n ?? 0)) finish(new Error(`client-node watch ended after ${seen} events`));
            },
          )
          .then((c) => {
            ac = c;
            if (finished) c.abort();
            else if (opts.ready) {
              process.stdout.write("ready\n");
              c0 = cpuMs();
              t0 = performance.now();
            }
          }, finish);
      });
      return;
    }
    case "informer": {
      const path = `/api/v1/namespaces/${ns}/pods`;
      const informer = k8s.makeInformer(kc, path, () => core.listNamespacedPod({ namespace: ns }));
      let added = 0;
      informer.on("add", () => void added++);
      const c0 = cpuMs();
      const t0 = performance.now();
      await informer.start();
      const wallMs = performance.now() - t0;
      const cpu = cpuMs() - c0;
      const count = informer.list(ns).length;
      expectCount("informer holds", count);
      emit({ wallMs, cpuMs: cpu, count, ...memory() });
      await informer.stop();
      return;
    }
    default:
      throw new Error(`client-node has no ${mode} here`);
  }
}

try {
  if (peer === "kubets") await kubets();
  else if (peer === "client-node") await clientNode();
  else throw new Error(`unknown peer ${peer}`);
  process.exit(0);
} catch (err) {
  process.stderr.write(`runner ${peer} ${mode}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
