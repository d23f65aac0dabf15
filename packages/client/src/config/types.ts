/**
 * The shapes of client configuration, mirroring client-go's rest.Config and clientcmd's api.Config
 * (the in-memory form, with maps keyed by name) in camelCase.
 */

/** TLS settings of a connection to the API server (rest.TLSClientConfig). PEM data is text. */
export interface TLSClientConfig {
  /** Skip verification of the server certificate. Never use outside tests. */
  insecure?: boolean;
  /** Name to verify the server certificate against instead of the host in the URL (also sent as SNI). */
  serverName?: string;
  /** Path to a PEM bundle of trusted root certificates. */
  caFile?: string;
  /** PEM bundle of trusted root certificates; wins over caFile. */
  caData?: string;
  /** Path to a PEM client certificate. */
  certFile?: string;
  /** Path to a PEM client key. */
  keyFile?: string;
  /** PEM client certificate; wins over certFile. */
  certData?: string;
  /** PEM client key; wins over keyFile. */
  keyData?: string;
}

/** Impersonation (rest.ImpersonationConfig): act as another user through the Impersonate-* headers. */
export interface ImpersonationConfig {
  userName?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** How an exec credential plugin may use the terminal (clientcmdapi.ExecInteractiveMode). */
export type ExecInteractiveMode = "Never" | "IfAvailable" | "Always";

/** An environment variable an exec credential plugin runs with (kubeconfig `exec.env`). */
export interface ExecEnvVar {
  name: string;
  value: string;
}

/** An exec credential plugin (clientcmdapi.ExecConfig). */
export interface ExecConfig {
  command: string;
  args?: string[];
  env?: ExecEnvVar[];
  /** client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1. */
  apiVersion: string;
  installHint?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: ExecInteractiveMode;
  /** The cluster's `client.authentication.k8s.io/exec` extension, handed to the plugin as spec.cluster.config. */
  config?: unknown;
}

/** A legacy auth provider (clientcmdapi.AuthProviderConfig), for example `oidc`. */
export interface AuthProviderConfig {
  name: string;
  config: Record<string, string>;
}

/** Called for each `Warning` header the server returns (rest.WarningHandler). */
export type WarningHandler = (code: number, agent: string, text: string) => void;

/** Everything needed to talk to one API server (rest.Config). */
export interface RestConfig {
  /** `https://host:port` (optionally with a path prefix). */
  host: string;
  /** `/api` for the core group, `/apis` for named groups. */
  apiPath?: string;
  /** `v1` or `group/version`; used by the request builder to form URLs. */
  groupVersion?: string;
  tlsClientConfig: TLSClientConfig;
  bearerToken?: string;
  /** A file holding the bearer token; re-read as it rotates and wins over bearerToken. */
  bearerTokenFile?: string;
  username?: string;
  password?: string;
  impersonate?: ImpersonationConfig;
  execProvider?: ExecConfig;
  authProvider?: AuthProviderConfig;
  /** Where an auth provider may persist refreshed tokens (clientcmd's AuthProviderConfigPersister). */
  authConfigPersister?: (config: Record<string, string>) => void | Promise<void>;
  /** Requests per second of the client-side rate limiter; 0 means the default (5), negative disables it. */
  qps?: number;
  /** Burst of the client-side rate limiter; 0 means the default (10). */
  burst?: number;
  /**
   * Per-request timeout in milliseconds, covering connecting, the TLS handshake, the response headers and
   * the whole body (stream() and watch() until the response starts); 0 or absent means none.
   */
  timeout?: number;
  /**
   * The largest response body accepted, in bytes after decompression (default 1 GiB,
   * DEFAULT_MAX_RESPONSE_BYTES). A larger body fails with TransportError code ERR_RESPONSE_TOO_LARGE and
   * its connection is closed.
   */
  maxResponseBytes?: number;
  /**
   * Read-idle timeout of watches and streams in milliseconds: with no byte for this long (while the
   * consumer waits for one) the connection is closed and the watch fails with TransportError code
   * ERR_WATCH_IDLE_TIMEOUT. Default: 90 s (DEFAULT_WATCH_IDLE_TIMEOUT) for watches that ask for bookmarks
   * (informers do, and re-watch without a LIST; the API server sends a bookmark about once a minute when
   * the resource changed, and may send nothing on a quiet resource), none for other watches and streams;
   * 0 disables.
   */
  watchIdleTimeout?: number;
  /**
   * How long an exec credential plugin may run, in milliseconds, before it is killed and the request
   * fails with ConfigError (default 60 s for non-interactive plugins, 10 min for interactive ones).
   */
  execTimeout?: number;
  userAgent?: string;
  /** `http://`, `https://` or `socks5://` proxy for every request. */
  proxyURL?: string;
  disableCompression?: boolean;
  /** The content type of request bodies (default application/json). */
  contentType?: string;
  /** The Accept header (default application/json). */
  acceptContentTypes?: string;
  warningHandler?: WarningHandler;
  /** The cluster, context and user names this config was built from, for messages. */
  source?: { kubeconfig?: string; context?: string; cluster?: string; user?: string; inCluster?: boolean };
}

/** A cluster entry of a kubeconfig (clientcmdapi.Cluster). */
export interface Cluster {
  /** The file this entry was read from. */
  locationOfOrigin?: string;
  server?: string;
  tlsServerName?: string;
  insecureSkipTLSVerify?: boolean;
  certificateAuthority?: string;
  /** PEM text (decoded from the file's base64). */
  certificateAuthorityData?: string;
  proxyURL?: string;
  disableCompression?: boolean;
  extensions?: Record<string, unknown>;
}

/** A user entry of a kubeconfig (clientcmdapi.AuthInfo). */
export interface AuthInfo {
  locationOfOrigin?: string;
  clientCertificate?: string;
  /** PEM text (decoded from the file's base64). */
  clientCertificateData?: string;
  clientKey?: string;
  /** PEM text (decoded from the file's base64). */
  clientKeyData?: string;
  token?: string;
  tokenFile?: string;
  impersonate?: string;
  impersonateUID?: string;
  impersonateGroups?: string[];
  impersonateUserExtra?: Record<string, string[]>;
  username?: string;
  password?: string;
  authProvider?: AuthProviderConfig;
  exec?: ExecConfig;
  extensions?: Record<string, unknown>;
}

/** A context entry of a kubeconfig (clientcmdapi.Context). */
export interface Context {
  locationOfOrigin?: string;
  cluster?: string;
  authInfo?: string;
  namespace?: string;
  extensions?: Record<string, unknown>;
}

/** A kubeconfig in memory (clientcmdapi.Config): entries keyed by name. */
export interface KubeConfig {
  currentContext?: string;
  clusters: Record<string, Cluster>;
  authInfos: Record<string, AuthInfo>;
  contexts: Record<string, Context>;
  preferences?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

/** What a caller may override on top of a kubeconfig (clientcmd.ConfigOverrides). */
export interface ConfigOverrides {
  authInfo?: AuthInfo;
  clusterDefaults?: Cluster;
  clusterInfo?: Cluster;
  context?: Context;
  currentContext?: string;
  timeout?: number;
}
