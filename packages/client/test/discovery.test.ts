import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isServiceUnavailable } from "@kubets/apimachinery/errors";
import type {
  DiscoveryClient,
  GroupDiscoveryFailedError} from "@kubets/client/discovery";
import {
  AcceptV2,
  contentTypeIsGVK,
  isGroupDiscoveryFailedError,
  newDiscoveryClientForConfig,
  newMemCacheClient,
  splitGroupsAndResources,
  type APIGroupDiscoveryList,
} from "@kubets/client/discovery";
import { makePKI, type TestPKI } from "./helpers/pki.js";
import { startServer, type Seen, type TestServer } from "./helpers/server.js";

const pathOf = (s: Seen) => s.url.split("?")[0]!;

const AGG_CT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

const aggregatedApis: APIGroupDiscoveryList = {
  apiVersion: "apidiscovery.k8s.io/v2",
  kind: "APIGroupDiscoveryList",
  items: [
    {
      metadata: { name: "apps" },
      versions: [
        {
          version: "v1",
          freshness: "Current",
          resources: [
            {
              resource: "deployments",
              responseKind: { group: "", version: "", kind: "Deployment" },
              scope: "Namespaced",
              singularResource: "deployment",
              verbs: ["get", "list"],
              shortNames: ["deploy"],
              categories: ["all"],
              subresources: [
                { subresource: "scale", responseKind: { group: "autoscaling", version: "v1", kind: "Scale" }, verbs: ["get", "update"] },
                { subresource: "broken", verbs: ["get"] },
              ],
            },
            {
              // No kind: the parent is dropped, its subresource with a kind is kept.
              resource: "kindless",
              scope: "Cluster",
              singularResource: "kindless",
              verbs: ["get"],
              subresources: [{ subresource: "status", responseKind: { group: "apps", version: "v1", kind: "Status" }, verbs: ["get"] }],
            },
          ],
        },
      ],
    },
    {
      metadata: { name: "flaky.example.com" },
      versions: [
        { version: "v2", freshness: "Stale" },
        { version: "v1", resources: [{ resource: "flakes", responseKind: { group: "flaky.example.com", version: "v1", kind: "Flake" }, scope: "Cluster", singularResource: "flake", verbs: ["get"] }] },
      ],
    },
  ],
};

describe("splitGroupsAndResources", () => {
  it("converts aggregated discovery into groups and resource lists", () => {
    const s = splitGroupsAndResources(aggregatedApis);
    expect(s.groups.groups).toEqual([
      { name: "apps", versions: [{ groupVersion: "apps/v1", version: "v1" }], preferredVersion: { groupVersion: "apps/v1", version: "v1" } },
      // The stale version is left out; the first fresh one becomes preferred.
      { name: "flaky.example.com", versions: [{ groupVersion: "flaky.example.com/v1", version: "v1" }], preferredVersion: { groupVersion: "flaky.example.com/v1", version: "v1" } },
    ]);
    expect(s.resources.get("apps/v1")!.resources).toEqual([
      { name: "deployments", singularName: "deployment", namespaced: true, verbs: ["get", "list"], kind: "Deployment", group: "", version: "", shortNames: ["deploy"], categories: ["all"] },
      { name: "deployments/scale", singularName: "deployment", namespaced: true, group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "update"] },
      { name: "kindless/status", singularName: "kindless", namespaced: false, group: "apps", version: "v1", kind: "Status", verbs: ["get"] },
    ]);
    expect([...s.failed.keys()]).toEqual(["flaky.example.com/v2"]);
    expect(s.failed.get("flaky.example.com/v2")).toMatchObject({ name: "StaleGroupVersionError", message: "stale GroupVersion discovery: flaky.example.com/v2" });
  });

  it("recognizes the aggregated content type", () => {
    const gvk = { group: "apidiscovery.k8s.io", version: "v2", kind: "APIGroupDiscoveryList" };
    expect(contentTypeIsGVK(AGG_CT, gvk)).toBe(true);
    expect(contentTypeIsGVK("application/json; charset=utf-8;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io", gvk)).toBe(true);
    expect(contentTypeIsGVK("application/json", gvk)).toBe(false);
    expect(contentTypeIsGVK("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList", gvk)).toBe(false);
    expect(contentTypeIsGVK("not a media type", gvk)).toBe(false);
  });
});

// A server that does not speak aggregated discovery (or speaks it with a stale group), to exercise the
// fallback paths the real API server never takes.
let pki: TestPKI;
let srv: TestServer;
const clients: DiscoveryClient[] = [];

beforeAll(async () => {
  pki = makePKI();
  srv = await startServer(pki);
});
afterAll(async () => {
  await srv.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  srv.seen.length = 0;
});

