// exec and attach through the real kube-apiserver to the kubelet endpoints kwok serves (testenv's simulated
// node runs the commands as local processes).
import { createHash } from "node:crypto";
import { appendFileSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBadRequest, isForbidden, isInternalError, isNotFound } from "@kubets/apimachinery/errors";
import type { RestConfig } from "@kubets/client/config";
import type { Clientset } from "@kubets/client/kubernetes";
import {
  attach,
  exec,
  execCapture,
  isCodeExitError,
  newWebSocketExecutor,
  execPath,
  StreamProtocolV4Name,
  StreamProtocolV5Name,
  type TerminalSize,
} from "@kubets/client/remotecommand";
import { testEnv } from "@kubets/testenv/vitest";
import { configFor, uniqueName } from "./helpers/int.js";
import { clientset, Collector, createKwok, eventually, Hasher, namespaceWithServiceAccount, pseudoRandom, runningPod } from "./helpers/pods.js";

const ns = uniqueName("kubets-exec");
let admin: RestConfig;
let cs: Clientset;

beforeAll(async () => {
  admin = configFor("admin");
  cs = clientset(admin);
  await namespaceWithServiceAccount(cs, ns);
  await runningPod(cs, ns, "tools", ["main", "sidecar"]);
}, 120_000);

afterAll(async () => {
  await cs.coreV1().namespaces().delete(ns).catch(() => undefined);
  await cs.close();
});

