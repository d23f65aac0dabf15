/**
 * Runs the sample controller with the kubeconfig (KUBECONFIG, ~/.kube/config) or, in a pod, the
 * service account, until Ctrl-C. Installs the Foo CRD first.
 *
 *   node --conditions=@kubets/source --import tsx examples/sample-controller/main.ts [--namespace <ns>] [--workers 2]
 *   kubectl apply -f - <<<'{"apiVersion":"samplecontroller.k8s.io/v1alpha1","kind":"Foo","metadata":{"name":"example-foo"},"spec":{"deploymentName":"example-foo","replicas":1}}'
 *   kubectl get deployment example-foo; kubectl describe foo example-foo
 */
import { parseArgs } from "node:util";
import { loadConfig } from "@kubets/client/config";
import * as dynamic from "@kubets/client/dynamic";
import { newForConfig } from "@kubets/client/kubernetes";
import { newBroadcaster } from "@kubets/client/record";
import { CONTROLLER_NAME, FooController } from "./controller.js";
import { installFooCRD } from "./crd.js";

const { values } = parseArgs({ options: { namespace: { type: "string", default: "" }, workers: { type: "string", default: "2" } } });
const config = await loadConfig();
const dyn = dynamic.newForConfig(config);
const cs = newForConfig(config);
await installFooCRD(dyn);
const stop = new AbortController();
for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort());
const events = newBroadcaster();
events.startRecordingToSink(cs);
events.startStructuredLogging((msg, kv) => console.log(msg, JSON.stringify(kv)));
const recorder = events.newRecorder({ component: CONTROLLER_NAME });
const controller = new FooController(dyn, { namespace: values.namespace, workers: Number(values.workers), recorder });
console.log(`${CONTROLLER_NAME}: watching Foos in ${values.namespace || "all namespaces"}; Ctrl-C stops`);
await controller.run(stop.signal);
console.log(`${CONTROLLER_NAME}: stopped (${JSON.stringify(controller.stats)})`);
await events.shutdown();
await Promise.all([dyn.close(), cs.close()]);
