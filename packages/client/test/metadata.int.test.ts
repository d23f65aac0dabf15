import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNotFound } from "@kubets/apimachinery/errors";
import type { PartialObjectMetadata } from "@kubets/apimachinery/meta/v1";
import type { ObjectWatchEvent } from "@kubets/apimachinery/watch";
import { newForConfig as newDynamic, type DynamicClient } from "@kubets/client/dynamic";
import type { MetadataClient} from "@kubets/client/metadata";
import {
  ACCEPT_PARTIAL_OBJECT_METADATA,
  ACCEPT_PARTIAL_OBJECT_METADATA_LIST,
  PatchType,
  newForConfig,
  toPartialObjectMetadata,
  toPartialObjectMetadataList,
} from "@kubets/client/metadata";
import { configFor, uniqueName } from "./helpers/int.js";

const CONFIGMAPS = { group: "", version: "v1", resource: "configmaps" };
const NAMESPACES = { group: "", version: "v1", resource: "namespaces" };
const ns = uniqueName("kubets-metadata");

let meta: MetadataClient;
let dyn: DynamicClient;

beforeAll(async () => {
  meta = newForConfig(configFor("admin"));
  dyn = newDynamic(configFor("admin"));
  await dyn.resource(NAMESPACES).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  for (const name of ["one", "two", "three"]) {
    await dyn.resource(CONFIGMAPS).namespace(ns).create({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name, labels: { app: "meta", name } },
      data: { payload: "x".repeat(1000) },
    });
  }
});

afterAll(async () => {
  await dyn.resource(NAMESPACES).delete(ns).catch(() => undefined);
  await meta.close();
  await dyn.close();
});

describe("metadata client against the real API server", () => {
  it("lists ConfigMaps as PartialObjectMetadata without their data", async () => {
    const list = await meta.resource(CONFIGMAPS).namespace(ns).list({ labelSelector: "app=meta" });
    expect(list.apiVersion).toBe("meta.k8s.io/v1");
    expect(list.kind).toBe("PartialObjectMetadataList");
    expect(list.metadata?.resourceVersion).toBeTruthy();
    expect(list.items.map((i) => i.metadata?.name).sort()).toEqual(["one", "three", "two"]);
    for (const item of list.items) {
      expect(item.kind).toBe("PartialObjectMetadata");
      expect(item.apiVersion).toBe("meta.k8s.io/v1");
      expect(item.metadata?.uid).toBeTruthy();
      expect(item.metadata?.labels?.["app"]).toBe("meta");
      expect(Object.keys(item).sort()).toEqual(["apiVersion", "kind", "metadata"]);
      expect("data" in item).toBe(false);
    }
    const paged = await meta.resource(CONFIGMAPS).namespace(ns).list({ labelSelector: "app=meta", limit: 2 });
    expect(paged.items).toHaveLength(2);
    expect(paged.metadata?.continue).toBeTruthy();
    const all = await meta.resource(CONFIGMAPS).list({ labelSelector: "app=meta" });
    expect(all.items.filter((i) => i.metadata?.namespace === ns)).toHaveLength(3);
  });

  it("is answered in protobuf, as client-go's metadata client is", async () => {
    const list = await meta.restClient.get().absPath("api", "v1", "namespaces", ns, "configmaps").setHeader("accept", ACCEPT_PARTIAL_OBJECT_METADATA_LIST).result();
    expect(list.contentType).toMatch(/^application\/vnd\.kubernetes\.protobuf/);
    const decoded = toPartialObjectMetadataList(meta.restClient.decode(list.body, list.contentType));
    expect(decoded.kind).toBe("PartialObjectMetadataList");
    expect(decoded.items.length).toBeGreaterThan(0);
    expect(decoded.items[0]).toMatchObject({ apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: { namespace: ns } });
    const one = await meta.restClient.get().absPath("api", "v1", "namespaces", ns, "configmaps", "two").setHeader("accept", ACCEPT_PARTIAL_OBJECT_METADATA).result();
    expect(one.contentType).toMatch(/^application\/vnd\.kubernetes\.protobuf/);
  });

  it("gets, patches and deletes through metadata only", async () => {
    const rc = meta.resource(CONFIGMAPS).namespace(ns);
    const one = await rc.get("one");
    expect(one).toMatchObject({ apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: { name: "one", namespace: ns } });
    expect("data" in one).toBe(false);
    const patched = await rc.patch("one", PatchType.Merge, { metadata: { labels: { extra: "yes" } } });
    expect(patched.kind).toBe("PartialObjectMetadata");
    expect(patched.metadata?.labels).toEqual({ app: "meta", name: "one", extra: "yes" });
    const full = await dyn.resource(CONFIGMAPS).namespace(ns).get("one");
    expect((full["data"] as Record<string, string>)["payload"]).toHaveLength(1000);
    await rc.delete("one", { preconditions: { uid: one.metadata!.uid! } });
    await expect(rc.get("one")).rejects.toSatisfy(isNotFound);
    await expect(rc.get("")).rejects.toThrow("name is required");
  });

  it("watches as PartialObjectMetadata", async () => {
    const rc = meta.resource(CONFIGMAPS).namespace(ns);
    const start = await rc.list({ labelSelector: "app=meta-watch" });
    const w = await rc.watch({ labelSelector: "app=meta-watch", resourceVersion: start.metadata!.resourceVersion! });
    const events: ObjectWatchEvent<PartialObjectMetadata>[] = [];
    const done = (async () => {
      for await (const ev of w) {
        if (ev.type === "ERROR") throw new Error(`watch failed: ${ev.object.message ?? ""}`);
        events.push(ev);
        if (ev.type === "DELETED") break;
      }
    })();
    const cm = dyn.resource(CONFIGMAPS).namespace(ns);
    await cm.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "watched", labels: { app: "meta-watch" } }, data: { a: "b" } });
    await cm.delete("watched");
    await done;
    w.stop();
    expect(events.map((e) => [e.type, e.object.kind, e.object.metadata?.name])).toEqual([
      ["ADDED", "PartialObjectMetadata", "watched"],
      ["DELETED", "PartialObjectMetadata", "watched"],
    ]);
    expect(events.every((e) => !("data" in (e.object as object)))).toBe(true);
  });

  it("deleteCollection through the metadata client", async () => {
    const rc = meta.resource(CONFIGMAPS).namespace(ns);
    await rc.deleteCollection({}, { labelSelector: "app=meta" });
    expect((await rc.list({ labelSelector: "app=meta" })).items).toEqual([]);
  });
});

describe("PartialObjectMetadata fallback for servers that ignore the negotiation", () => {
  it("keeps only metadata from full objects and lists", () => {
    expect(toPartialObjectMetadata({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", uid: "u" }, data: { k: "v" } })).toEqual({
      metadata: { name: "a", uid: "u" },
    });
    expect(() => toPartialObjectMetadata({ apiVersion: "v1", kind: "Status", status: "Failure" })).toThrow("does not appear to match the ObjectMeta schema");
    expect(
      toPartialObjectMetadataList({ apiVersion: "v1", kind: "ConfigMapList", metadata: { resourceVersion: "5" }, items: [{ metadata: { name: "a" }, data: {} }] }),
    ).toEqual({ metadata: { resourceVersion: "5" }, items: [{ metadata: { name: "a" } }] });
  });
});
