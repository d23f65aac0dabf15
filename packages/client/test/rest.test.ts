import { mkdtempSync, writeFileSync, chmodSync } from "node:fs";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isNotFound, isTooManyRequests, isUnauthorized, isInternalError } from "@kubets/apimachinery/errors";
import type { RestConfig } from "@kubets/client/config";
import { PatchType, RESTClient, isTransportError, parseWarningHeaders } from "@kubets/client/rest";
import { makeClientCert, makePKI, type TestPKI } from "./helpers/pki.js";
import { startServer, type TestServer } from "./helpers/server.js";

let pki: TestPKI;
let srv: TestServer;
const clients: RESTClient[] = [];

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
  srv.handler = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  };
});

function client(extra: Partial<RestConfig> = {}, opts: ConstructorParameters<typeof RESTClient>[1] = {}): RESTClient {
  const c = new RESTClient({ host: srv.url, apiPath: "/api", groupVersion: "v1", tlsClientConfig: { caData: pki.caPem }, qps: -1, ...extra }, opts);
  clients.push(c);
  return c;
}

const json = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(code, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

describe("request builder", () => {
  it("builds client-go's URLs", () => {
    const c = client();
    expect(c.get().namespace("ns").resource("Pods").name("p").subResource("status").url().pathname).toBe("/api/v1/namespaces/ns/pods/p/status");
    expect(c.get().resource("nodes").url().pathname).toBe("/api/v1/nodes");
    expect(c.get().absPath("/apis/apps/v1").namespace("x").resource("deployments").url().pathname).toBe("/apis/apps/v1/namespaces/x/deployments");
    const u = c.get().resource("pods").params({ labelSelector: "a=b", limit: 5, watch: false, continue: "" }).timeout(90_000).url();
    expect(u.searchParams.get("labelSelector")).toBe("a=b");
    expect(u.searchParams.get("limit")).toBe("5");
    expect(u.searchParams.has("watch")).toBe(false);
    expect(u.searchParams.has("continue")).toBe(false);
    expect(u.searchParams.get("timeout")).toBe("1m30s");
    const z = c.get().resource("pods").params({ limit: 0, allowWatchBookmarks: false, timeoutSeconds: 0, sendInitialEvents: false, dryRun: ["All"] }).url();
    expect(z.search).toBe("?timeoutSeconds=0&sendInitialEvents=false&dryRun=All");
  });

  it("reports invalid names when the request runs", async () => {
    await expect(client().get().resource("pods").name("a/b").do()).rejects.toThrow(/invalid resource name "a\/b"/);
    await expect(client().get().resource("pods").name("").do()).rejects.toThrow(/may not be empty/);
  });

  it("sends JSON bodies, patch content types, Accept and a client-go style User-Agent", async () => {
    srv.handler = (req, res) => json(res, 201, { echoed: JSON.parse(req.body) });
    const c = client();
    const out = await c.post().namespace("ns").resource("configmaps").body({ a: 1 }).do<{ echoed: unknown }>();
    expect(out.echoed).toEqual({ a: 1 });
    await c.patch(PatchType.Merge).namespace("ns").resource("configmaps").name("x").body({ b: 2 }).do();
    const [post, patch] = srv.seen;
    expect(post?.headers["content-type"]).toBe("application/json");
    expect(post?.headers["accept"]).toBe("application/json");
    expect(post?.headers["user-agent"]).toMatch(/^kubets\/v\d+\.\d+\.\d+\S* \((linux|darwin|win32)\/\w+\) node\/v\d+/);
    expect(patch?.method).toBe("PATCH");
    expect(patch?.headers["content-type"]).toBe("application/merge-patch+json");
  });
});

describe("errors", () => {
  it("decodes a Status body into a StatusError", async () => {
    srv.handler = (_req, res) =>
      json(res, 404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: 'configmaps "x" not found', details: { name: "x", kind: "configmaps" } });
    const err = await client().get().namespace("ns").resource("configmaps").name("x").do().catch((e: unknown) => e);
    expect(isNotFound(err)).toBe(true);
    expect((err as Error).name).toBe("StatusError");
    expect((err as Error).message).toBe('configmaps "x" not found');
  });

  it("builds a StatusError from the code when the body is not a Status", async () => {
    srv.handler = (_req, res) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("database on fire\n");
    };
    const err = await client().get().resource("pods").name("p").do().catch((e: unknown) => e);
    expect(isInternalError(err)).toBe(true);
    expect((err as Error).message).toBe('an error on the server ("database on fire") has prevented the request from succeeding (get pods p)');
    srv.handler = (_req, res) => {
      res.writeHead(401, { "content-type": "application/octet-stream" });
      res.end("x");
    };
    const err2 = await client().get().resource("pods").do().catch((e: unknown) => e);
    expect(isUnauthorized(err2)).toBe(true);
  });

  it("names the host and the fix for a dead server", async () => {
    const dead = createNetServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const err = await client({ host: `https://127.0.0.1:${port}` }).get().resource("pods").do().catch((e: unknown) => e);
    expect(isTransportError(err)).toBe(true);
    expect((err as Error).message).toContain(`https://127.0.0.1:${port}`);
    expect((err as Error).message).toMatch(/refused.*is the API server running/);
  });

  it("explains a wrong CA", async () => {
    const err = await client({ tlsClientConfig: { caData: pki.otherCaPem } }).get().resource("pods").do().catch((e: unknown) => e);
    expect(isTransportError(err)).toBe(true);
    expect((err as Error).message).toMatch(/not signed by a trusted authority.*certificate-authority/);
  });

  it("times out with a TransportError and honours an AbortSignal", async () => {
    srv.handler = () => undefined; // never answers
    const err = await client().get().resource("pods").timeout(200).do().catch((e: unknown) => e);
    expect(isTransportError(err)).toBe(true);
    expect((err as Error).message).toMatch(/timed out after \d+ms \(the timeout is 200ms/);
    // a body that stalls half-way also times out with the same error
    srv.handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write("{");
    };
    const err2 = await client().get().resource("pods").timeout(200).do().catch((e: unknown) => e);
    expect(isTransportError(err2)).toBe(true);
    expect((err2 as Error).message).toMatch(/timed out after \d+ms \(the timeout is 200ms/);
    srv.handler = () => undefined;
    const ac = new AbortController();
    const p = client().get().resource("pods").signal(ac.signal).do();
    setTimeout(() => ac.abort(new Error("stop now")), 50);
    await expect(p).rejects.toThrow("stop now");
  });
});

