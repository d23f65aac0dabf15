/**
 * The metrics hooks (public part re-exported by `@kubets/client/metrics`). client-go's tools/metrics: process-wide hooks the REST client and the exec credential plugin
 * report to. All are no-ops until {@link register} installs adapters; `@kubets/prometheus` installs
 * prom-client ones under the metric names Kubernetes components and controller-runtime use.
 *
 * Labels follow client-go: `verb`/`method` is the HTTP method, `host` is the server's host:port,
 * `code` is the HTTP status as a string or `"<error>"` when no response arrived. Durations are in
 * seconds.
 */

/** Observes a duration by verb and URL (client-go's LatencyMetric). */
export interface LatencyMetric {
  /**
   * One observation. `url` is the request URL with the namespace, name and query values replaced by
   * `{namespace}`, `{name}` and `{value}` (client-go's finalURLTemplate), so it is safe as a label.
   */
  observe(verb: string, url: URL, seconds: number): void;
}

/** Counts requests by result (client-go's ResultMetric). */
export interface ResultMetric {
  /** One finished request: its final status code (or `"<error>"`), method and host. */
  increment(code: string, method: string, host: string): void;
}

/** Counts retried attempts (client-go's RetryMetric). */
export interface RetryMetric {
  /** One attempt that is being retried: its status code (or `"<error>"`), method and host. */
  incrementRetry(code: string, method: string, host: string): void;
}

/** Counts exec credential plugin runs (client-go's CallsMetric). */
export interface CallsMetric {
  /**
   * One run: its exit code (1 when it could not run) and one of `"no_error"`,
   * `"plugin_execution_error"`, `"plugin_not_found_error"`, `"client_internal_error"`.
   */
  increment(exitCode: number, callStatus: string): void;
}

/** The hooks {@link register} accepts; each one left out stays as it is. */
export interface RegisterOpts {
  /** Time from the start of a request to its response headers, retries included. */
  requestLatency?: LatencyMetric;
  /** Time spent waiting for the client-side rate limiter, per wait. */
  rateLimiterLatency?: LatencyMetric;
  /** Every finished request by final status code. */
  requestResult?: ResultMetric;
  /** Every attempt that is retried (a 429 or 5xx with Retry-After, a reset connection on GET). */
  requestRetry?: RetryMetric;
  /** Every run of an exec credential plugin. */
  execPluginCalls?: CallsMetric;
}

const noop = {
  observe(): void {},
  increment(): void {},
  incrementRetry(): void {},
};

const hooks: Required<RegisterOpts> = {
  requestLatency: noop,
  rateLimiterLatency: noop,
  requestResult: noop,
  requestRetry: noop,
  execPluginCalls: noop,
};

/**
 * Installs metric adapters process-wide (client-go's metrics.Register). Unlike client-go, a later
 * call replaces the hooks it names (so tests and hot reloads can swap them); {@link reset} restores
 * the no-ops.
 */
export function register(opts: RegisterOpts): void {
  for (const [k, v] of Object.entries(opts) as [keyof RegisterOpts, RegisterOpts[keyof RegisterOpts]][]) {
    if (v !== undefined) (hooks as Record<string, unknown>)[k] = v;
  }
}

/** Restores every hook to a no-op. */
export function reset(): void {
  hooks.requestLatency = noop;
  hooks.rateLimiterLatency = noop;
  hooks.requestResult = noop;
  hooks.requestRetry = noop;
  hooks.execPluginCalls = noop;
}

/** The hooks as the REST client and the exec plugin call them. */
export function currentHooks(): Readonly<Required<RegisterOpts>> {
  return hooks;
}

/** The URL as a metric label: namespace, name and query values replaced (client-go's finalURLTemplate). */
export function urlTemplate(url: URL, namespace: string, name: string): URL {
  const t = new URL(url.href);
  let path = t.pathname;
  if (namespace !== "") path = path.replace(`/namespaces/${encodeURIComponent(namespace)}`, "/namespaces/{namespace}");
  if (name !== "") {
    const segs = path.split("/");
    const i = segs.lastIndexOf(encodeURIComponent(name));
    if (i > 0) segs[i] = "{name}";
    path = segs.join("/");
  }
  t.pathname = path;
  const q = new URLSearchParams();
  for (const k of new Set(t.searchParams.keys())) q.set(k, "{value}");
  t.search = q.toString();
  return t;
}

/** One request's metrics, as client-go's Request reports them. */
export class RequestMetrics {
  readonly #verb: string;
  readonly #host: string;
  readonly #template: () => URL;
  readonly #start = performance.now();

  constructor(verb: string, url: URL, template: () => URL) {
    this.#verb = verb;
    this.#host = url.host;
    this.#template = template;
  }

  /** Times a rate limiter wait. */
  async rateLimited(wait: Promise<void>): Promise<void> {
    const t = performance.now();
    await wait;
    if (hooks.rateLimiterLatency !== noop) hooks.rateLimiterLatency.observe(this.#verb, this.#template(), (performance.now() - t) / 1000);
  }

  /** An attempt that will be retried: its status, or undefined when no response arrived. */
  retry(status: number | undefined): void {
    hooks.requestRetry.incrementRetry(status === undefined ? "<error>" : String(status), this.#verb, this.#host);
  }

  /** The final result: its status, or undefined when no response arrived. */
  done(status: number | undefined): void {
    hooks.requestResult.increment(status === undefined ? "<error>" : String(status), this.#verb, this.#host);
    if (hooks.requestLatency !== noop) hooks.requestLatency.observe(this.#verb, this.#template(), (performance.now() - this.#start) / 1000);
  }
}

/** Reports one exec plugin run as client-go's incrementCallsMetric does. */
export function recordExecPluginCall(exitCode: number | null, spawnError: { code?: string | undefined } | undefined): void {
  if (spawnError !== undefined) {
    const notFound = spawnError.code === "ENOENT" || spawnError.code === "EACCES";
    hooks.execPluginCalls.increment(1, notFound ? ExecPluginCallStatus.pluginNotFoundError : ExecPluginCallStatus.clientInternalError);
  } else if (exitCode === 0) hooks.execPluginCalls.increment(0, ExecPluginCallStatus.noError);
  else hooks.execPluginCalls.increment(exitCode ?? 1, ExecPluginCallStatus.pluginExecutionError);
}

/** client-go's call statuses for {@link CallsMetric}. */
export const ExecPluginCallStatus = {
  noError: "no_error",
  pluginExecutionError: "plugin_execution_error",
  pluginNotFoundError: "plugin_not_found_error",
  clientInternalError: "client_internal_error",
} as const;