function client(): DiscoveryClient {
  const c = newDiscoveryClientForConfig({ host: srv.url, tlsClientConfig: { caData: pki.caPem }, qps: -1 });
  clients.push(c);
  return c;
}

const send = (res: ServerResponse, code: number, body: unknown, ct = "application/json") => {
  res.writeHead(code, { "content-type": ct });
  res.end(JSON.stringify(body));
};

const resourceList = (gv: string, names: [string, string, boolean][]) => ({
  kind: "APIResourceList",
  groupVersion: gv,
  resources: names.map(([name, kind, namespaced]) => ({ name, kind, namespaced, singularName: "", verbs: ["get"] })),
});

/** A legacy-only server: widgets in two versions of one group, v1beta1 preferred... and gadgets only in v1. */
function legacyHandler(overrides: Record<string, (res: ServerResponse) => void> = {}) {
  return (req: Seen, res: ServerResponse) => {
    const path = req.url.split("?")[0]!;
    const o = overrides[path];
    if (o) return o(res);
    switch (path) {
      case "/api":
        return send(res, 200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
      case "/apis":
        return send(res, 200, {
          kind: "APIGroupList",
          groups: [
            {
              name: "example.com",
              versions: [
                { groupVersion: "example.com/v1", version: "v1" },
                { groupVersion: "example.com/v1beta1", version: "v1beta1" },
              ],
              preferredVersion: { groupVersion: "example.com/v1beta1", version: "v1beta1" },
            },
          ],
        });
      case "/api/v1":
        return send(res, 200, resourceList("v1", [["pods", "Pod", true], ["pods/status", "Pod", true], ["nodes", "Node", false]]));
      case "/apis/example.com/v1":
        return send(res, 200, resourceList("example.com/v1", [["widgets", "Widget", true], ["gadgets", "Gadget", false]]));
      case "/apis/example.com/v1beta1":
        return send(res, 200, resourceList("example.com/v1beta1", [["widgets", "Widget", true]]));
      case "/version":
        return send(res, 200, { major: "1", minor: "37", gitVersion: "v1.37.2" });
      default:
        return send(res, 404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: "not found" });
    }
  };
}

