import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "@kubets/testenv/vitest";
import type { Pod } from "@kubets/api/core/v1";
import { isNotFound } from "@kubets/apimachinery/errors";
import { ClientConfigLoader } from "@kubets/client/config";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { newSharedInformerFactory } from "../src/factory-gen/index.js";
import { until } from "./helpers.js";

const ns = `kubets-typed-inf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
let cs: Clientset;

function pod(name: string, labels: Record<string, string> = {}): Pod {
  // No scheduler takes these pods (testenv runs kube-scheduler and a kwok node), so only this test writes them.
  return { metadata: { name, labels }, spec: { schedulerName: "kubets-test-unscheduled", containers: [{ name: "c", image: "registry.example/c:1" }] } };
}

beforeAll(async () => {
  const env = testEnv();
  const config = new ClientConfigLoader({ explicitPath: env.kubeconfigPath, context: env.contexts.admin }).clientConfig();
  cs = newForConfig({ ...config, qps: -1, contentType: "application/vnd.kubernetes.protobuf" });
  await cs.coreV1().namespaces().create({ metadata: { name: ns } });
});

afterAll(async () => {
  await cs.coreV1().namespaces().delete(ns).catch(() => undefined);
  await cs.close();
});

describe("generated informers against the real API server", () => {
  it("a pod informer sees add, update and delete; its lister answers", async () => {
    await cs.coreV1().pods(ns).create(pod("before", { app: "web" }));
    const factory = newSharedInformerFactory(cs, { namespace: ns });
    const pods = factory.core().v1().pods();
    const events: string[] = [];
    pods.informer().addEventHandler({
      onAdd: (p) => void events.push(`add:${p.metadata?.name ?? ""}`),
      onUpdate: (_old, p) => void events.push(`update:${p.metadata?.name ?? ""}:${p.metadata?.labels?.["v"] ?? ""}`),
      onDelete: (p) => void events.push(`delete:${(p as Pod).metadata?.name ?? ""}`),
    });
    // The same informer for the same resource: one watch per resource per factory.
    expect(factory.core().v1().pods().informer()).toBe(pods.informer());
    const controller = new AbortController();
    factory.start(controller.signal);
    const synced = await factory.waitForCacheSync(controller.signal);
    expect([...synced.values()]).toEqual([true]);
    expect(events).toContain("add:before");
    expect(pods.lister().pods(ns).get("before").metadata?.labels).toEqual({ app: "web" });

    await cs.coreV1().pods(ns).create(pod("after", { app: "web" }));
    await until(() => events.includes("add:after"), 20_000, "add event");
    const cur = await cs.coreV1().pods(ns).get("after");
    await cs.coreV1().pods(ns).update({ ...cur, metadata: { ...cur.metadata, labels: { app: "web", v: "2" } } });
    await until(() => events.includes("update:after:2"), 20_000, "update event");
    expect(pods.lister().pods(ns).get("after").metadata?.labels?.["v"]).toBe("2");
    expect(pods.lister().list().map((p) => p.metadata?.name).sort()).toEqual(["after", "before"]);
    expect(pods.lister().pods(ns).list({ matches: (l) => l["v"] === "2" }).map((p) => p.metadata?.name)).toEqual(["after"]);

    await cs.coreV1().pods(ns).delete("after", { gracePeriodSeconds: 0 });
    await until(() => events.includes("delete:after"), 20_000, "delete event");
    let err: unknown;
    try {
      pods.lister().pods(ns).get("after");
    } catch (e) {
      err = e;
    }
    expect(isNotFound(err)).toBe(true);
    controller.abort();
    await factory.shutdown();
  });

  it("tweakListOptions narrows what the informer caches; cluster-scoped listers get by name", async () => {
    await cs.coreV1().configMaps(ns).create({ metadata: { name: "keep", labels: { pick: "yes" } } });
    await cs.coreV1().configMaps(ns).create({ metadata: { name: "skip", labels: { pick: "no" } } });
    const factory = newSharedInformerFactory(cs, {
      tweakListOptions: (o) => {
        o.labelSelector = "pick=yes";
      },
    });
    const cms = factory.core().v1().configMaps();
    const nss = factory.core().v1().namespaces();
    cms.informer();
    nss.informer();
    const controller = new AbortController();
    factory.start(controller.signal);
    await factory.waitForCacheSync(controller.signal);
    expect(cms.lister().configMaps(ns).list().map((c) => c.metadata?.name)).toEqual(["keep"]);
    expect(nss.lister().list()).toEqual([]);
    controller.abort();
    await factory.shutdown();

    const all = newSharedInformerFactory(cs);
    const nsInf = all.core().v1().namespaces();
    nsInf.informer();
    const c2 = new AbortController();
    all.start(c2.signal);
    await all.waitForCacheSync(c2.signal);
    expect(nsInf.lister().get(ns).metadata?.name).toBe(ns);
    expect(nsInf.lister().get("default").status?.phase).toBe("Active");
    c2.abort();
    await all.shutdown();
  });
});
