// Simulated nodes: kwok (sigs.k8s.io/kwok) makes Nodes Ready and Pods Running against the real kube-apiserver
// and serves the kubelet's streaming endpoints (exec, attach, port-forward, logs) on 127.0.0.1 with TLS, so
// those requests go through kube-apiserver exactly as in a cluster.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { TestEnvError } from "./errors.js";
import { issueCertificate } from "./pki.js";
import { freePort, startProcess, waitUntil, type Managed } from "./processes.js";
import type { KwokBinaries } from "./provision.js";

/** The kwok resources that testenv serves as CRDs, so that tests create them as they need them. */
export const KWOK_CRD_KINDS = [
  "Exec",
  "ClusterExec",
  "Attach",
  "ClusterAttach",
  "PortForward",
  "ClusterPortForward",
  "Logs",
  "ClusterLogs",
] as const;

/** The ClusterExec that testenv creates: every container's commands run as local processes in `execDir`. */
export const DEFAULT_CLUSTER_EXEC = "kubets-testenv-local";

export interface ApiAccess {
  server: string;
  caPem: string;
  token: string;
}

export interface ApiResponse {
  status: number;
  body: string;
}

/** One request to kube-apiserver as the admin (testenv needs no client library). */
export function apiCall(api: ApiAccess, method: string, path: string, body?: string, contentType = "application/json"): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${api.server}${path}`,
      {
        method,
        ca: api.caPem,
        timeout: 30_000,
        headers: { authorization: `Bearer ${api.token}`, accept: "application/json", ...(body !== undefined ? { "content-type": contentType } : {}) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out after 30 s`)));
    req.end(body);
  });
}

async function expectOk(api: ApiAccess, method: string, path: string, body?: string, contentType?: string, okStatuses: number[] = []): Promise<ApiResponse> {
  const res = await apiCall(api, method, path, body, contentType);
  if ((res.status < 200 || res.status > 299) && !okStatuses.includes(res.status)) {
    throw new TestEnvError(`${method} ${path} answered ${res.status}: ${res.body.slice(0, 500)}`);
  }
  return res;
}

/** Splits a YAML stream into its documents (kwok's files use `---` lines only as separators). */
export function yamlDocuments(text: string): string[] {
  return text
    .split(/^---\s*$/m)
    .map((d) => d.trim())
    .filter((d) => d.split("\n").some((l) => l.trim() !== "" && !l.trim().startsWith("#")));
}

/** Installs kwok's CRDs (kube-apiserver takes YAML bodies) and waits until they are established. */
export async function installKwokCrds(api: ApiAccess, crdsFile: string, timeoutMs: number): Promise<void> {
  const names: string[] = [];
  for (const doc of yamlDocuments(readFileSync(crdsFile, "utf8"))) {
    const res = await expectOk(api, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", doc, "application/yaml", [409]);
    if (res.status === 201) names.push((JSON.parse(res.body) as { metadata: { name: string } }).metadata.name);
  }
  for (const name of names) {
    await waitUntil(
      `CRD ${name} to be established`,
      async () => {
        const res = await apiCall(api, "GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
        if (res.status !== 200) return false;
        const crd = JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string }[] } };
        return crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;
      },
      { timeoutMs },
    );
  }
}

export interface KwokStart {
  api: ApiAccess;
  kwok: KwokBinaries;
  ca: NonNullable<Parameters<typeof issueCertificate>[1]>;
  dir: string;
  kubeconfigPath: string;
  nodes: number;
  timeoutMs: number;
  track: (m: Managed) => Managed;
}

export interface KwokRunning {
  process: Managed;
  /** the kubelet port kwok serves on 127.0.0.1 (every simulated node reports it) */
  port: number;
  nodeNames: string[];
  /** where the default ClusterExec runs commands */
  execDir: string;
}