describe("DiscoveryClient against a server without aggregated discovery", () => {
  it("asks for aggregated discovery first and falls back to the legacy documents", async () => {
    srv.handler = legacyHandler();
    const c = client();
    const r = await c.groupsAndMaybeResources();
    expect(r.resources).toBeUndefined();
    expect(r.groups.groups.map((g) => g.name)).toEqual(["", "example.com"]);
    expect(r.groups.groups[0]).toEqual({ name: "", versions: [{ groupVersion: "v1", version: "v1" }], preferredVersion: { groupVersion: "v1", version: "v1" } });
    const accept = srv.seen.find((s) => pathOf(s) === "/api")!.headers["accept"];
    expect(accept).toBe(`${AcceptV2},application/json`);

    srv.seen.length = 0;
    const gr = await c.serverGroupsAndResources();
    expect(gr.resources.map((l) => l.groupVersion)).toEqual(["v1", "example.com/v1", "example.com/v1beta1"]);
    expect(srv.seen.map(pathOf).sort()).toEqual(["/api", "/api/v1", "/apis", "/apis/example.com/v1", "/apis/example.com/v1beta1"]);

    const legacy = c.withLegacy();
    srv.seen.length = 0;
    await legacy.serverGroups();
    expect(srv.seen.find((s) => pathOf(s) === "/api")!.headers["accept"]).toBe("application/json");
    expect(await c.serverVersion()).toMatchObject({ gitVersion: "v1.37.2" });
    // client-go's discovery timeout (32 s) goes to the server too.
    expect(srv.seen.at(-1)!.url).toBe("/version?timeout=32s");
    await expect(c.serverGroups({ signal: AbortSignal.abort(new Error("stop")) })).rejects.toThrow("stop");
  });

  it("serverPreferredResources keeps each resource in its group's preferred version", async () => {
    srv.handler = legacyHandler();
    const pref = await client().serverPreferredResources();
    expect(pref.map((l) => [l.groupVersion, l.resources.map((r) => r.name)])).toEqual([
      ["v1", ["pods", "nodes"]],
      ["example.com/v1", ["gadgets"]],
      ["example.com/v1beta1", ["widgets"]],
    ]);
    const ns = await client().serverPreferredNamespacedResources();
    expect(ns.map((l) => [l.groupVersion, l.resources.map((r) => r.name)])).toEqual([
      ["v1", ["pods"]],
      ["example.com/v1beta1", ["widgets"]],
    ]);
  });

  it("a failing group version yields GroupDiscoveryFailedError with the rest, after one retry", async () => {
    srv.handler = legacyHandler({
      "/apis/example.com/v1beta1": (res) => send(res, 503, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "ServiceUnavailable", code: 503, message: "down" }),
    });
    const err = await client().serverGroupsAndResources().catch((e: unknown) => e);
    expect(isGroupDiscoveryFailedError(err)).toBe(true);
    const e = err as GroupDiscoveryFailedError;
    expect([...e.groups.keys()]).toEqual(["example.com/v1beta1"]);
    expect(isServiceUnavailable(e.groups.get("example.com/v1beta1"))).toBe(true);
    expect(e.message).toBe("unable to retrieve the complete list of server APIs: example.com/v1beta1: down");
    expect(e.partial!.resources.map((l) => l.groupVersion)).toEqual(["v1", "example.com/v1"]);
    // withRetries: two attempts, each fetching /apis/example.com/v1beta1 once.
    expect(srv.seen.filter((s) => pathOf(s) === "/apis/example.com/v1beta1")).toHaveLength(2);
  });

  it("tolerates a server without /api, and /api/v1 answering 404", async () => {
    srv.handler = legacyHandler({
      "/api": (res) => send(res, 404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }),
    });
    const c = client();
    const g = await c.serverGroups();
    expect(g.groups.map((x) => x.name)).toEqual(["example.com"]);
    srv.handler = legacyHandler({ "/api/v1": (res) => send(res, 404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }) });
    expect(await c.serverResourcesForGroupVersion("v1")).toEqual({ kind: "APIResourceList", apiVersion: "v1", groupVersion: "v1", resources: [] });
  });

  it("reports stale aggregated group versions", async () => {
    srv.handler = (req, res) => {
      if (pathOf(req) === "/api") return send(res, 200, { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", items: [] }, AGG_CT);
      if (pathOf(req) === "/apis") return send(res, 200, aggregatedApis, AGG_CT);
      return send(res, 404, {});
    };
    const c = client();
    const r = await c.groupsAndMaybeResources();
    expect([...r.resources!.keys()]).toEqual(["apps/v1", "flaky.example.com/v1"]);
    const err = (await c.serverGroupsAndResources().catch((e: unknown) => e)) as GroupDiscoveryFailedError;
    expect(err.message).toBe("unable to retrieve the complete list of server APIs: flaky.example.com/v2: stale GroupVersion discovery: flaky.example.com/v2");
    expect(err.partial!.resources).toHaveLength(2);
    // Aggregated discovery needs no per-group-version requests.
    expect(srv.seen.every((s) => pathOf(s) === "/api" || pathOf(s) === "/apis")).toBe(true);
  });
});

describe("MemCacheClient over legacy discovery", () => {
  it("caches, retries transient failures per group version, reports empty ones", async () => {
    let failBeta = true;
    srv.handler = legacyHandler({
      "/apis/example.com/v1beta1": (res) =>
        failBeta
          ? send(res, 503, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "ServiceUnavailable", code: 503, message: "down" })
          : send(res, 200, resourceList("example.com/v1beta1", [["widgets", "Widget", true]])),
      "/apis/example.com/v1": (res) => send(res, 200, resourceList("example.com/v1", [])),
    });
    const cached = newMemCacheClient(client());
    await expect(cached.serverResourcesForGroupVersion("example.com/v1beta1")).rejects.toSatisfy(isServiceUnavailable);
    const loads = srv.seen.filter((s) => pathOf(s) === "/apis").length;
    expect(loads).toBe(1);
    await expect(cached.serverResourcesForGroupVersion("example.com/v1")).rejects.toMatchObject({ name: "EmptyResponseError", message: "received empty response for: example.com/v1" });
    failBeta = false;
    // The 503 was transient: the next call asks the server again; the empty answer is not retried.
    expect((await cached.serverResourcesForGroupVersion("example.com/v1beta1")).resources.map((r) => r.name)).toEqual(["widgets"]);
    await expect(cached.serverResourcesForGroupVersion("example.com/v1")).rejects.toMatchObject({ name: "EmptyResponseError" });
    expect(srv.seen.filter((s) => pathOf(s) === "/apis/example.com/v1")).toHaveLength(1);
    expect(srv.seen.filter((s) => pathOf(s) === "/apis").length).toBe(1);
    expect(cached.fresh()).toBe(true);
    cached.invalidate();
    expect(cached.fresh()).toBe(false);
    await cached.serverGroups();
    expect(srv.seen.filter((s) => pathOf(s) === "/apis").length).toBe(2);
  });
});
