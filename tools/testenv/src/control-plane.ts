import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestEnvError } from "./errors.js";
import { issueCertificate, serviceAccountKeys } from "./pki.js";
import { Reaper, freePort, killProcess, startProcess, stopProcess, waitUntil, type Managed } from "./processes.js";
import { startKwok, type KwokRunning } from "./nodes.js";
import { ensureBinaries, type Binaries, type ProvisionOptions } from "./provision.js";

export interface ControlPlaneOptions extends Omit<ProvisionOptions, "nodes"> {
  /** Start kube-controller-manager too (default true), so Deployments, namespace deletion and GC work. */
  controllerManager?: boolean;
  /** Prebuilt or already provisioned binaries. */
  binaries?: Binaries;
  /** Extra kube-apiserver flags, for example `--feature-gates=...`. */
  apiServerFlags?: readonly string[];
  /** How long to wait for /readyz, and for kwok and its nodes (default 60 s). */
  startTimeoutMs?: number;
  /**
   * Simulated nodes (default 0): kwok makes them Ready, runs their pods (Running, with the pod IPs kwok
   * assigns) and serves the kubelet's exec, attach, port-forward and logs endpoints on 127.0.0.1 with TLS.
   * With nodes, kube-scheduler runs too (unless `scheduler: false`), so Deployments end with Running pods.
   */
  nodes?: number;
  /** Start kube-scheduler (default: when `nodes` > 0). */
  scheduler?: boolean;
}

/** The identities the control plane knows, as names of contexts in its kubeconfig. */
export interface Contexts {
  /** client certificate, CN=kubets-admin, O=system:masters */
  admin: string;
  /** bearer token of user kubets-admin-token in group system:masters */
  token: string;
  /** bearer token of user kubets-restricted, who has no RBAC rights */
  restricted: string;
}

/** What tests need to reach the control plane; plain data, safe to pass between processes. */
export interface ControlPlaneInfo {
  server: string;
  kubeconfigPath: string;
  caPem: string;
  adminCertPem: string;
  adminKeyPem: string;
  adminToken: string;
  restrictedToken: string;
  contexts: Contexts;
  /** etcd client URL */
  etcd: string;
  /** the temp folder with certificates, logs and etcd data */
  dir: string;
  /** names of the simulated nodes (empty without `nodes`) */
  nodes: string[];
  /**
   * With nodes: the folder where the default ClusterExec (`kubets-testenv-local`) runs the commands of an
   * exec into any pod, as local processes. Tests that need other targets create kwok's Exec, Attach,
   * PortForward and Logs resources (group kwok.x-k8s.io/v1alpha1), which testenv serves as CRDs.
   */
  execDir?: string;
  /** With nodes: the port of kwok's kubelet endpoint on 127.0.0.1. */
  kubeletPort?: number;
}

export interface ControlPlane extends ControlPlaneInfo {
  /** Stops every process and removes the temp folder. Safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILLs kube-apiserver (etcd keeps running). */
  killApiServer(): Promise<void>;
  /** Starts kube-apiserver again on the same port and etcd, and waits for /readyz. */
  startApiServer(): Promise<void>;
  /** Milliseconds from the call to /readyz answering "ok". */
  readonly startupMs: number;
  /** pids of the running processes by name */
  pids(): Record<string, number | undefined>;
  info(): ControlPlaneInfo;
}

const CONTEXTS: Contexts = { admin: "kubets-admin", token: "kubets-admin-token", restricted: "kubets-restricted" };