describe("retries", () => {
  it("retries 429 and 5xx that carry Retry-After, and gives up after 10 retries", async () => {
    let n = 0;
    srv.handler = (_req, res) => {
      n++;
      if (n < 3) json(res, n === 1 ? 429 : 503, { kind: "Status", apiVersion: "v1", status: "Failure", code: 429, reason: "TooManyRequests" }, { "retry-after": "0" });
      else json(res, 200, { ok: true });
    };
    expect(await client().get().resource("pods").do()).toEqual({ ok: true });
    expect(n).toBe(3);

    n = 0;
    srv.handler = (_req, res) => {
      n++;
      json(res, 429, { kind: "Status", apiVersion: "v1", status: "Failure", code: 429, reason: "TooManyRequests", message: "slow down" }, { "retry-after": "0" });
    };
    const err = await client().post().resource("pods").body({}).do().catch((e: unknown) => e);
    expect(isTooManyRequests(err)).toBe(true);
    expect(n).toBe(11);
  });

  it("does not retry a 5xx without Retry-After", async () => {
    let n = 0;
    srv.handler = (_req, res) => {
      n++;
      json(res, 503, { kind: "Status", apiVersion: "v1", status: "Failure", code: 503, reason: "ServiceUnavailable" });
    };
    await expect(client().get().resource("pods").do()).rejects.toMatchObject({ name: "StatusError" });
    expect(n).toBe(1);
  });

  it("retries a GET cut by a connection reset, but not a POST", async () => {
    let n = 0;
    srv.handler = (_req, res, socket) => {
      n++;
      if (n === 1) socket.destroy();
      else json(res, 200, { ok: n });
    };
    expect(await client().get().resource("pods").do()).toEqual({ ok: 2 });
    n = 0;
    const err = await client().post().resource("pods").body({}).do().catch((e: unknown) => e);
    expect(isTransportError(err)).toBe(true);
    expect(n).toBe(1);
  });
});

