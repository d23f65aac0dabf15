/**
 * @kubets/prometheus: the metrics of the kubets REST client and work queues in prom-client, under
 * the names Kubernetes components and controller-runtime use. `/client` and `/workqueue` need only
 * their own peer (`@kubets/client` or `@kubets/workqueue`); this entry point needs both.
 */
import { register as defaultRegistry, type Registry } from "prom-client";
import { registerClientMetrics, type ClientMetrics } from "./client.js";
import { registerWorkqueueMetrics, type PrometheusWorkqueueMetricsProvider } from "./workqueue.js";

export { LATENCY_BUCKETS, registerClientMetrics, type ClientMetrics } from "./client.js";
export { DURATION_BUCKETS, PrometheusWorkqueueMetricsProvider, registerWorkqueueMetrics } from "./workqueue.js";

/** Registers both the REST client and the workqueue metrics (controller-runtime's default set and more). */
export function registerMetrics(registry: Registry = defaultRegistry): { client: ClientMetrics; workqueue: PrometheusWorkqueueMetricsProvider } {
  return { client: registerClientMetrics(registry), workqueue: registerWorkqueueMetrics(registry) };
}
