// The twin proof: one table of operations run against `newClientset` (the fake) and against the
// real kube-apiserver of @kubets/testenv; the transcripts must be equal once what differs by nature
// (uids, timestamps, resourceVersion values) is normalised. Where they differ, the fake is wrong.
import { afterAll, describe, expect, it } from "vitest";
import type { ConfigMap } from "@kubets/api/core/v1";
import { apiStatusOf } from "@kubets/apimachinery/errors";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { newClientset } from "@kubets/client/testing";
import { configFor, uniqueName } from "./helpers/int.js";

type Obj = Record<string, unknown>;
type Step = { name: string; run: (cs: Clientset, ns: string) => Promise<unknown> };

const cm = (name: string, extra: Partial<ConfigMap> = {}): ConfigMap => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...extra.metadata }, ...(extra.data ? { data: extra.data } : {}) });
const applyCM = (name: string, data: Record<string, string>, labels?: Record<string, string>): ConfigMap => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

/** The table: each step's result (object, list, error or watch events) goes into the transcript. */
function steps(): Step[] {
  const c = (cs: Clientset, ns: string) => cs.coreV1().configMaps(ns);
  return [
    { name: "create a", run: (cs, ns) => c(cs, ns).create(cm("a", { metadata: { labels: { app: "x" } }, data: { k1: "v1" } }), { fieldManager: "creator" }) },
    { name: "create a again: AlreadyExists", run: (cs, ns) => c(cs, ns).create(cm("a"), { fieldManager: "creator" }) },
    { name: "get a", run: (cs, ns) => c(cs, ns).get("a") },
    {
      name: "update a (read-modify-write)",
      run: async (cs, ns) => {
        const cur = await c(cs, ns).get("a");
        return c(cs, ns).update({ ...cur, data: { ...cur.data, k1: "v2", k2: "v2" } }, { fieldManager: "updater" });
      },
    },
    { name: "update a with a stale resourceVersion: Conflict", run: (cs, ns) => c(cs, ns).update({ ...cm("a", { data: { k1: "stale" } }), metadata: { name: "a", resourceVersion: "1" } }, { fieldManager: "updater" }) },
    {
      name: "update a: no change is a no-op",
      run: async (cs, ns) => {
        const cur = await c(cs, ns).get("a");
        const after = await c(cs, ns).update(cur, { fieldManager: "updater" });
        return { same: after.metadata?.resourceVersion === cur.metadata?.resourceVersion, after };
      },
    },
    { name: "merge patch", run: (cs, ns) => c(cs, ns).patch("a", "application/merge-patch+json", JSON.stringify({ data: { k3: "v3", k1: null } }), { fieldManager: "merger" }) },
    {
      name: "JSON patch",
      run: (cs, ns) => c(cs, ns).patch("a", "application/json-patch+json", JSON.stringify([{ op: "add", path: "/data/k4", value: "v4" }, { op: "test", path: "/data/k3", value: "v3" }]), { fieldManager: "jsonpatcher" }),
    },
    { name: "JSON patch with a failing test: Invalid", run: (cs, ns) => c(cs, ns).patch("a", "application/json-patch+json", JSON.stringify([{ op: "test", path: "/data/k3", value: "nope" }]), { fieldManager: "jsonpatcher" }) },
    { name: "JSON patch removing a missing key", run: (cs, ns) => c(cs, ns).patch("a", "application/json-patch+json", JSON.stringify([{ op: "remove", path: "/data/missing" }]), { fieldManager: "jsonpatcher" }) },
    {
      name: "strategic merge patch",
      run: (cs, ns) => c(cs, ns).patch("a", "application/strategic-merge-patch+json", JSON.stringify({ metadata: { labels: { tier: "web" } }, data: { k2: null } }), { fieldManager: "smp" }),
    },
    { name: "apply alice: conflict with merger", run: (cs, ns) => c(cs, ns).apply(applyCM("a", { k3: "alice", a1: "1" }), { fieldManager: "alice" }) },
    { name: "apply alice with force", run: (cs, ns) => c(cs, ns).apply(applyCM("a", { k3: "alice", a1: "1" }), { fieldManager: "alice", force: true }) },
    { name: "apply bob: same value, shared", run: (cs, ns) => c(cs, ns).apply(applyCM("a", { k3: "alice", b1: "1" }), { fieldManager: "bob" }) },
    { name: "apply bob: drops k3 (alice keeps it)", run: (cs, ns) => c(cs, ns).apply(applyCM("a", { b1: "2" }), { fieldManager: "bob" }) },
    { name: "apply alice: drops k3 (pruned)", run: (cs, ns) => c(cs, ns).apply(applyCM("a", { a1: "x" }, { owner: "alice" }), { fieldManager: "alice" }) },
    { name: "apply bob: conflict with alice on two fields", run: (cs, ns) => c(cs, ns).apply(applyCM("a", { a1: "y", b1: "2" }, { owner: "bob" }), { fieldManager: "bob" }) },
    { name: "apply alice again: unchanged", run: (cs, ns) => c(cs, ns).apply(applyCM("a", { a1: "x" }, { owner: "alice" }), { fieldManager: "alice" }) },
    { name: "update by alice's manager name (an Update entry besides the Apply one)", run: async (cs, ns) => c(cs, ns).update({ ...(await c(cs, ns).get("a")), data: { a1: "x", u: "1" } }, { fieldManager: "alice" }) },
    { name: "apply creates c", run: (cs, ns) => c(cs, ns).apply(applyCM("c", { x: "1" }, { app: "y" }), { fieldManager: "alice" }) },
    { name: "dry-run create: returned, not stored", run: (cs, ns) => c(cs, ns).create(cm("dry", { data: { k: "v" } }), { fieldManager: "dry", dryRun: ["All"] }) },
    { name: "get the dry-run object: NotFound", run: (cs, ns) => c(cs, ns).get("dry") },
    { name: "dry-run merge patch of a", run: (cs, ns) => c(cs, ns).patch("a", "application/merge-patch+json", JSON.stringify({ data: { dry: "1" } }), { fieldManager: "dry", dryRun: ["All"] }) },
    { name: "dry-run apply to a", run: (cs, ns) => c(cs, ns).apply(applyCM("a", { dry: "2" }), { fieldManager: "dry", dryRun: ["All"] }) },
    { name: "dry-run delete of a", run: (cs, ns) => c(cs, ns).delete("a", { dryRun: ["All"] }) },
    { name: "get a: unchanged by the dry runs", run: (cs, ns) => c(cs, ns).get("a") },
    { name: "create b with a finalizer", run: (cs, ns) => c(cs, ns).create(cm("b", { metadata: { labels: { app: "y" }, finalizers: ["kubets.io/hold"] } }), { fieldManager: "creator" }) },
    { name: "list app=x", run: (cs, ns) => c(cs, ns).list({ labelSelector: "app=x" }) },
    { name: "list app in (x,y)", run: (cs, ns) => c(cs, ns).list({ labelSelector: "app in (x,y)" }) },
    { name: "list metadata.name=b", run: (cs, ns) => c(cs, ns).list({ fieldSelector: "metadata.name=b" }) },
    { name: "list app,!tier", run: (cs, ns) => c(cs, ns).list({ labelSelector: "app,!tier" }) },
    { name: "delete b: held by its finalizer", run: (cs, ns) => c(cs, ns).delete("b") },
    { name: "get b: deletionTimestamp set", run: (cs, ns) => c(cs, ns).get("b") },
    {
      name: "update b removing the finalizer: gone",
      run: async (cs, ns) => {
        const cur = await c(cs, ns).get("b");
        await c(cs, ns).update({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }, { fieldManager: "finalizer" });
        return c(cs, ns).get("b");
      },
    },
    { name: "delete a with a wrong uid precondition", run: (cs, ns) => c(cs, ns).delete("a", { preconditions: { uid: "00000000-0000-0000-0000-000000000000" } }) },
    { name: "delete a with a stale resourceVersion precondition", run: (cs, ns) => c(cs, ns).delete("a", { preconditions: { resourceVersion: "1" } }) },
    {
      name: "delete a with matching preconditions",
      run: async (cs, ns) => {
        const cur = await c(cs, ns).get("a");
        await c(cs, ns).delete("a", { preconditions: { uid: cur.metadata?.uid ?? "", resourceVersion: cur.metadata?.resourceVersion ?? "" } });
        return c(cs, ns).get("a");
      },
    },
    { name: "delete a missing object: NotFound", run: (cs, ns) => c(cs, ns).delete("zz") },
    {
      name: "deleteCollection app=y, then list app",
      run: async (cs, ns) => {
        await c(cs, ns).create(cm("d1", { metadata: { labels: { app: "y" } } }), { fieldManager: "creator" });
        await c(cs, ns).create(cm("d2", { metadata: { labels: { app: "z" } } }), { fieldManager: "creator" });
        await c(cs, ns).deleteCollection({}, { labelSelector: "app=y" });
        return c(cs, ns).list({ labelSelector: "app" });
      },
    },
    {
      name: "create with empty maps and an unknown field: dropped as Go's decoding drops them",
      run: (cs, ns) =>
        c(cs, ns).create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "e", labels: {}, annotations: {} }, data: {}, immutable: false, bogus: 1 } as unknown as ConfigMap, { fieldManager: "creator" }),
    },
    { name: "delete e", run: (cs, ns) => c(cs, ns).delete("e") },
    { name: "create without a fieldManager: the User-Agent's name", run: (cs, ns) => c(cs, ns).create(cm("ua", { data: { k: "v" } })) },
    // A ServiceAccount: associative lists (secrets, imagePullSecrets merge by name).
    { name: "apply sa by alice", run: (cs, ns) => cs.coreV1().serviceAccounts(ns).apply({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "sa" }, secrets: [{ name: "s1" }], imagePullSecrets: [{ name: "p1" }] }, { fieldManager: "alice" }) },
    { name: "apply sa by bob: list items merge", run: (cs, ns) => cs.coreV1().serviceAccounts(ns).apply({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "sa" }, secrets: [{ name: "s2" }, { name: "s1", namespace: "other" }] }, { fieldManager: "bob" }) },
    {
      name: "strategic merge patch of sa: merge by name, delete directive, element order",
      run: (cs, ns) =>
        cs.coreV1().serviceAccounts(ns).patch("sa", "application/strategic-merge-patch+json", JSON.stringify({ secrets: [{ name: "s3" }, { name: "s2", $patch: "delete" }], "$setElementOrder/secrets": [{ name: "s3" }, { name: "s1" }] }), { fieldManager: "smp" }),
    },
    { name: "apply sa by alice: drops p1, keeps s1", run: (cs, ns) => cs.coreV1().serviceAccounts(ns).apply({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "sa" }, secrets: [{ name: "s1" }] }, { fieldManager: "alice" }) },
    { name: "apply sa by carol: conflict on an item field", run: (cs, ns) => cs.coreV1().serviceAccounts(ns).apply({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "sa" }, secrets: [{ name: "s1", namespace: "mine" }] }, { fieldManager: "carol" }) },
    // An IngressClass: cluster-scoped, keeps generation.
    { name: "create ingressclass", run: (cs, ns) => cs.networkingV1().ingressClasses().create({ metadata: { name: `${ns}-ic`, labels: { t: "1" } }, spec: { controller: "example.com/a" } }, { fieldManager: "creator" }) },
    { name: "patch ingressclass labels: generation unchanged", run: (cs, ns) => cs.networkingV1().ingressClasses().patch(`${ns}-ic`, "application/merge-patch+json", JSON.stringify({ metadata: { labels: { t: "2" } } }), { fieldManager: "labeler" }) },
    { name: "apply ingressclass spec: generation 2", run: (cs, ns) => cs.networkingV1().ingressClasses().apply({ apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: `${ns}-ic` }, spec: { controller: "example.com/a", parameters: { kind: "K", name: "n", apiGroup: "example.com", scope: "Cluster" } } }, { fieldManager: "alice", force: true }) },
    { name: "delete ingressclass", run: async (cs, ns) => cs.networkingV1().ingressClasses().delete(`${ns}-ic`) },
    // An Ingress: a status subresource (status reset on the main resource, only status on /status), generation.
    {
      name: "create ingress",
      run: (cs, ns) =>
        cs.networkingV1().ingresses(ns).create({ metadata: { name: "ing" }, spec: { ingressClassName: "c", defaultBackend: { service: { name: "svc", port: { number: 80 } } } } }, { fieldManager: "creator" }),
    },
    {
      name: "updateStatus ingress",
      run: async (cs, ns) => {
        const cur = await cs.networkingV1().ingresses(ns).get("ing");
        return cs.networkingV1().ingresses(ns).updateStatus({ ...cur, status: { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } } }, { fieldManager: "lb" });
      },
    },
    {
      name: "update ingress: spec change bumps generation, status change ignored",
      run: async (cs, ns) => {
        const cur = await cs.networkingV1().ingresses(ns).get("ing");
        return cs.networkingV1().ingresses(ns).update({ ...cur, spec: { ...cur.spec, ingressClassName: "d" }, status: { loadBalancer: { ingress: [{ ip: "9.9.9.9" }] } } }, { fieldManager: "editor" });
      },
    },
    {
      name: "applyStatus ingress: conflict with the status manager",
      run: (cs, ns) =>
        cs.networkingV1().ingresses(ns).applyStatus({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "ing" }, status: { loadBalancer: { ingress: [{ ip: "5.6.7.8" }] } } }, { fieldManager: "lb2" }),
    },
    {
      name: "applyStatus ingress with force",
      run: (cs, ns) =>
        cs.networkingV1().ingresses(ns).applyStatus({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "ing" }, status: { loadBalancer: { ingress: [{ ip: "5.6.7.8" }] } } }, { fieldManager: "lb2", force: true }),
    },
    { name: "merge patch of ingress status", run: (cs, ns) => cs.networkingV1().ingresses(ns).patch("ing", "application/merge-patch+json", JSON.stringify({ status: { loadBalancer: { ingress: [{ hostname: "h" }] } } }), { fieldManager: "lb3" }, "status") },
    { name: "labels only: generation unchanged", run: (cs, ns) => cs.networkingV1().ingresses(ns).patch("ing", "application/merge-patch+json", JSON.stringify({ metadata: { labels: { a: "b" } } }), { fieldManager: "labeler" }) },
    {
      name: "watch: create, update, delete",
      run: async (cs, ns) => {
        const list = await c(cs, ns).list();
        const w = await c(cs, ns).watch({ resourceVersion: list.metadata?.resourceVersion ?? "" });
        const events: unknown[] = [];
        const done = (async () => {
          for await (const ev of w) {
            events.push({ type: ev.type, object: ev.object });
            if (events.length === 3) break;
          }
        })();
        await c(cs, ns).create(cm("w", { data: { a: "1" } }), { fieldManager: "watcher" });
        await c(cs, ns).patch("w", "application/merge-patch+json", JSON.stringify({ data: { a: "2" } }), { fieldManager: "watcher" });
        await c(cs, ns).delete("w");
        await done;
        w.stop();
        return events;
      },
    },
  ];
}

