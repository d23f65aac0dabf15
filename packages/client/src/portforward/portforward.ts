// client-go's tools/portforward PortForwarder, over the kubelet's WebSocket port-forward protocol
// (portforward.k8s.io over v4.channel.k8s.io): one WebSocket per forwarded TCP connection, channel 0
// carries the data and channel 1 the error of the (only) port, each starting with the port as 2 bytes LE.
import { createServer, type Server, type Socket } from "node:net";
import type { Writable } from "node:stream";
import type WebSocket from "ws";
import type { RestConfig } from "../config/types.js";
import { dialWebSocket } from "../internal/websocket.js";
import { TransportError } from "../transport/errors.js";

/** The WebSocket subprotocol of the kubelet's port forwarding (binary channels). */
export const PortForwardProtocolV4Binary = "v4.channel.k8s.io";

/** A local port and the pod port it forwards to (client-go's ForwardedPort). */
export interface ForwardedPort {
  local: number;
  remote: number;
}

/**
 * The pod reported an error for one forwarded connection (nothing listens on the port, the target refused):
 * client-go logs it and closes the port forwarding, as this PortForwarder does unless `stopOnError` is false.
 */
export class PortForwardError extends Error {
  override readonly name = "PortForwardError" as const;
  readonly localPort: number;
  readonly remotePort: number;
  constructor(message: string, localPort: number, remotePort: number, options?: { cause?: unknown }) {
    super(message, options);
    this.localPort = localPort;
    this.remotePort = remotePort;
  }
}

/** True for a PortForwardError from any copy of @kubets/client. */
export function isPortForwardError(err: unknown): err is PortForwardError {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "PortForwardError";
}

/**
 * Parses port specifications as kubectl and client-go do: "5000" (same port locally), ":5000" (a free
 * local port), "8888:5000" (local:remote).
 */
export function parsePorts(ports: readonly string[]): ForwardedPort[] {
  if (ports.length === 0) throw new RangeError("you must specify at least 1 port");
  return ports.map((spec) => {
    const parts = spec.split(":");
    if (parts.length > 2) throw new RangeError(`invalid port format ${JSON.stringify(spec)}`);
    const [localText, remoteText] = parts.length === 1 ? [parts[0]!, parts[0]!] : [parts[0]!, parts[1]!];
    const parse = (t: string, what: string): number => {
      if (!/^\d+$/.test(t)) throw new RangeError(`error parsing ${what} port ${JSON.stringify(t)} in ${JSON.stringify(spec)}`);
      const n = Number(t);
      if (n > 65535) throw new RangeError(`${what} port ${n} in ${JSON.stringify(spec)} is out of range`);
      return n;
    };
    const local = localText === "" ? 0 : parse(localText, "local");
    const remote = parse(remoteText, "remote");
    if (remote === 0) throw new RangeError(`remote port must be > 0 in ${JSON.stringify(spec)}`);
    return { local, remote };
  });
}

/** What to forward: the pod, the port pairs (`"8080:80"`, `":443"`) and the local addresses. */
export interface PortForwardOptions {
  namespace: string;
  pod: string;
  /** Port specifications: "5000", ":5000", "8888:5000". */
  ports: readonly string[];
  /** Local addresses to listen on (default ["127.0.0.1"]; "localhost" means 127.0.0.1 and ::1 where available). */
  addresses?: readonly string[];
  /** Stops forwarding (client-go's stopChan / context). */
  signal?: AbortSignal | undefined;
  /** "Forwarding from ..." and "Handling connection for ..." lines, as kubectl prints them. */
  out?: Writable | undefined;
  /** Error lines for failed connections. */
  errOut?: Writable | undefined;
  /** Stop the whole forwarding when the pod reports an error for a connection (default true, as client-go). */
  stopOnError?: boolean;
  /** Bytes per WebSocket message from the local side (default 32 KiB). */
  chunkBytes?: number;
  /** The local socket is paused while more than this many bytes wait to be sent (default 1 MiB). */
  maxBufferedBytes?: number;
  /** TCP+TLS+upgrade time limit per connection (default 30 s). */
  handshakeTimeoutMs?: number;
  /** Largest WebSocket message accepted (default 16 MiB). */
  maxMessageBytes?: number;
  /** Largest error-channel message accepted (default 64 KiB). */
  maxErrorBytes?: number;
  /** Ping period on each connection (default 10 s, client-go's PingPeriod); 0 disables pings. */
  pingPeriodMs?: number;
}

/**
 * Forwards local ports to a pod (client-go's PortForwarder): `forwardPorts()` listens, resolves `ready`,
 * and runs until `close()` or the signal; each accepted connection gets its own WebSocket to the pod.
 */