/** Starts kwok, creates the nodes and waits until they are Ready. */
export async function startKwok(o: KwokStart): Promise<KwokRunning> {
  await installKwokCrds(o.api, o.kwok.crds, o.timeoutMs);
  const port = await freePort();
  const serving = issueCertificate({ subject: { commonName: "kwok" }, server: true, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] }, o.ca);
  const certFile = join(o.dir, "kwok.crt");
  const keyFile = join(o.dir, "kwok.key");
  writeFileSync(certFile, serving.certPem, { mode: 0o600 });
  writeFileSync(keyFile, serving.keyPem, { mode: 0o600 });
  const kwokHome = join(o.dir, "kwok-home");
  mkdirSync(kwokHome, { recursive: true });
  const execDir = join(o.dir, "pods");
  mkdirSync(execDir, { recursive: true });
  const proc = o.track(
    startProcess(
      "kwok",
      o.kwok.bin,
      [
        `--kubeconfig=${o.kubeconfigPath}`,
        `--config=${o.kwok.stages}`,
        "--manage-all-nodes=true",
        // kwok renews the nodes' Leases: without them kube-controller-manager marks the nodes NotReady after
        // 50 s and kwok initializes them again, dropping their addresses
        "--node-lease-duration-seconds=40",
        `--server-address=127.0.0.1:${port}`,
        `--tls-cert-file=${certFile}`,
        `--tls-private-key-file=${keyFile}`,
        "--node-ip=127.0.0.1",
        `--node-port=${port}`,
        `--enable-crds=${KWOK_CRD_KINDS.join(",")}`,
      ],
      o.dir,
      // kwok also reads ~/.kwok/kwok.yaml: keep the user's out
      { HOME: kwokHome },
    ),
  );
  await waitUntil(`kwok https://127.0.0.1:${port}/healthz`, () => kwokHealthy(port, o.ca.certPem), { timeoutMs: o.timeoutMs, watch: proc });

  await expectOk(
    o.api,
    "POST",
    "/apis/kwok.x-k8s.io/v1alpha1/clusterexecs",
    JSON.stringify({
      apiVersion: "kwok.x-k8s.io/v1alpha1",
      kind: "ClusterExec",
      metadata: { name: DEFAULT_CLUSTER_EXEC },
      spec: { execs: [{ local: { workDir: execDir } }] },
    }),
    undefined,
    [409],
  );

  const nodeNames = Array.from({ length: o.nodes }, (_, i) => `kwok-node-${i}`);
  for (const name of nodeNames) {
    await expectOk(
      o.api,
      "POST",
      "/api/v1/nodes",
      JSON.stringify({
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name,
          labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", type: "kwok" },
          annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
        },
      }),
    );
  }
  // kube-apiserver drops status on create, and kwok's first stage replaces the status it finds (and, when a
  // Hostname address is missing, empties the list when it runs again): the kubelet
  // address goes through the status subresource once the node is Ready, and is checked to have stuck
  const statusPatch = JSON.stringify({
    status: {
      addresses: [
        { type: "InternalIP", address: "127.0.0.1" },
        { type: "Hostname", address: "127.0.0.1" },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: port } },
    },
  });
  for (const name of nodeNames) {
    let patchedAt = 0;
    await waitUntil(
      `node ${name} to be Ready with address 127.0.0.1 and kubelet port ${port} (kwok)`,
      async () => {
        const res = await apiCall(o.api, "GET", `/api/v1/nodes/${name}`);
        if (res.status !== 200) return false;
        const node = JSON.parse(res.body) as {
          status?: { conditions?: { type: string; status: string }[]; addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
        };
        const ready = node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
        if (!ready) return false;
        const addressed =
          (node.status?.addresses?.some((a) => a.type === "InternalIP" && a.address === "127.0.0.1") ?? false) &&
          node.status?.daemonEndpoints?.kubeletEndpoint?.Port === port;
        if (addressed) return true;
        if (Date.now() - patchedAt > 1000) {
          patchedAt = Date.now();
          await expectOk(o.api, "PATCH", `/api/v1/nodes/${name}/status`, statusPatch, "application/merge-patch+json");
        }
        return false;
      },
      { timeoutMs: o.timeoutMs, watch: proc },
    );
  }
  return { process: proc, port, nodeNames, execDir };
}

function kwokHealthy(port: number, caPem: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`https://127.0.0.1:${port}/healthz`, { ca: caPem, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}
