import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import type * as NodeHttps from "node:https";
import type { NodeAgent } from "./body.js";
import type { ConnectionOptions } from "node:tls";
import type { Dispatcher } from "undici";
import type { EnvHttpProxyAgent } from "undici";
import { Agent, buildConnector, proxyAgents } from "#undici";
import { ConfigError } from "../config/errors.js";

/** An undici dispatcher shared by every transport with the same TLS and proxy settings (client-go's tlsCache). */
export interface Pool {
  readonly dispatcher: Dispatcher;
  /**
   * Node's own HTTP client over the same TLS settings, for long-lived streams (watches), or undefined
   * where requests go through a proxy (then streams use the undici dispatcher too).
   */
  nodeAgent(protocol: string): NodeAgent | undefined;
  /** Closes the connections of the Node agents. */
  destroyNodeAgents(): void;
  /** Connections opened by this pool. */
  connections: number;
  refs: number;
  readonly key: string;
}

const pools = new Map<string, Pool>();

/** How long closing the last client of a pool waits for running requests before destroying its connections. */
const CLOSE_GRACE_MS = 1000;

function envProxy(): string {
  const env = process.env;
  return [env["HTTPS_PROXY"], env["https_proxy"], env["HTTP_PROXY"], env["http_proxy"], env["NO_PROXY"], env["no_proxy"]].join("|");
}

/** True when HTTPS_PROXY or HTTP_PROXY (either case) is set. */
function hasEnvProxy(): boolean {
  const env = process.env;
  return Boolean(env["HTTPS_PROXY"] || env["https_proxy"] || env["HTTP_PROXY"] || env["http_proxy"]);
}

function keyOf(tls: ConnectionOptions, proxyURL: string | undefined): string {
  const parts = [tls.ca, tls.cert, tls.key, tls.servername, tls.rejectUnauthorized, proxyURL ?? "", proxyURL ? "" : envProxy()];
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

function build(pool: { connections: number }, tls: ConnectionOptions, proxyURL: string | undefined): Dispatcher {
  const common = { keepAliveTimeout: 90_000, keepAliveMaxTimeout: 600_000, headersTimeout: 0, bodyTimeout: 0 };
  if (proxyURL) {
    let p: URL;
    try {
      p = new URL(proxyURL);
    } catch {
      throw new ConfigError("proxy-url is not a valid URL", { field: "proxy-url", fix: "use a URL such as http://proxy:3128" });
    }
    const { ProxyAgent, Socks5ProxyAgent } = proxyAgents();
    if (p.protocol === "socks5:") return new Socks5ProxyAgent(proxyURL, { connect: tls } as never);
    if (p.protocol !== "http:" && p.protocol !== "https:")
      throw new ConfigError(`proxy-url scheme ${p.protocol} is not supported`, { field: "proxy-url", fix: "use http://, https:// or socks5://" });
    return new ProxyAgent({ uri: proxyURL, requestTls: tls as buildConnector.BuildOptions, ...common });
  }
  const connector = buildConnector({ ...tls, timeout: 30_000, keepAlive: true, keepAliveInitialDelay: 30_000 } as buildConnector.BuildOptions);
  const counting: buildConnector.connector = (opts, cb) => {
    connector(opts, (err, socket) => {
      if (err) {
        cb(err, null);
      } else {
        pool.connections++;
        cb(null, socket);
      }
    });
  };
  if (hasEnvProxy()) {
    const { EnvHttpProxyAgent } = proxyAgents();
    return new EnvHttpProxyAgent({ ...common, connect: counting, requestTls: tls } as EnvHttpProxyAgent.Options);
  }
  return new Agent({ ...common, connect: counting });
}

const requireBuiltin = createRequire(import.meta.url);

/** An http(s) Agent with keep-alive over `tls`, counting the connections it opens into `pool`. */
function buildNodeAgent(pool: { connections: number }, protocol: string, tls: ConnectionOptions): NodeAgent {
  const https = protocol === "https:";
  // loaded on the first stream, not with the client
  const mod = requireBuiltin(https ? "node:https" : "node:http") as typeof NodeHttps;
  const agent = new mod.Agent({ keepAlive: true, keepAliveMsecs: 30_000, ...(https ? tls : {}) });
  const create = agent.createConnection.bind(agent) as (...args: unknown[]) => Socket;
  (agent as unknown as { createConnection: (...args: unknown[]) => unknown }).createConnection = (...args: unknown[]) => {
    const socket = create(...args);
    socket.once(https ? "secureConnect" : "connect", () => pool.connections++);
    return socket;
  };
  return {
    request: (url, options) => mod.request(url, { ...options, agent }),
    destroy: () => agent.destroy(),
  };
}

/** The shared pool for these settings, created on first use; pair with releasePool. */
export function acquirePool(tls: ConnectionOptions, proxyURL: string | undefined): Pool {
  const key = keyOf(tls, proxyURL);
  let pool = pools.get(key);
  if (!pool) {
    const counter = { connections: 0 };
    const dispatcher = build(counter, tls, proxyURL);
    const proxied = proxyURL !== undefined || hasEnvProxy();
    const agents = new Map<string, NodeAgent>();
    const created: Pool = {
      dispatcher,
      nodeAgent(protocol: string): NodeAgent | undefined {
        if (proxied || (protocol !== "https:" && protocol !== "http:")) return undefined;
        let a = agents.get(protocol);
        if (a === undefined) {
          a = buildNodeAgent(counter, protocol, tls);
          agents.set(protocol, a);
        }
        return a;
      },
      destroyNodeAgents() {
        for (const a of agents.values()) a.destroy();
        agents.clear();
      },
      refs: 0,
      key,
      get connections() {
        return counter.connections;
      },
      set connections(n: number) {
        counter.connections = n;
      },
    };
    pool = created;
    pools.set(key, pool);
  }
  pool.refs++;
  return pool;
}

/** Drops one reference; the last one closes the pool's connections. */
export async function releasePool(pool: Pool): Promise<void> {
  pool.refs--;
  if (pool.refs > 0) return;
  if (pools.get(pool.key) === pool) pools.delete(pool.key);
  pool.destroyNodeAgents();
  // Requests still running get a moment to finish; then the pool is destroyed, so a connection attempt
  // that a timed-out request left behind (a TLS handshake that never completes) cannot hold close() up.
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), CLOSE_GRACE_MS);
  });
  const closed = await Promise.race([pool.dispatcher.close().then(() => "closed" as const, () => "closed" as const), grace]);
  clearTimeout(timer);
  if (closed === "late") await pool.dispatcher.destroy().catch(() => undefined);
}