export class PortForwarder {
  readonly #config: RestConfig;
  readonly #o: PortForwardOptions;
  readonly #ports: ForwardedPort[];
  readonly #servers: Server[] = [];
  readonly #live = new Set<{ socket: Socket; ws?: WebSocket }>();
  #resolveReady!: () => void;
  #rejectReady!: (err: unknown) => void;
  #stop!: (err?: unknown) => void;
  #stopped = false;
  #started = false;
  #connections = 0;
  /** Resolves when every port listens (client-go's Ready channel); rejects when listening failed. */
  readonly ready: Promise<void>;
  readonly #done: Promise<void>;

  constructor(config: RestConfig, options: PortForwardOptions) {
    this.#config = config;
    this.#o = options;
    this.#ports = parsePorts(options.ports);
    this.ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    this.ready.catch(() => undefined);
    this.#done = new Promise<void>((resolve, reject) => {
      this.#stop = (err?: unknown) => (err === undefined ? resolve() : reject(err));
    });
    this.#done.catch(() => undefined);
  }

  /** The forwarded ports, with the local ports chosen by the system for ":remote" specs (after ready). */
  getPorts(): ForwardedPort[] {
    return this.#ports.map((p) => ({ ...p }));
  }

  /** Connections handled so far. */
  get connections(): number {
    return this.#connections;
  }

  /**
   * Listens on every address and port, then forwards until close() or the signal. Rejects when a port
   * cannot be listened on, or (with stopOnError) with the PortForwardError the pod reported.
   */
  async forwardPorts(): Promise<void> {
    if (this.#started) throw new Error("forwardPorts() was already called");
    this.#started = true;
    const signal = this.#o.signal;
    const onAbort = (): void => this.#shutdown(undefined);
    if (signal?.aborted) {
      this.#rejectReady(signal.reason);
      throw signal.reason;
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const addresses = this.#o.addresses ?? ["127.0.0.1"];
      for (const port of this.#ports) {
        let listened = 0;
        let lastErr: unknown;
        for (const address of addresses.flatMap((a) => (a === "localhost" ? ["127.0.0.1", "::1"] : [a]))) {
          try {
            const server = await this.#listen(address, port);
            this.#servers.push(server);
            listened++;
          } catch (err) {
            lastErr = err;
            // "localhost" needs only one of its addresses, like client-go's failureMode "all"
            if (!(addresses.includes("localhost") && address === "::1")) throw err;
          }
        }
        if (listened === 0) throw lastErr;
      }
    } catch (err) {
      signal?.removeEventListener("abort", onAbort);
      const e = new TransportError(`port forward to pod ${this.#o.namespace}/${this.#o.pod}: unable to listen on any of the requested ports: ${(err as Error).message}`, {
        host: "127.0.0.1",
        code: (err as NodeJS.ErrnoException).code,
        cause: err,
      });
      this.#shutdown(e);
      this.#rejectReady(e);
      throw e;
    }
    this.#resolveReady();
    try {
      await this.#done;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Stops listening and closes every forwarded connection (client-go's Close). */
  close(): void {
    this.#shutdown(undefined);
  }

  #shutdown(err: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const s of this.#servers) s.close();
    for (const c of this.#live) {
      c.ws?.terminate();
      c.socket.destroy();
    }
    this.#live.clear();
    this.#stop(err);
  }

  #listen(address: string, port: ForwardedPort): Promise<Server> {
    return new Promise((resolve, reject) => {
      // half-open: after the local side ends its writes, the pod's answer still arrives (as client-go waits for
      // the remote copy); the kubelet's protocol cannot pass the half-close on
      const server = createServer({ allowHalfOpen: true }, (socket) => this.#handle(socket, port));
      server.once("error", reject);
      server.listen({ host: address, port: port.local }, () => {
        server.off("error", reject);
        server.on("error", (err) => this.#o.errOut?.write(`error on listener ${address}:${port.local}: ${err.message}\n`));
        const addr = server.address();
        if (port.local === 0 && typeof addr === "object" && addr) port.local = addr.port;
        const host = address.includes(":") ? `[${address}]` : address;
        this.#o.out?.write(`Forwarding from ${host}:${port.local} -> ${port.remote}\n`);
        resolve(server);
      });
    });
  }

  #handle(socket: Socket, port: ForwardedPort): void {
    if (this.#stopped) {
      socket.destroy();
      return;
    }
    this.#connections++;
    this.#o.out?.write(`Handling connection for ${port.local}\n`);
    const entry: { socket: Socket; ws?: WebSocket } = { socket };
    this.#live.add(entry);
    socket.pause();
    socket.setNoDelay(true);
    const what = `port forward ${port.local} -> ${this.#o.namespace}/${this.#o.pod}:${port.remote}`;
    const path = `/api/v1/namespaces/${encodeURIComponent(this.#o.namespace)}/pods/${encodeURIComponent(this.#o.pod)}/portforward?ports=${port.remote}`;
    const cleanup = (): void => {
      this.#live.delete(entry);
    };
    socket.once("close", () => {
      entry.ws?.close();
      cleanup();
    });
    socket.on("error", () => undefined); // reported through close
    dialWebSocket(this.#config, path, {
      protocols: [PortForwardProtocolV4Binary],
      what,
      handshakeTimeoutMs: this.#o.handshakeTimeoutMs,
      maxMessageBytes: this.#o.maxMessageBytes,
    }).then(
      ({ ws, handoff, host }) => {
        if (this.#stopped || socket.destroyed) {
          ws.terminate();
          return;
        }
        entry.ws = ws;
        this.#pipe(socket, ws, port, what, host);
        handoff();
      },
      (err: unknown) => {
        socket.destroy();
        cleanup();
        this.#report(err, port);
      },
    );
  }

  #report(err: unknown, port: ForwardedPort): void {
    this.#o.errOut?.write(`error forwarding ${port.local} -> ${port.remote}: ${(err as Error).message}\n`);
    if (this.#o.stopOnError ?? true) this.#shutdown(err);
  }

  #pipe(socket: Socket, ws: WebSocket, port: ForwardedPort, what: string, host: string): void {
    const chunk = this.#o.chunkBytes ?? 32 * 1024;
    const maxBuffered = this.#o.maxBufferedBytes ?? 1024 * 1024;
    const maxError = this.#o.maxErrorBytes ?? 64 * 1024;
    // the first two bytes of each channel are the port number (little endian)
    const prefix = [2, 2];
    const errorChunks: Buffer[] = [];
    let errorBytes = 0;
    let paused = false;
    let pongAt = Date.now();
    const period = this.#o.pingPeriodMs ?? 10_000;
    const ping =
      period > 0
        ? setInterval(() => {
            if (Date.now() - pongAt > period * 6 + 1000) ws.terminate();
            else ws.ping();
          }, period)
        : undefined;
    ping?.unref();
    ws.on("pong", () => (pongAt = Date.now()));

    ws.on("message", (data: Buffer) => {
      pongAt = Date.now();
      if (data.length === 0) return;
      const channel = data[0]!;
      let payload = data.subarray(1);
      if (channel > 1) return;
      const skip = Math.min(prefix[channel]!, payload.length);
      prefix[channel]! -= skip;
      payload = payload.subarray(skip);
      if (payload.length === 0) return;
      if (channel === 0) {
        // a local socket's buffer is small (16 KiB): the WebSocket is paused only past maxBufferedBytes
        if (!socket.write(payload) && !paused && socket.writableLength > maxBuffered) {
          paused = true;
          ws.pause();
          socket.once("drain", () => {
            paused = false;
            ws.resume();
          });
        }
      } else {
        errorBytes += payload.length;
        if (errorBytes <= maxError) errorChunks.push(Buffer.from(payload));
      }
    });
    let localClosed = false;
    socket.once("close", () => (localClosed = true));
    let wsError: Error | undefined;
    ws.on("error", (err: Error) => (wsError ??= err));
    ws.on("close", (code: number) => {
      if (ping) clearInterval(ping);
      socket.end();
      if (errorChunks.length > 0) {
        const text = Buffer.concat(errorChunks).toString("utf8");
        this.#report(new PortForwardError(`${what}: ${text}`, port.local, port.remote), port);
      } else if (code !== 1000 && code !== 1005 && !localClosed && !this.#stopped) {
        // client-go's "lost connection to pod": the connection to kube-apiserver broke
        this.#report(
          new TransportError(`${what}: lost connection to the pod: the connection to ${host} was cut (${wsError?.message ?? `close code ${code}`})`, {
            host,
            code: (wsError as NodeJS.ErrnoException | undefined)?.code,
            cause: wsError,
          }),
          port,
        );
      }
    });

    socket.on("data", (data: Buffer) => {
      for (let off = 0; off < data.length; off += chunk) {
        const part = data.subarray(off, Math.min(off + chunk, data.length));
        const frame = Buffer.allocUnsafe(part.length + 1);
        frame[0] = 0;
        part.copy(frame, 1);
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount + frame.length > maxBuffered && !socket.isPaused()) {
          socket.pause();
          ws.send(frame, { binary: true }, () => socket.resume());
        } else {
          ws.send(frame, { binary: true });
        }
      }
    });
    socket.resume();
  }
}
