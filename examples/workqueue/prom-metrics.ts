/**
 * Exports @kubets/workqueue metrics with prom-client, under the names client-go
 * registers in k8s.io/component-base/metrics/prometheus/workqueue
 * (workqueue_depth{name="..."}, workqueue_adds_total, ...).
 *
 *   node --conditions=@kubets/source --import tsx examples/workqueue/prom-metrics.ts
 *   PORT=9090 node --conditions=@kubets/source --import tsx examples/workqueue/prom-metrics.ts   # then curl :9090/metrics
 */
import { createServer } from "node:http";
import { Counter, Gauge, Histogram, Registry, exponentialBuckets } from "prom-client";
import {
  defaultTypedControllerRateLimiter,
  newTypedRateLimitingQueueWithConfig,
  splitMetaNamespaceKey,
} from "@kubets/workqueue";
import type { MetricsProvider } from "@kubets/workqueue";

/** A MetricsProvider backed by one prom-client metric family per kind, labelled by queue name. */
export function prometheusMetricsProvider(registry: Registry): MetricsProvider {
  const labelNames = ["name"] as const;
  const buckets = exponentialBuckets(10e-9, 10, 10); // 10 ns .. 10 s, as client-go
  const depth = new Gauge({ name: "workqueue_depth", help: "Items waiting in the workqueue.", labelNames, registers: [registry] });
  const adds = new Counter({ name: "workqueue_adds_total", help: "Adds handled by the workqueue.", labelNames, registers: [registry] });
  const latency = new Histogram({
    name: "workqueue_queue_duration_seconds",
    help: "Seconds an item waits in the workqueue before a worker takes it.",
    labelNames,
    buckets,
    registers: [registry],
  });
  const workDuration = new Histogram({
    name: "workqueue_work_duration_seconds",
    help: "Seconds a worker spends on an item.",
    labelNames,
    buckets,
    registers: [registry],
  });
  const unfinished = new Gauge({
    name: "workqueue_unfinished_work_seconds",
    help: "Total seconds of work in progress that is not done yet; grows when workers are stuck.",
    labelNames,
    registers: [registry],
  });
  const longest = new Gauge({
    name: "workqueue_longest_running_processor_seconds",
    help: "Seconds the longest running worker has been busy with its item.",
    labelNames,
    registers: [registry],
  });
  const retries = new Counter({ name: "workqueue_retries_total", help: "Retries handled by the workqueue.", labelNames, registers: [registry] });

  return {
    newDepthMetric: (name) => depth.labels(name),
    newAddsMetric: (name) => adds.labels(name),
    newLatencyMetric: (name) => latency.labels(name),
    newWorkDurationMetric: (name) => workDuration.labels(name),
    newUnfinishedWorkSecondsMetric: (name) => unfinished.labels(name),
    newLongestRunningProcessorSecondsMetric: (name) => longest.labels(name),
    newRetriesMetric: (name) => retries.labels(name),
  };
}

const registry = new Registry();
const queue = newTypedRateLimitingQueueWithConfig(defaultTypedControllerRateLimiter(), {
  name: "pods",
  metricsProvider: prometheusMetricsProvider(registry),
});

/** Pretend reconcile: fails the first two attempts of every third key. */
async function reconcile(key: string, attempt: number): Promise<void> {
  const { namespace, name } = splitMetaNamespaceKey(key);
  await new Promise((r) => setTimeout(r, 2));
  if (Number(name.split("-")[1]) % 3 === 0 && attempt < 2) throw new Error(`${namespace}/${name}: not ready`);
}

async function worker(): Promise<void> {
  for (;;) {
    const { item: key, shutdown } = await queue.get();
    if (shutdown) return;
    try {
      await reconcile(key, queue.numRequeues(key));
      queue.forget(key);
    } catch {
      queue.addRateLimited(key);
    } finally {
      queue.done(key);
    }
  }
}

for (let i = 0; i < 30; i++) queue.add(`default/pod-${i}`);
const workers = Array.from({ length: 4 }, () => worker());

// Let retries (5 ms, then 10 ms backoff) finish and the 500 ms unfinished-work gauges tick, then stop.
await new Promise((r) => setTimeout(r, 700));
await queue.shutDownWithDrain();
await Promise.all(workers);

const text = await registry.metrics();
const port = process.env["PORT"];
if (port === undefined) {
  console.log(text.split("\n").filter((l) => l.startsWith("workqueue_") && !l.includes("_bucket")).join("\n"));
} else {
  createServer((_req, res) => {
    void registry.metrics().then((body) => {
      res.setHeader("content-type", registry.contentType);
      res.end(body);
    });
  }).listen(Number(port), () => console.log(`metrics on http://127.0.0.1:${port}/metrics`));
}
