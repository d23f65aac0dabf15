// The informer against a real kube-apiserver (started by @kubets/testenv), through the REST
// client of @kubets/client and newListWatchFromClient.
import { afterAll, describe, expect, it } from "vitest";
import { testEnv } from "@kubets/testenv/vitest";
import { ClientConfigLoader } from "@kubets/client/config";
import { RESTClient } from "@kubets/client/rest";
import { isNotFound } from "@kubets/apimachinery/errors";
import type { ListWatchOptions, ListerWatcher } from "../src/index.js";
import {
  NamespaceIndex,
  Reflector,
  SharedIndexInformer,
  isDeletedFinalStateUnknown,
  metaNamespaceIndexFunc,
  newGenericLister,
  newListWatchFromClient,
  newStore,
  metaNamespaceKeyFunc,
  waitForCacheSync,
} from "../src/index.js";
import { until } from "./helpers.js";

interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

const clients: RESTClient[] = [];
afterAll(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function core(): RESTClient {
  const env = testEnv();
  const config = new ClientConfigLoader({ explicitPath: env.kubeconfigPath, context: env.contexts.admin }).clientConfig();
  const c = new RESTClient({ apiPath: "/api", groupVersion: "v1", ...config, qps: -1 });
  clients.push(c);
  return c;
}

function cm(ns: string, name: string, data: Record<string, string>, labels?: Record<string, string>): ConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns, ...(labels ? { labels } : {}) }, data };
}

async function newNamespace(c: RESTClient, prefix: string): Promise<string> {
  const ns = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  await c.post().resource("namespaces").body({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }).do();
  return ns;
}

/** Records calls, and can rewrite the resourceVersion of the next watch. */
function spy<T>(lw: ListerWatcher<T>) {
  const lists: ListWatchOptions[] = [];
  const watches: ListWatchOptions[] = [];
  const s = { lists, watches, nextWatchRV: undefined as string | undefined };
  const wrapped: ListerWatcher<T> = {
    list: (o) => {
      lists.push(o);
      return lw.list(o);
    },
    watch: (o) => {
      watches.push(o);
      if (s.nextWatchRV !== undefined) {
        o = { ...o, resourceVersion: s.nextWatchRV };
        s.nextWatchRV = undefined;
      }
      return lw.watch(o);
    },
  };
  return { s, wrapped };
}

describe("Reflector against the real API server", () => {
  it("reports a watch the server refuses, relists and carries on", async () => {
    const c = core();
    const ns = await newNamespace(c, "refl");
    try {
      await c.post().namespace(ns).resource("configmaps").body(cm(ns, "one", { v: "1" })).do();
      const { s, wrapped } = spy(newListWatchFromClient<ConfigMap>(c, "configmaps", ns));
      // The first watch carries a resourceVersion the server cannot parse: it answers with an error.
      s.nextWatchRV = "not-a-resource-version";
      const store = newStore<ConfigMap>(metaNamespaceKeyFunc);
      const errors: unknown[] = [];
      const r = new Reflector<ConfigMap>(wrapped, store, {
        backoff: { initial: 20, max: 200 },
        watchErrorHandler: (_, e) => void errors.push(e),
      });
      const ac = new AbortController();
      const running = r.run(ac.signal);
      try {
        await until(() => s.lists.length === 2 && s.watches.length === 2, 20_000, "relist and rewatch");
        expect(errors).toHaveLength(1);
        expect((errors[0] as { name?: string }).name).toBe("StatusError");
        expect(store.listKeys()).toContain(`${ns}/one`);
        await c.post().namespace(ns).resource("configmaps").body(cm(ns, "two", { v: "2" })).do();
        await until(() => store.getByKey(`${ns}/two`) !== undefined, 20_000, "event after recovery");
      } finally {
        ac.abort();
        await running;
      }
    } finally {
      await c.delete().resource("namespaces").name(ns).do().catch(() => {});
    }
  });

  it("streams the initial list with sendInitialEvents when asked", async () => {
    const c = core();
    const ns = await newNamespace(c, "wl");
    try {
      for (let i = 0; i < 3; i++) await c.post().namespace(ns).resource("configmaps").body(cm(ns, `cm-${i}`, {})).do();
      const { s, wrapped } = spy(newListWatchFromClient<ConfigMap>(c, "configmaps", ns));
      const store = newStore<ConfigMap>(metaNamespaceKeyFunc);
      const r = new Reflector<ConfigMap>(wrapped, store, { useWatchList: true, backoff: { initial: 20, max: 200 } });
      const ac = new AbortController();
      const running = r.run(ac.signal);
      try {
        await until(() => [0, 1, 2].every((i) => store.getByKey(`${ns}/cm-${i}`) !== undefined), 20_000, "streamed items");
        expect(s.lists).toEqual([]);
        expect(s.watches[0]).toMatchObject({ sendInitialEvents: true, resourceVersionMatch: "NotOlderThan" });
        expect(r.lastSyncResourceVersion()).not.toBe("");
        await c.post().namespace(ns).resource("configmaps").body(cm(ns, "later", {})).do();
        await until(() => store.getByKey(`${ns}/later`) !== undefined, 20_000, "event on the streaming watch");
        expect(s.watches).toHaveLength(1);
      } finally {
        ac.abort();
        await running;
      }
    } finally {
      await c.delete().resource("namespaces").name(ns).do().catch(() => {});
    }
  });
});

