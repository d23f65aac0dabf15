// An informer whose watch position etcd has compacted away: the re-watch gets 410 Gone, the
// reflector relists, and the informer carries on without losing an event. Uses a control plane of its own with the watch cache off, so that watches
// reach etcd and the compaction is visible, without disturbing the shared one.
import { newSharedInformerFactory } from "../src/factory-gen/index.js";
import { newRetryWatcher } from "../src/watch/index.js";
import type { ConfigMap } from "@kubets/api/core/v1";
import { isGone, isResourceExpired } from "@kubets/apimachinery/errors";
import { startControlPlane, type ControlPlane } from "@kubets/testenv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@kubets/client/config";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";

let env: ControlPlane;
let cs: Clientset;

async function etcd(path: string, body: unknown): Promise<any> {
  const res = await fetch(`${env.etcd}${path}`, { method: "POST", body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

async function compactEtcd(): Promise<number> {
  const range = await etcd("/v3/kv/range", { key: Buffer.from("/").toString("base64") });
  const revision = Number(range.header.revision);
  await etcd("/v3/kv/compaction", { revision: String(revision), physical: true });
  return revision;
}

beforeAll(async () => {
  env = await startControlPlane({ controllerManager: false, apiServerFlags: ["--watch-cache=false"], log: () => {} });
  cs = newForConfig(await loadConfig({ explicitPath: env.kubeconfigPath }));
}, 120_000);

afterAll(async () => {
  await cs?.close();
  await env?.stop();
});

describe("informer after etcd compaction", () => {
  it("lets an informer relist from the compacted state and keep delivering events", async () => {
    const ns = "informer-gone";
    await cs.coreV1().namespaces().create({ metadata: { name: ns } });
    const cms = cs.coreV1().configMaps(ns);
    for (let i = 0; i < 3; i++) await cms.create({ metadata: { name: `cm-${i}` } });

    // tweakListOptions sees every list and watch the reflector makes; watches carry timeoutSeconds
    const calls: { watch: boolean; resourceVersion: string | undefined }[] = [];
    const factory = newSharedInformerFactory(cs, {
      namespace: ns,
      tweakListOptions: (o) => void calls.push({ watch: o.timeoutSeconds !== undefined, resourceVersion: o.resourceVersion }),
    });
    const inf = factory.core().v1().configMaps();
    const seen = new Set<string>();
    inf.informer().addEventHandler({ onAdd: (o) => void seen.add(o.metadata!.name!) });
    const stop = new AbortController();
    factory.start(stop.signal);
    await factory.waitForCacheSync(stop.signal);
    expect([...seen].sort()).toEqual(["cm-0", "cm-1", "cm-2"]);

    // Churn and compact, then end the informer's watch by restarting kube-apiserver: it re-watches
    // from a revision that is gone, gets 410, relists, and still sees what happens next.
    for (let i = 0; i < 5; i++) await cms.update({ metadata: { name: "cm-0", labels: { n: String(i) } } });
    await env.killApiServer();
    // move etcd past the informer's resourceVersion before compacting, so that its re-watch (a
    // connection cut no longer costs a relist) asks for a revision that is gone
    for (let i = 0; i < 2; i++) await etcd("/v3/kv/put", { key: Buffer.from("/kubets-test/bump").toString("base64"), value: Buffer.from(String(i)).toString("base64") });
    await compactEtcd();
    await env.startApiServer();
    await cms.create({ metadata: { name: "after-restart" } });
    const deadline = Date.now() + 60_000;
    while (!seen.has("after-restart") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(seen.has("after-restart")).toBe(true);
    // the re-watch from the compacted revision was answered with 410, so the reflector listed again
    const lists = calls.filter((c) => !c.watch);
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(inf.lister().configMaps(ns).get("cm-0").metadata?.labels).toEqual({ n: "4" });
    stop.abort();
    await factory.shutdown();
  }, 90_000);
});

describe("RetryWatcher after etcd compaction", () => {
  it("stops with a 410 error that says to list again, after delivering what it could", async () => {
    const ns = "retrywatcher-gone";
    await cs.coreV1().namespaces().create({ metadata: { name: ns } });
    const cms = cs.coreV1().configMaps(ns);
    const first = await cms.create({ metadata: { name: "old" }, data: { v: "0" } });
    for (let i = 1; i <= 3; i++) await cms.update({ metadata: { name: "old" }, data: { v: String(i) } });
    await compactEtcd();
    const rw = newRetryWatcher<ConfigMap>(first.metadata!.resourceVersion!, { watch: (o) => cms.watch(o) }, { minRestartDelay: 0 });
    const err = await (async () => {
      for await (const _ev of rw) {
        // nothing can arrive from a compacted revision
      }
    })().catch((e: unknown) => e);
    expect(isGone(err) || isResourceExpired(err)).toBe(true);
    expect((err as Error).message).toMatch(new RegExp(`^retry watcher: resourceVersion ${first.metadata!.resourceVersion!} is too old to watch from .*list again`));
    await rw.done();
  });
});
