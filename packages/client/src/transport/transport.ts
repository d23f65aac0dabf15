import type { Dispatcher } from "undici";
import type { ConnectionOptions } from "node:tls";
import { execAuthenticatorFor, type ExecAuthenticator, type ExecCredentials } from "../auth/exec.js";
import { authProviderFor, type OIDCAuthProvider } from "../auth/oidc.js";
import { ConfigError } from "../config/errors.js";
import type { ImpersonationConfig, RestConfig } from "../config/types.js";
import { dispatchRequest, requestOverNode, type SentResponse } from "./body.js";
import { toTransportError, TransportError } from "./errors.js";
import { acquirePool, releasePool, type Pool } from "./pool.js";
import { tlsConnectOptions } from "./tls.js";
import { CachedFileTokenSource } from "./token-source.js";
import { defaultUserAgent } from "./user-agent.js";

/** Options of {@link Transport} beyond the RestConfig. */
export interface TransportOptions {
  /** How long a token read from bearerTokenFile is trusted (default 60s, as client-go). */
  tokenFileRefreshMs?: number;
  /**
   * An undici dispatcher to use instead of the shared pool (custom pools, interceptors); TLS and proxy
   * settings are then up to it.
   */
  dispatcher?: Dispatcher;
}

/** One HTTP request as the REST client hands it to the {@link Transport}. */
export interface TransportRequest {
  method: string;
  url: URL;
  headers?: Record<string, string | string[]>;
  body?: Uint8Array | string;
  signal?: AbortSignal;
}

