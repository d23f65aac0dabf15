/**
 * @kubets/api protobuf codecs on a realistic list of 10,000 Pods (with managedFields, labels,
 * annotations, owner references, two containers, probes, tolerations, conditions, statuses).
 *
 *   node --conditions=@kubets/source --expose-gc --import tsx bench/api-protobuf.bench.ts
 *
 * Each figure is a ratio against a floor measured in the same run on the same objects:
 *   decode time      = protobuf decode ÷ JSON.parse(text)          (target <= 0.9)
 *   retained heap    = decoded objects ÷ JSON.parse's objects        (target <= 0.8)
 *   encode time      = protobuf encode ÷ JSON.stringify(objects)     (target <= 1.0)
 *   wire size        = protobuf bytes ÷ JSON bytes
 * plus the packed size of @kubets/api and the import time of @kubets/api/core/v1 vs the whole package.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ProtoReader, ProtoWriter } from "../packages/apimachinery/src/protobuf/index.js";
import { readPodList, writePodList } from "../packages/api/src/gen/core/v1/protobuf.js";
import type { Pod, PodList } from "../packages/api/src/gen/core/v1/types.js";

const N = Number(process.env["BENCH_PODS"] ?? 10_000);
const REPEATS = Number(process.env["BENCH_REPEATS"] ?? 7);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let seed = 42;
function rnd(n: number): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % n;
}
function hex(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[rnd(16)];
  return s;
}

const APPS = ["web", "api", "worker", "cache", "db-proxy", "ingest", "scheduler", "metrics"];
const NAMESPACES = ["default", "prod", "staging", "payments", "search", "batch"];
// Pods come from ReplicaSets: 200 of them here, each with its pod-template-hash, uid and image digest.
const REPLICASETS = 200;
function stableHex(seedValue: number, n: number): string {
  let x = seedValue * 2654435761;
  let out = "";
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += "0123456789abcdef"[x % 16];
  }
  return out;
}
const NODES = Array.from({ length: 40 }, (_, i) => `node-${String(i).padStart(3, "0")}.cluster.internal`);

function managedFields(app: string, rsUID: string): unknown[] {
  return [
    {
      manager: "kube-controller-manager",
      operation: "Update",
      apiVersion: "v1",
      time: "2026-01-02T03:04:05Z",
      fieldsType: "FieldsV1",
      fieldsV1: {
        "f:metadata": {
          "f:generateName": {},
          "f:labels": { ".": {}, "f:app": {}, "f:pod-template-hash": {}, "f:tier": {} },
          "f:ownerReferences": { ".": {}, [`k:{"uid":"${rsUID}"}`]: {} },
        },
        "f:spec": {
          "f:containers": { [`k:{"name":"${app}"}`]: { ".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {}, "f:ports": {}, "f:resources": {} } },
          "f:dnsPolicy": {},
          "f:restartPolicy": {},
          "f:schedulerName": {},
          "f:terminationGracePeriodSeconds": {},
        },
      },
    },
    {
      manager: "kubelet",
      operation: "Update",
      apiVersion: "v1",
      time: "2026-01-02T03:05:11Z",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:status": { "f:conditions": { 'k:{"type":"Ready"}': { ".": {}, "f:lastProbeTime": {}, "f:status": {}, "f:type": {} } }, "f:podIP": {}, "f:startTime": {} } },
      subresource: "status",
    },
  ];
}

function container(name: string, image: string, i: number): Record<string, unknown> {
  return {
    name,
    image,
    command: ["/bin/server"],
    args: ["--port=8080", `--shard=${i % 16}`],
    ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
    env: [
      { name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
      { name: "LOG_LEVEL", value: "info" },
      { name: "REGION", value: "eu-west-1" },
    ],
    resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
    volumeMounts: [{ name: `kube-api-access-${hex(5)}`, readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }],
    livenessProbe: { httpGet: { path: "/healthz", port: 8080, scheme: "HTTP" }, initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: "/ready", port: "http", scheme: "HTTP" }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
    imagePullPolicy: "IfNotPresent",
  };
}

function makePod(i: number): Record<string, unknown> {
  const app = APPS[i % APPS.length]!;
  const ns = NAMESPACES[i % NAMESPACES.length]!;
  const rs = i % REPLICASETS;
  const hash = stableHex(rs, 10);
  const rsUID = `${stableHex(rs + 1000, 8)}-${stableHex(rs + 2000, 4)}-4${stableHex(rs + 3000, 3)}-a${stableHex(rs + 4000, 3)}-${stableHex(rs + 5000, 12)}`;
  const name = `${app}-${hash}-${hex(5)}`;
  const image = `registry.example.com/team/${app}:v1.${(i % REPLICASETS) % 5}.0`;
  const start = 1767323045 + (i % 600);
  const t = (s: number): string => new Date(s * 1000).toISOString().replace(".000Z", "Z");
  return {
    metadata: {
      name,
      generateName: `${app}-${hash}-`,
      namespace: ns,
      uid: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
      resourceVersion: String(1000000 + i * 7),
      creationTimestamp: t(start),
      labels: { app, "pod-template-hash": hash, tier: i % 3 === 0 ? "frontend" : "backend", "app.kubernetes.io/part-of": "shop" },
      annotations: { "kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z", "prometheus.io/scrape": "true" },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `${app}-${hash}`, uid: rsUID, controller: true, blockOwnerDeletion: true }],
      managedFields: managedFields(app, rsUID),
    },
    spec: {
      volumes: [
        {
          name: `kube-api-access-${hex(5)}`,
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
              { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
            ],
            defaultMode: 420,
          },
        },
      ],
      containers: i % 4 === 0 ? [container(app, image, i), container("sidecar", "registry.example.com/infra/envoy:v1.30.1", i)] : [container(app, image, i)],
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      dnsPolicy: "ClusterFirst",
      serviceAccountName: "default",
      serviceAccount: "default",
      nodeName: NODES[i % NODES.length],
      securityContext: {},
      schedulerName: "default-scheduler",
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
    },
    status: {
      phase: "Running",
      conditions: ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({
        type,
        status: "True",
        lastProbeTime: null,
        lastTransitionTime: t(start + 3),
      })),
      hostIP: `10.0.${i % 40}.${(i * 7) % 250}`,
      hostIPs: [{ ip: `10.0.${i % 40}.${(i * 7) % 250}` }],
      podIP: `10.244.${i % 200}.${i % 250}`,
      podIPs: [{ ip: `10.244.${i % 200}.${i % 250}` }],
      startTime: t(start + 1),
      containerStatuses: [
        {
          name: app,
          state: { running: { startedAt: t(start + 2) } },
          lastState: {},
          ready: true,
          restartCount: i % 5 === 0 ? 1 : 0,
          image,
          imageID: `registry.example.com/team/${app}@sha256:${stableHex(((i % REPLICASETS) % 5) + 10 * (i % APPS.length), 64)}`,
          containerID: `containerd://${hex(64)}`,
          started: true,
        },
      ],
      qosClass: "Burstable",
    },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
/**
 * Times `floor` and `subject` alternately (the machine's load drifts; alternating exposes both to
 * it alike). Returns the medians and the median of the per-round ratios subject/floor.
 */
