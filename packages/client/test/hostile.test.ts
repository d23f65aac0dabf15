// What a client does against servers and networks that misbehave in ways a real API server does not show
// on demand: bodies without end, gzip bombs, connections cut or black-holed mid-stream, TLS handshakes
// that never finish, proxies that refuse. The servers live in ./helpers/hostile.ts.
import { createServer as createHTTPServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RestConfig } from "@kubets/client/config";
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_WATCH_IDLE_TIMEOUT, RESTClient } from "@kubets/client/rest";
import { ProtoReader, ProtoWriter, meta_v1 } from "@kubets/apimachinery/protobuf";
import { MapProtobufCodecRegistry, ProtobufSerializer } from "@kubets/apimachinery/serializer";
import { startCuttingProxy, startHostileServer, startSilentServer, type Behaviour, type HostileServer } from "./helpers/hostile.js";
import { makePKI, type TestPKI } from "./helpers/pki.js";

let pki: TestPKI;
const clients: RESTClient[] = [];
const servers: Array<{ close(): Promise<void> }> = [];

beforeAll(() => {
  pki = makePKI();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(behaviour: Behaviour, tls = false): Promise<HostileServer> {
  const s = await startHostileServer(behaviour, tls ? { tls: pki } : {});
  servers.push(s);
  return s;
}

function client(host: string, extra: Partial<RestConfig> = {}): RESTClient {
  const c = new RESTClient({ host, apiPath: "/api", groupVersion: "v1", tlsClientConfig: { caData: pki.caPem }, qps: -1, ...extra }, { maxRetries: 0 });
  clients.push(c);
  return c;
}

const failure = (p: Promise<unknown>) => p.then(
  () => {
    throw new Error("expected a rejection");
  },
  (e: unknown) => e as Error & { code?: string },
);

const event = (type: string, name: string, rv = "1") => `${JSON.stringify({ type, object: { kind: "ConfigMap", apiVersion: "v1", metadata: { name, resourceVersion: rv } } })}\n`;

/** Writes MiB after MiB of a JSON string for as long as the client reads. */
const endlessBody: Behaviour = async (conn) => {
  await conn.request();
  conn.head(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
  conn.chunk('{"kind":"ConfigMap","data":{"x":"');
  const mib = Buffer.alloc(1024 * 1024, "a");
  const pump = () => {
    while (!conn.socket.destroyed && conn.chunk(mib));
  };
  conn.socket.on("drain", pump);
  pump();
};

describe("bounded response bodies", () => {
  it("stops a body that never ends at maxResponseBytes with a typed error and closes the connection", async () => {
    const s = await serve(endlessBody);
    const err = await failure(client(s.url, { maxResponseBytes: 4 * 1024 * 1024 }).get().namespace("ns").resource("configmaps").name("x").do());
    expect(err).toMatchObject({ name: "TransportError", code: "ERR_RESPONSE_TOO_LARGE" });
    expect(err.message).toMatch(/larger than the 4194304-byte limit.*connection was closed.*maxResponseBytes/);
    await s.waitClosed(1);
  });

  it("refuses a declared Content-Length over the bound before reading, per request", async () => {
    const s = await serve(async (conn) => {
      await conn.request();
      conn.head(200, { "content-type": "application/json", "content-length": String(DEFAULT_MAX_RESPONSE_BYTES + 1) });
      conn.socket.write("{");
    });
    const err = await failure(client(s.url).get().resource("pods").do());
    expect(err).toMatchObject({ name: "TransportError", code: "ERR_RESPONSE_TOO_LARGE" });
    expect(err.message).toContain(`${DEFAULT_MAX_RESPONSE_BYTES}-byte limit (Content-Length ${DEFAULT_MAX_RESPONSE_BYTES + 1})`);
    // the request's own bound wins over the config's
    const err2 = await failure(client(s.url, { maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES * 2 }).get().resource("pods").maxResponseBytes(10).do());
    expect(err2.message).toContain("10-byte limit");
    await s.waitClosed(2);
  });

  it("bounds a gzip bomb on its decompressed size", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const s = await serve(async (conn) => {
      await conn.request();
      conn.head(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(bomb.length) });
      conn.socket.write(bomb);
    });
    const err = await failure(client(s.url, { maxResponseBytes: 8 * 1024 * 1024 }).get().resource("pods").do());
    expect(err).toMatchObject({ name: "TransportError", code: "ERR_RESPONSE_TOO_LARGE" });
    expect(err.message).toMatch(/after gzip decompression/);
  });

  it("still reads bodies up to the bound, plain and gzipped", async () => {
    const doc = JSON.stringify({ kind: "ConfigMap", data: { x: "y".repeat(100_000) } });
    const s = await serve(async (conn) => {
      const req = await conn.request();
      const gz = req.url.includes("gz=1");
      const body = gz ? gzipSync(doc) : Buffer.from(doc);
      conn.head(200, { "content-type": "application/json", ...(gz ? { "content-encoding": "gzip" } : {}), "content-length": String(body.length) });
      conn.socket.end(body);
    });
    const c = client(s.url, { maxResponseBytes: doc.length });
    expect(await c.get().resource("pods").do()).toEqual(JSON.parse(doc));
    expect(await c.get().resource("pods").param("gz", 1).do()).toEqual(JSON.parse(doc));
  });
});

describe("errors cut mid-stream are TransportErrors", () => {
  const cutAfterOneEvent =
    (how: "end" | "reset"): Behaviour =>
    async (conn) => {
      await conn.request();
      conn.head(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
      conn.chunk(event("ADDED", "a"));
      setTimeout(() => (how === "end" ? conn.end() : conn.reset()), 50);
    };

  for (const tls of [false, true])
    for (const how of ["end", "reset"] as const)
      it(`a watch whose connection is ${how === "end" ? "closed (FIN)" : "reset (RST)"} mid-stream, over ${tls ? "TLS" : "plain HTTP"}`, async () => {
        const s = await serve(cutAfterOneEvent(how), tls);
        const w = await client(s.url).get().namespace("ns").resource("configmaps").watch();
        const seen: string[] = [];
        const err = await failure(
          (async () => {
            for await (const ev of w) seen.push(ev.type);
          })(),
        );
        expect(seen).toEqual(["ADDED"]);
        expect(err.name).toBe("TransportError");
        expect(err.code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET|EPIPE)$/);
        expect(err.message).toContain(s.url);
        expect(err.message).toMatch(/connection was closed before the body ended/);
      });

  it("every verb and stream() whose body is cut, with the low-level code", async () => {
    const s = await serve(async (conn) => {
      await conn.request();
      conn.head(200, { "content-type": "application/json", "content-length": "1000" });
      conn.socket.write('{"kind":"ConfigMap"');
      setTimeout(() => conn.reset(), 20);
    }, true);
    const c = client(s.url);
    const body = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } };
    const requests = [
      c.get().namespace("ns").resource("configmaps").name("x"),
      c.post().namespace("ns").resource("configmaps").body(body),
      c.put().namespace("ns").resource("configmaps").name("x").body(body),
      c.patch("application/merge-patch+json").namespace("ns").resource("configmaps").name("x").body({}),
      c.delete().namespace("ns").resource("configmaps").name("x"),
    ];
    for (const r of requests) {
      const err = await failure(r.do());
      expect(err).toMatchObject({ name: "TransportError", code: expect.stringMatching(/^[A-Z_]+$/) });
    }
    const st = await c.get().namespace("ns").resource("pods").name("p").subResource("log").stream();
    const err = await failure(
      (async () => {
        for await (const chunk of st) void chunk;
      })(),
    );
    expect(err).toMatchObject({ name: "TransportError", code: expect.stringMatching(/^[A-Z_]+$/) });
  });
});

