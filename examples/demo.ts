// The demo: a real local control plane with simulated nodes (kwok), and the kubets client used the way an
// application uses it: a Deployment whose pods go Running on the nodes, an informer and a workqueue
// reacting to them, the sample app's listing, an exec into a pod and a port-forward to it.
// Built from the pinned Kubernetes and kwok modules on the first run (minutes), from the cache afterwards.
import { createServer } from "node:http";
import type { Pod } from "@kubets/api/core/v1";
import { loadConfig } from "@kubets/client";
import { newDiscoveryClientForConfig } from "@kubets/client/discovery";
import { newForConfig } from "@kubets/client/kubernetes";
import { portForward } from "@kubets/client/portforward";
import { execCapture } from "@kubets/client/remotecommand";
import { RESTClient } from "@kubets/client/rest";
import { metaNamespaceKeyFunc, splitMetaNamespaceKey } from "@kubets/informers";
import { newSharedInformerFactory } from "@kubets/informers/informers";
import { startControlPlane } from "@kubets/testenv";
import { defaultTypedControllerRateLimiter, newTypedRateLimitingQueue } from "@kubets/workqueue";
import { format, listResources } from "./sample-app/main.js";

const step = (s: string): void => console.log(`\n== ${s}`);
const progress = (s: string): void => void process.stderr.write(`   ... ${s}\n`);
async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last = 0;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    if (Date.now() - last > 2000) {
      progress(`waiting for ${what}`);
      last = Date.now();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

step("control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok with 2 nodes");
const env = await startControlPlane({ nodes: 2, log: (l) => progress(l) });
const ac = new AbortController();
const web = createServer((_req, res) => res.end("hello from the web pod\n"));
try {
  console.log(`ready at ${env.server} in ${(env.startupMs / 1000).toFixed(1)} s; nodes ${env.nodes.join(", ")}`);
  console.log(`(to use it from a shell while the demo runs: export KUBECONFIG=${env.kubeconfigPath})`);

  const config = await loadConfig({ explicitPath: env.kubeconfigPath });
  const discovery = newDiscoveryClientForConfig(config);
  const cs = newForConfig(config);
  console.log(`Kubernetes ${(await discovery.serverVersion()).gitVersion}`);
  const ns = "demo";
  await cs.coreV1().namespaces().create({ metadata: { name: ns } });
  await until("the default service account", () => cs.coreV1().serviceAccounts(ns).get("default"));

  step("an informer and a workqueue: every pod that goes Running is reconciled once");
  const queue = newTypedRateLimitingQueue<string>(defaultTypedControllerRateLimiter());
  const factory = newSharedInformerFactory(cs, { namespace: ns });
  const pods = factory.core().v1().pods();
  pods.informer().addEventHandler({
    onAdd: (p: Pod) => queue.add(metaNamespaceKeyFunc(p)),
    onUpdate: (_old: Pod, p: Pod) => queue.add(metaNamespaceKeyFunc(p)),
  });
  factory.start(ac.signal);
  await factory.waitForCacheSync(ac.signal);
  const running = new Set<string>();
  const worker = (async () => {
    for (;;) {
      const { item: key, shutdown } = await queue.get();
      if (shutdown) return;
      const { namespace, name } = splitMetaNamespaceKey(key);
      try {
        const pod = pods.lister().pods(namespace).get(name);
        if (pod.status?.phase === "Running" && !running.has(key)) {
          running.add(key);
          console.log(`reconciled ${key}: Running on ${pod.spec?.nodeName ?? "?"} with IP ${pod.status.podIP ?? "?"}`);
        }
      } catch {
        // deleted meanwhile
      } finally {
        queue.forget(key);
        queue.done(key);
      }
    }
  })();

  step("a Deployment and a Service");
  await cs.appsV1().deployments(ns).create({
    metadata: { name: "web" },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "registry.example/web:1", ports: [{ containerPort: 80 }] }] } },
    },
  });
  await cs.coreV1().services(ns).create({ metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } });
  const ready = await until("2 of 2 pods of deployment web to be Running", async () => {
    const d = await cs.appsV1().deployments(ns).get("web");
    return (d.status?.readyReplicas ?? 0) === 2 ? d : undefined;
  });
  console.log(`deployment web: ${ready.status?.readyReplicas}/${ready.spec?.replicas} ready`);
  await until("the workqueue to see both pods", async () => (running.size === 2 ? true : undefined));

  step("the sample app: pods, deployments and services of the namespace");
  process.stdout.write(format(await listResources(cs, ns)));

  const podName = [...running][0]!.split("/")[1]!;
  step(`exec into ${ns}/${podName}`);
  const r = await execCapture(config, { namespace: ns, pod: podName, command: ["sh", "-c", "echo hello from $0 on kwok; uname -s", podName] });
  process.stdout.write(r.stdout.toString());
  console.log(`exit code ${r.exitCode}`);

  step(`port-forward to ${ns}/${podName}:80`);
  await new Promise<void>((res) => web.listen(0, "127.0.0.1", res));
  // kwok connects the pod's port 80 to this process's server (a kwok PortForward names it)
  const kwok = new RESTClient({ ...config, apiPath: "/apis", groupVersion: "kwok.x-k8s.io/v1alpha1" });
  await kwok
    .post()
    .namespace(ns)
    .resource("portforwards")
    .body({
      apiVersion: "kwok.x-k8s.io/v1alpha1",
      kind: "PortForward",
      metadata: { name: podName, namespace: ns },
      spec: { forwards: [{ ports: [80], target: { address: "127.0.0.1", port: (web.address() as { port: number }).port } }] },
    })
    .do();
  await kwok.close();
  const pf = await portForward(config, { namespace: ns, pod: podName, ports: [":80"], out: process.stdout });
  const local = pf.getPorts()[0]!.local;
  const body = await until("the forwarded port to answer", async () => (await fetch(`http://127.0.0.1:${local}/`)).text());
  console.log(`GET http://127.0.0.1:${local}/ -> ${body.trim()}`);
  pf.close();
  await pf.done;

  queue.shutDown();
  await worker;
  ac.abort();
  await factory.shutdown();
  await Promise.all([cs.close(), discovery.close()]);
  console.log("\ndone");
} finally {
  ac.abort();
  web.close();
  await env.stop();
}
