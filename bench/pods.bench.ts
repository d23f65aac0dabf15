// exec round trip and port-forward throughput through a real kube-apiserver to kwok's kubelet endpoints:
// kubets against @kubernetes/client-node and kubectl (when one is on PATH), in interleaved rounds, on the
// same pod in the same run. Prints min-max per peer and the ratio of medians to kubets.
import { spawn, spawnSync } from "node:child_process";
import { connect, createServer, type Socket } from "node:net";
import { PassThrough } from "node:stream";
import * as k8s from "@kubernetes/client-node";
import { loadConfig } from "@kubets/client";
import { newForConfig } from "@kubets/client/kubernetes";
import { portForward } from "@kubets/client/portforward";
import { execCapture } from "@kubets/client/remotecommand";
import { RESTClient } from "@kubets/client/rest";
import { startControlPlane } from "@kubets/testenv";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 5);
const EXECS = 20;
const MB = Number(process.env["BENCH_PF_MB"] ?? 100);
const SIZE = MB * 1024 * 1024;
const payload = Buffer.alloc(SIZE, 7);

const kubectl = spawnSync("kubectl", ["version", "--client", "-o", "json"], { encoding: "utf8" });
const kubectlVersion = kubectl.status === 0 ? (JSON.parse(kubectl.stdout) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion : undefined;

// the "pod's" server: any connection gets SIZE bytes
const server = createServer((s: Socket) => {
  s.on("error", () => undefined);
  s.end(payload);
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const target = (server.address() as { port: number }).port;

const env = await startControlPlane({ nodes: 1, log: (l) => process.stderr.write(`[testenv] ${l}\n`) });
try {
  const config = await loadConfig({ explicitPath: env.kubeconfigPath });
  const cs = newForConfig(config);
  await cs.coreV1().namespaces().create({ metadata: { name: "bench" } });
  for (let i = 0; ; i++) {
    if (await cs.coreV1().serviceAccounts("bench").get("default").then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await cs.coreV1().pods("bench").create({ metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "x" }] } });
  for (;;) {
    if ((await cs.coreV1().pods("bench").get("p")).status?.phase === "Running") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const kwok = new RESTClient({ ...config, apiPath: "/apis", groupVersion: "kwok.x-k8s.io/v1alpha1" });
  await kwok
    .post()
    .namespace("bench")
    .resource("portforwards")
    .body({ apiVersion: "kwok.x-k8s.io/v1alpha1", kind: "PortForward", metadata: { name: "p", namespace: "bench" }, spec: { forwards: [{ target: { address: "127.0.0.1", port: target } }] } })
    .do();
  await kwok.close();

  const kc = new k8s.KubeConfig();
  kc.loadFromFile(env.kubeconfigPath);
  const cnExec = new k8s.Exec(kc);
  const cnPf = new k8s.PortForward(kc);

  // ---- exec round trip: `echo x`, EXECS in a row, ms per exec
  const execImpls: Record<string, () => Promise<void>> = {
    kubets: async () => {
      const r = await execCapture(config, { namespace: "bench", pod: "p", command: ["echo", "x"] });
      if (r.stdout.toString() !== "x\n") throw new Error("kubets exec output");
    },
    "client-node": () =>
      new Promise<void>((resolve, reject) => {
        const out = new PassThrough();
        let text = "";
        out.on("data", (d: Buffer) => (text += d.toString()));
        cnExec
          .exec("bench", "p", "c", ["echo", "x"], out, null, null, false, (status) => {
            if (status.status === "Success") setImmediate(() => (text === "x\n" ? resolve() : reject(new Error(`client-node output ${JSON.stringify(text)}`))));
            else reject(new Error(JSON.stringify(status)));
          })
          .catch(reject);
      }),
  };
  if (kubectlVersion) {
    execImpls[`kubectl ${kubectlVersion}`] = () =>
      new Promise<void>((resolve, reject) => {
        const p = spawn("kubectl", ["--kubeconfig", env.kubeconfigPath, "exec", "-n", "bench", "p", "--", "echo", "x"], { stdio: ["ignore", "pipe", "inherit"] });
        let text = "";
        p.stdout.on("data", (d: Buffer) => (text += d.toString()));
        p.on("exit", (code) => (code === 0 && text === "x\n" ? resolve() : reject(new Error(`kubectl exit ${code}`))));
      });
  }

  // ---- port-forward: MB through one forwarded connection, MB/s
  const download = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const s = connect(port, "127.0.0.1");
      let got = 0;
      s.on("data", (d: Buffer) => {
        got += d.length;
        if (got >= SIZE) {
          s.destroy();
          resolve(got);
        }
      });
      s.on("error", reject);
      s.on("close", () => (got >= SIZE ? resolve(got) : reject(new Error(`short read ${got}`))));
    });

  const kubetsPf = await portForward(config, { namespace: "bench", pod: "p", ports: [":80"] });
  const cnServer = createServer((socket) => {
    void cnPf.portForward("bench", "p", [80], socket, null, socket);
  });
  await new Promise<void>((r) => cnServer.listen(0, "127.0.0.1", r));
  const pfPorts: Record<string, number> = {
    kubets: kubetsPf.getPorts()[0]!.local,
    "client-node": (cnServer.address() as { port: number }).port,
  };
  let kubectlPf: ReturnType<typeof spawn> | undefined;
  if (kubectlVersion) {
    kubectlPf = spawn("kubectl", ["--kubeconfig", env.kubeconfigPath, "port-forward", "-n", "bench", "pod/p", ":80"], { stdio: ["ignore", "pipe", "pipe"] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      kubectlPf!.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      kubectlPf!.on("exit", (c) => reject(new Error(`kubectl port-forward exited ${c}`)));
    });
    pfPorts[`kubectl ${kubectlVersion}`] = port;
  }

  const execMs: Record<string, number[]> = {};
  const pfMBs: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
    for (const [name, run] of Object.entries(execImpls)) {
      await run(); // warm
      const t = process.hrtime.bigint();
      for (let i = 0; i < EXECS; i++) await run();
      (execMs[name] ??= []).push(Number(process.hrtime.bigint() - t) / 1e6 / EXECS);
    }
    for (const [name, port] of Object.entries(pfPorts)) {
      const t = process.hrtime.bigint();
      await download(port);
      (pfMBs[name] ??= []).push(MB / (Number(process.hrtime.bigint() - t) / 1e9));
    }
  }

  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const show = (title: string, unit: string, data: Record<string, number[]>, higherIsBetter: boolean): void => {
    console.log(title);
    const base = median(data["kubets"]!);
    for (const [name, xs] of Object.entries(data)) {
      const m = median(xs);
      const ratio = higherIsBetter ? m / base : m / base;
      console.log(
        `  ${name.padEnd(24)} median ${m.toFixed(unit === "ms" ? 2 : 1)} ${unit}  (min-max ${Math.min(...xs).toFixed(unit === "ms" ? 2 : 1)}-${Math.max(...xs).toFixed(unit === "ms" ? 2 : 1)})  ratio to kubets ${ratio.toFixed(2)}x`,
      );
    }
  };
  console.log(`pods: ${ROUNDS} interleaved rounds through kube-apiserver ${env.server} to kwok`);
  show(`  exec \`echo x\` round trip, mean of ${EXECS} per round (lower is better)`, "ms", execMs, false);
  show(`  port-forward, ${MB} MB through one connection (higher is better)`, "MB/s", pfMBs, true);
  if (!kubectlVersion) console.log("  kubectl: not on PATH, so not measured (building it from the pinned modules is not part of the bench)");
  else console.log(`  kubectl is the ${kubectlVersion} found on PATH (not built from the pinned modules); its exec time includes starting the process`);

  kubetsPf.close();
  cnServer.close();
  kubectlPf?.kill();
  await cs.close();
} finally {
  server.close();
  await env.stop();
}
process.exit(0);
