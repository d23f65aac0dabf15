/**
 * The work queues' metrics in prom-client, under controller-runtime's names and labels
 * (`workqueue_depth{name, controller, priority}`, `workqueue_adds_total{name, controller}`, ...).
 * Only named queues report, as in client-go.
 */
import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from "prom-client";
import { setProvider, type CounterMetric, type GaugeMetric, type HistogramMetric, type MetricsProvider, type SettableGaugeMetric } from "@kubets/workqueue";

/** controller-runtime's buckets for queue and work durations: 10ns to 1000s, by tens. */
export const DURATION_BUCKETS: readonly number[] = Array.from({ length: 12 }, (_, i) => 1e-8 * 10 ** i);

function metric<M>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}

/**
 * A workqueue MetricsProvider backed by prom-client metrics in one registry (controller-runtime's
 * PrometheusWorkqueueMetricsProvider). The `controller` label repeats the queue name, as there.
 */
export class PrometheusWorkqueueMetricsProvider implements MetricsProvider {
  readonly #depth: Gauge<"name" | "controller" | "priority">;
  readonly #adds: Counter<"name" | "controller">;
  readonly #latency: Histogram<"name" | "controller">;
  readonly #workDuration: Histogram<"name" | "controller">;
  readonly #unfinished: Gauge<"name" | "controller">;
  readonly #longestRunning: Gauge<"name" | "controller">;
  readonly #retries: Counter<"name" | "controller">;

  /** Creates (or reuses) the seven workqueue metrics in `registry` (default: prom-client's global one). */
  constructor(registry: Registry = defaultRegistry) {
    const registers = [registry];
    const nc = ["name", "controller"] as const;
    this.#depth = metric(registry, "workqueue_depth", () => new Gauge({ name: "workqueue_depth", help: "Current depth of workqueue by workqueue and priority", labelNames: ["name", "controller", "priority"], registers }));
    this.#adds = metric(registry, "workqueue_adds_total", () => new Counter({ name: "workqueue_adds_total", help: "Total number of adds handled by workqueue", labelNames: nc, registers }));
    this.#latency = metric(registry, "workqueue_queue_duration_seconds", () => new Histogram({ name: "workqueue_queue_duration_seconds", help: "How long in seconds an item stays in workqueue before being requested", labelNames: nc, buckets: [...DURATION_BUCKETS], registers }));
    this.#workDuration = metric(registry, "workqueue_work_duration_seconds", () => new Histogram({ name: "workqueue_work_duration_seconds", help: "How long in seconds processing an item from workqueue takes.", labelNames: nc, buckets: [...DURATION_BUCKETS], registers }));
    this.#unfinished = metric(registry, "workqueue_unfinished_work_seconds", () => new Gauge({ name: "workqueue_unfinished_work_seconds", help: "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.", labelNames: nc, registers }));
    this.#longestRunning = metric(registry, "workqueue_longest_running_processor_seconds", () => new Gauge({ name: "workqueue_longest_running_processor_seconds", help: "How many seconds has the longest running processor for workqueue been running.", labelNames: nc, registers }));
    this.#retries = metric(registry, "workqueue_retries_total", () => new Counter({ name: "workqueue_retries_total", help: "Total number of retries handled by workqueue", labelNames: nc, registers }));
  }

  /** `workqueue_depth{name, controller, priority=""}`. */
  newDepthMetric(name: string): GaugeMetric {
    return this.#depth.labels({ name, controller: name, priority: "" });
  }
  /** `workqueue_adds_total{name, controller}`. */
  newAddsMetric(name: string): CounterMetric {
    return this.#adds.labels({ name, controller: name });
  }
  /** `workqueue_queue_duration_seconds{name, controller}`. */
  newLatencyMetric(name: string): HistogramMetric {
    return this.#latency.labels({ name, controller: name });
  }
  /** `workqueue_work_duration_seconds{name, controller}`. */
  newWorkDurationMetric(name: string): HistogramMetric {
    return this.#workDuration.labels({ name, controller: name });
  }
  /** `workqueue_unfinished_work_seconds{name, controller}`. */
  newUnfinishedWorkSecondsMetric(name: string): SettableGaugeMetric {
    return this.#unfinished.labels({ name, controller: name });
  }
  /** `workqueue_longest_running_processor_seconds{name, controller}`. */
  newLongestRunningProcessorSecondsMetric(name: string): SettableGaugeMetric {
    return this.#longestRunning.labels({ name, controller: name });
  }
  /** `workqueue_retries_total{name, controller}`. */
  newRetriesMetric(name: string): CounterMetric {
    return this.#retries.labels({ name, controller: name });
  }
}

/**
 * Registers the workqueue metrics in `registry` (default: prom-client's global registry) and makes
 * them the provider of every named queue created afterwards (`setProvider` of `@kubets/workqueue`).
 */
export function registerWorkqueueMetrics(registry: Registry = defaultRegistry): PrometheusWorkqueueMetricsProvider {
  const provider = new PrometheusWorkqueueMetricsProvider(registry);
  setProvider(provider);
  return provider;
}
