/**
 * Runs the ConfigMap hash controller with the kubeconfig (KUBECONFIG, ~/.kube/config) or, in a pod,
 * the service account, until Ctrl-C.
 *
 *   node --conditions=@kubets/source --import tsx examples/controller/main.ts [--namespace <ns>] [--workers 2]
 *        [--leader-elect [--lease-namespace <ns>] [--identity <id>]]
 *   kubectl create configmap demo --from-literal=a=1 && kubectl label configmap demo example.kubets.dev/hash=true
 *   kubectl get configmap demo -o jsonpath='{.metadata.annotations}'
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { loadConfig, loadNamespace } from "@kubets/client/config";
import { newBroadcaster } from "@kubets/client/events";
import { newForConfig } from "@kubets/client/kubernetes";
import { ConfigMapHashController } from "./controller.js";
import { LEASE_NAME, LeaderElectedController } from "./leader.js";

const { values } = parseArgs({
  options: {
    namespace: { type: "string", default: "" },
    workers: { type: "string", default: "2" },
    "leader-elect": { type: "boolean", default: false },
    "lease-namespace": { type: "string" },
    identity: { type: "string" },
  },
});
const cs = newForConfig(await loadConfig());
const stop = new AbortController();
for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort());
const events = newBroadcaster({ client: cs });
events.startRecordingToSink(stop.signal);
const recorder = events.newRecorder("kubets.dev/configmap-hash");
const options = { namespace: values.namespace, workers: Number(values.workers), recorder };
console.log(`configmap-hash: watching ConfigMaps labelled example.kubets.dev/hash=true in ${values.namespace || "all namespaces"}; Ctrl-C stops`);

let exitCode = 0;
if (values["leader-elect"]) {
  const identity = values.identity ?? `${hostname()}-${randomBytes(4).toString("hex")}`;
  const leaseNamespace = values["lease-namespace"] ?? (await loadNamespace());
  console.log(`configmap-hash: leader election on Lease ${leaseNamespace}/${LEASE_NAME} as ${identity}`);
  const le = new LeaderElectedController(cs, {
    ...options,
    leaseNamespace,
    identity,
    onNewLeader: (id) => console.log(`configmap-hash: ${id === identity ? "this replica" : id} is the leader`),
  });
  const { lost } = await le.run(stop.signal);
  if (lost) {
    console.error("configmap-hash: leader election lost; exiting so that this replica starts again as a candidate");
    exitCode = 1;
  }
} else {
  const controller = new ConfigMapHashController(cs, options);
  await controller.run(stop.signal);
  console.log(`configmap-hash: stopped (${JSON.stringify(controller.stats)})`);
}
await events.shutdown();
await cs.close();
process.exitCode = exitCode;