describe("SharedIndexInformer against the real API server", () => {
  it("syncs a paged initial list, then delivers add, update and delete in order", async () => {
    const c = core();
    const ns = `inf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    await c.post().resource("namespaces").body({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }).do();
    for (let i = 0; i < 5; i++) {
      await c.post().namespace(ns).resource("configmaps").body(cm(ns, `pre-${i}`, { i: String(i) }, { app: i % 2 === 0 ? "even" : "odd" })).do();
    }

    const informer = new SharedIndexInformer<ConfigMap>(newListWatchFromClient<ConfigMap>(c, "configmaps", ns), {
      indexers: { [NamespaceIndex]: metaNamespaceIndexFunc },
      typeDescription: "v1.ConfigMap",
      reflector: { pageSize: 2, backoff: { initial: 50, max: 500 } },
    });
    const log: string[] = [];
    informer.addEventHandler({
      onAdd: (o, initial) => void log.push(`add ${o.metadata.name}${initial ? " initial" : ""}`),
      onUpdate: (a, b) => void log.push(`update ${b.metadata.name} ${a.data?.["v"] ?? "-"}->${b.data?.["v"] ?? "-"}`),
      onDelete: (o) => void log.push(`delete ${isDeletedFinalStateUnknown(o) ? o.key : o.metadata.name}`),
    });
    const errors: unknown[] = [];
    informer.setWatchErrorHandler((_, e) => void errors.push(e));
    const ac = new AbortController();
    const running = informer.run(ac.signal);
    try {
      expect(await waitForCacheSync(AbortSignal.any([ac.signal, AbortSignal.timeout(20_000)]), informer)).toBe(true);
      // kube-root-ca.crt is created in every namespace by the controller manager, maybe not yet.
      const initial = log.filter((l) => l.startsWith("add pre-"));
      expect(initial.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `add pre-${i} initial`));
      expect(informer.lastSyncResourceVersion()).not.toBe("");

      const lister = newGenericLister(informer.getIndexer(), { group: "", resource: "configmaps" });
      expect(lister.byNamespace(ns).list((l) => l["app"] === "even").map((o) => o.metadata.name).sort()).toEqual(["pre-0", "pre-2", "pre-4"]);
      let missing: unknown;
      try {
        lister.byNamespace(ns).get("nope");
      } catch (e) {
        missing = e;
      }
      expect(isNotFound(missing)).toBe(true);

      log.length = 0;
      await c.post().namespace(ns).resource("configmaps").body(cm(ns, "live", { v: "1" })).do();
      const live = await c.get().namespace(ns).resource("configmaps").name("live").do<ConfigMap>();
      await c.put().namespace(ns).resource("configmaps").name("live").body({ ...live, data: { v: "2" } }).do();
      await c.delete().namespace(ns).resource("configmaps").name("live").do();
      const mine = (): string[] => log.filter((l) => l.includes("live"));
      await until(() => mine().length === 3, 20_000, "live events");
      expect(mine()).toEqual(["add live", "update live 1->2", `delete live`]);
      expect(informer.getStore().getByKey(`${ns}/live`)).toBeUndefined();
      expect(errors).toEqual([]);
    } finally {
      ac.abort();
      await running;
      await c.delete().resource("namespaces").name(ns).do().catch(() => {});
    }
  });
});