describe("transport", () => {
  it("reuses one TLS connection for sequential requests", async () => {
    const before = srv.connections;
    const c = client();
    for (let i = 0; i < 200; i++) await c.get().resource("pods").do();
    expect(c.transport.stats.connections).toBe(1);
    expect(srv.connections - before).toBe(1);
    expect(c.transport.stats.requests).toBe(200);
  });

  it("sends bearer, basic, impersonation and client-certificate credentials", async () => {
    await client({ bearerToken: "tok" }).get().resource("pods").do();
    await client({ username: "bob", password: "pw" }).get().resource("pods").do();
    await client({ impersonate: { userName: "jane", uid: "7", groups: ["a", "b"], extra: { "acme.com/project": ["x", "y"] } } }).get().resource("pods").do();
    await client({ tlsClientConfig: { caData: pki.caPem, certData: pki.clientCertPem, keyData: pki.clientKeyPem } }).get().resource("pods").do();
    const [bearer, basic, imp, cert] = srv.seen;
    expect(bearer?.headers["authorization"]).toBe("Bearer tok");
    expect(basic?.headers["authorization"]).toBe(`Basic ${Buffer.from("bob:pw").toString("base64")}`);
    expect(imp?.headers["impersonate-user"]).toBe("jane");
    expect(imp?.headers["impersonate-uid"]).toBe("7");
    expect(imp?.headers["impersonate-group"]).toBe("a, b");
    expect(imp?.headers["impersonate-extra-acme.com%2fproject"]).toBe("x, y");
    expect(cert?.clientCN).toBe("tester");
    expect(bearer?.clientCN).toBeUndefined();
  });

  it("re-reads a rotated token file after a 401", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubets-tok-"));
    const file = join(dir, "token");
    writeFileSync(file, "old\n");
    srv.handler = (req, res) =>
      req.headers["authorization"] === "Bearer new" ? json(res, 200, {}) : json(res, 401, { kind: "Status", apiVersion: "v1", status: "Failure", code: 401, reason: "Unauthorized", message: "Unauthorized" });
    const c = client({ bearerTokenFile: file });
    await expect(c.get().resource("pods").do()).rejects.toMatchObject({ name: "StatusError", reason: "Unauthorized" });
    writeFileSync(file, "new\n");
    await c.get().resource("pods").do();
    expect(srv.seen.map((s) => s.headers["authorization"])).toEqual(["Bearer old", "Bearer new"]);
  });

  it("re-reads the token file when its period ends", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubets-tok-"));
    const file = join(dir, "token");
    writeFileSync(file, "one");
    const c = client({ bearerTokenFile: file }, { tokenFileRefreshMs: 0 });
    await c.get().resource("pods").do();
    writeFileSync(file, "two");
    await c.get().resource("pods").do();
    expect(srv.seen.map((s) => s.headers["authorization"])).toEqual(["Bearer one", "Bearer two"]);
  });

  it("uses an exec plugin's token and runs the plugin again after a 401", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubets-exec-"));
    const plugin = join(dir, "plugin.cjs");
    writeFileSync(
      plugin,
      `#!/usr/bin/env node
const fs = require("node:fs"); const f = ${JSON.stringify(join(dir, "n"))};
let n = 0; try { n = Number(fs.readFileSync(f, "utf8")); } catch {}
n++; fs.writeFileSync(f, String(n));
process.stdout.write(JSON.stringify({ kind: "ExecCredential", apiVersion: "client.authentication.k8s.io/v1", status: { token: "exec-" + n } }));`,
    );
    chmodSync(plugin, 0o755);
    srv.handler = (req, res) =>
      req.headers["authorization"] === "Bearer exec-2" ? json(res, 200, {}) : json(res, 401, { kind: "Status", apiVersion: "v1", status: "Failure", code: 401, reason: "Unauthorized" });
    const c = client({ execProvider: { command: plugin, apiVersion: "client.authentication.k8s.io/v1", interactiveMode: "Never" } });
    await expect(c.get().resource("pods").do()).rejects.toMatchObject({ reason: "Unauthorized" });
    await c.get().resource("pods").do();
    expect(srv.seen.map((s) => s.headers["authorization"])).toEqual(["Bearer exec-1", "Bearer exec-2"]);
  });

  it("presents an exec plugin's client certificate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubets-exec-"));
    const data = join(dir, "c.json");
    writeFileSync(data, JSON.stringify({ c: pki.clientCertPem, k: pki.clientKeyPem }));
    const plugin = join(dir, "plugin.cjs");
    writeFileSync(
      plugin,
      `#!/usr/bin/env node
const d = JSON.parse(require("node:fs").readFileSync(${JSON.stringify(data)}, "utf8"));
process.stdout.write(JSON.stringify({ kind: "ExecCredential", apiVersion: "client.authentication.k8s.io/v1", status: { clientCertificateData: d.c, clientKeyData: d.k } }));`,
    );
    chmodSync(plugin, 0o755);
    await client({ execProvider: { command: plugin, apiVersion: "client.authentication.k8s.io/v1", interactiveMode: "Never" } }).get().resource("pods").do();
    expect(srv.seen[0]?.clientCN).toBe("tester");
    expect(srv.seen[0]?.headers["authorization"]).toBeUndefined();
  });

  it("switches to the new client certificate when the exec plugin rotates it after a 401", async () => {
    const second = makeClientCert(pki, "tester2");
    const dir = mkdtempSync(join(tmpdir(), "kubets-exec-"));
    writeFileSync(join(dir, "certs.json"), JSON.stringify([{ c: pki.clientCertPem, k: pki.clientKeyPem }, { c: second.certPem, k: second.keyPem }]));
    const plugin = join(dir, "plugin.cjs");
    writeFileSync(
      plugin,
      `#!/usr/bin/env node
const fs = require("node:fs"); const f = ${JSON.stringify(join(dir, "n"))};
let n = 0; try { n = Number(fs.readFileSync(f, "utf8")); } catch {}
fs.writeFileSync(f, String(n + 1));
const d = JSON.parse(fs.readFileSync(${JSON.stringify(join(dir, "certs.json"))}, "utf8"))[Math.min(n, 1)];
process.stdout.write(JSON.stringify({ kind: "ExecCredential", apiVersion: "client.authentication.k8s.io/v1", status: { clientCertificateData: d.c, clientKeyData: d.k } }));`,
    );
    chmodSync(plugin, 0o755);
    srv.handler = (req, res) =>
      req.clientCN === "tester2" ? json(res, 200, { cn: req.clientCN }) : json(res, 401, { kind: "Status", apiVersion: "v1", status: "Failure", code: 401, reason: "Unauthorized" });
    const c = client({ execProvider: { command: plugin, apiVersion: "client.authentication.k8s.io/v1", interactiveMode: "Never" } });
    await expect(c.get().resource("pods").do()).rejects.toMatchObject({ reason: "Unauthorized" });
    expect(await c.get().resource("pods").do()).toEqual({ cn: "tester2" });
    expect(srv.seen.map((s) => s.clientCN)).toEqual(["tester", "tester2"]);
  });

  it("hands Warning headers to the handler", async () => {
    srv.handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", warning: ['299 - "v1 ComponentStatus is deprecated"', '299 - "a \\"quoted\\" one"'] });
      res.end("{}");
    };
    const got: string[] = [];
    await client({ warningHandler: (code, agent, text) => got.push(`${code} ${agent} ${text}`) }).get().resource("pods").do();
    expect(got).toEqual(['299 - v1 ComponentStatus is deprecated', '299 - a "quoted" one']);
    expect(parseWarningHeaders(['299 - "one", 299 kube "two" "Sat, 01 Jan 2000 00:00:00 GMT"'])).toEqual([
      { code: 299, agent: "-", text: "one" },
      { code: 299, agent: "kube", text: "two" },
    ]);
  });
});

