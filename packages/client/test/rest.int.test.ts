import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "@kubets/testenv/vitest";
import { isAlreadyExists, isConflict, isNotFound, isResourceExpired } from "@kubets/apimachinery/errors";
import type { ListOptions } from "@kubets/apimachinery/meta/v1";
import { ProtoReader } from "@kubets/apimachinery/protobuf";
import { MapProtobufCodecRegistry } from "@kubets/apimachinery/serializer";
import { PatchType, type RESTClient } from "@kubets/client/rest";
import { DEFAULT_RETRY, ListPager, retryOnConflict } from "@kubets/client/util";
import { closeAll, configFor, coreClient, createNamespace, uniqueName } from "./helpers/int.js";

interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}
interface ConfigMapList {
  metadata?: { resourceVersion?: string; continue?: string };
  items: ConfigMap[];
}

let admin: RESTClient;
let ns: string;

beforeAll(async () => {
  admin = coreClient(configFor("admin"));
  ns = uniqueName("kubets-rest");
  await createNamespace(admin, ns);
});
afterAll(async () => {
  await admin.delete().resource("namespaces").name(ns).do().catch(() => undefined);
  await closeAll();
});

const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data });

describe("ConfigMap CRUD through the request builder", () => {
  it("create, get, update, patch, delete with typed errors", async () => {
    const created = await admin.post().namespace(ns).resource("configmaps").body(cm("crud", { a: "1" })).do<ConfigMap>();
    expect(created.metadata.resourceVersion).toBeTruthy();
    const dup = await admin.post().namespace(ns).resource("configmaps").body(cm("crud")).do().catch((e: unknown) => e);
    expect(isAlreadyExists(dup)).toBe(true);

    const got = await admin.get().namespace(ns).resource("configmaps").name("crud").do<ConfigMap>();
    expect(got.data).toEqual({ a: "1" });

    const updated = await admin.put().namespace(ns).resource("configmaps").name("crud").body({ ...got, data: { a: "2" } }).do<ConfigMap>();
    expect(updated.data).toEqual({ a: "2" });
    const stale = await admin.put().namespace(ns).resource("configmaps").name("crud").body({ ...got, data: { a: "3" } }).do().catch((e: unknown) => e);
    expect(isConflict(stale)).toBe(true);

    const patched = await admin.patch(PatchType.Merge).namespace(ns).resource("configmaps").name("crud").body({ data: { b: "x" } }).do<ConfigMap>();
    expect(patched.data).toEqual({ a: "2", b: "x" });
    const applied = await admin
      .patch(PatchType.Apply)
      .namespace(ns)
      .resource("configmaps")
      .name("crud")
      .param("fieldManager", "kubets-test")
      .param("force", true)
      .body({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "crud" }, data: { c: "y" } })
      .do<ConfigMap>();
    expect(applied.data?.["c"]).toBe("y");

    await admin.delete().namespace(ns).resource("configmaps").name("crud").do();
    const gone = await admin.get().namespace(ns).resource("configmaps").name("crud").do().catch((e: unknown) => e);
    expect(isNotFound(gone)).toBe(true);
    expect((gone as Error).message).toBe('configmaps "crud" not found');
  });

  it("retryOnConflict re-reads and re-applies until the write lands", async () => {
    await admin.post().namespace(ns).resource("configmaps").body(cm("counter", { n: "0" })).do();
    let attempts = 0;
    await retryOnConflict(DEFAULT_RETRY, async () => {
      attempts++;
      const cur = await admin.get().namespace(ns).resource("configmaps").name("counter").do<ConfigMap>();
      if (attempts === 1) {
        // someone else writes in between: our update must conflict once
        await admin.patch(PatchType.Merge).namespace(ns).resource("configmaps").name("counter").body({ data: { other: "x" } }).do();
      }
      cur.data = { ...cur.data, n: String(Number(cur.data?.["n"]) + 1) };
      await admin.put().namespace(ns).resource("configmaps").name("counter").body(cur).do();
    });
    expect(attempts).toBe(2);
    const final = await admin.get().namespace(ns).resource("configmaps").name("counter").do<ConfigMap>();
    expect(final.data).toEqual({ n: "1", other: "x" });
  });

  it("watches ADDED, MODIFIED and DELETED events", async () => {
    const list = await admin.get().namespace(ns).resource("configmaps").do<ConfigMapList>();
    const w = await admin.get().namespace(ns).resource("configmaps").params({ resourceVersion: list.metadata?.resourceVersion, fieldSelector: "metadata.name=watched" }).watch<ConfigMap>();
    await admin.post().namespace(ns).resource("configmaps").body(cm("watched", { v: "1" })).do();
    await admin.patch(PatchType.Merge).namespace(ns).resource("configmaps").name("watched").body({ data: { v: "2" } }).do();
    await admin.delete().namespace(ns).resource("configmaps").name("watched").do();
    const seen: string[] = [];
    for await (const ev of w) {
      if (ev.type === "ERROR") throw new Error(ev.object.message);
      seen.push(`${ev.type}:${ev.object.data?.["v"] ?? ""}`);
      if (ev.type === "DELETED") break;
    }
    w.stop();
    expect(seen).toEqual(["ADDED:1", "MODIFIED:2", "DELETED:2"]);
  });

  it("hands the server's Warning headers to the handler", async () => {
    const warnings: string[] = [];
    const c = coreClient({ ...configFor("admin"), warningHandler: (_code, _agent, text) => warnings.push(text) });
    await c.get().resource("componentstatuses").do();
    expect(warnings.some((w) => /ComponentStatus is deprecated/.test(w))).toBe(true);
  });

  it("negotiates protobuf when codecs are given, and falls back to JSON for kinds without one", async () => {
    // A hand-written codec for just enough of v1.Namespace: metadata (1) -> name (1), uid (5).
    const nsCodec = {
      decode(raw: Uint8Array) {
        const out: { metadata: { name?: string; uid?: string } } = { metadata: {} };
        const r = new ProtoReader(raw);
        while (!r.eof()) {
          const t = r.tag();
          if (t === 0x0a) {
            const m = r.sub();
            while (!m.eof()) {
              const mt = m.tag();
              if (mt === 0x0a) out.metadata.name = m.string();
              else if (mt === 0x2a) out.metadata.uid = m.string();
              else m.skip(mt & 7);
            }
          } else r.skip(t & 7);
        }
        return out;
      },
      encode(): Uint8Array {
        throw new Error("not needed");
      },
    };
    const registry = new MapProtobufCodecRegistry().register("v1", "Namespace", nsCodec);
    const c = coreClient(configFor("admin"), { protobuf: registry });
    const got = await c.get().resource("namespaces").name("default").do<{ apiVersion: string; kind: string; metadata: { name: string; uid: string } }>();
    expect(got).toMatchObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
    expect(got.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const raw = await c.get().resource("namespaces").name("default").result();
    expect(raw.contentType).toBe("application/vnd.kubernetes.protobuf");
    // no codec for ConfigMap: the server still answers, the client cannot decode protobuf and says so
    await expect(c.get().namespace(ns).resource("configmaps").do()).rejects.toMatchObject({ name: "DecodeError", message: expect.stringMatching(/no codec registered for v1, Kind=ConfigMapList/) });
  });

  it("reuses one TLS connection for 1,000 sequential GETs", async () => {
    const c = coreClient(configFor("token"));
    for (let i = 0; i < 1000; i++) await c.get().resource("namespaces").name("default").do();
    expect(c.transport.stats.requests).toBe(1000);
    expect(c.transport.stats.connections).toBe(1);
  });
});