/** The response of {@link Transport.request}: undici's response data (status, headers, unread body). */
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
 * The connection layer of a client (client-go's transport.New + HTTPWrappersForConfig): an undici pool with
 * keep-alive and TLS, shared by every transport with the same TLS and proxy settings (as client-go's
 * tlsCache shares http.Transports), plus authentication (basic, bearer, bearer token file, exec plugin tokens
 * and client certificates, oidc), impersonation and the user agent.
 */
export class Transport {
  readonly config: RestConfig;
  readonly host: string;
  readonly #origin: string;
  /** `https:` or `http:`. */
  readonly #protocol: string;
  readonly #basePath: string;
  readonly #tls: ConnectionOptions;
  readonly #tokenSource: CachedFileTokenSource | undefined;
  readonly #exec: ExecAuthenticator | undefined;
  readonly #authProvider: OIDCAuthProvider | undefined;
  readonly #custom: Dispatcher | undefined;
  #pool: Pool | undefined;
  #requests = 0;
  #certKey: string | undefined;
  #execCert: { cert: string; key: string } | undefined;
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
    this.#protocol = url.protocol;
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
    this.#custom = options.dispatcher;
    // an exec plugin that hands out client certificates gets its pool once the certificate is known
    if (!this.#custom) this.#pool = acquirePool(this.#tls, config.proxyURL);
  }

  /** Connections opened by this transport's pool (shared with transports of equal TLS settings) and requests sent by this one. */
  get stats(): TransportStats {
    return { connections: this.#pool?.connections ?? 0, requests: this.#requests };
  }

  get #dispatcher(): Dispatcher {
    const d = this.#custom ?? this.#pool?.dispatcher;
    if (!d) throw closedError(this.host);
    return d;
  }

  /** The path prefix of the server URL (for servers behind a path-routing proxy), without a trailing slash. */
  get basePath(): string {
    return this.#basePath;
  }

  /** Switches to a pool presenting the plugin's client certificate when it changed (exec cert rotation). */
  #useClientCert(creds: ExecCredentials): void {
    if (!creds.clientCertificateData || !creds.clientKeyData || this.#custom) return;
    const key = creds.clientCertificateData;
    if (this.#certKey === key) return;
    const old = this.#pool;
    this.#pool = acquirePool({ ...this.#tls, cert: creds.clientCertificateData, key: creds.clientKeyData }, this.config.proxyURL);
    this.#certKey = key;
    if (old) void releasePool(old);
  }

  /** The request headers with authentication, impersonation and the user agent added. */
  async #authorize(reqHeaders: Record<string, string | string[]> | undefined, signal?: AbortSignal): Promise<{ headers: Record<string, string | string[]>; execCreds: ExecCredentials | undefined }> {
    const headers: Record<string, string | string[]> = { ...impersonationHeaders(this.config.impersonate), ...reqHeaders };
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
        execCreds = await untilAborted(this.#exec.getCredentials(), signal);
        if (execCreds.token) headers["authorization"] = `Bearer ${execCreds.token}`;
      } else if (this.#authProvider) {
        headers["authorization"] = `Bearer ${await untilAborted(this.#authProvider.token(), signal)}`;
      }
    }
    if (this.#exec) {
      const creds = execCreds ?? (await untilAborted(this.#exec.getCredentials(), signal));
      this.#useClientCert(creds);
      if (creds.clientCertificateData && creds.clientKeyData) this.#execCert = { cert: creds.clientCertificateData, key: creds.clientKeyData };
    }
    return { headers, execCreds };
  }

  /**
   * What a connection that undici does not make needs (WebSocket upgrades for exec, attach and
   * port-forward): the server origin, the TLS options (with an exec plugin's client certificate) and the
   * headers with authentication, impersonation and the user agent. Proxies are not applied.
   */
  async upgradeOptions(reqHeaders?: Record<string, string | string[]>): Promise<{ origin: string; basePath: string; tls: ConnectionOptions; headers: Record<string, string | string[]> }> {
    if (this.#closed) throw closedError(this.host);
    const { headers } = await this.#authorize(reqHeaders);
    const tls: ConnectionOptions = this.#execCert ? { ...this.#tls, ...this.#execCert } : { ...this.#tls };
    return { origin: this.#origin, basePath: this.#basePath, tls, headers };
  }

  /** Sends one request with authentication; rejects with TransportError when no response arrives. */
  request(req: TransportRequest): Promise<TransportResponse> {
    return this.#roundTrip(req, async (headers) => {
      const pending = this.#dispatcher.request({
        origin: this.#origin,
        path: req.url.pathname + req.url.search,
        method: req.method as Dispatcher.HttpMethod,
        headers,
        body: req.body ?? null,
        signal: req.signal ?? null,
      });
      // undici does not abort a request that waits for its connection (TCP connect, TLS handshake), so the
      // signal (the request's timeout among others) is raced here and a late response is thrown away.
      return untilAborted(pending, req.signal, (late) => late.body.destroy());
    });
  }

  /**
   * Sends one request with authentication, as {@link request} does, and resolves with the status and
   * headers; the body is read through {@link ResponseBody} (chunks queued or piped to a sink, without a
   * Node stream). The REST client's path; rejects with TransportError when no response arrives. With
   * `stream` (watches), the request goes over Node's own HTTP client unless a proxy or a custom
   * dispatcher is configured.
   */
  send(req: TransportRequest, options: { stream?: boolean } = {}): Promise<SentResponse> {
    return this.#roundTrip(req, (headers) => {
      // Streams (watches) over Node's own client where no proxy or custom dispatcher is in the way: it
      // costs less CPU per chunk than undici; a stream keeps its connection to itself either way.
      const node = options.stream === true && this.#custom === undefined ? this.#pool?.nodeAgent(this.#protocol) : undefined;
      const body = req.body ?? null;
      return node !== undefined
        ? requestOverNode(node, new URL(req.url.pathname + req.url.search, this.#origin), { method: req.method, headers, body }, req.signal)
        : dispatchRequest(this.#dispatcher, { origin: this.#origin, path: req.url.pathname + req.url.search, method: req.method as Dispatcher.HttpMethod, headers, body }, req.signal);
    });
  }

  /**
   * What both request paths share: authentication (headers), the request count, low-level errors as
   * TransportErrors (the signal's reason when it aborted), and a 401's consequences for the credentials.
   */
  async #roundTrip<R extends { statusCode: number }>(req: TransportRequest, go: (headers: Record<string, string | string[]>) => Promise<R>): Promise<R> {
    if (this.#closed) throw closedError(this.host);
    const { headers, execCreds } = await this.#authorize(req.headers, req.signal);
    // taken after the token was read: a 401 means every token read up to now is suspect
    const started = Date.now();
    this.#requests++;
    let res: R;
    try {
      res = await go(headers);
    } catch (err) {
      if (req.signal?.aborted) throw req.signal.reason;
      throw toTransportError(err, this.#origin, this.#tls.servername ?? req.url.hostname, this.config.proxyURL ?? (this.#custom ? undefined : envProxyFor(this.#origin)));
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
    if (this.#closed) return;
    this.#closed = true;
    await this.#authProvider?.close();
    const pool = this.#pool;
    this.#pool = undefined;
    if (pool) await releasePool(pool);
  }
}

function closedError(host: string): TransportError {
  return new TransportError(`the client for ${host} was closed: create a new client to send more requests`, { host, code: "ERR_CLIENT_CLOSED" });
}

/**
 * Settles like `p`, or rejects with the signal's reason as soon as it aborts; a value that arrives after
 * that goes to `onLate` (to release it).
 */
function untilAborted<V>(p: Promise<V>, signal: AbortSignal | undefined, onLate?: (v: V) => void): Promise<V> {
  if (!signal) return p;
  return new Promise<V>((resolve, reject) => {
    let done = false;
    const onAbort = () => {
      if (done) return;
      done = true;
      reject(signal.reason);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        if (done) onLate?.(v);
        else {
          done = true;
          resolve(v);
        }
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        if (!done) {
          done = true;
          reject(err);
        }
      },
    );
  });
}

/** The proxy undici's EnvHttpProxyAgent would use for `origin` (only for blaming it in messages). */
function envProxyFor(origin: string): string | undefined {
  const env = process.env;
  return origin.startsWith("https:")
    ? (env["HTTPS_PROXY"] ?? env["https_proxy"] ?? env["HTTP_PROXY"] ?? env["http_proxy"])
    : (env["HTTP_PROXY"] ?? env["http_proxy"]);
}

function hasTLS(config: RestConfig): boolean {
  const t = config.tlsClientConfig;
  return Boolean(t.caData || t.caFile || t.certData || t.certFile || t.insecure);
}
