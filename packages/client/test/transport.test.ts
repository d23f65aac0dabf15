import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inClusterConfig } from "@kubets/client/config";
import { RESTClient } from "@kubets/client/rest";
import { CachedFileTokenSource, Transport } from "@kubets/client/transport";
import { makePKI, type TestPKI } from "./helpers/pki.js";
import { startServer, type TestServer } from "./helpers/server.js";

let pki: TestPKI;
let srv: TestServer;

beforeAll(async () => {
  pki = makePKI();
  srv = await startServer(pki);
});
afterAll(() => srv.close());

describe("CachedFileTokenSource", () => {
  it("re-reads the file once a minute (10s early), keeps the last token if the file vanishes", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubets-ts-"));
    const file = join(dir, "token");
    writeFileSync(file, " a \n");
    let now = 0;
    const ts = new CachedFileTokenSource(file, { now: () => now });
    expect(ts.token()).toBe("a");
    writeFileSync(file, "b");
    now = 49_000;
    expect(ts.token()).toBe("a");
    now = 50_000;
    expect(ts.token()).toBe("b");
    writeFileSync(file, "c");
    ts.resetTokenOlderThan(50_000);
    expect(ts.token()).toBe("c");
    writeFileSync(file, "");
    now = 200_000;
    expect(ts.token()).toBe("c");
  });

  it("names the file when there is no token at all", () => {
    expect(() => new CachedFileTokenSource("/no/such/token").token()).toThrow(expect.objectContaining({ name: "ConfigError", file: "/no/such/token" }));
  });
});

describe("in-cluster token rotation", () => {
  it("sends the rotated service account token", async () => {
    const root = mkdtempSync(join(tmpdir(), "kubets-sa-"));
    writeFileSync(join(root, "token"), "sa-1");
    writeFileSync(join(root, "ca.crt"), pki.caPem);
    const u = new URL(srv.url);
    const cfg = inClusterConfig({ root, env: { KUBERNETES_SERVICE_HOST: u.hostname, KUBERNETES_SERVICE_PORT: u.port } });
    const c = new RESTClient({ ...cfg, qps: -1 }, { tokenFileRefreshMs: 0 });
    srv.seen.length = 0;
    await c.get().absPath("/version").do();
    writeFileSync(join(root, "token"), "sa-2");
    await c.get().absPath("/version").do();
    expect(srv.seen.map((s) => s.headers["authorization"])).toEqual(["Bearer sa-1", "Bearer sa-2"]);
    await c.close();
  });
});

describe("proxy", () => {
  let proxy: Server;
  const tunnels: string[] = [];

  beforeAll(async () => {
    proxy = createServer((_req, res) => {
      res.writeHead(405);
      res.end();
    });
    proxy.on("connect", (req, clientSocket, head) => {
      tunnels.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      const upstream = connect(Number(port), host!, () => {
        clientSocket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(clientSocket);
        clientSocket.pipe(upstream);
      });
      upstream.on("error", () => clientSocket.destroy());
      clientSocket.on("error", () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise<void>((r) => proxy.close(() => r()));
  });

  it("tunnels through proxyURL with the server's TLS settings", async () => {
    const port = (proxy.address() as AddressInfo).port;
    const t = new Transport({ host: srv.url, tlsClientConfig: { caData: pki.caPem, certData: pki.clientCertPem, keyData: pki.clientKeyPem }, proxyURL: `http://127.0.0.1:${port}` });
    srv.seen.length = 0;
    const res = await t.request({ method: "GET", url: new URL("/api", srv.url) });
    await res.body.dump();
    expect(res.statusCode).toBe(200);
    expect(tunnels).toEqual([new URL(srv.url).host]);
    expect(srv.seen[0]?.clientCN).toBe("tester");
    await t.close();
  });

  it("carries watches too (they go over Node's own client only where no proxy is set)", async () => {
    const port = (proxy.address() as AddressInfo).port;
    const c = new RESTClient({
      host: srv.url,
      tlsClientConfig: { caData: pki.caPem, certData: pki.clientCertPem, keyData: pki.clientKeyPem },
      proxyURL: `http://127.0.0.1:${port}`,
      qps: -1,
    });
    tunnels.length = 0;
    const plain = srv.handler;
    srv.handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`${JSON.stringify({ type: "ADDED", object: { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "a" } } })}\n`);
    };
    const w = await c.get().resource("configmaps").watch();
    const names: string[] = [];
    for await (const ev of w) names.push((ev.object as { metadata: { name: string } }).metadata.name);
    srv.handler = plain;
    expect(names).toEqual(["a"]);
    expect(tunnels).toEqual([new URL(srv.url).host]);
    await c.close();
  });
});

describe("watches over Node's HTTP client", () => {
  it("present the client certificate, send the request's headers, count and reuse their connection", async () => {
    const c = new RESTClient({ host: srv.url, tlsClientConfig: { caData: pki.caPem, certData: pki.clientCertPem, keyData: pki.clientKeyPem }, qps: -1 });
    const before = srv.connections;
    let n = 0;
    srv.seen.length = 0;
    const plain = srv.handler;
    srv.handler = (req, res) => {
      res.writeHead(200, { "content-type": "application/json", warning: '299 - "watch warning"' });
      // a few events in separate writes, then the end of the watch
      const ev = (i: number) => `${JSON.stringify({ type: "ADDED", object: { kind: "ConfigMap", apiVersion: "v1", metadata: { name: `cm-${i}` } } })}\n`;
      res.write(ev(n++));
      setTimeout(() => res.write(ev(n++)), 5);
      setTimeout(() => res.end(ev(n++)), 10);
      void req;
    };
    const warnings: string[] = [];
    for (let round = 0; round < 2; round++) {
      const w = await c.get().resource("configmaps").param("resourceVersion", "7").warningHandler((_code, _agent, text) => warnings.push(text)).watch();
      const names: string[] = [];
      for await (const ev of w) names.push((ev.object as { metadata: { name: string } }).metadata.name);
      expect(names).toHaveLength(3);
    }
    srv.handler = plain;
    expect(srv.seen.map((s) => s.url)).toEqual(["/api/v1/configmaps?resourceVersion=7&watch=true", "/api/v1/configmaps?resourceVersion=7&watch=true"].map((u) => u.replace("/api/v1", "")));
    expect(srv.seen.every((s) => s.clientCN === "tester" && s.headers["user-agent"]?.includes("kubets"))).toBe(true);
    expect(warnings).toEqual(["watch warning", "watch warning"]);
    // one connection, kept alive for the second watch, and counted in the transport's stats
    expect(srv.connections - before).toBe(1);
    expect(c.transport.stats.connections).toBeGreaterThanOrEqual(1);
    await c.close();
  });

  it("fail with the same TransportErrors as requests: refused connection, untrusted server", async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const refused = new RESTClient({ host: `https://127.0.0.1:${deadPort}`, tlsClientConfig: { caData: pki.caPem }, qps: -1 });
    await expect(refused.get().resource("configmaps").watch()).rejects.toMatchObject({ name: "TransportError", code: "ECONNREFUSED", message: expect.stringMatching(/refused/) });
    await refused.close();
    const untrusted = new RESTClient({ host: srv.url, tlsClientConfig: {}, qps: -1 });
    await expect(untrusted.get().resource("configmaps").watch()).rejects.toMatchObject({ name: "TransportError", message: expect.stringMatching(/x509/) });
    await untrusted.close();
  });
});