describe("ListPager against 2,000 ConfigMaps", () => {
  const N = 2000;
  let pns: string;

  beforeAll(async () => {
    pns = uniqueName("kubets-pager");
    await createNamespace(admin, pns);
    const names = Array.from({ length: N }, (_, i) => `cm-${String(i).padStart(4, "0")}`);
    const workers = Array.from({ length: 16 }, async (_, w) => {
      for (let i = w; i < names.length; i += 16) {
        await admin.post().namespace(pns).resource("configmaps").body({ ...cm(names[i]!, { i: String(i) }), metadata: { name: names[i]!, labels: { set: "pager" } } }).do();
      }
    });
    await Promise.all(workers);
  }, 300_000);

  afterAll(async () => {
    await admin.delete().resource("namespaces").name(pns).do().catch(() => undefined);
  });

  const pageFn = (namespace: string) => (o: ListOptions, signal?: AbortSignal) =>
    admin.get().namespace(namespace).resource("configmaps").params(o).signal(signal).do<ConfigMapList>();

  it("lists every object in pages of 500 and merges them", async () => {
    const calls: ListOptions[] = [];
    const fn = pageFn(pns);
    const pager = new ListPager<ConfigMap, ConfigMapList>((o, s) => {
      calls.push({ ...o });
      return fn(o, s);
    });
    const { list, paginated } = await pager.list({ labelSelector: "set=pager" });
    expect(paginated).toBe(true);
    expect(list.items).toHaveLength(N);
    expect(new Set(list.items.map((i) => i.metadata.name)).size).toBe(N);
    expect(list.metadata?.continue).toBeUndefined();
    // 2,000 matching objects in pages of 500 (the server may end with an empty page: it also holds kube-root-ca.crt)
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(calls.every((c) => c.limit === 500 && c.labelSelector === "set=pager")).toBe(true);
    expect(calls.slice(1).every((c) => typeof c.continue === "string" && c.continue !== "")).toBe(true);
  });

  it("accepts gzip for large responses unless compression is disabled", async () => {
    const gz = await admin.get().namespace(pns).resource("configmaps").result();
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect((JSON.parse(Buffer.from(gz.body).toString("utf8")) as ConfigMapList).items.length).toBeGreaterThanOrEqual(N);
    const plain = coreClient({ ...configFor("admin"), disableCompression: true });
    const raw = await plain.get().namespace(pns).resource("configmaps").result();
    expect(raw.headers["content-encoding"]).toBeUndefined();
    expect(raw.body.length).toBe(gz.body.length);
  });

  it("yields page by page", async () => {
    const sizes: number[] = [];
    for await (const { page, restarted } of new ListPager<ConfigMap, ConfigMapList>(pageFn(pns), { pageSize: 700 }).pages({ labelSelector: "set=pager" })) {
      expect(restarted).toBe(false);
      sizes.push(page.items.length);
    }
    expect(sizes.slice(0, 2)).toEqual([700, 700]);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(N);
  });

  it("falls back to a full list when the continue token expired (etcd compacted)", async () => {
    const env = testEnv();
    const fn = pageFn(pns);
    const calls: ListOptions[] = [];
    const pager = new ListPager<ConfigMap, ConfigMapList>(async (o, s) => {
      calls.push({ ...o });
      if (calls.length === 2) {
        // The client sat on its continue token for longer than the server keeps history. The token is made to
        // point at revision 2, from before the apiserver's watch cache, so the server must read etcd, and etcd
        // is compacted past revision 2 (only that far, so no other test sharing this etcd loses history).
        // Only the revision inside the token changes.
        await admin.patch(PatchType.Merge).namespace(pns).resource("configmaps").name("cm-0000").body({ data: { touched: "yes" } }).do();
        const res = await fetch(`${env.etcd}/v3/kv/compaction`, { method: "POST", body: JSON.stringify({ revision: "3" }) });
        const text = await res.text();
        // 200, or "already compacted" when something compacted further before
        expect(res.ok || /compacted/.test(text)).toBe(true);
        const token = JSON.parse(Buffer.from(o.continue ?? "", "base64").toString("utf8")) as { rv: number };
        token.rv = 2;
        const err = await fn({ ...o, continue: Buffer.from(JSON.stringify(token)).toString("base64") }, s).catch((e: unknown) => e);
        expect(isResourceExpired(err)).toBe(true);
        expect((err as { code?: number }).code).toBe(410);
        throw err;
      }
      return fn(o, s);
    }, { pageSize: 500 });
    const { list } = await pager.list({ labelSelector: "set=pager" });
    expect(calls).toHaveLength(3);
    expect(calls[2]).toEqual({ labelSelector: "set=pager" });
    expect(list.items).toHaveLength(N);
    expect(list.items.find((i) => i.metadata.name === "cm-0000")?.data?.["touched"]).toBe("yes");
  });
});