describe("timeouts", () => {
  it("cover connecting and the TLS handshake: a server that never completes TLS fails at the timeout", async () => {
    const s = await startSilentServer();
    servers.push(s);
    const c = client(s.url.replace("http:", "https:"), { timeout: 1000 });
    for (const r of [c.get().namespace("ns").resource("configmaps").name("x"), c.get().namespace("ns").resource("configmaps")]) {
      const started = Date.now();
      const err = await failure(r.do());
      const elapsed = Date.now() - started;
      expect(err).toMatchObject({ name: "TransportError", code: "ETIMEDOUT" });
      // undici's own connect timeout is 30 s; the request's 1 s timeout must win by far
      expect(elapsed).toBeLessThan(10_000);
      expect(err.message).toMatch(/timed out after \d+(\.\d+)?m?s \(the timeout is 1s; it covers connecting, TLS, headers and body\)/);
    }
  });
});

describe("dead watch connections", () => {
  /** A watch server: one event, then a bookmark every `everyMs` (0: none), never ending. */
  const watchServer = (everyMs: number): Behaviour => async (conn) => {
    await conn.request();
    conn.head(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    conn.chunk(event("ADDED", "a", "1"));
    let rv = 1;
    if (everyMs > 0) {
      const t = setInterval(() => {
        if (conn.socket.destroyed) clearInterval(t);
        else conn.chunk(event("BOOKMARK", "", String(++rv)));
      }, everyMs);
    }
  };

  it("notices a black-holed connection (no FIN, no RST) within the idle timeout, which bookmarks keep alive", async () => {
    const s = await serve(watchServer(100));
    const proxy = await startCuttingProxy(`127.0.0.1:${s.port}`);
    servers.push(proxy);
    const w = await client(`http://${proxy.address}`, { watchIdleTimeout: 600 }).get().namespace("ns").resource("configmaps").param("allowWatchBookmarks", true).watch();
    const types: string[] = [];
    const done = failure(
      (async () => {
        for await (const ev of w) {
          types.push(ev.type);
          // bookmarks arrive every 100 ms: the 600 ms idle timeout never fires while they flow
          if (types.length === 15) proxy.blackHoleAll();
        }
      })(),
    );
    const err = await done;
    expect(types.slice(0, 15)).toEqual(["ADDED", ...Array<string>(14).fill("BOOKMARK")]);
    expect(err).toMatchObject({ name: "TransportError", code: "ERR_WATCH_IDLE_TIMEOUT" });
    expect(err.message).toMatch(/no data from .* for \d.*idle timeout 600ms.*presumed dead/);
  });

  it("honours a request's idleTimeout on any watch (the 90 s default applies to watches that ask for bookmarks)", async () => {
    expect(DEFAULT_WATCH_IDLE_TIMEOUT).toBe(90_000);
    const s = await serve(watchServer(0));
    const c = client(s.url);
    const w = await c.get().namespace("ns").resource("configmaps").idleTimeout(300).watch();
    const err = await failure(
      (async () => {
        for await (const ev of w) void ev;
      })(),
    );
    expect(err).toMatchObject({ name: "TransportError", code: "ERR_WATCH_IDLE_TIMEOUT" });
  });
  it("bounds the wait for the response headers by the idle timeout too (a request sent on a dead connection)", async () => {
    // the server reads the request and never answers: no headers, no FIN, no RST
    const s = await serve(async (conn) => {
      await conn.request();
    });
    const err = await client(s.url).get().namespace("ns").resource("configmaps").idleTimeout(300).watch().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: "TransportError", code: "ERR_WATCH_IDLE_TIMEOUT", message: expect.stringMatching(/no response from .* within 300ms/) });
  });
  it("does not count the time a slow consumer takes between events as idle", async () => {
    const s = await serve(async (conn) => {
      await conn.request();
      conn.head(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
      conn.chunk(event("ADDED", "a", "1"));
      setTimeout(() => conn.chunk(event("MODIFIED", "a", "2")), 50);
    });
    const w = await client(s.url).get().namespace("ns").resource("configmaps").idleTimeout(300).watch();
    const types: string[] = [];
    const err = await failure(
      (async () => {
        for await (const ev of w) {
          types.push(ev.type);
          // busy for longer than the idle timeout while the next event waits in the buffers
          if (ev.type === "ADDED") await new Promise((r) => setTimeout(r, 900));
        }
      })(),
    );
    expect(types).toEqual(["ADDED", "MODIFIED"]);
    expect(err).toMatchObject({ name: "TransportError", code: "ERR_WATCH_IDLE_TIMEOUT" });
  });

  it("closes a watch that outlives its timeoutSeconds (5 s + 10% grace), bookmarks or not", async () => {
    const s = await serve(watchServer(0));
    const w = await client(s.url).get().namespace("ns").resource("configmaps").param("timeoutSeconds", 1).watch();
    const err = await failure(
      (async () => {
        for await (const ev of w) void ev;
      })(),
    );
    expect(err).toMatchObject({ name: "TransportError", code: "ERR_WATCH_DEADLINE" });
    expect(err.message).toMatch(/asked the server to end it after 1s but it is still open after 6\.1s/);
    await s.waitClosed(1);
  });
});

