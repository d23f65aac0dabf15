import type { Dispatcher } from "undici";
import { Agent } from "#undici";
import { ConfigError } from "../config/errors.js";
import type { AuthProviderConfig } from "../config/types.js";
import { tlsConnectOptions } from "../transport/tls.js";

const CFG_ISSUER_URL = "idp-issuer-url";
const CFG_CLIENT_ID = "client-id";
const CFG_CLIENT_SECRET = "client-secret";
const CFG_CA = "idp-certificate-authority";
const CFG_CA_DATA = "idp-certificate-authority-data";
const CFG_ID_TOKEN = "id-token";
const CFG_REFRESH_TOKEN = "refresh-token";

/** A token is treated as expired this long before its exp claim (client-go's expiryDelta). */
const EXPIRY_DELTA_MS = 10_000;

/** Options of {@link OIDCAuthProvider}: where refreshed tokens are persisted, and injectables for tests. */
export interface OIDCAuthProviderOptions {
  /** Called with the new auth-provider config after a refresh (clientcmd persists it to the kubeconfig). */
  persister?: (config: Record<string, string>) => void | Promise<void>;
  now?: () => number;
  /** The undici dispatcher used to reach the identity provider (tests). */
  dispatcher?: Dispatcher;
}

function oidcError(message: string, fix: string): ConfigError {
  return new ConfigError(`oidc auth provider: ${message}`, { field: "auth-provider.config", fix });
}

/** True when the JWT's exp claim is more than 10s away (client-go's idTokenExpired, inverted). */
export function idTokenValid(idToken: string, now: number): boolean {
  const parts = idToken.split(".");
  if (parts.length !== 3) throw oidcError("id-token is not a valid JWT", "log in again to get a new id-token");
  let claims: { exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as { exp?: unknown };
  } catch {
    throw oidcError("id-token claims cannot be parsed", "log in again to get a new id-token");
  }
  const exp = typeof claims.exp === "number" ? claims.exp : Number(claims.exp);
  if (!Number.isFinite(exp)) return false;
  return now + EXPIRY_DELTA_MS < exp * 1000;
}

/**
 * The `oidc` auth provider (plugin/pkg/client/auth/oidc): sends the id-token while it is valid and, once it
 * expired, trades the refresh-token for a new one at the issuer's token endpoint (found by OpenID discovery).
 */
export class OIDCAuthProvider {
  #cfg: Record<string, string>;
  readonly #persister: OIDCAuthProviderOptions["persister"];
  readonly #now: () => number;
  readonly #dispatcher: Dispatcher;
  #inflight: Promise<string> | undefined;

  constructor(config: Record<string, string>, options: OIDCAuthProviderOptions = {}) {
    if (!config[CFG_ISSUER_URL]) throw oidcError(`${CFG_ISSUER_URL} is missing`, `set ${CFG_ISSUER_URL} in the user's auth-provider config`);
    if (!config[CFG_CLIENT_ID]) throw oidcError(`${CFG_CLIENT_ID} is missing`, `set ${CFG_CLIENT_ID} in the user's auth-provider config`);
    this.#cfg = { ...config };
    this.#persister = options.persister;
    this.#now = options.now ?? Date.now;
    if (options.dispatcher) {
      this.#dispatcher = options.dispatcher;
    } else {
      const caData = config[CFG_CA_DATA] ? Buffer.from(config[CFG_CA_DATA], "base64").toString("utf8") : undefined;
      const tls = tlsConnectOptions({ ...(caData ? { caData } : {}), ...(config[CFG_CA] ? { caFile: config[CFG_CA] } : {}) });
      this.#dispatcher = new Agent({ connect: tls as NonNullable<Agent.Options["connect"]> });
    }
  }

