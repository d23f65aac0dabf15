/**
 * Metrics hooks, as in client-go util/workqueue/metrics.go. A queue reports
 * through a {@link MetricsProvider} only when it has a name; by default the
 * provider is a no-op. Durations are reported in seconds, as client-go does.
 */
import type { Clock } from "./clock.js";

/** A value that goes up and down. */
export interface GaugeMetric {
  inc(): void;
  dec(): void;
}

/** A gauge that is set to a value. */
export interface SettableGaugeMetric {
  set(value: number): void;
}

/** A value that only goes up. */
export interface CounterMetric {
  inc(): void;
}

/** Individual observations (client-go's SummaryMetric). */
export interface SummaryMetric {
  observe(value: number): void;
}

/** Individual observations counted into buckets. */
export interface HistogramMetric {
  observe(value: number): void;
}

/**
 * Creates the metrics of one named queue. The metric set is client-go's:
 * depth, adds, queue latency, work duration, unfinished work seconds, longest
 * running processor seconds and retries.
 */
export interface MetricsProvider {
  newDepthMetric(name: string): GaugeMetric;
  newAddsMetric(name: string): CounterMetric;
  newLatencyMetric(name: string): HistogramMetric;
  newWorkDurationMetric(name: string): HistogramMetric;
  newUnfinishedWorkSecondsMetric(name: string): SettableGaugeMetric;
  newLongestRunningProcessorSecondsMetric(name: string): SettableGaugeMetric;
  newRetriesMetric(name: string): CounterMetric;
}

const noopMetric = {
  inc(): void {},
  dec(): void {},
  set(_value: number): void {},
  observe(_value: number): void {},
};

class NoopMetricsProvider implements MetricsProvider {
  newDepthMetric(): GaugeMetric {
    return noopMetric;
  }
  newAddsMetric(): CounterMetric {
    return noopMetric;
  }
  newLatencyMetric(): HistogramMetric {
    return noopMetric;
  }
  newWorkDurationMetric(): HistogramMetric {
    return noopMetric;
  }
  newUnfinishedWorkSecondsMetric(): SettableGaugeMetric {
    return noopMetric;
  }
  newLongestRunningProcessorSecondsMetric(): SettableGaugeMetric {
    return noopMetric;
  }
  newRetriesMetric(): CounterMetric {
    return noopMetric;
  }
}

/** The provider that records nothing (the default). */
export const noopMetricsProvider: MetricsProvider = new NoopMetricsProvider();

let globalMetricsProvider: MetricsProvider = noopMetricsProvider;
let globalProviderSet = false;

/**
 * Sets the metrics provider for every queue created afterwards without its own
 * `metricsProvider`. Only the first call has an effect, as in client-go.
 */
export function setProvider(metricsProvider: MetricsProvider): void {
  if (globalProviderSet) return;
  globalProviderSet = true;
  globalMetricsProvider = metricsProvider;
}

/** @internal the provider a queue without an explicit one uses. */
export function globalProvider(): MetricsProvider {
  return globalMetricsProvider;
}

/** @internal per-queue metrics; absent when the queue is unnamed or the provider is the no-op. */
export class QueueMetrics {
  private readonly depth: GaugeMetric;
  private readonly adds: CounterMetric;
  private readonly latency: HistogramMetric;
  private readonly workDuration: HistogramMetric;
  private readonly unfinishedWorkSeconds: SettableGaugeMetric;
  private readonly longestRunningProcessor: SettableGaugeMetric;
  private readonly addTimes = new Map<unknown, number>();
  private readonly processingStartTimes = new Map<unknown, number>();

  constructor(
    provider: MetricsProvider,
    name: string,
    private readonly clock: Clock,
  ) {
    this.depth = provider.newDepthMetric(name);
    this.adds = provider.newAddsMetric(name);
    this.latency = provider.newLatencyMetric(name);
    this.workDuration = provider.newWorkDurationMetric(name);
    this.unfinishedWorkSeconds = provider.newUnfinishedWorkSecondsMetric(name);
    this.longestRunningProcessor = provider.newLongestRunningProcessorSecondsMetric(name);
  }

  add(key: unknown): void {
    this.adds.inc();
    this.depth.inc();
    if (!this.addTimes.has(key)) this.addTimes.set(key, this.clock.now());
  }

  get(key: unknown): void {
    this.depth.dec();
    this.processingStartTimes.set(key, this.clock.now());
    const start = this.addTimes.get(key);
    if (start !== undefined) {
      this.latency.observe(this.clock.since(start) / 1000);
      this.addTimes.delete(key);
    }
  }

  done(key: unknown): void {
    const start = this.processingStartTimes.get(key);
    if (start !== undefined) {
      this.workDuration.observe(this.clock.since(start) / 1000);
      this.processingStartTimes.delete(key);
    }
  }

  updateUnfinishedWork(): void {
    let total = 0;
    let oldest = 0;
    for (const t of this.processingStartTimes.values()) {
      const age = this.clock.since(t) / 1000;
      total += age;
      if (age > oldest) oldest = age;
    }
    this.unfinishedWorkSeconds.set(total);
    this.longestRunningProcessor.set(oldest);
  }
}

/** @internal */
export function newQueueMetrics(
  provider: MetricsProvider | undefined,
  name: string | undefined,
  clock: Clock,
): QueueMetrics | undefined {
  const mp = provider ?? globalMetricsProvider;
  if (!name || mp === noopMetricsProvider) return undefined;
  return new QueueMetrics(mp, name, clock);
}

/** @internal the retries counter of a delaying queue, or undefined when unnamed. */
export function newRetryMetric(provider: MetricsProvider | undefined, name: string | undefined): CounterMetric | undefined {
  if (!name) return undefined;
  return (provider ?? globalMetricsProvider).newRetriesMetric(name);
}