function timePair(floor: () => unknown, subject: () => unknown): { floor: number; subject: number; ratio: number } {
  const f: number[] = [];
  const s: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const a = time1(floor);
    const b = time1(subject);
    f.push(a);
    s.push(b);
    r.push(b / a);
  }
  return { floor: median(f), subject: median(s), ratio: median(r) };
}
function time1(fn: () => unknown): number {
  sink = undefined;
  gc();
  const t0 = performance.now();
  sink = fn();
  const t = performance.now() - t0;
  sink = undefined;
  return t;
}
function retained(make: () => unknown): number {
  const xs: number[] = [];
  for (let i = 0; i < 3; i++) {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    let keep: unknown = make();
    gc();
    gc();
    xs.push(process.memoryUsage().heapUsed - before);
    sink = keep;
    keep = undefined;
  }
  return median(xs);
}
let sink: unknown;
const mb = (b: number): string => `${(b / 1048576).toFixed(1)} MB`;
const ms = (t: number): string => `${t.toFixed(1)} ms`;

// Canonical server objects: what Go's JSON gives for these Pods (the decoder fills Go's zero
// fields). Built in a function so the drafts are garbage before anything is timed.
function fixtures(): { jsonText: string; pbBytes: Uint8Array; items: number } {
  const draft = { apiVersion: "v1", kind: "PodList", metadata: { resourceVersion: "123456" }, items: Array.from({ length: N }, (_, i) => makePod(i)) };
  const w0 = new ProtoWriter(1 << 20);
  writePodList(w0, draft as unknown as PodList);
  const canonical = readPodList(new ProtoReader(w0.finish()));
  const list = { apiVersion: "v1", kind: "PodList", ...canonical } as PodList;
  const jsonText = JSON.stringify(list);
  const w = new ProtoWriter(1 << 20);
  writePodList(w, list);
  const pbBytes = w.finish();
  // Sanity: the codec is lossless on this data (not timed).
  const check = readPodList(new ProtoReader(pbBytes));
  if (JSON.stringify({ apiVersion: "v1", kind: "PodList", ...check }) !== jsonText) throw new Error("protobuf decode of the bench data differs from its JSON");
  return { jsonText, pbBytes, items: (list.items as Pod[]).length };
}
const { jsonText, pbBytes, items } = fixtures();
const jsonBytes = new TextEncoder().encode(jsonText);
if (process.env["BENCH_DUMP"]) writeFileSync(process.env["BENCH_DUMP"], pbBytes);