describe("exec through kube-apiserver to the kubelet (kwok)", () => {
  it("runs a command and returns its stdout and stderr apart, over v5.channel.k8s.io", async () => {
    const out = new Collector();
    const err = new Collector();
    const executor = newWebSocketExecutor(
      admin,
      execPath({ namespace: ns, pod: "tools", container: "main" }, ["sh", "-c", "echo out; echo err >&2"], { stdin: false, stdout: true, stderr: true, tty: false }),
    );
    await executor.stream({ stdout: out, stderr: err });
    expect(executor.negotiated).toBe(StreamProtocolV5Name);
    expect(out.text()).toBe("out\n");
    expect(err.text()).toBe("err\n");
  });

  it("falls back to v4.channel.k8s.io when only older protocols are offered (kube-apiserver hands the upgrade to the kubelet)", async () => {
    const out = new Collector();
    const executor = newWebSocketExecutor(admin, execPath({ namespace: ns, pod: "tools" , container: "main"}, ["echo", "hello v4"], { stdin: false, stdout: true, stderr: false, tty: false }), {
      protocols: [StreamProtocolV4Name],
    });
    await executor.stream({ stdout: out });
    expect(executor.negotiated).toBe(StreamProtocolV4Name);
    expect(out.text()).toBe("hello v4\n");
  });

  it("pipes 50 MB of stdin byte for byte", async () => {
    const data = pseudoRandom(50 * 1024 * 1024, 7);
    const expected = createHash("sha256").update(data).digest("hex");
    // kwok v0.8.0 does not pass the end of stdin on to the command (kubectl exec -i hangs the same way), so
    // the command reads exactly the bytes sent; the v5 close signal itself is checked in remotecommand.test.ts
    const r = await execCapture(admin, {
      namespace: ns,
      pod: "tools",
      container: "main",
      command: ["sh", "-c", `head -c ${data.length} | sha256sum`],
      stdin: Readable.from(chunks(data, 1 << 20)),
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.toString().split(" ")[0]).toBe(expected);
  }, 120_000);

  it("streams 20 MB of stdout with backpressure from a slow consumer, byte for byte", async () => {
    const hasher = new Hasher();
    // a consumer whose buffer fills quickly: exec must pause the socket instead of buffering everything
    const slow = new PassThrough({ highWaterMark: 16 * 1024 });
    slow.pipe(hasher);
    await exec(admin, { namespace: ns, pod: "tools", container: "main", command: ["sh", "-c", "head -c 20971520 /dev/zero"], stdout: slow });
    slow.end();
    await new Promise((r) => hasher.on("finish", r));
    expect(hasher.bytes).toBe(20 * 1024 * 1024);
    expect(hasher.hash.digest("hex")).toBe(createHash("sha256").update(Buffer.alloc(20 * 1024 * 1024)).digest("hex"));
  }, 120_000);

  it("runs with a TTY: stderr comes on stdout, the terminal is a tty and takes the size sent on the resize channel", async () => {
    const out = new Collector();
    const stdin = new PassThrough();
    const sizes = new PassThrough({ objectMode: true });
    const done = exec(admin, {
      namespace: ns,
      pod: "tools",
      container: "main",
      command: ["sh", "-c", 'test -t 0 && echo is-a-tty; echo to-stderr >&2; while read l; do [ "$l" = q ] && exit 0; stty size; done'],
      stdin,
      stdout: out,
      tty: true,
      terminalSizeQueue: sizes as AsyncIterable<TerminalSize>,
    });
    sizes.write({ width: 123, height: 45 });
    // the resize and the lines travel on different streams: ask until the new size shows
    await eventually("stty size 45 123", async () => {
      stdin.write("\n");
      await new Promise((r) => setTimeout(r, 100));
      return out.text().includes("45 123") ? true : undefined;
    }, 100);
    sizes.end();
    // a terminal gets no end of input from a closed stdin (as with kubectl): the command is told to quit
    stdin.write("q\n");
    await done;
    stdin.end();
    const text = out.text();
    expect(text).toContain("is-a-tty");
    expect(text).toContain("to-stderr");
  }, 60_000);

  it("reports a non-zero exit as kwok v0.8.0 sends it: an InternalError status naming the exit status, not NonZeroExitCode", async () => {
    // a real kubelet sends NonZeroExitCode with an ExitCode cause (CodeExitError, code 3; see
    // remotecommand-protocol.test.ts); kwok v0.8.0 wraps the exit in an internal error
    const err = await exec(admin, { namespace: ns, pod: "tools", container: "main", command: ["sh", "-c", "exit 3"], stdout: new Collector() }).catch((e: unknown) => e);
    expect(isCodeExitError(err)).toBe(false);
    expect(isInternalError(err)).toBe(true);
    expect((err as Error).message).toMatch(/exit status 3/);
  });

  it("rejects with NotFound for a missing pod, BadRequest for a missing container, Forbidden without RBAC rights", async () => {
    const nf = await exec(admin, { namespace: ns, pod: "nope", command: ["true"], stdout: new Collector() }).catch((e: unknown) => e);
    expect(isNotFound(nf)).toBe(true);
    const bad = await exec(admin, { namespace: ns, pod: "tools", container: "nope", command: ["true"], stdout: new Collector() }).catch((e: unknown) => e);
    expect(isBadRequest(bad)).toBe(true);
    expect((bad as Error).message).toMatch(/container nope is not valid/);
    const forbidden = await exec(configFor("restricted"), { namespace: ns, pod: "tools", command: ["true"], stdout: new Collector() }).catch((e: unknown) => e);
    expect(isForbidden(forbidden)).toBe(true);
  });

  it("stops on abort with the signal's reason and leaves no pending work", async () => {
    const ac = new AbortController();
    const out = new Collector();
    const p = exec(admin, { namespace: ns, pod: "tools", container: "main", command: ["sh", "-c", "echo started; sleep 30"], stdout: out, signal: ac.signal });
    await eventually("started", async () => (out.text().includes("started") ? true : undefined));
    ac.abort(new Error("user abort"));
    await expect(p).rejects.toThrow("user abort");
  });

  it("rejects with TransportError when the connection is cut mid-stream", async () => {
    const proxy = await cuttableProxy(new URL(testEnv().server));
    try {
      const out = new Collector();
      const p = exec({ ...admin, host: `https://127.0.0.1:${proxy.port}`, tlsClientConfig: { ...admin.tlsClientConfig, serverName: "localhost" } }, {
        namespace: ns,
        pod: "tools",
        container: "main",
        command: ["sh", "-c", "echo started; sleep 30"],
        stdout: out,
      });
      p.catch(() => undefined);
      await eventually("started", async () => (out.text().includes("started") ? true : undefined));
      proxy.cut();
      const err = await p.catch((e: unknown) => e);
      expect(err).toMatchObject({ name: "TransportError" });
      expect((err as Error).message).toMatch(/connection to .* was cut before the command finished/);
    } finally {
      proxy.close();
    }
  });
});

describe("attach through kube-apiserver to the kubelet (kwok)", () => {
  it("receives what the container writes after attaching", async () => {
    const logFile = join(testEnv().execDir ?? "/tmp", `${ns}-attach.log`);
    writeFileSync(logFile, "");
    await createKwok(admin, "attaches", ns, {
      apiVersion: "kwok.x-k8s.io/v1alpha1",
      kind: "Attach",
      metadata: { name: "tools", namespace: ns },
      spec: { attaches: [{ containers: ["main"], logsFile: logFile }] },
    });
    const out = new Collector();
    const ac = new AbortController();
    const p = attach(admin, { namespace: ns, pod: "tools", container: "main", stdout: out, stderr: new Collector(), signal: ac.signal });
    p.catch(() => undefined);
    // kwok serves attach by following the container's log file (CRI format) from its end
    await eventually("attached output", async () => {
      appendFileSync(logFile, `${new Date().toISOString()} stdout F hello from the container\n`);
      await new Promise((r) => setTimeout(r, 200));
      return out.text().includes("hello from the container") ? true : undefined;
    }, 50);
    ac.abort(new Error("done"));
    await expect(p).rejects.toThrow("done");
  });
});

function* chunks(data: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** A TCP proxy to the API server whose connections can be cut (the server itself never cuts them). */
async function cuttableProxy(target: URL): Promise<{ port: number; cut(): void; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    client.on("error", () => undefined);
    upstream.on("error", () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut: () => {
      for (const s of sockets) s.destroy();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
