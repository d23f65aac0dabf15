import { Agent, buildConnector, type Dispatcher, EnvHttpProxyAgent, ProxyAgent, Socks5ProxyAgent } from "undici";
import type { ConnectionOptions } from "node:tls";
import { execAuthenticatorFor, type ExecAuthenticator, type ExecCredentials } from "../auth/exec.js";
import { authProviderFor, type OIDCAuthProvider } from "../auth/oidc.js";
import { ConfigError } from "../config/errors.js";
import type { ImpersonationConfig, RestConfig } from "../config/types.js";
import { toTransportError } from "./errors.js";
import { tlsConnectOptions } from "./tls.js";
import { CachedFileTokenSource } from "./token-source.js";
import { defaultUserAgent } from "./user-agent.js";

export interface TransportOptions {
  /** How long a token read from bearerTokenFile is trusted (default 60s, as client-go). */
  tokenFileRefreshMs?: number;
  /** An undici dispatcher to use instead of building one (tests, custom pools); TLS settings are then ignored. */
  dispatcher?: Dispatcher;
}

export interface TransportRequest {
  method: string;
  url: URL;
  headers?: Record<string, string | string[]>;
  body?: Uint8Array | string;
  signal?: AbortSignal;
}

export type TransportResponse = Dispatcher.ResponseData;

/** Counters of a transport, for tests and benchmarks. */
export interface TransportStats {
  /** Connections opened (TCP+TLS handshakes) since the transport was created. */
  connections: number;
  /** Requests sent. */
  requests: number;
}

/** Impersonation headers (transport.NewImpersonatingRoundTripper). */
export function impersonationHeaders(imp: ImpersonationConfig | undefined): Record<string, string | string[]> {
  const h: Record<string, string | string[]> = {};
  if (!imp) return h;
  if (imp.userName) h["impersonate-user"] = imp.userName;
  if (imp.uid) h["impersonate-uid"] = imp.uid;
  if (imp.groups && imp.groups.length > 0) h["impersonate-group"] = [...imp.groups];
  for (const [k, values] of Object.entries(imp.extra ?? {})) {
    h[`impersonate-extra-${legacyHeaderEscape(k)}`] = [...values];
  }
  return h;
}