describe("watch and stream", () => {
  it("decodes newline-delimited JSON watch events across chunk boundaries", async () => {
    srv.handler = (req, res) => {
      expect(new URL(req.url, "https://x").searchParams.get("watch")).toBe("true");
      res.writeHead(200, { "content-type": "application/json" });
      const text = [
        { type: "ADDED", object: { metadata: { name: "a" } } },
        { type: "MODIFIED", object: { metadata: { name: "a" }, data: { x: "é" } } },
        { type: "DELETED", object: { metadata: { name: "a" } } },
      ]
        .map((e) => JSON.stringify(e) + "\n")
        .join("");
      const bytes = Buffer.from(text);
      let i = 0;
      const step = () => {
        if (i >= bytes.length) return res.end();
        res.write(bytes.subarray(i, i + 7));
        i += 7;
        setImmediate(step);
      };
      step();
    };
    const w = await client().get().namespace("ns").resource("configmaps").watch<{ metadata: { name: string }; data?: Record<string, string> }>();
    const events = [];
    for await (const ev of w) events.push(ev);
    expect(events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    expect(events[1]?.object.data?.["x"]).toBe("é");
  });
});

describe("malformed responses", () => {
  it("rejects a truncated JSON body with a DecodeError, not a SyntaxError", async () => {
    srv.handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"kind":"ConfigMap","metadata":{"name":"x"');
    };
    const err = await client().get().namespace("ns").resource("configmaps").name("x").do().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DecodeError" });
    expect((err as Error).message).not.toMatch(/^Unexpected end/);
  });

  it("rejects a protobuf body that is not a Kubernetes envelope with a DecodeError", async () => {
    srv.handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/vnd.kubernetes.protobuf" });
      res.end(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    };
    const err = await client({ acceptContentTypes: "application/vnd.kubernetes.protobuf" })
      .get()
      .namespace("ns")
      .resource("configmaps")
      .name("x")
      .do()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DecodeError" });
  });

  it("ends a watch whose stream turns to garbage with a DecodeError", async () => {
    srv.handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(JSON.stringify({ type: "ADDED", object: { metadata: { name: "a" } } }) + "\n");
      res.end("this is not json\n");
    };
    const w = await client().get().namespace("ns").resource("configmaps").watch();
    const types: string[] = [];
    const err = await (async () => {
      for await (const ev of w) types.push(ev.type);
    })().catch((e: unknown) => e);
    expect(types).toEqual(["ADDED"]);
    expect(err).toMatchObject({ name: "DecodeError" });
  });

  it("rejects a 200 whose body is cut off mid-way by the server with a typed error", async () => {
    srv.handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"kind":"ConfigMap"');
      setTimeout(() => res.destroy(), 10);
    };
    const err = await client().get().namespace("ns").resource("configmaps").name("x").do().catch((e: unknown) => e);
    expect(["TransportError", "DecodeError"]).toContain((err as Error).name);
  });
});
