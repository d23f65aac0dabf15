// The demo: start a real local control plane (built from the pinned Kubernetes modules on the
// first run, from the cache afterwards), then use the kubets client the way an application does:
// load the kubeconfig, make a typed clientset (protobuf on the wire) and list namespaces.
import { loadConfig } from "@kubets/client";
import { newDiscoveryClientForConfig } from "@kubets/client/discovery";
import { newForConfig } from "@kubets/client/kubernetes";
import { startControlPlane } from "@kubets/testenv";

const env = await startControlPlane({ log: (l) => console.error(`[testenv] ${l}`) });
try {
  console.log(`control plane ready at ${env.server} in ${(env.startupMs / 1000).toFixed(1)} s`);
  console.log(`(to use it from a shell while the demo runs: export KUBECONFIG=${env.kubeconfigPath})\n`);

  const config = await loadConfig({ explicitPath: env.kubeconfigPath });
  const discovery = newDiscoveryClientForConfig(config);
  const version = (await discovery.serverVersion()).gitVersion;
  const cs = newForConfig(config);
  const namespaces = await cs.coreV1().namespaces().list();
  console.log(`Kubernetes ${version}, ${namespaces.items.length} namespaces:\n`);
  console.log("NAME".padEnd(20) + "STATUS".padEnd(10) + "CREATED");
  for (const ns of namespaces.items) {
    console.log((ns.metadata?.name ?? "").padEnd(20) + (ns.status?.phase ?? "").padEnd(10) + (ns.metadata?.creationTimestamp ?? ""));
  }
  await Promise.all([cs.close(), discovery.close()]);
} finally {
  await env.stop();
}