/** Percent-escapes a header key the way client-go's headerKeyEscape does (legacy, RFC 7230 token chars kept). */
function legacyHeaderEscape(key: string): string {
  let out = "";
  for (const b of Buffer.from(key, "utf8")) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9!#$&'*+\-.^_`|~]/.test(c) && c !== "%") out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * The connection layer of a client (client-go's transport.New + HTTPWrappersForConfig): one undici pool per
 * config with keep-alive and TLS, authentication (basic, bearer, bearer token file, exec plugin tokens and
 * client certificates), impersonation and the user agent.
 */
export class Transport {
  readonly config: RestConfig;
  readonly host: string;
  readonly stats: TransportStats = { connections: 0, requests: 0 };
  readonly #origin: string;
  readonly #basePath: string;
  readonly #tls: ConnectionOptions;
  readonly #tokenSource: CachedFileTokenSource | undefined;
  readonly #exec: ExecAuthenticator | undefined;
  readonly #authProvider: OIDCAuthProvider | undefined;
  readonly #ownDispatcher: boolean;
  #dispatcher: Dispatcher;
  #certKey: string | undefined;
  #closed = false;

  constructor(config: RestConfig, options: TransportOptions = {}) {
    this.config = config;
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(config.host) ? config.host : `${hasTLS(config) ? "https" : "http"}://${config.host}`);
    } catch {
      throw new ConfigError(`the server URL "${config.host}" is not a valid URL`, { field: "server", fix: "use a URL such as https://host:6443" });
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw new ConfigError(`the server URL scheme ${url.protocol} is not supported`, { field: "server", fix: "use https://" });
    this.#origin = url.origin;
    this.host = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, "");
    if (config.execProvider && config.authProvider)
      throw new ConfigError("execProvider and authProvider cannot be used together", { field: "user", fix: "keep only one of exec and auth-provider" });
    if (config.username && config.bearerToken && !config.bearerTokenFile)
      throw new ConfigError("username/password and bearer token cannot be used together", { field: "user", fix: "keep only one authentication method" });
    this.#tls = tlsConnectOptions(config.tlsClientConfig);
    if (config.bearerTokenFile) {
      this.#tokenSource = new CachedFileTokenSource(config.bearerTokenFile, {
        ...(options.tokenFileRefreshMs !== undefined ? { periodMs: options.tokenFileRefreshMs, leewayMs: 0 } : {}),
        ...(config.bearerToken ? { initialToken: config.bearerToken } : {}),
      });
    }
    if (config.execProvider) this.#exec = execAuthenticatorFor(config);
    if (config.authProvider) this.#authProvider = authProviderFor(config.authProvider, config.authConfigPersister);
    this.#ownDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? this.#buildDispatcher(this.#tls);
  }

  /** The path prefix of the server URL (for servers behind a path-routing proxy), without a trailing slash. */
  get basePath(): string {
    return this.#basePath;
  }

  #buildDispatcher(tls: ConnectionOptions): Dispatcher {
    const common = {
      keepAliveTimeout: 90_000,
      keepAliveMaxTimeout: 600_000,
      headersTimeout: 0,
      bodyTimeout: 0,
    };
    const proxy = this.config.proxyURL;
    if (proxy) {
      let p: URL;
      try {
        p = new URL(proxy);
      } catch {
        throw new ConfigError("proxy-url is not a valid URL", { field: "proxy-url", fix: "use a URL such as http://proxy:3128" });
      }
      if (p.protocol === "socks5:") return new Socks5ProxyAgent(proxy, { connect: tls } as never);
      return new ProxyAgent({ uri: proxy, requestTls: tls as buildConnector.BuildOptions, ...common });
    }
    const connector = buildConnector({ ...tls, timeout: 30_000, keepAlive: true, keepAliveInitialDelay: 30_000 } as buildConnector.BuildOptions);
    const counting: buildConnector.connector = (opts, cb) => {
      connector(opts, (err, socket) => {
        if (!err) this.stats.connections++;
        if (err) cb(err, null);
        else cb(null, socket);
      });
    };
    const env = process.env;
    if (env["HTTPS_PROXY"] || env["https_proxy"] || env["HTTP_PROXY"] || env["http_proxy"]) {
      return new EnvHttpProxyAgent({ ...common, connect: counting, requestTls: tls } as EnvHttpProxyAgent.Options);
    }
    return new Agent({ ...common, connect: counting });
  }

  /** Switches to a pool presenting the plugin's client certificate when it changed (exec cert rotation). */
  #useClientCert(creds: ExecCredentials): void {
    if (!creds.clientCertificateData || !creds.clientKeyData || !this.#ownDispatcher) return;
    const key = creds.clientCertificateData;
    if (this.#certKey === key) return;
    const old = this.#dispatcher;
    this.#dispatcher = this.#buildDispatcher({ ...this.#tls, cert: creds.clientCertificateData, key: creds.clientKeyData });
    this.#certKey = key;
    void old.close().catch(() => undefined);
  }

  /** Sends one request with authentication; rejects with TransportError when no response arrives. */
  async request(req: TransportRequest): Promise<TransportResponse> {
    if (this.#closed) throw new Error("the transport was closed");
    const headers: Record<string, string | string[]> = { ...impersonationHeaders(this.config.impersonate), ...req.headers };
    if (!("user-agent" in headers)) headers["user-agent"] = this.config.userAgent ?? defaultUserAgent();
    let execCreds: ExecCredentials | undefined;
    if (!("authorization" in headers)) {
      const c = this.config;
      if (c.username || c.password) {
        headers["authorization"] = `Basic ${Buffer.from(`${c.username ?? ""}:${c.password ?? ""}`).toString("base64")}`;
      } else if (this.#tokenSource) {
        headers["authorization"] = `Bearer ${this.#tokenSource.token()}`;
      } else if (c.bearerToken) {
        headers["authorization"] = `Bearer ${c.bearerToken}`;
      } else if (this.#exec) {
        execCreds = await this.#exec.getCredentials();
        if (execCreds.token) headers["authorization"] = `Bearer ${execCreds.token}`;
      } else if (this.#authProvider) {
        headers["authorization"] = `Bearer ${await this.#authProvider.token()}`;
      }
    }
    if (this.#exec) {
      const creds = execCreds ?? (await this.#exec.getCredentials());
      this.#useClientCert(creds);
    }
    // taken after the token was read: a 401 means every token read up to now is suspect
    const started = Date.now();
    this.stats.requests++;
    let res: TransportResponse;
    try {
      res = await this.#dispatcher.request({
        origin: this.#origin,
        path: req.url.pathname + req.url.search,
        method: req.method as Dispatcher.HttpMethod,
        headers,
        body: req.body ?? null,
        signal: req.signal ?? null,
      });
    } catch (err) {
      if (req.signal?.aborted) throw req.signal.reason;
      throw toTransportError(err, this.#origin, this.#tls.servername ?? req.url.hostname);
    }
    if (res.statusCode === 401) {
      this.#tokenSource?.resetTokenOlderThan(started);
      if (this.#exec && execCreds) {
        try {
          await this.#exec.maybeRefresh(execCreds);
        } catch {
          // the next request reports the plugin failure
        }
      }
    }
    return res;
  }

  /** Closes idle connections and the pool. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#authProvider?.close();
    if (this.#ownDispatcher) await this.#dispatcher.close();
  }
}

function hasTLS(config: RestConfig): boolean {
  const t = config.tlsClientConfig;
  return Boolean(t.caData || t.caFile || t.certData || t.certFile || t.insecure);
}
