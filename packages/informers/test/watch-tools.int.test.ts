// tools/watch against the real API server: a RetryWatcher across watches the server ends, until,
// untilWithSync and the informer watcher. (The RetryWatcher's stop on 410 after an etcd compaction is
// tested in relist-gone.int.test.ts, which has a control plane without the watch cache.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "@kubets/testenv/vitest";
import type { ConfigMap } from "@kubets/api/core/v1";
import type { ListOptions } from "@kubets/apimachinery/meta/v1";
import { ClientConfigLoader } from "@kubets/client/config";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import type { ListResult, ListerWatcher, Watch } from "../src/index.js";
import { newIndexerInformerWatcher, newRetryWatcher, until, untilWithSync, type WatcherClient } from "../src/watch/index.js";

const ns = `kubets-watchtools-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
let cs: Clientset;

beforeAll(async () => {
  const env = testEnv();
  const config = new ClientConfigLoader({ explicitPath: env.kubeconfigPath, context: env.contexts.admin }).clientConfig();
  cs = newForConfig({ ...config, qps: -1 });
  await cs.coreV1().namespaces().create({ metadata: { name: ns } });
});

afterAll(async () => {
  await cs.coreV1().namespaces().delete(ns).catch(() => undefined);
  await cs.close();
});

function configMaps(): ListerWatcher<ConfigMap> & WatcherClient<ConfigMap> {
  const c = cs.coreV1().configMaps(ns);
  return {
    list: async (o) => (await c.list(o)) as ListResult<ConfigMap>,
    watch: async (o) => (await c.watch(o)) as Watch<ConfigMap>,
  };
}

describe("RetryWatcher against the real server", () => {
  it("delivers every change exactly once across watches the server ends every second", async () => {
    const c = cs.coreV1().configMaps(ns);
    const start = await c.create({ metadata: { name: "rw" }, data: { v: "0" } });
    let watches = 0;
    // Each watch is ended by the server after one second (timeoutSeconds), so the changes below span several.
    const shortWatches: WatcherClient<ConfigMap> = {
      watch: async (o: ListOptions & { signal?: AbortSignal }) => {
        watches++;
        return c.watch({ ...o, timeoutSeconds: 1 });
      },
    };
    const rw = newRetryWatcher(start.metadata?.resourceVersion ?? "", shortWatches, { minRestartDelay: 100 });
    const writer = (async () => {
      for (let i = 1; i <= 6; i++) {
        await c.update({ metadata: { name: "rw" }, data: { v: String(i) } });
        await new Promise((r) => setTimeout(r, 450));
      }
      await c.delete("rw");
    })();
    const seen: string[] = [];
    for await (const ev of rw) {
      seen.push(`${ev.type}:${(ev.object as ConfigMap).data?.["v"] ?? ""}`);
      if (ev.type === "DELETED") break;
    }
    await writer;
    expect(seen).toEqual(["MODIFIED:1", "MODIFIED:2", "MODIFIED:3", "MODIFIED:4", "MODIFIED:5", "MODIFIED:6", "DELETED:6"]);
    expect(watches).toBeGreaterThan(1);
  });

  it("until() waits through a RetryWatcher for a condition", async () => {
    const c = cs.coreV1().configMaps(ns);
    const created = await c.create({ metadata: { name: "until" }, data: { phase: "pending" } });
    setTimeout(() => void c.update({ metadata: { name: "until" }, data: { phase: "done" } }), 100);
    const ev = await until(AbortSignal.timeout(20_000), created.metadata?.resourceVersion ?? "", configMaps(), (e) => (e.object as ConfigMap).data?.["phase"] === "done");
    expect(ev?.type).toBe("MODIFIED");
  });
});

describe("untilWithSync and newIndexerInformerWatcher against the real server", () => {
  it("the precondition sees the synced cache; the conditions see later events", async () => {
    const c = cs.coreV1().configMaps(ns);
    await c.create({ metadata: { name: "sync" }, data: { ready: "no" } });
    const ev = await untilWithSync(
      AbortSignal.timeout(20_000),
      configMaps(),
      (store) => {
        const ready = store.list().some((cm) => cm.metadata?.name === "sync" && cm.data?.["ready"] === "yes");
        if (!ready) void c.update({ metadata: { name: "sync" }, data: { ready: "yes" } });
        return ready;
      },
      (e) => (e.object as ConfigMap).data?.["ready"] === "yes",
    );
    expect(ev?.type).toBe("MODIFIED");
    // Already true: the precondition ends the wait without an event.
    expect(await untilWithSync(AbortSignal.timeout(20_000), configMaps(), (store) => store.list().some((cm) => cm.data?.["ready"] === "yes"), () => false)).toBeUndefined();
  });

  it("the informer watcher starts with the existing objects", async () => {
    const { watch, indexer, done } = newIndexerInformerWatcher(configMaps());
    const names: string[] = [];
    for await (const ev of watch) {
      names.push(`${ev.type}:${(ev.object as ConfigMap).metadata?.name ?? ""}`);
      if (names.includes("ADDED:sync")) break;
    }
    expect(names).toContain("ADDED:kube-root-ca.crt");
    expect(indexer.listKeys()).toContain(`${ns}/sync`);
    await done;
  });
});
