/**
 * The API server's health endpoints (`/readyz`, `/livez`, `/healthz`), as `kubectl get --raw
 * /readyz?verbose` reads them and client-node's `Health` offers them.
 */
import { apiStatusOf } from "@kubets/apimachinery/errors";
import type { RestConfig } from "../config/types.js";
import { RESTClient } from "./client.js";

/** Options of {@link checkHealth}, {@link readyz} and {@link livez}. */
export interface HealthCheckOptions {
  /** Ask for the per-check report (`?verbose`): one `[+]name ok` / `[-]name failed` line each. */
  verbose?: boolean;
  /** Checks to leave out (`?exclude=etcd`), e.g. when a dependency is known to be down. */
  exclude?: readonly string[];
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** What a health endpoint answered. */
export interface HealthCheckResult {
  /** The endpoint answered 200: the server is ready (or live, or healthy). */
  ok: boolean;
  /** The HTTP status (200, or 500 with the failed checks listed in `text`). */
  status: number;
  /** The response text: `ok`, or the verbose report. */
  text: string;
  /** The endpoint that answered (`healthz` when the server has no `readyz`/`livez`, before v1.16). */
  endpoint: "readyz" | "livez" | "healthz";
}

async function onClient<T>(target: RESTClient | RestConfig, fn: (client: RESTClient) => Promise<T>): Promise<T> {
  if (target instanceof RESTClient) return fn(target);
  const client = new RESTClient({ ...target, qps: -1 });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

async function ask(client: RESTClient, endpoint: HealthCheckResult["endpoint"], opts: HealthCheckOptions): Promise<HealthCheckResult> {
  const req = client.get().absPath(`/${endpoint}`).signal(opts.signal);
  if (opts.verbose) req.param("verbose", "true");
  for (const check of opts.exclude ?? []) req.param("exclude", check);
  try {
    const res = await req.result();
    return { ok: true, status: res.statusCode, text: new TextDecoder().decode(res.body), endpoint };
  } catch (err) {
    const status = apiStatusOf(err);
    if (status?.code === undefined) throw err; // no answer: a TransportError saying why
    return { ok: false, status: status.code, text: status.message ?? "", endpoint };
  }
}

/**
 * Asks one health endpoint of the API server. A 200 is `ok`, any other status is a result with
 * `ok: false` (the text lists failed checks when `verbose`), and a server that could not be reached
 * rejects with a TransportError. A server without the endpoint (404) is asked `/healthz` instead.
 * `target` is a RESTClient (reused) or a RestConfig (a client is opened and closed for the call).
 */
export async function checkHealth(target: RESTClient | RestConfig, endpoint: "readyz" | "livez", opts: HealthCheckOptions = {}): Promise<HealthCheckResult> {
  return onClient(target, async (client) => {
    const r = await ask(client, endpoint, opts);
    return r.status === 404 ? ask(client, "healthz", opts) : r;
  });
}

/** Whether the API server is ready to serve requests (`/readyz` answers 200). */
export async function readyz(target: RESTClient | RestConfig, opts: HealthCheckOptions = {}): Promise<boolean> {
  return (await checkHealth(target, "readyz", opts)).ok;
}

/** Whether the API server is alive (`/livez` answers 200); a live server may not be ready yet. */
export async function livez(target: RESTClient | RestConfig, opts: HealthCheckOptions = {}): Promise<boolean> {
  return (await checkHealth(target, "livez", opts)).ok;
}