  /** The current auth-provider config (with refreshed tokens). */
  get config(): Record<string, string> {
    return { ...this.#cfg };
  }

  /** A valid id-token, refreshing it when needed (one refresh at a time). */
  async token(): Promise<string> {
    const id = this.#cfg[CFG_ID_TOKEN];
    if (id && idTokenValid(id, this.#now())) return id;
    this.#inflight ??= this.#refresh().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #refresh(): Promise<string> {
    const refreshToken = this.#cfg[CFG_REFRESH_TOKEN];
    if (!refreshToken) throw oidcError("no valid id-token, and cannot refresh without refresh-token", "log in again (kubectl oidc-login or your IdP's tool)");
    const tokenURL = await this.#tokenEndpoint();
    const clientId = this.#cfg[CFG_CLIENT_ID] ?? "";
    const clientSecret = this.#cfg[CFG_CLIENT_SECRET] ?? "";
    const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken });
    // oauth2's AuthStyleAutoDetect: client credentials in a Basic header first, then in the form.
    let res = await this.#post(tokenURL, form, {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
    });
    if (res.status >= 400 && res.status < 500) {
      const inParams = new URLSearchParams(form);
      inParams.set("client_id", clientId);
      if (clientSecret) inParams.set("client_secret", clientSecret);
      res = await this.#post(tokenURL, inParams, {});
    }
    if (res.status !== 200)
      throw oidcError(`failed to refresh token: the token endpoint answered ${res.status}`, "log in again; the refresh-token may have expired or been revoked");
    let body: { id_token?: unknown; refresh_token?: unknown };
    try {
      body = JSON.parse(res.text) as typeof body;
    } catch {
      throw oidcError("failed to refresh token: the token endpoint did not answer JSON", "check idp-issuer-url");
    }
    if (typeof body.id_token !== "string" || body.id_token === "")
      throw oidcError(
        'token response did not contain an id_token, either the scope "openid" wasn\'t requested upon login, or the provider doesn\'t support id_tokens as part of the refresh response',
        "request the openid scope when logging in",
      );
    const next: Record<string, string> = { ...this.#cfg, [CFG_ID_TOKEN]: body.id_token };
    if (typeof body.refresh_token === "string" && body.refresh_token !== "" && body.refresh_token !== refreshToken) next[CFG_REFRESH_TOKEN] = body.refresh_token;
    if (this.#persister) {
      try {
        await this.#persister({ ...next });
      } catch (cause) {
        throw new ConfigError("oidc auth provider: could not persist new tokens", { field: "auth-provider.config", fix: "make the kubeconfig writable", cause });
      }
    }
    this.#cfg = next;
    return body.id_token;
  }

  async #tokenEndpoint(): Promise<string> {
    const issuer = (this.#cfg[CFG_ISSUER_URL] ?? "").replace(/\/+$/, "");
    const url = `${issuer}/.well-known/openid-configuration`;
    let status: number;
    let text: string;
    try {
      const res = await this.#dispatcher.request({ ...split(url), method: "GET" });
      status = res.statusCode;
      text = await res.body.text();
    } catch (cause) {
      throw new ConfigError(`oidc auth provider: cannot reach the issuer ${issuer}`, { field: `auth-provider.config.${CFG_ISSUER_URL}`, fix: "check idp-issuer-url and idp-certificate-authority", cause });
    }
    if (status !== 200)
      throw oidcError(`failed to query metadata endpoint ${url}: ${status} ${JSON.stringify(text.slice(0, 80))}`, "check idp-issuer-url");
    let meta: { token_endpoint?: unknown };
    try {
      meta = JSON.parse(text) as typeof meta;
    } catch {
      throw oidcError("failed to decode provider discovery object", "check idp-issuer-url");
    }
    if (typeof meta.token_endpoint !== "string" || meta.token_endpoint === "")
      throw oidcError("discovery object doesn't contain a token_endpoint", "check idp-issuer-url");
    return meta.token_endpoint;
  }

  async #post(url: string, form: URLSearchParams, headers: Record<string, string>): Promise<{ status: number; text: string }> {
    try {
      const res = await this.#dispatcher.request({
        ...split(url),
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...headers },
        body: form.toString(),
      });
      return { status: res.statusCode, text: await res.body.text() };
    } catch (cause) {
      throw new ConfigError(`oidc auth provider: cannot reach the token endpoint ${new URL(url).origin}`, { field: "auth-provider.config", fix: "check the identity provider", cause });
    }
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}

function split(url: string): { origin: string; path: string } {
  const u = new URL(url);
  return { origin: u.origin, path: u.pathname + u.search };
}

const removed: Record<string, string> = {
  gcp: "the gcp auth plugin has been removed; use gke-gcloud-auth-plugin (an exec plugin) instead",
  azure: "the azure auth plugin has been removed; use kubelogin (an exec plugin) instead",
};

/** The provider for a config's auth-provider entry; only `oidc` exists, as in client-go today. */
export function authProviderFor(provider: AuthProviderConfig, persister?: (config: Record<string, string>) => void | Promise<void>): OIDCAuthProvider {
  if (provider.name === "oidc") return new OIDCAuthProvider(provider.config, persister ? { persister } : {});
  const hint = removed[provider.name];
  throw new ConfigError(hint ?? `no auth provider found for name "${provider.name}"`, {
    field: "auth-provider.name",
    fix: hint ? "switch the user to the exec plugin" : "use oidc or an exec credential plugin",
  });
}
