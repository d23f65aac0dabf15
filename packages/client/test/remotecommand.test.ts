// The frames the executor sends and how it reads a misbehaving peer, against a local WebSocket server
// (what kwok does not show: it ignores stdin's close signal; a server that never answers pings, sends
// text or floods the error channel).
import type { AddressInfo } from "node:net";
import { PassThrough, Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { isCodeExitError, newWebSocketExecutor, StreamProtocolV4Name, StreamProtocolV5Name, type TerminalSize } from "../src/remotecommand/index.js";
import type { RestConfig } from "../src/config/index.js";

let wss: WebSocketServer | undefined;
async function closeServer(): Promise<void> {
  const s = wss;
  wss = undefined;
  if (!s) return;
  for (const c of s.clients) c.terminate();
  await new Promise((r) => s.close(r));
}
afterEach(closeServer);

/** A server that picks the first offered protocol of `accept` and hands each connection to `onConn`. */
async function serve(accept: string[], onConn: (ws: WebSocket, url: string) => void, options: { autoPong?: boolean } = {}): Promise<RestConfig> {
  wss = new WebSocketServer({
    host: "127.0.0.1",
    port: 0,
    autoPong: options.autoPong ?? true,
    handleProtocols: (offered) => [...offered].find((p) => accept.includes(p)) ?? false,
  });
  wss.on("connection", (ws, req) => onConn(ws, req.url ?? ""));
  await new Promise((r) => wss!.once("listening", r));
  const port = (wss.address() as AddressInfo).port;
  return { host: `http://127.0.0.1:${port}`, tlsClientConfig: {} } as RestConfig;
}

const SUCCESS = Buffer.from('{"status":"Success"}');
const EXIT_3 = Buffer.from('{"status":"Failure","message":"command terminated with non-zero exit code: exit status 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}');
const frame = (id: number, data: Buffer | string): Buffer => Buffer.concat([Buffer.from([id]), Buffer.from(data)]);

describe("remote command frames", () => {
  it("sends stdin in channel 0 messages, then the v5 close signal, and sends resizes as JSON on channel 4", async () => {
    const received: Buffer[] = [];
    const config = await serve([StreamProtocolV5Name], (ws) => {
      ws.on("message", (m: Buffer) => {
        received.push(m);
        if (m[0] === 255) {
          ws.send(frame(1, "done"));
          ws.send(frame(3, SUCCESS));
          ws.close(1000);
        }
      });
    });
    const out = new PassThrough();
    let text = "";
    out.on("data", (d: Buffer) => (text += d.toString()));
    const sizes = Readable.from([{ width: 80, height: 24 }], { objectMode: true }) as AsyncIterable<TerminalSize>;
    const ex = newWebSocketExecutor(config, "/exec?command=x", { stdinChunkBytes: 4 });
    // the resize goes first; stdin follows once the resize was seen
    const stdin = new PassThrough();
    const p = ex.stream({ stdin, stdout: out, tty: true, terminalSizeQueue: sizes });
    for (let i = 0; i < 100 && !received.some((m) => m[0] === 4); i++) await new Promise((r) => setTimeout(r, 10));
    stdin.end("hello world");
    await p;
    expect(ex.negotiated).toBe(StreamProtocolV5Name);
    expect(text).toBe("done");
    expect(received.find((m) => m[0] === 4)?.subarray(1).toString()).toBe('{"Width":80,"Height":24}');
    const stdinFrames = received.filter((m) => m[0] === 0);
    expect(stdinFrames.map((m) => m.subarray(1).toString())).toEqual(["hell", "o wo", "rld"]);
    expect([...received.at(-1)!]).toEqual([255, 0]);
  });

  it("sends no close signal over v4 and decodes the exit code from the error channel", async () => {
    const received: Buffer[] = [];
    const config = await serve([StreamProtocolV4Name], (ws) => {
      ws.on("message", (m: Buffer) => {
        received.push(m);
        ws.send(frame(3, EXIT_3));
        ws.close(1000);
      });
    });
    const err = await newWebSocketExecutor(config, "/exec").stream({ stdin: Readable.from([Buffer.from("x")]), stdout: new PassThrough() }).catch((e: unknown) => e);
    expect(isCodeExitError(err)).toBe(true);
    expect(err).toMatchObject({ code: 3 });
    expect(received.some((m) => m[0] === 255)).toBe(false);
  });

  it("drops a peer that stops answering pings with a TransportError", async () => {
    const config = await serve([StreamProtocolV5Name], () => undefined, { autoPong: false });
    const err = await newWebSocketExecutor(config, "/exec", { pingPeriodMs: 20, pingTimeoutMs: 150 })
      .stream({ stdout: new PassThrough() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "TransportError", message: expect.stringMatching(/no answer .* to WebSocket pings/) });
  });

  it("rejects text messages, an oversized error channel and an abnormal close with TransportError", async () => {
    const text = await serve([StreamProtocolV5Name], (ws) => ws.send("not binary"));
    await expect(newWebSocketExecutor(text, "/exec").stream({ stdout: new PassThrough() })).rejects.toMatchObject({
      name: "TransportError",
      message: expect.stringMatching(/text message/),
    });
    await closeServer();

    const flood = await serve([StreamProtocolV5Name], (ws) => ws.send(frame(3, Buffer.alloc(2000, 65))));
    await expect(newWebSocketExecutor(flood, "/exec", { maxErrorBytes: 1000 }).stream({ stdout: new PassThrough() })).rejects.toMatchObject({
      message: expect.stringMatching(/error channel .* exceeded 1000 bytes/),
    });
    await closeServer();

    const cut = await serve([StreamProtocolV5Name], (ws) => {
      ws.send(frame(1, "partial"));
      setTimeout(() => ws.terminate(), 20);
    });
    await expect(newWebSocketExecutor(cut, "/exec").stream({ stdout: new PassThrough() })).rejects.toMatchObject({
      name: "TransportError",
      message: expect.stringMatching(/was cut before the command finished/),
    });
  });

  it("rejects a refused upgrade with the server's Status as StatusError", async () => {
    wss = new WebSocketServer({ host: "127.0.0.1", port: 0, verifyClient: (_info, cb) => cb(false, 403, "Forbidden") });
    await new Promise((r) => wss!.once("listening", r));
    const config = { host: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`, tlsClientConfig: {} } as RestConfig;
    const err = await newWebSocketExecutor(config, "/exec").stream({ stdout: new PassThrough() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "StatusError", code: 403, reason: "Forbidden" });
  });
});
