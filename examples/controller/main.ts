/**
 * Runs the ConfigMap hash controller with the kubeconfig (KUBECONFIG, ~/.kube/config) or, in a pod,
 * the service account, until Ctrl-C.
 *
 *   node --conditions=@kubets/source --import tsx examples/controller/main.ts [--namespace <ns>] [--workers 2]
 *   kubectl create configmap demo --from-literal=a=1 && kubectl label configmap demo example.kubets.dev/hash=true
 *   kubectl get configmap demo -o jsonpath='{.metadata.annotations}'
 */
import { parseArgs } from "node:util";
import { loadConfig } from "@kubets/client/config";
import { newForConfig } from "@kubets/client/kubernetes";
import { ConfigMapHashController } from "./controller.js";

const { values } = parseArgs({ options: { namespace: { type: "string", default: "" }, workers: { type: "string", default: "2" } } });
const cs = newForConfig(await loadConfig());
const controller = new ConfigMapHashController(cs, { namespace: values.namespace, workers: Number(values.workers) });
const stop = new AbortController();
for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort());
console.log(`configmap-hash: watching ConfigMaps labelled example.kubets.dev/hash=true in ${values.namespace || "all namespaces"}; Ctrl-C stops`);
await controller.run(stop.signal);
await cs.close();
console.log(`configmap-hash: stopped (${JSON.stringify(controller.stats)})`);
