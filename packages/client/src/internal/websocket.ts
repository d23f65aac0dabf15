// WebSocket upgrades to kube-apiserver (client-go's transport/websocket), on the `ws` package: TLS and
// authentication from the RestConfig, handshake failures turned into StatusError / TransportError.
import type { IncomingMessage } from "node:http";
import WebSocket from "ws";
import { fromObject, newGenericServerResponse, type StatusError } from "@kubets/apimachinery/errors";
import type { RestConfig } from "../config/types.js";
import { TransportError, toTransportError } from "../transport/errors.js";
import { Transport } from "../transport/transport.js";

export interface DialOptions {
  /** Subprotocols in order of preference (Sec-WebSocket-Protocol). */
  protocols: readonly string[];
  signal?: AbortSignal | undefined;
  /** How long the TCP+TLS connection and the upgrade may take (default 30 s). */
  handshakeTimeoutMs?: number | undefined;
  /** The largest WebSocket message accepted (default 16 MiB); a bigger one closes the connection with 1009. */
  maxMessageBytes?: number | undefined;
  /** What the request is, for error messages ("exec into pod ns/name"). */
  what: string;
}

export interface Dialed {
  ws: WebSocket;
  /** The subprotocol the server chose ("" when it chose none). */
  protocol: string;
  /** The server origin, for error messages. */
  host: string;
  /**
   * Hands over what arrived between the upgrade and now (messages, and the close if it came): call it right
   * after attaching the "message" and "close" handlers, in the same tick; it replays to those handlers.
   */
  handoff(): void;
}

const MAX_ERROR_BODY = 64 * 1024;

/** Opens a WebSocket to `path` (with query) on the config's server. */
export async function dialWebSocket(config: RestConfig, path: string, options: DialOptions): Promise<Dialed> {
  const transport = new Transport(config);
  let up: Awaited<ReturnType<Transport["upgradeOptions"]>>;
  try {
    up = await transport.upgradeOptions();
  } finally {
    await transport.close();
  }
  const host = up.origin;
  const url = `${up.origin.replace(/^http/, "ws")}${up.basePath}${path}`;
  const signal = options.signal;
  if (signal?.aborted) throw signal.reason;
  return new Promise<Dialed>((resolve, reject) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(up.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const ws = new WebSocket(url, [...options.protocols], {
      headers,
      ...up.tls,
      handshakeTimeout: options.handshakeTimeoutMs ?? 30_000,
      maxPayload: options.maxMessageBytes ?? 16 * 1024 * 1024,
      perMessageDeflate: false,
      followRedirects: false,
    } as unknown as WebSocket.ClientOptions);
    ws.binaryType = "nodebuffer";
    let settled = false;
    const done = (err: unknown, value?: Dialed): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      ws.off("open", onOpen);
      ws.off("error", onError);
      ws.off("unexpected-response", onResponse);
      // terminate() of a socket still connecting emits one more error: nobody needs it
      if (err !== undefined) ws.on("error", () => undefined);
      if (err !== undefined) reject(err);
      else if (value) resolve(value);
    };
    const onAbort = (): void => {
      ws.terminate();
      done(signal?.reason);
    };
    const onOpen = (): void => {
      // the peer may write (the kubelet's port prefixes) or even close before the caller's handlers are on
      const early: Array<[Buffer, boolean]> = [];
      let closed: [number, Buffer] | undefined;
      const onEarlyMessage = (data: Buffer, isBinary: boolean): void => void early.push([data, isBinary]);
      const onEarlyClose = (code: number, reason: Buffer): void => void (closed = [code, reason]);
      const onEarlyError = (): void => undefined;
      ws.on("message", onEarlyMessage);
      ws.on("close", onEarlyClose);
      ws.on("error", onEarlyError);
      const handoff = (): void => {
        ws.off("message", onEarlyMessage);
        ws.off("close", onEarlyClose);
        ws.off("error", onEarlyError);
        for (const [data, isBinary] of early) ws.emit("message", data, isBinary);
        if (closed) ws.emit("close", closed[0], closed[1]);
      };
      done(undefined, { ws, protocol: ws.protocol, host, handoff });
    };
    const onError = (err: Error): void => {
      ws.terminate();
      const code = (err as NodeJS.ErrnoException).code;
      if (/Server sent (no|an invalid) subprotocol/i.test(err.message)) {
        done(
          new TransportError(`${options.what}: ${host} answered the upgrade without any of the subprotocols ${options.protocols.join(", ")}: the server is too old or a proxy stripped the header`, {
            host,
            cause: err,
          }),
        );
      } else if (code === undefined && /timeout/i.test(err.message)) {
        done(new TransportError(`${options.what}: the WebSocket handshake with ${host} timed out: check that the server is reachable`, { host, cause: err }));
      } else {
        const t = toTransportError(err, host);
        done(new TransportError(`${options.what}: ${t.message}`, { host, code: t.code, cause: err }));
      }
    };
    const onResponse = (_req: unknown, res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        if (size < MAX_ERROR_BODY) chunks.push(c);
        size += c.length;
      });
      const finish = (): void => {
        ws.terminate();
        done(upgradeError(res, Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY), options.what));
      };
      res.on("end", finish);
      res.on("error", finish);
      res.on("aborted", finish);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    ws.on("open", onOpen);
    ws.on("error", onError);
    ws.on("unexpected-response", onResponse);
  });
}

/** A refused upgrade: the Status the server sent (pod not found, forbidden, ...), as a StatusError. */
export function upgradeError(res: IncomingMessage, body: Buffer, what: string): StatusError {
  const code = res.statusCode ?? 0;
  try {
    const obj = JSON.parse(body.toString("utf8")) as { kind?: string; apiVersion?: string; status?: string };
    if (typeof obj === "object" && obj !== null && typeof obj.status === "string" && obj.status !== "") {
      const err = fromObject({ ...obj, kind: obj.kind ?? "Status", apiVersion: obj.apiVersion || "v1" });
      if (err.name === "StatusError") return err as StatusError;
    }
  } catch {
    // not JSON: a generic error from the status code below
  }
  const text = body.toString("utf8").trim().slice(0, 1024);
  return newGenericServerResponse(code, "GET", { group: "", resource: "pods" }, "", text || `${what} was refused`, 0, true);
}
