import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigMap, Namespace, Service } from "@kubets/api/core/v1";
import type { Deployment } from "@kubets/api/apps/v1";
import { isConflict, isNotFound, type StatusError } from "@kubets/apimachinery/errors";
import type { RestConfig } from "@kubets/client/config";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { PatchType } from "@kubets/client/rest";
import { DEFAULT_RETRY, retryOnConflict } from "@kubets/client/util";
import { Transport, type TransportRequest } from "@kubets/client/transport";
import { configFor, uniqueName } from "./helpers/int.js";

const PROTOBUF = "application/vnd.kubernetes.protobuf";
const ns = uniqueName("kubets-clientset");

let admin: RestConfig;
let json: Clientset;
let pb: Clientset;
let pbTransport: Transport;
const pbSeen: Array<{ method: string; sent: string | undefined; received: string | undefined; accept: string | undefined }> = [];

function deployment(name: string, replicas = 1): Deployment {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "registry.example/web:1" }] } },
    },
  };
}

async function eventually<T>(fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not met");
}

/** Reads an object through both clients until both reads see the same resourceVersion (controllers write too), then compares. */
async function sameInBoth<T extends { metadata?: { resourceVersion?: string } }>(a: () => Promise<T>, b: () => Promise<T>): Promise<void> {
  const [x, y] = await eventually(async () => {
    const [p, q] = [await a(), await b()];
    return p.metadata?.resourceVersion === q.metadata?.resourceVersion ? ([p, q] as const) : undefined;
  });
  expect(y).toEqual(x);
}

beforeAll(async () => {
  admin = configFor("admin");
  json = newForConfig({ ...admin, contentType: "application/json" });
  const pbConfig = { ...admin, contentType: PROTOBUF };
  pbTransport = new Transport(pbConfig);
  const orig = pbTransport.send.bind(pbTransport);
  pbTransport.send = async (req: TransportRequest) => {
    const res = await orig(req);
    const h = (k: string): string | undefined => {
      const v = (req.headers ?? {})[k];
      return Array.isArray(v) ? v[0] : v;
    };
    const rc = res.headers["content-type"];
    pbSeen.push({ method: req.method, sent: h("content-type"), accept: h("accept"), received: Array.isArray(rc) ? rc[0] : rc });
    return res;
  };
  pb = newForConfig(pbConfig, { transport: pbTransport });
  await json.coreV1().namespaces().create({ metadata: { name: ns } });
});

afterAll(async () => {
  await json.coreV1().namespaces().delete(ns).catch(() => undefined);
  await json.close();
  await pb.close();
  await pbTransport.close();
});

