// Port forwarding through the real kube-apiserver to the kubelet endpoint kwok serves; kwok connects each
// forwarded connection to a TCP server of this test (a kwok PortForward names it as the pod's port).
import { createHash } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isForbidden, isNotFound } from "@kubets/apimachinery/errors";
import type { RestConfig } from "@kubets/client/config";
import type { Clientset } from "@kubets/client/kubernetes";
import { isPortForwardError, parsePorts, portForward, PortForwarder } from "@kubets/client/portforward";
import { testEnv } from "@kubets/testenv/vitest";
import { configFor, uniqueName } from "./helpers/int.js";
import { clientset, Collector, createKwok, namespaceWithServiceAccount, pseudoRandom, runningPod } from "./helpers/pods.js";

const ns = uniqueName("kubets-pf");
let admin: RestConfig;
let cs: Clientset;
let server: Server;
let closedPort: number;
const payload = pseudoRandom(100 * 1024 * 1024, 11);

/**
 * The "pod's" server: a 9-byte request, "D" or "U" and a 64-bit size. D: sends that many bytes of the payload
 * and closes. U: reads that many bytes and answers with their sha256 (hex).
 */
function startServer(): Promise<Server> {
  const srv = createServer((sock: Socket) => {
    let head = Buffer.alloc(0);
    let mode = "";
    let size = 0;
    let got = 0;
    const hash = createHash("sha256");
    sock.on("error", () => undefined);
    sock.on("data", (d: Buffer) => {
      if (mode === "") {
        head = Buffer.concat([head, d]);
        if (head.length < 9) return;
        mode = String.fromCharCode(head[0]!);
        size = Number(head.readBigUInt64LE(1));
        d = head.subarray(9);
        if (mode === "D") {
          sock.end(payload.subarray(0, size));
          return;
        }
      }
      if (mode === "U") {
        hash.update(d);
        got += d.length;
        if (got >= size) sock.end(hash.digest("hex"));
      }
    });
  });
  return new Promise((r) => srv.listen(0, "127.0.0.1", () => r(srv)));
}

/**
 * One request; the answer is complete after `size` bytes (D) or 64 hex characters (U), and the client then
 * closes, as an HTTP client does after Content-Length bytes: kwok v0.8.0 ends a forwarded connection only
 * when both directions are done, so the pod closing its side alone does not end it.
 */
function request(port: number, mode: "D" | "U", size: number, body?: Buffer): Promise<Buffer> {
  const expected = mode === "D" ? size : 64;
  return new Promise((resolve, reject) => {
    const sock = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let got = 0;
    sock.on("data", (c: Buffer) => {
      chunks.push(c);
      got += c.length;
      if (got >= expected) {
        sock.destroy();
        resolve(Buffer.concat(chunks));
      }
    });
    sock.on("end", () => resolve(Buffer.concat(chunks)));
    sock.on("close", () => resolve(Buffer.concat(chunks)));
    sock.on("error", reject);
    const head = Buffer.alloc(9);
    head.write(mode, 0);
    head.writeBigUInt64LE(BigInt(size), 1);
    sock.write(head);
    if (body) sock.write(body);
  });
}

const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  admin = configFor("admin");
  cs = clientset(admin);
  server = await startServer();
  const probe = await startServer();
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  await namespaceWithServiceAccount(cs, ns);
  await runningPod(cs, ns, "web");
  await createKwok(admin, "portforwards", ns, {
    apiVersion: "kwok.x-k8s.io/v1alpha1",
    kind: "PortForward",
    metadata: { name: "web", namespace: ns },
    spec: {
      forwards: [
        { ports: [80, 8080], target: { address: "127.0.0.1", port: (server.address() as { port: number }).port } },
        { ports: [81], target: { address: "127.0.0.1", port: closedPort } },
      ],
    },
  });
}, 120_000);

afterAll(async () => {
  server?.close();
  await cs.coreV1().namespaces().delete(ns).catch(() => undefined);
  await cs.close();
});

