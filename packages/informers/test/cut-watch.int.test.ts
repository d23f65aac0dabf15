// An informer whose watch connections are cut (FIN, RST) or black-holed by a proxy between it and the
// real kube-apiserver: it re-watches from its last resourceVersion, as client-go's reflector does, and
// never lists again; a dead connection is noticed within the watch idle timeout.
import { afterAll, describe, expect, it } from "vitest";
import { testEnv } from "@kubets/testenv/vitest";
import { ClientConfigLoader, type RestConfig } from "@kubets/client/config";
import { RESTClient } from "@kubets/client/rest";
import { SharedIndexInformer, newListWatchFromClient, waitForCacheSync, type ListWatchOptions } from "../src/index.js";
import { startCuttingProxy, type CuttingProxy } from "../../client/test/helpers/hostile.js";
import { until } from "./helpers.js";

interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

const clients: RESTClient[] = [];
const proxies: CuttingProxy[] = [];
afterAll(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

function adminConfig(): RestConfig {
  const env = testEnv();
  return new ClientConfigLoader({ explicitPath: env.kubeconfigPath, context: env.contexts.admin }).clientConfig();
}

function core(config: RestConfig): RESTClient {
  const c = new RESTClient({ apiPath: "/api", groupVersion: "v1", ...config, qps: -1 });
  clients.push(c);
  return c;
}

async function setUp(prefix: string, watchIdleTimeout?: number) {
  const config = adminConfig();
  const direct = core(config);
  const ns = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  await direct.post().resource("namespaces").body({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }).do();
  await direct.post().namespace(ns).resource("configmaps").body({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, data: { n: "0" } }).do();
  const proxy = await startCuttingProxy(new URL(config.host).host);
  proxies.push(proxy);
  const viaProxy = core({ ...config, host: `https://${proxy.address}`, ...(watchIdleTimeout !== undefined ? { watchIdleTimeout } : {}) });
  const calls: Array<{ watch: boolean; resourceVersion: string | undefined }> = [];
  const informer = new SharedIndexInformer<ConfigMap>(
    newListWatchFromClient<ConfigMap>(viaProxy, "configmaps", ns, (o: ListWatchOptions) => void calls.push({ watch: o.timeoutSeconds !== undefined, resourceVersion: o.resourceVersion })),
    { typeDescription: "v1.ConfigMap", reflector: { backoff: { initial: 50, max: 500 } } },
  );
  const errors: unknown[] = [];
  informer.setWatchErrorHandler((_, e) => void errors.push(e));
  const ac = new AbortController();
  const running = informer.run(ac.signal);
  expect(await waitForCacheSync(AbortSignal.any([ac.signal, AbortSignal.timeout(20_000)]), informer)).toBe(true);
  const value = () => informer.getStore().getByKey(`${ns}/cm`)?.data?.["n"];
  const update = async (n: number) =>
    direct.put().namespace(ns).resource("configmaps").name("cm").body({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: ns }, data: { n: String(n) } }).do();
  const stop = async () => {
    ac.abort();
    await running;
  };
  return { ns, proxy, calls, errors, informer, value, update, stop };
}

describe("informer through a proxy that cuts its connections", () => {
  it("re-watches from its last resourceVersion after each cut and lists only once", async () => {
    const t = await setUp("cut-watch");
    try {
      const watchesBefore = () => t.calls.filter((c) => c.watch).length;
      for (let i = 1; i <= 8; i++) {
        await until(() => t.proxy.open > 0, 10_000, "a watch connection");
        await t.update(i);
        await until(() => t.value() === String(i), 10_000, `update ${i} seen`);
        const rv = t.informer.lastSyncResourceVersion();
        const watches = watchesBefore();
        t.proxy.cutAll(i % 2 === 0 ? "reset" : "end");
        await until(() => watchesBefore() > watches, 10_000, `re-watch after cut ${i}`);
        expect(t.calls.at(-1)).toEqual({ watch: true, resourceVersion: rv });
      }
      // a change made while the watch was cut is not lost (the watch is over a second old, so the cut
      // is not a "very short watch", which client-go answers with a relist)
      await new Promise((r) => setTimeout(r, 1100));
      t.proxy.cutAll("reset");
      await t.update(100);
      await until(() => t.value() === "100", 10_000, "update after the last cut");
      expect(t.calls.filter((c) => !c.watch)).toHaveLength(1);
      expect(t.errors).toEqual([]);
    } finally {
      await t.stop();
    }
  });

  it("notices a black-holed watch within the idle timeout, re-watches and lists only once", async () => {
    const t = await setUp("blackhole-watch", 1500);
    try {
      // The watch is streaming once it delivers an update (waitForCacheSync returns as soon as the list is
      // in, so the connection open at that moment may still be the list's).
      await t.update(1);
      await until(() => t.value() === "1", 10_000, "an update through the watch");
      const accepted = t.proxy.accepted;
      t.proxy.blackHoleAll();
      // an update now is lost on the dead connection; the informer must notice and re-watch to see it
      await t.update(2);
      await until(() => t.value() === "2", 20_000, "the update behind the black hole");
      expect(t.proxy.accepted).toBeGreaterThan(accepted);
      expect(t.calls.filter((c) => !c.watch)).toHaveLength(1);
      expect(t.errors).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});
