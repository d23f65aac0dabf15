/**
 * The REST client's metrics in prom-client, under the names and labels Kubernetes components
 * (k8s.io/component-base) and controller-runtime register for client-go.
 */
import { Counter, Histogram, register as defaultRegistry, type Registry } from "prom-client";
import { register, type RegisterOpts } from "@kubets/client/metrics";

/** The buckets component-base uses for request and rate-limiter latency, in seconds. */
export const LATENCY_BUCKETS: readonly number[] = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

/** The metrics {@link registerClientMetrics} registers, to read or reset in tests. */
export interface ClientMetrics {
  /** `rest_client_requests_total{code, method, host}`: finished requests by final status code. */
  readonly requestsTotal: Counter<"code" | "method" | "host">;
  /** `rest_client_request_duration_seconds{verb, host}`: time to the response headers, retries included. */
  readonly requestDuration: Histogram<"verb" | "host">;
  /** `rest_client_rate_limiter_duration_seconds{verb, host}`: time waiting for the client-side rate limiter. */
  readonly rateLimiterDuration: Histogram<"verb" | "host">;
  /** `rest_client_request_retries_total{code, verb, host}`: attempts that were retried. */
  readonly requestRetriesTotal: Counter<"code" | "verb" | "host">;
  /** `rest_client_exec_plugin_call_total{code, call_status}`: exec credential plugin runs. */
  readonly execPluginCallsTotal: Counter<"code" | "call_status">;
}

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing !== undefined) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function histogram<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Histogram<L> {
  const existing = registry.getSingleMetric(name);
  if (existing !== undefined) return existing as Histogram<L>;
  return new Histogram({ name, help, labelNames, buckets: [...LATENCY_BUCKETS], registers: [registry] });
}

/**
 * Registers the REST client metrics in `registry` (default: prom-client's global registry) and
 * installs them as `@kubets/client/metrics` hooks, process-wide. Calling it again with the same
 * registry reuses the metrics already there.
 */
export function registerClientMetrics(registry: Registry = defaultRegistry): ClientMetrics {
  const m: ClientMetrics = {
    requestsTotal: counter(registry, "rest_client_requests_total", "Number of HTTP requests, partitioned by status code, method, and host.", ["code", "method", "host"]),
    requestDuration: histogram(registry, "rest_client_request_duration_seconds", "Request latency in seconds. Broken down by verb, and host.", ["verb", "host"]),
    rateLimiterDuration: histogram(registry, "rest_client_rate_limiter_duration_seconds", "Client side rate limiter latency in seconds. Broken down by verb, and host.", ["verb", "host"]),
    requestRetriesTotal: counter(registry, "rest_client_request_retries_total", "Number of request retries, partitioned by status code, verb, and host.", ["code", "verb", "host"]),
    execPluginCallsTotal: counter(registry, "rest_client_exec_plugin_call_total", "Number of calls to an exec plugin, partitioned by the type of event encountered (no_error, plugin_execution_error, plugin_not_found_error, client_internal_error) and an optional exit code. The exit code will be set to 0 if and only if the plugin call was successful.", ["code", "call_status"]),
  };
  const hooks: RegisterOpts = {
    requestResult: { increment: (code, method, host) => m.requestsTotal.inc({ code, method, host }) },
    requestLatency: { observe: (verb, url, seconds) => m.requestDuration.observe({ verb, host: url.host }, seconds) },
    rateLimiterLatency: { observe: (verb, url, seconds) => m.rateLimiterDuration.observe({ verb, host: url.host }, seconds) },
    requestRetry: { incrementRetry: (code, verb, host) => m.requestRetriesTotal.inc({ code, verb, host }) },
    execPluginCalls: { increment: (exitCode, callStatus) => m.execPluginCallsTotal.inc({ code: String(exitCode), call_status: callStatus }) },
  };
  register(hooks);
  return m;
}