describe("connection pools", () => {
  it("are shared by clients with the same TLS settings, and closed with the last of them", async () => {
    const cfg = { host: srv.url, tlsClientConfig: { caData: pki.caPem }, qps: -1 };
    const before = srv.connections;
    const a = new RESTClient({ ...cfg, bearerToken: "a" });
    const b = new RESTClient({ ...cfg, username: "u", password: "p" });
    const other = new RESTClient({ ...cfg, tlsClientConfig: { caData: pki.caPem, certData: pki.clientCertPem, keyData: pki.clientKeyPem } });
    for (let i = 0; i < 20; i++) {
      await a.get().absPath("/api").do();
      await b.get().absPath("/api").do();
      await other.get().absPath("/api").do();
    }
    expect(a.transport.stats).toEqual({ connections: 1, requests: 20 });
    expect(b.transport.stats).toEqual({ connections: 1, requests: 20 });
    expect(other.transport.stats.connections).toBe(1);
    expect(srv.connections - before).toBe(2);
    await a.close();
    await b.get().absPath("/api").do();
    expect(srv.connections - before).toBe(2);
    await b.close();
    await other.close();
    const c = new RESTClient({ ...cfg, bearerToken: "c" });
    await c.get().absPath("/api").do();
    expect(srv.connections - before).toBe(3);
    await c.close();
  });
});

describe("transport configuration errors", () => {
  it("rejects bad settings with ConfigError", () => {
    expect(() => new Transport({ host: "ftp://x", tlsClientConfig: {} })).toThrow(/scheme ftp: is not supported/);
    expect(() => new Transport({ host: "https://x", tlsClientConfig: { insecure: true, caData: "x" } })).toThrow(/insecure-skip-tls-verify/);
    expect(() => new Transport({ host: "https://x", tlsClientConfig: { certData: "c" } })).toThrow(/both the certificate and the key/);
    expect(() => new Transport({ host: "https://x", tlsClientConfig: { caFile: "/no/ca.crt" } })).toThrow(expect.objectContaining({ name: "ConfigError", field: "certificate-authority" }));
    expect(() => new Transport({ host: "https://x", tlsClientConfig: {}, proxyURL: "::" })).toThrow(/proxy-url/);
  });
});

describe("upgrade options (WebSocket connections)", () => {
  it("carry the same authentication, impersonation, user agent and TLS settings as requests", async () => {
    const t = new Transport({
      host: "https://127.0.0.1:6443/prefix/",
      bearerToken: "secret-token",
      userAgent: "kubets-test",
      impersonate: { userName: "alice", groups: ["g1", "g2"] },
      tlsClientConfig: { caData: "CA-PEM", serverName: "kubernetes" },
    });
    try {
      const up = await t.upgradeOptions({ "x-extra": "1" });
      expect(up.origin).toBe("https://127.0.0.1:6443");
      expect(up.basePath).toBe("/prefix");
      expect(up.headers).toMatchObject({
        authorization: "Bearer secret-token",
        "user-agent": "kubets-test",
        "impersonate-user": "alice",
        "impersonate-group": ["g1", "g2"],
        "x-extra": "1",
      });
      expect(up.tls).toMatchObject({ ca: "CA-PEM", servername: "kubernetes", rejectUnauthorized: true });
    } finally {
      await t.close();
    }
    await expect(t.upgradeOptions()).rejects.toThrow(/closed/);
  });
});
