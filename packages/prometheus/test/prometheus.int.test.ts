// The metrics a Prometheus scrape shows after real requests against the shared kube-apiserver and a
// real named workqueue: controller-runtime's names, client-go's labels and values that match what was
// done. Retries come from a local server answering 503 + Retry-After (a real server does that only
// under overload).
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Registry } from "prom-client";
import { testEnv } from "@kubets/testenv/vitest";
import { isNotFound } from "@kubets/apimachinery/errors";
import { ClientConfigLoader, type RestConfig } from "@kubets/client/config";
import { newForConfig } from "@kubets/client/kubernetes";
import { reset } from "@kubets/client/metrics";
import { RESTClient } from "@kubets/client/rest";
import { newTypedRateLimitingQueueWithConfig, newTypedItemExponentialFailureRateLimiter } from "@kubets/workqueue";
import { registerMetrics } from "@kubets/prometheus";

const registry = new Registry();
let scrape = "";
let host = "";

function admin(): RestConfig {
  const env = testEnv();
  return { ...new ClientConfigLoader({ explicitPath: env.kubeconfigPath, context: env.contexts.admin }).clientConfig(), qps: -1 };
}

/** The value of one sample line, e.g. `rest_client_requests_total{code="200",...}`. */
function sample(name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of scrape.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf("}")).split(",");
    if (want.every((w) => inside.includes(w)) && inside.length === want.length) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

let flaky: Server;
beforeAll(async () => {
  registerMetrics(registry);
  const config = admin();
  host = new URL(config.host!).host;
  const cs = newForConfig(config);
  try {
    await cs.coreV1().namespaces().list();
    await cs.coreV1().namespaces().get("default");
    await cs.coreV1().configMaps("default").get("no-such-config-map").catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
    // An exec credential plugin (its token is unknown to the server, the admin client certificate
    // authenticates): one successful plugin run.
    const token = JSON.stringify({ kind: "ExecCredential", apiVersion: "client.authentication.k8s.io/v1", status: { token: "not-a-real-token" } });
    const viaPlugin = newForConfig({
      host: config.host!,
      tlsClientConfig: config.tlsClientConfig ?? {},
      qps: -1,
      execProvider: { command: process.execPath, args: ["-e", `process.stdout.write(${JSON.stringify(token)})`], apiVersion: "client.authentication.k8s.io/v1", interactiveMode: "Never" },
    });
    await viaPlugin.coreV1().namespaces().list().catch(() => undefined);
    await viaPlugin.close();
  } finally {
    await cs.close();
  }

  // 503 with Retry-After once, then 200: one retry and one success on the local host.
  let calls = 0;
  flaky = createServer((_req, res) => {
    calls++;
    if (calls === 1) res.writeHead(503, { "retry-after": "1", "content-type": "application/json" }).end("{}");
    else res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((r) => flaky.listen(0, "127.0.0.1", r));
  const port = (flaky.address() as { port: number }).port;
  const local = new RESTClient({ host: `http://127.0.0.1:${port}`, apiPath: "/api", groupVersion: "v1", qps: -1, tlsClientConfig: {} });
  await local.get().resource("pods").do();
  await local.close();

  // A named queue: two adds, one processed and re-added rate-limited (a retry; the add itself comes
  // after the delay, past the scrape).
  const queue = newTypedRateLimitingQueueWithConfig(newTypedItemExponentialFailureRateLimiter<string>(1, 10), { name: "scrape-test" });
  queue.add("default/a");
  queue.add("default/b");
  const { item } = await queue.get();
  queue.addRateLimited(item!);
  queue.done(item!);
  queue.shutDown();

  scrape = await registry.metrics();
}, 60_000);

afterAll(async () => {
  reset();
  await new Promise((r) => flaky.close(r));
});

describe("a scrape after real requests", () => {
  it("counts requests by code, method and host (rest_client_requests_total)", () => {
    expect(sample("rest_client_requests_total", { code: "200", method: "GET", host })).toBe(3);
    expect(sample("rest_client_requests_total", { code: "404", method: "GET", host })).toBe(1);
  });

  it("observes request and rate-limiter latency by verb and host", () => {
    const requests = 4;
    expect(sample("rest_client_request_duration_seconds_count", { verb: "GET", host })).toBe(requests);
    expect(sample("rest_client_request_duration_seconds_bucket", { le: "60", verb: "GET", host })).toBe(requests);
    expect(sample("rest_client_rate_limiter_duration_seconds_count", { verb: "GET", host })).toBe(requests);
    expect(scrape).toContain("# TYPE rest_client_request_duration_seconds histogram");
  });

  it("counts retries and exec plugin calls", () => {
    const local = /rest_client_request_retries_total\{code="503",verb="GET",host="(127\.0\.0\.1:\d+)"\} 1/.exec(scrape);
    expect(local).not.toBeNull();
    expect(sample("rest_client_requests_total", { code: "200", method: "GET", host: local![1]! })).toBe(1);
    expect(sample("rest_client_exec_plugin_call_total", { code: "0", call_status: "no_error" })).toBe(1);
  });

  it("exports the workqueue metrics under controller-runtime's names and labels", () => {
    const q = { name: "scrape-test", controller: "scrape-test" };
    expect(sample("workqueue_adds_total", q)).toBe(2);
    expect(sample("workqueue_retries_total", q)).toBe(1);
    expect(sample("workqueue_depth", { ...q, priority: "" })).toBe(1);
    expect(sample("workqueue_queue_duration_seconds_count", q)).toBe(1);
    expect(sample("workqueue_work_duration_seconds_count", q)).toBe(1);
    for (const name of ["workqueue_unfinished_work_seconds", "workqueue_longest_running_processor_seconds"]) expect(scrape).toContain(`# TYPE ${name} gauge`);
  });
});