/** Replaces what differs by nature: uids, timestamps, resourceVersions (by order of appearance). */
function normalise(v: unknown, rvs: Map<string, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => normalise(x, rvs));
  if (typeof v === "string") return v.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, "<time>").replace(/in record \([^)]*\)/, "in record (<x>)");
  if (typeof v !== "object" || v === null) return v;
  const o: Obj = {};
  for (const [k, x] of Object.entries(v as Obj)) {
    if (k === "uid" || k === "creationTimestamp" || k === "time") continue;
    if (k === "deletionTimestamp") o[k] = "<set>";
    else if (k === "resourceVersion" && typeof x === "string") {
      if (!rvs.has(x)) rvs.set(x, `rv#${rvs.size}`);
      o[k] = rvs.get(x);
    } else if (k === "managedFields" && Array.isArray(x)) {
      o[k] = (normalise(x, rvs) as Obj[]).sort((a, b) => JSON.stringify([a["operation"], a["manager"]]).localeCompare(JSON.stringify([b["operation"], b["manager"]])));
    } else o[k] = normalise(x, rvs);
  }
  return o;
}

async function transcript(cs: Clientset, ns: string): Promise<Array<{ step: string; result?: unknown; error?: unknown }>> {
  const rvs = new Map<string, string>();
  const out: Array<{ step: string; result?: unknown; error?: unknown }> = [];
  for (const s of steps()) {
    try {
      const r = (await s.run(cs, ns)) as Obj | undefined;
      // List resourceVersions are the store's revision: the fake's counter is not etcd's.
      if (r !== undefined && r !== null && typeof r === "object" && "items" in r) delete (r["metadata"] as Obj | undefined)?.["resourceVersion"];
      out.push({ step: s.name, result: normalise(r ?? null, rvs) });
    } catch (err) {
      const st = apiStatusOf(err);
      if (st === undefined) throw err;
      out.push({ step: s.name, error: normalise({ code: st.code, reason: st.reason, message: st.message, details: st.details }, rvs) });
    }
  }
  return out;
}

const real = newForConfig({ ...configFor("admin"), contentType: "application/json" });
afterAll(() => real.close());

describe("newClientset behaves like the API server (twin table)", () => {
  it(`the fake and kube-apiserver give the same transcript for all ${steps().length} steps`, async () => {
    const ns = uniqueName("twin");
    await real.coreV1().namespaces().create({ metadata: { name: ns } });
    try {
      const want = await transcript(real, ns);
      const got = await transcript(newClientset() as unknown as Clientset, ns);
      const canon = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
      const differ = want.filter((w, i) => canon(w) !== canon(got[i])).map((w) => w.step);
      console.log(`twin: ${want.length} steps, ${want.length - differ.length} equal${differ.length ? `; differ: ${differ.join(" | ")}` : ""}`);
      if (process.env["KUBETS_TWIN_DEBUG"]) for (const [i, w] of want.entries()) if (differ.includes(w.step)) console.log(`WANT ${canon(w)}\nGOT  ${canon(got[i])}`);
      for (let i = 0; i < want.length; i++) expect({ step: want[i]!.step, got: got[i] }).toEqual({ step: want[i]!.step, got: want[i] });
    } finally {
      await real.coreV1().namespaces().delete(ns).catch(() => undefined);
    }
  });
});
