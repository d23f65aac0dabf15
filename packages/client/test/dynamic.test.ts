// Wire-level checks of the dynamic, metadata and scale clients (paths, headers, query, bodies) against a
// local HTTPS server; their behaviour against the real API server is in the *.int.test.ts files.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DynamicClient} from "@kubets/client/dynamic";
import { PatchType, newForConfig } from "@kubets/client/dynamic";
import type { MetadataClient} from "@kubets/client/metadata";
import { ACCEPT_PARTIAL_OBJECT_METADATA, ACCEPT_PARTIAL_OBJECT_METADATA_LIST, newForConfig as newMetadata } from "@kubets/client/metadata";
import { isNotFound } from "@kubets/apimachinery/errors";
import { meta_v1, ProtoWriter } from "@kubets/apimachinery/protobuf";
import { encodeEnvelope } from "@kubets/apimachinery/serializer";
import { DefaultRESTMapper, RESTScopeNamespace } from "@kubets/client/restmapper";
import type { ScaleClient} from "@kubets/client/scale";
import { newForConfig as newScale } from "@kubets/client/scale";
import { makePKI, type TestPKI } from "./helpers/pki.js";
import { startServer, type TestServer } from "./helpers/server.js";

let pki: TestPKI;
let srv: TestServer;
const open: (DynamicClient | MetadataClient | ScaleClient)[] = [];

beforeAll(async () => {
  pki = makePKI();
  srv = await startServer(pki);
});
afterAll(async () => {
  await srv.close();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  srv.seen.length = 0;
});