describe("port forwarding through kube-apiserver to the kubelet (kwok)", () => {
  it("parses port specifications as kubectl does", () => {
    expect(parsePorts(["5000", ":80", "8888:443"])).toEqual([
      { local: 5000, remote: 5000 },
      { local: 0, remote: 80 },
      { local: 8888, remote: 443 },
    ]);
    expect(() => parsePorts(["a:b"])).toThrow(/error parsing local port/);
    expect(() => parsePorts(["80:0"])).toThrow(/remote port must be > 0/);
    expect(() => parsePorts([])).toThrow(/at least 1 port/);
  });

  it("forwards 100 MB from the pod byte for byte, and 100 MB over 20 concurrent connections both ways", async () => {
    const out = new Collector();
    const pf = await portForward(admin, { namespace: ns, pod: "web", ports: [":80", ":8080"], out });
    try {
      const [p80, p8080] = pf.getPorts();
      expect(p80?.remote).toBe(80);
      expect(p80?.local).toBeGreaterThan(0);
      expect(out.text()).toContain(`Forwarding from 127.0.0.1:${p80?.local} -> 80`);

      const all = await request(p80!.local, "D", payload.length);
      expect(all.length).toBe(payload.length);
      expect(sha(all)).toBe(sha(payload));

      const per = payload.length / 20;
      const results = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const port = i % 2 === 0 ? p80!.local : p8080!.local;
          const down = await request(port, "D", per);
          const body = payload.subarray(i * per, (i + 1) * per);
          const up = await request(port, "U", body.length, body);
          return { down: sha(down) === sha(payload.subarray(0, per)), up: up.toString() === sha(body) };
        }),
      );
      expect(results.every((r) => r.down && r.up)).toBe(true);
      expect(pf.connections).toBe(41);
    } finally {
      pf.close();
    }
    await expect(pf.done).resolves.toBeUndefined();
  }, 180_000);

  it("resolves ready only once listening, and stops on abort", async () => {
    const ac = new AbortController();
    const pf = new PortForwarder(admin, { namespace: ns, pod: "web", ports: [":80"], signal: ac.signal });
    const running = pf.forwardPorts();
    await pf.ready;
    const local = pf.getPorts()[0]!.local;
    expect((await request(local, "D", 1000)).equals(payload.subarray(0, 1000))).toBe(true);
    ac.abort();
    await expect(running).resolves.toBeUndefined();
    await expect(request(local, "D", 10)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("stops with a PortForwardError when the pod cannot connect to the port (client-go's behaviour)", async () => {
    const errOut = new Collector();
    const pf = await portForward(admin, { namespace: ns, pod: "web", ports: [":81"], errOut });
    const local = pf.getPorts()[0]!.local;
    await request(local, "D", 10).catch(() => Buffer.alloc(0));
    const err = await pf.done.catch((e: unknown) => e);
    expect(isPortForwardError(err)).toBe(true);
    expect(err).toMatchObject({ remotePort: 81, localPort: local });
    expect((err as Error).message).toMatch(/error forwarding port 81 to pod .*connection refused/);
    expect(errOut.text()).toContain("error forwarding");
  });

  it("stops with NotFound for a missing pod and Forbidden without RBAC rights", async () => {
    const missing = await portForward(admin, { namespace: ns, pod: "nope", ports: [":80"] });
    await request(missing.getPorts()[0]!.local, "D", 10).catch(() => undefined);
    expect(isNotFound(await missing.done.catch((e: unknown) => e))).toBe(true);

    const denied = await portForward(configFor("restricted"), { namespace: ns, pod: "web", ports: [":80"] });
    await request(denied.getPorts()[0]!.local, "D", 10).catch(() => undefined);
    expect(isForbidden(await denied.done.catch((e: unknown) => e))).toBe(true);
  });

  it("stops with TransportError (lost connection) when the connection to kube-apiserver is cut mid-transfer", async () => {
    const api = new URL(testEnv().server);
    const cuts = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(Number(api.port), api.hostname);
      cuts.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      client.on("error", () => undefined);
      upstream.on("error", () => undefined);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    try {
      const viaProxy = { ...admin, host: `https://127.0.0.1:${(proxy.address() as { port: number }).port}`, tlsClientConfig: { ...admin.tlsClientConfig, serverName: "localhost" } };
      const pf = await portForward(viaProxy, { namespace: ns, pod: "web", ports: [":80"] });
      const sock = connect(pf.getPorts()[0]!.local, "127.0.0.1");
      sock.on("error", () => undefined);
      const head = Buffer.alloc(9);
      head.write("D", 0);
      head.writeBigUInt64LE(BigInt(payload.length), 1);
      sock.write(head);
      await new Promise<void>((r) => sock.once("data", () => r()));
      for (const s of cuts) s.destroy();
      const err = await pf.done.catch((e: unknown) => e);
      expect(err).toMatchObject({ name: "TransportError", message: expect.stringMatching(/lost connection to the pod/) });
      sock.destroy();
    } finally {
      proxy.close();
    }
  });

  it("fails with TransportError when the local port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    const port = (taken.address() as { port: number }).port;
    try {
      const pf = new PortForwarder(admin, { namespace: ns, pod: "web", ports: [`${port}:80`] });
      await expect(pf.forwardPorts()).rejects.toMatchObject({ name: "TransportError", code: "EADDRINUSE" });
      await expect(pf.ready).rejects.toMatchObject({ name: "TransportError" });
    } finally {
      taken.close();
    }
  });
});