describe("typed clientset against the real API server", () => {
  it("creates ConfigMaps in protobuf and reads them back in JSON (and the other way round), equal", async () => {
    pbSeen.length = 0;
    const a = await pb.coreV1().configMaps(ns).create({ metadata: { name: "from-pb", labels: { t: "pb" } }, data: { k: "v", empty: "" }, binaryData: { b: "AAEC" } });
    expect(a.metadata?.name).toBe("from-pb");
    expect(a.apiVersion).toBe("v1");
    expect(a.kind).toBe("ConfigMap");
    expect(a.data).toEqual({ k: "v", empty: "" });
    expect(a.binaryData).toEqual({ b: "AAEC" });
    // The request body was protobuf and so was the answer.
    const post = pbSeen.find((s) => s.method === "POST");
    expect(post?.sent).toBe(PROTOBUF);
    expect(post?.accept).toBe(`${PROTOBUF}, application/json`);
    expect(post?.received).toBe(PROTOBUF);

    const viaJSON = await json.coreV1().configMaps(ns).get("from-pb");
    expect(viaJSON).toEqual(a);

    const b = await json.coreV1().configMaps(ns).create({ metadata: { name: "from-json" }, data: { x: "1" } });
    const viaPB = await pb.coreV1().configMaps(ns).get("from-json");
    expect(viaPB).toEqual(b);

    // Lists agree too (items carry no apiVersion/kind in either encoding).
    const lj = await json.coreV1().configMaps(ns).list({ labelSelector: "t=pb" });
    const lp = await pb.coreV1().configMaps(ns).list({ labelSelector: "t=pb" });
    expect(lp.items).toEqual(lj.items);
    expect(lp.items.map((c) => c.metadata?.name)).toEqual(["from-pb"]);
    expect(lp.kind).toBe("ConfigMapList");

    // Update with a stale resourceVersion conflicts.
    const updated = await pb.coreV1().configMaps(ns).update({ ...viaPB, data: { x: "2" } });
    expect(updated.data).toEqual({ x: "2" });
    await expect(json.coreV1().configMaps(ns).update({ ...viaPB, data: { x: "3" } })).rejects.toSatisfy(isConflict);

    // Patches: merge, JSON and strategic merge.
    const m = await json.coreV1().configMaps(ns).patch("from-json", PatchType.Merge, { data: { y: "m" } });
    expect(m.data).toEqual({ x: "2", y: "m" });
    const j = await pb.coreV1().configMaps(ns).patch("from-json", PatchType.JSON, [{ op: "remove", path: "/data/x" }]);
    expect(j.data).toEqual({ y: "m" });
    const s = await json.coreV1().configMaps(ns).patch("from-json", PatchType.StrategicMerge, JSON.stringify({ metadata: { labels: { s: "1" } } }));
    expect(s.metadata?.labels).toEqual({ s: "1" });

    await pb.coreV1().configMaps(ns).delete("from-pb");
    await expect(json.coreV1().configMaps(ns).get("from-pb")).rejects.toSatisfy(isNotFound);
    await expect(pb.coreV1().configMaps(ns).get("from-pb")).rejects.toSatisfy(isNotFound);
  });

  it("deployments: create, scale subresource, status, in both encodings", async () => {
    const created = await pb.appsV1().deployments(ns).create(deployment("web", 2));
    expect(created.spec?.replicas).toBe(2);
    await sameInBoth(() => json.appsV1().deployments(ns).get("web"), () => pb.appsV1().deployments(ns).get("web"));

    const scale = await pb.appsV1().deployments(ns).getScale("web");
    expect(scale.kind).toBe("Scale");
    expect(scale.apiVersion).toBe("autoscaling/v1");
    expect(scale.spec?.replicas).toBe(2);
    expect(scale.status?.selector).toBe("app=web");
    // the deployment controller may move status between two reads: compare reads of one resourceVersion
    await sameInBoth(() => json.appsV1().deployments(ns).getScale("web"), () => pb.appsV1().deployments(ns).getScale("web"));

    // unconditional (no resourceVersion): the deployment controller writes status meanwhile
    const scaled = await pb.appsV1().deployments(ns).updateScale("web", { ...scale, metadata: { ...scale.metadata, resourceVersion: "" }, spec: { replicas: 4 } });
    expect(scaled.spec?.replicas).toBe(4);
    expect((await json.appsV1().deployments(ns).get("web")).spec?.replicas).toBe(4);

    const applied = await json.appsV1().deployments(ns).applyScale("web", { spec: { replicas: 3 } }, { fieldManager: "scaler", force: true });
    expect(applied.spec?.replicas).toBe(3);

    // Status: updateStatus changes status only; update ignores status.
    // (kube-controller-manager writes the deployment too: retry on conflicts as a controller would.)
    const st = await retryOnConflict(DEFAULT_RETRY, async () => {
      const cur = await json.appsV1().deployments(ns).getStatus("web");
      return pb.appsV1().deployments(ns).updateStatus({ ...cur, status: { ...cur.status, observedGeneration: 42 } });
    });
    expect(st.status?.observedGeneration).toBe(42);
    const viaUpdate = await retryOnConflict(DEFAULT_RETRY, async () => {
      const again = await json.appsV1().deployments(ns).get("web");
      return json.appsV1().deployments(ns).update({ ...again, metadata: { ...again.metadata, labels: { app: "web", touched: "yes" } }, status: { observedGeneration: 7 } });
    });
    expect(viaUpdate.metadata?.labels?.["touched"]).toBe("yes");
    expect(viaUpdate.status?.observedGeneration).not.toBe(7);
  });

  it("services and namespaces: create, list with selectors, delete", async () => {
    const svc: Service = {
      metadata: { name: "svc", labels: { tier: "front" } },
      spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] },
    };
    const created = await pb.coreV1().services(ns).create(svc);
    expect(created.spec?.clusterIP).toMatch(/\d+\.\d+\.\d+\.\d+|:/);
    expect(created.spec?.ports?.[0]?.targetPort).toBe(8080);
    await sameInBoth(() => json.coreV1().services(ns).get("svc"), () => pb.coreV1().services(ns).get("svc"));
    const byField = await pb.coreV1().services(ns).list({ fieldSelector: "metadata.name=svc" });
    expect(byField.items.map((s) => s.metadata?.name)).toEqual(["svc"]);
    const none = await json.coreV1().services(ns).list({ labelSelector: "tier=back" });
    expect(none.items).toEqual([]);

    const name = uniqueName("kubets-cs-ns");
    const n: Namespace = await pb.coreV1().namespaces().create({ metadata: { name, labels: { kubets: "yes" } } });
    expect(n.status?.phase).toBe("Active");
    const all = await json.coreV1().namespaces().list({ labelSelector: "kubets=yes" });
    expect(all.items.map((x) => x.metadata?.name)).toContain(name);
    await pb.coreV1().namespaces().delete(name);
    const terminating = await json.coreV1().namespaces().get(name).catch((e: unknown) => e);
    if (!isNotFound(terminating)) expect((terminating as Namespace).status?.phase).toBe("Terminating");
  });

  it("watches from a resourceVersion in both encodings; a streaming list ends its initial events with a bookmark", async () => {
    for (const cs of [json, pb]) {
      const list = await cs.coreV1().configMaps(ns).list();
      const w = await cs.coreV1().configMaps(ns).watch({ resourceVersion: list.metadata?.resourceVersion ?? "", allowWatchBookmarks: true });
      const name = uniqueName("w");
      await json.coreV1().configMaps(ns).create({ metadata: { name }, data: { a: "1" } });
      await json.coreV1().configMaps(ns).patch(name, PatchType.Merge, { data: { a: "2" } });
      await json.coreV1().configMaps(ns).delete(name);
      const seen: string[] = [];
      for await (const ev of w) {
        if (ev.type === "BOOKMARK") continue;
        const cm = ev.object as ConfigMap;
        if (cm.metadata?.name !== name) continue;
        seen.push(`${ev.type}:${cm.data?.["a"] ?? ""}`);
        expect(cm.kind).toBe("ConfigMap");
        if (ev.type === "DELETED") break;
      }
      w.stop();
      expect(seen).toEqual(["ADDED:1", "MODIFIED:2", "DELETED:2"]);
    }

    // A streaming list: initial events, then the bookmark that ends them.
    const names: string[] = [];
    const wl = await pb.coreV1().configMaps(ns).watch({ sendInitialEvents: true, allowWatchBookmarks: true, resourceVersionMatch: "NotOlderThan" });
    for await (const ev of wl) {
      if (ev.type === "ADDED") names.push((ev.object as ConfigMap).metadata?.name ?? "");
      if (ev.type === "BOOKMARK" && (ev.object as ConfigMap).metadata?.annotations?.["k8s.io/initial-events-end"] === "true") break;
    }
    wl.stop();
    expect(names).toContain("from-json");

  });

  it("server-side apply: a conflict between managers, then force", async () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "applied", namespace: ns }, data: { owner: "a" } } as const;
    const first = await pb.coreV1().configMaps(ns).apply(cm, { fieldManager: "manager-a" });
    expect(first.data).toEqual({ owner: "a" });
    expect(first.metadata?.managedFields?.map((f) => f.manager)).toContain("manager-a");
    let conflict: unknown;
    try {
      await json.coreV1().configMaps(ns).apply({ metadata: { name: "applied" }, data: { owner: "b" } }, { fieldManager: "manager-b" });
    } catch (e) {
      conflict = e;
    }
    expect(isConflict(conflict)).toBe(true);
    expect((conflict as StatusError).status.details?.causes?.[0]?.field).toBe(".data.owner");
    const forced = await json.coreV1().configMaps(ns).apply({ metadata: { name: "applied" }, data: { owner: "b" } }, { fieldManager: "manager-b", force: true });
    expect(forced.data).toEqual({ owner: "b" });
    const managers = forced.metadata?.managedFields?.map((f) => f.manager);
    expect(managers).toContain("manager-b");
    expect(managers).not.toContain("manager-a");
    // Deployment status through applyStatus.
    const st = await pb.appsV1().deployments(ns).applyStatus(
      { metadata: { name: "web" }, status: { conditions: [{ type: "Progressing", status: "True", reason: "KubetsTest" }] } },
      { fieldManager: "status-writer", force: true },
    );
    expect(st.status?.conditions?.find((c) => c.reason === "KubetsTest")?.status).toBe("True");
  });

  it("deletes with propagation and preconditions; deleteCollection", async () => {
    const d = await json.appsV1().deployments(ns).create(deployment("orphaner"));
    const rs = await eventually(async () => {
      const l = await pb.appsV1().replicaSets(ns).list({ labelSelector: "app=orphaner" });
      return l.items.find((r) => r.metadata?.ownerReferences?.some((o) => o.uid === d.metadata?.uid));
    });
    await expect(json.appsV1().deployments(ns).delete("orphaner", { preconditions: { uid: "00000000-0000-0000-0000-000000000000" } })).rejects.toSatisfy(isConflict);
    await pb.appsV1().deployments(ns).delete("orphaner", { propagationPolicy: "Orphan", preconditions: { uid: d.metadata?.uid ?? "" } });
    await eventually(async () => ((await json.appsV1().deployments(ns).get("orphaner").catch((e: unknown) => e)) instanceof Error ? true : undefined));
    const orphan = await eventually(async () => {
      const r = await json.appsV1().replicaSets(ns).get(rs.metadata?.name ?? "");
      return (r.metadata?.ownerReferences ?? []).length === 0 ? r : undefined;
    });
    expect(orphan.metadata?.name).toBe(rs.metadata?.name);

    for (const i of [1, 2, 3]) await pb.coreV1().configMaps(ns).create({ metadata: { name: `bulk-${i}`, labels: { bulk: "yes" } } });
    await pb.coreV1().configMaps(ns).deleteCollection({}, { labelSelector: "bulk=yes" });
    expect((await json.coreV1().configMaps(ns).list({ labelSelector: "bulk=yes" })).items).toEqual([]);
  });

  it("pod subresources: binding, eviction; service account tokens", async () => {
    const pods = pb.coreV1().pods(ns);
    // a scheduler of no one's: kube-scheduler (running with testenv's nodes) leaves the pod to this test's bind
    await pods.create({ metadata: { name: "p1" }, spec: { schedulerName: "kubets-test-binds-by-hand", containers: [{ name: "c", image: "registry.example/c:1" }] } });
    await pods.bind({ metadata: { name: "p1" }, target: { kind: "Node", name: "node-a" } });
    expect((await json.coreV1().pods(ns).get("p1")).spec?.nodeName).toBe("node-a");
    await json.coreV1().pods(ns).evict({ metadata: { name: "p1", namespace: ns } });
    const after = await pods.get("p1").catch((e: unknown) => e);
    if (!isNotFound(after)) expect((after as { metadata?: { deletionTimestamp?: string } }).metadata?.deletionTimestamp).toBeDefined();

    await json.coreV1().serviceAccounts(ns).create({ metadata: { name: "robot" } });
    const tr = await pb.coreV1().serviceAccounts(ns).createToken("robot", { spec: { audiences: ["kubets"], expirationSeconds: 600 } });
    expect(tr.kind).toBe("TokenRequest");
    expect(tr.status?.token?.split(".")).toHaveLength(3);
  });
});