/**
 * Starts etcd, kube-apiserver and (unless disabled) kube-controller-manager on 127.0.0.1; with `nodes`, also
 * kube-scheduler and kwok with that many simulated nodes.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const nodes = options.nodes ?? 0;
  if (!Number.isInteger(nodes) || nodes < 0 || nodes > 100) throw new TestEnvError(`nodes must be an integer from 0 to 100, not ${nodes}`);
  const scheduler = options.scheduler ?? nodes > 0;
  const bins = options.binaries ?? (await ensureBinaries({ ...options, nodes: nodes > 0 || scheduler }));
  if (nodes > 0 && !bins.kwok) throw new TestEnvError("simulated nodes need kwok, but the binaries given have none: provision them with nodes: true");
  if (scheduler && !bins.kubeScheduler) throw new TestEnvError("kube-scheduler was asked for, but the binaries given have none: provision them with nodes: true");
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "kubets-testenv-"));
  const reaper = new Reaper(dir);
  const procs: Record<string, Managed> = {};
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const name of ["kwok", "kube-scheduler", "kube-controller-manager", "kube-apiserver", "etcd"]) {
      const p = procs[name];
      if (p) await stopProcess(p);
    }
    reaper.detach();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const [etcdPort, peerPort, apiPort] = await distinctPorts(3);
    const file = (name: string, content: string): string => {
      const p = join(dir, name);
      writeFileSync(p, content, { mode: 0o600 });
      return p;
    };

    // PKI and identities
    const ca = issueCertificate({ subject: { commonName: "kubets-testenv-ca" }, isCA: true });
    const serving = issueCertificate(
      {
        subject: { commonName: "kube-apiserver" },
        server: true,
        dnsNames: ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"],
        ipAddresses: ["127.0.0.1", "::1", "10.0.0.1"],
      },
      ca,
    );
    const admin = issueCertificate(
      { subject: { commonName: "kubets-admin", organizations: ["system:masters"] }, client: true },
      ca,
    );
    const sa = serviceAccountKeys();
    const adminToken = randomBytes(24).toString("hex");
    const restrictedToken = randomBytes(24).toString("hex");
    const caFile = file("ca.crt", ca.certPem);
    const tlsCert = file("apiserver.crt", serving.certPem);
    const tlsKey = file("apiserver.key", serving.keyPem);
    const saKey = file("sa.key", sa.privatePem);
    const saPub = file("sa.pub", sa.publicPem);
    const tokens = file(
      "tokens.csv",
      `${adminToken},kubets-admin-token,kubets-admin-token-uid,"system:masters"\n${restrictedToken},kubets-restricted,kubets-restricted-uid\n`,
    );

    const server = `https://127.0.0.1:${apiPort}`;
    const etcd = `http://127.0.0.1:${etcdPort}`;
    const kubeconfigPath = file(
      "kubeconfig",
      kubeconfig(server, ca.certPem, { cert: admin.certPem, key: admin.keyPem }, adminToken, restrictedToken),
    );

    // etcd
    procs["etcd"] = reaper.track(
      startProcess(
        "etcd",
        bins.etcd,
        [
          "--name=kubets",
          `--data-dir=${join(dir, "etcd-data")}`,
          `--listen-client-urls=${etcd}`,
          `--advertise-client-urls=${etcd}`,
          `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
          `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
          `--initial-cluster=kubets=http://127.0.0.1:${peerPort}`,
          "--unsafe-no-fsync=true",
          "--log-level=warn",
        ],
        dir,
      ),
    );
    await waitUntil("etcd /health", () => httpOk(`${etcd}/health`), { timeoutMs: 20_000, watch: procs["etcd"] });

    const apiArgs = [
      `--etcd-servers=${etcd}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${apiPort}`,
      `--cert-dir=${dir}`,
      `--tls-cert-file=${tlsCert}`,
      `--tls-private-key-file=${tlsKey}`,
      `--client-ca-file=${caFile}`,
      `--token-auth-file=${tokens}`,
      "--authorization-mode=RBAC",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      "--service-cluster-ip-range=10.0.0.0/24",
      "--allow-privileged=true",
      // the kubernetes Service endpoint cannot point at a loopback address
      "--endpoint-reconciler-type=none",
      // simulated nodes report only 127.0.0.1 as InternalIP; their Hostname address does not resolve
      "--kubelet-preferred-address-types=InternalIP",
      "--profiling=false",
      "--v=1",
      ...(options.apiServerFlags ?? []),
    ];
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    const startApiServer = async (): Promise<void> => {
      const existing = procs["kube-apiserver"];
      if (existing && existing.exitCode === undefined) throw new TestEnvError("kube-apiserver is already running");
      procs["kube-apiserver"] = reaper.track(startProcess("kube-apiserver", bins.kubeApiserver, apiArgs, dir));
      await waitUntil(`kube-apiserver ${server}/readyz`, () => httpsReady(server, ca.certPem, adminToken), {
        timeoutMs,
        watch: procs["kube-apiserver"],
      });
    };
    await startApiServer();
    const startupMs = Date.now() - started;

    if (options.controllerManager ?? true) {
      const kcmConfig = file("controller-manager.kubeconfig", kubeconfig(server, ca.certPem, { cert: admin.certPem, key: admin.keyPem }, adminToken, restrictedToken));
      procs["kube-controller-manager"] = reaper.track(
        startProcess(
          "kube-controller-manager",
          bins.kubeControllerManager,
          [
            `--kubeconfig=${kcmConfig}`,
            "--leader-elect=false",
            "--bind-address=127.0.0.1",
            "--secure-port=0",
            `--service-account-private-key-file=${saKey}`,
            `--root-ca-file=${caFile}`,
            "--controllers=*",
            "--concurrent-gc-syncs=5",
            "--v=1",
          ],
          dir,
        ),
      );
      // The controllers need the apiserver only; give the process a moment to fail on bad flags.
      await new Promise((r) => setTimeout(r, 300));
      const kcm = procs["kube-controller-manager"];
      if (kcm.exitCode !== undefined) {
        const { logTail } = await import("./processes.js");
        throw new TestEnvError(`kube-controller-manager exited with code ${kcm.exitCode}:\n${logTail(kcm)}`);
      }
    }

    if (scheduler && bins.kubeScheduler) {
      const schedConfig = file("scheduler.kubeconfig", kubeconfig(server, ca.certPem, { cert: admin.certPem, key: admin.keyPem }, adminToken, restrictedToken));
      procs["kube-scheduler"] = reaper.track(
        startProcess(
          "kube-scheduler",
          bins.kubeScheduler,
          [`--kubeconfig=${schedConfig}`, "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=0", "--v=1"],
          dir,
        ),
      );
    }

    let kwok: KwokRunning | undefined;
    if (nodes > 0 && bins.kwok) {
      const kwokConfig = file("kwok.kubeconfig", kubeconfig(server, ca.certPem, { cert: admin.certPem, key: admin.keyPem }, adminToken, restrictedToken));
      kwok = await startKwok({
        api: { server, caPem: ca.certPem, token: adminToken },
        kwok: bins.kwok,
        ca,
        dir,
        kubeconfigPath: kwokConfig,
        nodes,
        timeoutMs,
        track: (m) => {
          procs["kwok"] = m;
          return reaper.track(m);
        },
      });
    }
    for (const name of ["kube-controller-manager", "kube-scheduler"]) {
      const p = procs[name];
      if (p && p.exitCode !== undefined) {
        const { logTail } = await import("./processes.js");
        throw new TestEnvError(`${name} exited with code ${p.exitCode}:\n${logTail(p)}`);
      }
    }

    const info: ControlPlaneInfo = {
      server,
      kubeconfigPath,
      caPem: ca.certPem,
      adminCertPem: admin.certPem,
      adminKeyPem: admin.keyPem,
      adminToken,
      restrictedToken,
      contexts: CONTEXTS,
      etcd,
      dir,
      nodes: kwok?.nodeNames ?? [],
      ...(kwok ? { execDir: kwok.execDir, kubeletPort: kwok.port } : {}),
    };
    return {
      ...info,
      startupMs,
      stop,
      startApiServer,
      killApiServer: async () => {
        const p = procs["kube-apiserver"];
        if (p) await killProcess(p);
      },
      pids: () => Object.fromEntries(Object.entries(procs).map(([k, v]) => [k, v.exitCode === undefined ? v.child.pid : undefined])),
      info: () => ({ ...info }),
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

async function distinctPorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

function kubeconfig(server: string, caPem: string, cert: { cert: string; key: string }, adminToken: string, restrictedToken: string): string {
  const b64 = (s: string): string => Buffer.from(s).toString("base64");
  // JSON is valid YAML, and every kubeconfig reader accepts it.
  return JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      preferences: {},
      clusters: [{ name: "kubets-testenv", cluster: { server, "certificate-authority-data": b64(caPem) } }],
      users: [
        { name: CONTEXTS.admin, user: { "client-certificate-data": b64(cert.cert), "client-key-data": b64(cert.key) } },
        { name: CONTEXTS.token, user: { token: adminToken } },
        { name: CONTEXTS.restricted, user: { token: restrictedToken } },
      ],
      contexts: Object.values(CONTEXTS).map((name) => ({
        name,
        context: { cluster: "kubets-testenv", user: name, namespace: "default" },
      })),
      "current-context": CONTEXTS.admin,
    },
    null,
    2,
  );
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

function httpsReady(server: string, ca: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${server}/readyz`, { ca, headers: { authorization: `Bearer ${token}` }, timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => resolve(res.statusCode === 200 && body.trim() === "ok"));
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}