describe("smaller misbehaviours", () => {
  it("a body labelled gzip that is not gzip is a DecodeError", async () => {
    const s = await serve(async (conn) => {
      await conn.request();
      conn.head(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": "2" });
      conn.socket.write("{}");
    });
    const err = await failure(client(s.url).get().resource("pods").do());
    expect(err.name).toBe("DecodeError");
    expect(err.message).toMatch(/labelled Content-Encoding: gzip but is not valid gzip/);
  });

  it("a watch answered with Content-Type text/plain is refused, as client-go does", async () => {
    const s = await serve(async (conn) => {
      await conn.request();
      conn.head(200, { "content-type": "text/plain", "transfer-encoding": "chunked" });
      conn.chunk(event("ADDED", "a"));
    });
    const err = await failure(client(s.url).get().namespace("ns").resource("configmaps").watch());
    expect(err.name).toBe("DecodeError");
    expect(err.message).toMatch(/Content-Type "text\/plain", which is not a watch stream/);
    await s.waitClosed(1);
  });

  it("a proxy that refuses the connection or the tunnel is blamed, not the API server", async () => {
    const dead = createNetServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const err = await failure(client("https://127.0.0.1:6443", { proxyURL: `http://127.0.0.1:${port}` }).get().resource("pods").do());
    expect(err).toMatchObject({ name: "TransportError", code: "ECONNREFUSED" });
    expect(err.message).toContain(`cannot reach the proxy http://127.0.0.1:${port} (ECONNREFUSED) on the way to https://127.0.0.1:6443`);
    expect(err.message).not.toMatch(/is the API server running/);

    const proxy: Server = createHTTPServer((_req, res) => res.writeHead(405).end());
    proxy.on("connect", (_req, sock) => sock.end("HTTP/1.1 403 Forbidden\r\n\r\n"));
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    servers.push({ close: () => new Promise<void>((r) => proxy.close(() => r())) });
    const pport = (proxy.address() as AddressInfo).port;
    const err2 = await failure(client("https://127.0.0.1:6443", { proxyURL: `http://127.0.0.1:${pport}` }).get().resource("pods").do());
    expect(err2.message).toContain(`the proxy http://127.0.0.1:${pport} refused to open a tunnel to https://127.0.0.1:6443 (HTTP 403)`);
  });
});

afterAll(() => undefined);

describe("protobuf bodies decoded as they arrive", () => {
  const PB = "application/vnd.kubernetes.protobuf";
  const registry = new MapProtobufCodecRegistry().register("meta.k8s.io/v1", "PartialObjectMetadataList", {
    decode: (raw) => meta_v1.readPartialObjectMetadataList(new ProtoReader(raw)),
    encode: (obj) => {
      const w = new ProtoWriter();
      meta_v1.writePartialObjectMetadataList(w, obj as Record<string, unknown>);
      return w.finish();
    },
  });
  const listBody = (n: number): Uint8Array =>
    new ProtobufSerializer(registry).encode({
      apiVersion: "meta.k8s.io/v1",
      kind: "PartialObjectMetadataList",
      items: Array.from({ length: n }, (_, i) => ({ metadata: { name: `o-${i}`, annotations: { pad: "p".repeat(1000) } } })),
    } as { apiVersion: string; kind: string });
  const pbClient = (host: string, extra: Partial<RestConfig> = {}): RESTClient => {
    const c = new RESTClient({ host, apiPath: "/api", groupVersion: "v1", tlsClientConfig: { caData: pki.caPem }, qps: -1, ...extra }, { maxRetries: 0, protobuf: registry });
    clients.push(c);
    return c;
  };
  /** Sends `body` (up to `upTo`) chunked, in pieces of 3000 bytes, then ends the body or resets the connection. */
  const chunked =
    (body: Uint8Array, headers: Record<string, string>, after: "end" | "reset" = "end", upTo = body.length): Behaviour =>
    async (conn) => {
      await conn.request();
      conn.head(200, { "content-type": PB, "transfer-encoding": "chunked", ...headers });
      for (let i = 0; i < upTo; i += 3000) conn.chunk(Buffer.from(body.subarray(i, Math.min(i + 3000, upTo))));
      if (after === "end") conn.endChunks();
      else setTimeout(() => conn.reset(), 20);
    };

  it("gives the list, plain and gzipped", async () => {
    const body = listBody(300);
    const whole = new ProtobufSerializer(registry).decode(body);
    for (const headers of [{}, { "content-encoding": "gzip" }]) {
      const s = await serve(chunked("content-encoding" in headers ? gzipSync(body) : body, headers));
      expect(await pbClient(s.url).get().resource("pods").do()).toEqual(whole);
    }
  });

  it("bounds a gzip bomb and a long body on the bytes decoded", async () => {
    const body = listBody(3000);
    const bomb = gzipSync(body);
    expect(bomb.length * 10).toBeLessThan(body.length);
    for (const [bytes, headers, re] of [
      [bomb, { "content-encoding": "gzip" }, /after gzip decompression/],
      [body, {}, /more than 1048576 bytes received/],
    ] as const) {
      const s = await serve(chunked(bytes, headers));
      const err = await failure(pbClient(s.url, { maxResponseBytes: 1024 * 1024 }).get().resource("pods").do());
      expect(err).toMatchObject({ name: "TransportError", code: "ERR_RESPONSE_TOO_LARGE" });
      expect(err.message).toMatch(re);
    }
  });

  it("a body cut short is a TransportError (connection reset) or a DecodeError (ended mid-object)", async () => {
    const body = listBody(300);
    let s = await serve(chunked(body, {}, "reset", 150_000));
    expect(await failure(pbClient(s.url).get().resource("pods").do())).toMatchObject({ name: "TransportError" });
    s = await serve(async (conn) => {
      await conn.request();
      conn.head(200, { "content-type": PB, "content-length": String(150_000) });
      conn.socket.end(Buffer.from(body.subarray(0, 150_000)));
    });
    const err = await failure(pbClient(s.url).get().resource("pods").do());
    expect(err.name).toBe("DecodeError");
    expect(err.message).toMatch(/cut short/);
  });

  it("a body labelled gzip that is not gzip, or not protobuf, is a DecodeError", async () => {
    const junk = Buffer.alloc(100_000, 0x41);
    let s = await serve(chunked(junk, { "content-encoding": "gzip" }));
    let err = await failure(pbClient(s.url).get().resource("pods").do());
    expect(err.name).toBe("DecodeError");
    expect(err.message).toMatch(/labelled Content-Encoding: gzip but is not valid gzip/);
    s = await serve(chunked(junk, {}));
    err = await failure(pbClient(s.url).get().resource("pods").do());
    expect(err.name).toBe("DecodeError");
    expect(err.message).toMatch(/does not appear to be a protobuf message/);
  });
});
