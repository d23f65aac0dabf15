// Misbehaving servers and proxies for the failure modes a real API server does not show on demand:
// bodies that never end, gzip bombs, connections cut or black-holed mid-stream, TLS handshakes that
// never finish. Each connection is handed to a behaviour that writes raw bytes, so a test can send
// exactly what a broken server or middlebox would. Add new behaviours here rather than in test files.
import { createServer as createNetServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { createServer as createTLSServer } from "node:tls";
import type { TestPKI } from "./pki.js";

/** The request line and headers of one HTTP/1.1 request read from a raw connection. */
export interface RequestHead {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** One accepted connection: read the request, then write whatever the test wants. */
export interface HostileConnection {
  readonly socket: Socket;
  /** The next request head on this connection (its body, if any, is not read). */
  request(): Promise<RequestHead>;
  /** Writes a status line and headers (no Content-Length unless given; add `transfer-encoding: chunked` yourself). */
  head(status: number, headers: Record<string, string>): void;
  /** Writes one chunk of a chunked body. */
  chunk(data: Uint8Array | string): boolean;
  /** Writes the terminating chunk. */
  endChunks(): void;
  /** Closes with FIN. */
  end(): void;
  /** Closes with RST. */
  reset(): void;
}

export type Behaviour = (conn: HostileConnection) => void | Promise<void>;

export interface HostileServer {
  /** `http://127.0.0.1:port` or `https://...` */
  url: string;
  port: number;
  /** Replace to change what the next connections get. */
  behaviour: Behaviour;
  /** Connections accepted (TCP, before any TLS). */
  accepted: number;
  /** Connections that are closed (by either side). */
  closed: number;
  /** Resolves once `closed` reaches `n`. */
  waitClosed(n: number): Promise<void>;
  close(): Promise<void>;
}

function wrap(socket: Socket): HostileConnection {
  let buffered = Buffer.alloc(0);
  let waiting: (() => void) | undefined;
  socket.on("data", (d: Buffer) => {
    buffered = Buffer.concat([buffered, d]);
    waiting?.();
  });
  socket.on("error", () => undefined);
  return {
    socket,
    async request() {
      for (;;) {
        const at = buffered.indexOf("\r\n\r\n");
        if (at >= 0) {
          const text = buffered.subarray(0, at).toString("latin1");
          buffered = buffered.subarray(at + 4);
          const [line = "", ...rest] = text.split("\r\n");
          const [method = "", url = ""] = line.split(" ");
          const headers: Record<string, string> = {};
          for (const h of rest) {
            const i = h.indexOf(":");
            if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
          }
          return { method, url, headers };
        }
        await new Promise<void>((resolve, reject) => {
          waiting = resolve;
          socket.once("close", () => reject(new Error("connection closed before a request arrived")));
        });
      }
    },
    head(status, headers) {
      let text = `HTTP/1.1 ${status} X\r\n`;
      for (const [k, v] of Object.entries(headers)) text += `${k}: ${v}\r\n`;
      socket.write(`${text}\r\n`);
    },
    chunk(data) {
      const b = typeof data === "string" ? Buffer.from(data) : data;
      if (b.length === 0) return true;
      socket.write(`${b.length.toString(16)}\r\n`);
      socket.write(b);
      return socket.write("\r\n");
    },
    endChunks() {
      socket.write("0\r\n\r\n");
    },
    end() {
      socket.end();
    },
    reset() {
      // a TLS socket wraps the TCP socket, which is the one that can send RST
      const tcp = (socket as Socket & { _parent?: Socket | null })._parent ?? socket;
      tcp.resetAndDestroy();
      socket.destroy();
    },
  };
}

/**
 * A server that hands every connection to `behaviour`. With `tls`, connections are TLS (the PKI's
 * server certificate); without, plain TCP/HTTP. `tlsNeverCompletes` accepts TCP and never answers the
 * ClientHello.
 */
export async function startHostileServer(behaviour: Behaviour, options: { tls?: TestPKI } = {}): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  let waiters: Array<{ n: number; resolve: () => void }> = [];
  const state: HostileServer = {
    url: "",
    port: 0,
    behaviour,
    accepted: 0,
    closed: 0,
    waitClosed: (n) => (state.closed >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    close: async () => undefined,
  };
  const track = (s: Socket) => {
    sockets.add(s);
    s.on("close", () => {
      sockets.delete(s);
      state.closed++;
      waiters = waiters.filter((w) => (state.closed >= w.n ? (w.resolve(), false) : true));
    });
  };
  const onConn = (s: Socket) => void Promise.resolve(state.behaviour(wrap(s))).catch(() => s.destroy());
  let server: Server;
  if (options.tls) {
    const tlsServer = createTLSServer({ cert: options.tls.serverCertPem, key: options.tls.serverKeyPem }, onConn);
    tlsServer.on("connection", (s: Socket) => {
      state.accepted++;
      track(s);
    });
    tlsServer.on("tlsClientError", () => undefined);
    server = tlsServer;
  } else {
    server = createNetServer((s) => {
      state.accepted++;
      track(s);
      onConn(s);
    });
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `${options.tls ? "https" : "http"}://127.0.0.1:${state.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

/** A server that accepts TCP connections and never sends a byte (a TLS handshake that never completes). */
export function startSilentServer(): Promise<HostileServer> {
  return startHostileServer(() => undefined);
}

export interface CuttingProxy {
  /** `127.0.0.1:port`; put `https://` in front for a TLS upstream (the proxy forwards bytes, TLS is end to end). */
  address: string;
  port: number;
  /** Connections accepted since the start. */
  accepted: number;
  /** Connections open right now. */
  readonly open: number;
  /** Closes every open connection: with RST (`reset`) or FIN (`end`). New connections are still accepted. */
  cutAll(how: "reset" | "end"): void;
  /**
   * Stops forwarding bytes in both directions on every open connection without closing it (a black
   * hole: no FIN, no RST; TCP keepalives are still answered by the proxy's kernel). New connections
   * are forwarded normally.
   */
  blackHoleAll(): void;
  close(): Promise<void>;
}

/** A TCP proxy to `target` ("host:port") that a test can cut or black-hole. */
export async function startCuttingProxy(target: string): Promise<CuttingProxy> {
  const u = new URL(`tcp://${target}`);
  const pairs = new Set<{ client: Socket; upstream: Socket; holed: boolean }>();
  const server = createNetServer((client) => {
    state.accepted++;
    const upstream = connect(Number(u.port), u.hostname);
    const pair = { client, upstream, holed: false };
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on("data", (d: Buffer) => {
        if (!pair.holed) to.write(d);
      });
    forward(client, upstream);
    forward(upstream, client);
    const done = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.on("error", () => undefined);
      s.on("close", () => {
        // a black-holed connection stays open on the other side until the test ends it
        if (!pair.holed) done();
      });
      s.on("end", () => {
        if (!pair.holed) (s === client ? upstream : client).end();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const state: CuttingProxy = {
    address: `127.0.0.1:${port}`,
    port,
    accepted: 0,
    get open() {
      return pairs.size;
    },
    cutAll(how) {
      for (const p of [...pairs]) {
        pairs.delete(p);
        if (how === "reset") p.client.resetAndDestroy();
        else p.client.end();
        p.upstream.destroy();
      }
    },
    blackHoleAll() {
      for (const p of pairs) p.holed = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const p of pairs) {
          p.client.destroy();
          p.upstream.destroy();
        }
        pairs.clear();
        server.close(() => resolve());
      }),
  };
  return state;
}