function reply(body: unknown, code = 200) {
  srv.handler = (_req, res) => {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
}

const cfg = () => ({ host: srv.url, tlsClientConfig: { caData: pki.caPem }, qps: -1, apiPath: "/ignored", groupVersion: "ignored/v1" });
function dyn(): DynamicClient {
  const c = newForConfig(cfg());
  open.push(c);
  return c;
}

const FOOS = { group: "example.com", version: "v1", resource: "foos" };
const PODS = { group: "", version: "v1", resource: "pods" };

describe("dynamic client requests", () => {
  it("builds client-go's paths for core, named groups, namespaces and subresources", async () => {
    reply({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" } });
    const d = dyn();
    await d.resource(PODS).namespace("ns").get("p");
    await d.resource(PODS).namespace("ns").get("p", { resourceVersion: "0" }, "status");
    await d.resource(FOOS).get("cluster-foo");
    await d.resource(FOOS).namespace("ns").create({ apiVersion: "example.com/v1", kind: "Foo", metadata: { name: "f" } }, { fieldManager: "me", dryRun: ["All"] });
    await d.resource(PODS).namespace("ns").create({ apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "p" } }, {}, "eviction");
    await d.resource(FOOS).namespace("ns").update({ metadata: { name: "f" } }, { fieldValidation: "Strict" });
    await d.resource(FOOS).namespace("ns").updateStatus({ metadata: { name: "f" } });
    expect(srv.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "GET /api/v1/namespaces/ns/pods/p",
      "GET /api/v1/namespaces/ns/pods/p/status?resourceVersion=0",
      "GET /apis/example.com/v1/foos/cluster-foo",
      "POST /apis/example.com/v1/namespaces/ns/foos?fieldManager=me&dryRun=All",
      "POST /api/v1/namespaces/ns/pods/p/eviction",
      "PUT /apis/example.com/v1/namespaces/ns/foos/f?fieldValidation=Strict",
      "PUT /apis/example.com/v1/namespaces/ns/foos/f/status",
    ]);
    expect(srv.seen.every((s) => s.headers["accept"] === "application/json")).toBe(true);
    expect(srv.seen[3]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(srv.seen[3]!.body)).toEqual({ apiVersion: "example.com/v1", kind: "Foo", metadata: { name: "f" } });
  });

  it("lists, completing item kinds from the list kind, and deletes with options in the body", async () => {
    reply({ apiVersion: "v1", kind: "PodList", metadata: { resourceVersion: "9" }, items: [{ metadata: { name: "a" } }, { apiVersion: "v1", kind: "Pod", metadata: { name: "b" } }] });
    const d = dyn();
    const list = await d.resource(PODS).namespace("ns").list({ labelSelector: "a=b", limit: 5 });
    expect(list.items).toEqual([
      { apiVersion: "v1", kind: "Pod", metadata: { name: "a" } },
      { apiVersion: "v1", kind: "Pod", metadata: { name: "b" } },
    ]);
    reply({ kind: "Status", apiVersion: "v1", status: "Success" });
    await d.resource(PODS).namespace("ns").delete("a", { propagationPolicy: "Foreground", preconditions: { uid: "u1" }, gracePeriodSeconds: 0 });
    await d.resource(PODS).namespace("ns").deleteCollection({ propagationPolicy: "Background" }, { labelSelector: "x=y" });
    expect(srv.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "GET /api/v1/namespaces/ns/pods?labelSelector=a%3Db&limit=5",
      "DELETE /api/v1/namespaces/ns/pods/a",
      "DELETE /api/v1/namespaces/ns/pods?labelSelector=x%3Dy",
    ]);
    expect(JSON.parse(srv.seen[1]!.body)).toEqual({ kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Foreground", preconditions: { uid: "u1" }, gracePeriodSeconds: 0 });
    expect(JSON.parse(srv.seen[2]!.body)).toEqual({ kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" });
  });

  it("patches with the patch content type and applies as an apply patch", async () => {
    reply({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" } });
    const d = dyn().resource(PODS).namespace("ns");
    await d.patch("p", PatchType.Merge, { metadata: { labels: { a: "b" } } });
    await d.patch("p", PatchType.JSON, '[{"op":"remove","path":"/metadata/labels/a"}]', {}, "status");
    await d.apply("p", { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }, { fieldManager: "me" });
    await d.applyStatus("p", { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }, { fieldManager: "me", force: true });
    expect(srv.seen.map((s) => [s.method, s.url, s.headers["content-type"], s.body])).toEqual([
      ["PATCH", "/api/v1/namespaces/ns/pods/p", "application/merge-patch+json", '{"metadata":{"labels":{"a":"b"}}}'],
      ["PATCH", "/api/v1/namespaces/ns/pods/p/status", "application/json-patch+json", '[{"op":"remove","path":"/metadata/labels/a"}]'],
      ["PATCH", "/api/v1/namespaces/ns/pods/p?fieldManager=me&force=false", "application/apply-patch+yaml", '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}'],
      ["PATCH", "/api/v1/namespaces/ns/pods/p/status?fieldManager=me&force=true", "application/apply-patch+yaml", '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}'],
    ]);
    await expect(d.apply("p", { metadata: { name: "p" } }, { fieldManager: "" })).rejects.toThrow("fieldManager is required");
    expect(srv.seen).toHaveLength(4);
  });

  it("rejects bad names before sending anything", async () => {
    const d = dyn();
    await expect(d.resource(PODS).namespace("ns").get("")).rejects.toThrow("name is required");
    await expect(d.resource(PODS).namespace("ns").update({ metadata: {} })).rejects.toThrow("name is required");
    await expect(d.resource(PODS).namespace("ns").create({ metadata: {} }, {}, "status")).rejects.toThrow("name is required");
    await expect(d.resource(PODS).namespace("a/b").list()).rejects.toThrow(`invalid namespace "a/b": [may not contain '/']`);
    await expect(d.resource(PODS).get("50%")).rejects.toThrow(`invalid resource name "50%": [may not contain '%']`);
    expect(srv.seen).toHaveLength(0);
  });

  it("cancels through an AbortSignal, which never becomes a query parameter", async () => {
    reply({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" } });
    const d = dyn().resource(PODS).namespace("ns");
    const reason = new Error("cancelled by the test");
    await expect(d.get("p", { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await d.get("p", { signal: new AbortController().signal, resourceVersion: "1" });
    expect(srv.seen.map((s) => s.url)).toEqual(["/api/v1/namespaces/ns/pods/p?resourceVersion=1"]);
  });

  it("watches with watch=true and yields typed events", async () => {
    srv.handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json;stream=watch" });
      res.write(`${JSON.stringify({ type: "ADDED", object: { kind: "Foo", metadata: { name: "a" } } })}\n`);
      res.end(`${JSON.stringify({ type: "DELETED", object: { kind: "Foo", metadata: { name: "a" } } })}\n`);
    };
    const w = await dyn().resource(FOOS).namespace("ns").watch({ resourceVersion: "5", allowWatchBookmarks: true });
    const seen: string[] = [];
    for await (const ev of w) seen.push(`${ev.type} ${ev.type === "ERROR" ? "" : ev.object.metadata?.name}`);
    expect(seen).toEqual(["ADDED a", "DELETED a"]);
    expect(srv.seen[0]!.url).toBe("/apis/example.com/v1/namespaces/ns/foos?resourceVersion=5&allowWatchBookmarks=true&watch=true");
  });
});

describe("metadata client requests", () => {
  it("negotiates PartialObjectMetadata and PartialObjectMetadataList", async () => {
    const m = newMetadata(cfg());
    open.push(m);
    reply({ apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: { name: "p" } });
    expect(await m.resource(PODS).namespace("ns").get("p")).toEqual({ apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: { name: "p" } });
    await m.resource(PODS).namespace("ns").patch("p", PatchType.Merge, { metadata: { labels: { a: "b" } } });
    reply({ apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadataList", metadata: {}, items: [] });
    await m.resource(PODS).list({ limit: 1 });
    reply({ kind: "Status", apiVersion: "v1", status: "Success" });
    await m.resource(PODS).namespace("ns").delete("p", { gracePeriodSeconds: 1 });
    expect(srv.seen.map((s) => [s.method, s.url, s.headers["accept"]])).toEqual([
      ["GET", "/api/v1/namespaces/ns/pods/p", ACCEPT_PARTIAL_OBJECT_METADATA],
      ["PATCH", "/api/v1/namespaces/ns/pods/p", ACCEPT_PARTIAL_OBJECT_METADATA],
      ["GET", "/api/v1/pods?limit=1", ACCEPT_PARTIAL_OBJECT_METADATA_LIST],
      ["DELETE", "/api/v1/namespaces/ns/pods/p", "application/json"],
    ]);
    expect(ACCEPT_PARTIAL_OBJECT_METADATA).toBe(
      "application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json",
    );
    expect(ACCEPT_PARTIAL_OBJECT_METADATA_LIST).toBe(
      "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json",
    );
    expect(srv.seen[3]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(srv.seen[3]!.body)).toEqual({ kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 1 });
  });
});

describe("metadata client over protobuf", () => {
  function replyProtobuf(kind: string, message: Uint8Array, code = 200) {
    const body = encodeEnvelope({ apiVersion: kind === "Status" ? "v1" : "meta.k8s.io/v1", kind, raw: message });
    srv.handler = (_req, res) => {
      res.writeHead(code, { "content-type": "application/vnd.kubernetes.protobuf" });
      res.end(body);
    };
  }
  const encode = (write: (w: ProtoWriter, v: never) => void, v: object): Uint8Array => {
    const w = new ProtoWriter();
    write(w, v as never);
    return w.finish();
  };

  it("decodes a protobuf PartialObjectMetadataList, giving each item the TypeMeta its JSON form has", async () => {
    const m = newMetadata(cfg());
    open.push(m);
    const list = {
      metadata: { resourceVersion: "42", continue: "next" },
      items: [{ metadata: { name: "a", namespace: "ns", uid: "u-a", labels: { app: "x" } } }, { metadata: { name: "b", namespace: "ns", uid: "u-b" } }],
    };
    replyProtobuf("PartialObjectMetadataList", encode(meta_v1.writePartialObjectMetadataList, list));
    expect(await m.resource(PODS).namespace("ns").list({ limit: 2 })).toEqual({
      apiVersion: "meta.k8s.io/v1",
      kind: "PartialObjectMetadataList",
      metadata: { resourceVersion: "42", continue: "next" },
      items: [
        { apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: { name: "a", namespace: "ns", uid: "u-a", labels: { app: "x" } } },
        { apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: { name: "b", namespace: "ns", uid: "u-b" } },
      ],
    });
    replyProtobuf("PartialObjectMetadata", encode(meta_v1.writePartialObjectMetadata, { metadata: { name: "a", uid: "u-a" } }));
    expect(await m.resource(PODS).namespace("ns").get("a")).toEqual({ apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: { name: "a", uid: "u-a" } });
  });

  it("turns a protobuf Status into the typed error", async () => {
    const m = newMetadata(cfg());
    open.push(m);
    replyProtobuf("Status", encode(meta_v1.writeStatus, { status: "Failure", reason: "NotFound", code: 404, message: 'pods "gone" not found' }), 404);
    await expect(m.resource(PODS).namespace("ns").get("gone")).rejects.toSatisfy((e: unknown) => isNotFound(e) && String(e).includes('pods "gone" not found'));
  });
});

describe("scale client requests", () => {
  it("resolves the resource through the mapper and converts legacy Scale versions", async () => {
    const mapper = new DefaultRESTMapper([{ group: "apps", version: "v1beta2" }]);
    mapper.add({ group: "apps", version: "v1beta2", kind: "Deployment" }, RESTScopeNamespace);
    const resolver = { scaleForResource: async () => ({ group: "apps", version: "v1beta2", kind: "Scale" }) };
    const s = newScale(cfg(), mapper, resolver);
    open.push(s);
    reply({ apiVersion: "apps/v1beta2", kind: "Scale", metadata: { name: "web", resourceVersion: "3" }, spec: { replicas: 2 }, status: { replicas: 2, selector: { app: "web" }, targetSelector: "app=web" } });
    const got = await s.scales("ns").get({ group: "apps", resource: "deployments" }, "web");
    expect(got).toEqual({ apiVersion: "autoscaling/v1", kind: "Scale", metadata: { name: "web", resourceVersion: "3" }, spec: { replicas: 2 }, status: { replicas: 2, selector: "app=web" } });
    await s.scales("ns").update({ group: "apps", resource: "deployments" }, { ...got, spec: { replicas: 4 } });
    expect(srv.seen.map((x) => `${x.method} ${x.url}`)).toEqual([
      "GET /apis/apps/v1beta2/namespaces/ns/deployments/web/scale",
      "PUT /apis/apps/v1beta2/namespaces/ns/deployments/web/scale",
    ]);
    expect(JSON.parse(srv.seen[1]!.body)).toEqual({ apiVersion: "apps/v1beta2", kind: "Scale", metadata: { name: "web", resourceVersion: "3" }, spec: { replicas: 4 }, status: { replicas: 2, targetSelector: "app=web" } });
  });
});