console.log(`${items} pods: JSON ${mb(jsonBytes.length)}, protobuf ${mb(pbBytes.length)}`);

// Warm both paths up before measuring.
for (let i = 0; i < 2; i++) {
  time1(() => JSON.parse(jsonText));
  time1(() => readPodList(new ProtoReader(pbBytes)));
}
const dec = timePair(
  () => JSON.parse(jsonText),
  () => readPodList(new ProtoReader(pbBytes)),
);
const utf8 = new TextDecoder();
const decBytes = timePair(
  () => JSON.parse(utf8.decode(jsonBytes)),
  () => readPodList(new ProtoReader(pbBytes)),
);
const parsed = JSON.parse(jsonText) as unknown;
const enc = new ProtoWriter(pbBytes.length + 1024);
const encd = timePair(
  () => JSON.stringify(parsed),
  () => {
    enc.reset();
    writePodList(enc, parsed as PodList);
    return enc.finish();
  },
);
const hParse = retained(() => JSON.parse(jsonText));
const hDecode = retained(() => readPodList(new ProtoReader(pbBytes)));

console.log(`decode:   protobuf ${ms(dec.subject)} vs JSON.parse ${ms(dec.floor)}  -> ratio ${dec.ratio.toFixed(2)} (target <= 0.90)`);
console.log(`          vs the response bytes (TextDecoder + JSON.parse) ${ms(decBytes.floor)} -> ratio ${decBytes.ratio.toFixed(2)}`);
console.log(`heap:     protobuf ${mb(hDecode)} vs JSON.parse ${mb(hParse)}  -> ratio ${(hDecode / hParse).toFixed(2)} (target <= 0.80)`);
console.log(`encode:   protobuf ${ms(encd.subject)} vs JSON.stringify ${ms(encd.floor)}  -> ratio ${encd.ratio.toFixed(2)} (target <= 1.00)`);
console.log(`wire:     protobuf ${mb(pbBytes.length)} vs JSON ${mb(jsonBytes.length)}  -> ratio ${(pbBytes.length / jsonBytes.length).toFixed(2)}`);

// Package size and import cost.
try {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--workspace", "@kubets/api"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const info = (JSON.parse(out) as Array<{ size: number; unpackedSize: number; entryCount: number }>)[0]!;
  const built = existsSync(join(root, "packages/api/dist"));
  console.log(`package:  @kubets/api packed ${mb(info.size)}, unpacked ${mb(info.unpackedSize)}, ${info.entryCount} files${built ? "" : " (dist not built: sources only)"}`);
} catch (e) {
  console.log(`package:  npm pack failed: ${String(e).split("\n")[0]}`);
}
function importMs(spec: string): number {
  const useDist = existsSync(join(root, "packages/api/dist/gen/core/v1/index.js"));
  const args = useDist ? [] : ["--conditions=@kubets/source", "--import", "tsx"];
  const code = `const t=performance.now(); await import(${JSON.stringify(spec)}); console.log(performance.now()-t);`;
  const xs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = spawnSync(process.execPath, [...args, "--input-type=module", "-e", code], { cwd: join(root, "packages/api"), encoding: "utf8" });
    xs.push(Number(r.stdout.trim()));
  }
  return median(xs);
}
const floorImport = importMs("@kubets/apimachinery/protobuf");
const coreImport = importMs("@kubets/api/core/v1");
const allImport = importMs("@kubets/api");
console.log(
  `import:   @kubets/api/core/v1 ${ms(coreImport)}, whole @kubets/api ${ms(allImport)} -> ratio ${(coreImport / allImport).toFixed(2)}; floor @kubets/apimachinery/protobuf ${ms(floorImport)}` +
    (existsSync(join(root, "packages/api/dist/gen/core/v1/index.js")) ? " (dist)" : " (sources through tsx)"),
);
void sink;
