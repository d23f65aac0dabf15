import { readFileSync } from "node:fs";
import { ConfigError } from "./errors.js";
import { persistAuthProviderConfig } from "./persist.js";
import type { AuthInfo, Cluster, ConfigOverrides, Context, KubeConfig, RestConfig } from "./types.js";

/** The extension of a cluster entry handed to exec plugins as spec.cluster.config. */
export const EXEC_CLUSTER_EXTENSION = "client.authentication.k8s.io/exec";

/** Options of {@link DirectClientConfig}: which context to use and what to override. */
export interface DirectClientConfigOptions {
  /** Use this context instead of current-context (clientcmd's contextName). */
  context?: string;
  overrides?: ConfigOverrides;
  /** The kubeconfig files the config came from, for messages. */
  files?: string[];
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === "" || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/**
 * One kubeconfig seen through a context and overrides (clientcmd.DirectClientConfig): resolves the context,
 * cluster and user, validates them and builds a RestConfig.
 */
export class DirectClientConfig {
  readonly #config: KubeConfig;
  readonly #contextName: string | undefined;
  readonly #overrides: ConfigOverrides;
  readonly #files: string[];

  constructor(config: KubeConfig, options: DirectClientConfigOptions = {}) {
    this.#config = config;
    this.#contextName = options.context;
    this.#overrides = options.overrides ?? {};
    this.#files = options.files ?? [];
  }

  /** The merged kubeconfig as loaded (clientcmd's RawConfig). */
  rawConfig(): KubeConfig {
    return this.#config;
  }

  #where(): string | undefined {
    return this.#files.length === 0 ? undefined : this.#files.join(", ");
  }

  contextName(): { name: string; required: boolean } {
    if (this.#overrides.currentContext) return { name: this.#overrides.currentContext, required: true };
    if (this.#contextName) return { name: this.#contextName, required: false };
    return { name: this.#config.currentContext ?? "", required: false };
  }

  context(): Context {
    const { name, required } = this.contextName();
    const found = this.#config.contexts[name];
    if (!found && required)
      throw new ConfigError(`context "${name}" does not exist`, {
        file: this.#where(),
        field: "contexts",
        fix: `use one of: ${Object.keys(this.#config.contexts).join(", ") || "(none defined)"}`,
      });
    return { ...definedOnly(found), ...definedOnly(this.#overrides.context) };
  }

  #authInfoName(): { name: string; required: boolean } {
    if (this.#overrides.context?.authInfo) return { name: this.#overrides.context.authInfo, required: true };
    return { name: this.context().authInfo ?? "", required: false };
  }

  #clusterName(): { name: string; required: boolean } {
    if (this.#overrides.context?.cluster) return { name: this.#overrides.context.cluster, required: true };
    return { name: this.context().cluster ?? "", required: false };
  }

  authInfo(): AuthInfo {
    const { name, required } = this.#authInfoName();
    const found = this.#config.authInfos[name];
    if (!found && required)
      throw new ConfigError(`user "${name}" does not exist`, {
        file: this.#where(),
        field: "users",
        fix: `use one of: ${Object.keys(this.#config.authInfos).join(", ") || "(none defined)"}`,
      });
    return { ...definedOnly(found), ...definedOnly(this.#overrides.authInfo) };
  }

  cluster(): Cluster {
    const { name, required } = this.#clusterName();
    const found = this.#config.clusters[name];
    if (!found && required)
      throw new ConfigError(`cluster "${name}" does not exist`, {
        file: this.#where(),
        field: "clusters",
        fix: `use one of: ${Object.keys(this.#config.clusters).join(", ") || "(none defined)"}`,
      });
    const o = this.#overrides.clusterInfo;
    const merged: Cluster = { ...definedOnly(this.#overrides.clusterDefaults), ...definedOnly(found), ...definedOnly(o) };
    // An override of insecure or of a CA replaces whatever TLS trust the kubeconfig had (as clientcmd does).
    if (o && (o.insecureSkipTLSVerify || o.certificateAuthority || o.certificateAuthorityData)) {
      delete merged.insecureSkipTLSVerify;
      delete merged.certificateAuthority;
      delete merged.certificateAuthorityData;
      if (o.insecureSkipTLSVerify) merged.insecureSkipTLSVerify = true;
      if (o.certificateAuthority) merged.certificateAuthority = o.certificateAuthority;
      if (o.certificateAuthorityData) merged.certificateAuthorityData = o.certificateAuthorityData;
    }
    return merged;
  }

  /** True when no server is configured at all (clientcmd's ErrEmptyConfig). */
  isEmpty(): boolean {
    // like clientcmd's IsEmptyConfig: "no server" must be the only problem (a missing context is an error)
    const ctxName = this.#contextName || this.#config.currentContext || "";
    if (ctxName && !this.#config.contexts[ctxName]) return false;
    const { name } = this.contextName();
    if (name && !this.#config.contexts[name] && this.#overrides.currentContext) return false;
    return !this.cluster().server;
  }

  /** Checks the context, user and cluster the way clientcmd's ConfirmUsable does; throws ConfigError. */
  confirmUsable(): void {
    const ctxName = this.#contextName || this.#config.currentContext || "";
    const file = this.#where();
    if (ctxName && !this.#config.contexts[ctxName])
      throw new ConfigError(`context "${ctxName}" was not found`, {
        file,
        field: "current-context",
        fix: `set current-context to one of: ${Object.keys(this.#config.contexts).join(", ") || "(none defined)"}`,
      });
    const userName = this.#authInfoName().name;
    const user = this.authInfo();
    const uf = (f: string) => `users[${userName}].${f}`;
    const userFile = user.locationOfOrigin ?? file;
    const methods: string[] = [];
    if (user.token) methods.push("token");
    if (user.username || user.password) methods.push("basicAuth");
    if (methods.length > 1)
      throw new ConfigError(`more than one authentication method found (${methods.join(", ")}); only one is allowed`, {
        file: userFile,
        field: uf("token"),
        fix: "remove either the token or the username/password",
      });
    if (user.clientCertificate || user.clientCertificateData) {
      if (!user.clientKey && !user.clientKeyData)
        throw new ConfigError("a client certificate is set without a client key", {
          file: userFile,
          field: uf("client-key"),
          fix: "set client-key or client-key-data next to the client certificate",
        });
      for (const [f, p] of [
        ["client-certificate", user.clientCertificateData ? undefined : user.clientCertificate],
        ["client-key", user.clientKeyData ? undefined : user.clientKey],
      ] as const) {
        if (p) readOrFail(p, userFile, uf(f), "point it at a readable PEM file");
      }
    }
    if (user.exec) {
      if (user.authProvider)
        throw new ConfigError("auth-provider cannot be combined with an exec plugin", {
          file: userFile,
          field: uf("auth-provider"),
          fix: "keep only one of auth-provider and exec",
        });
      if (!user.exec.command)
        throw new ConfigError("the exec plugin has no command", { file: userFile, field: uf("exec.command"), fix: "set exec.command" });
      if (!user.exec.apiVersion)
        throw new ConfigError("the exec plugin has no apiVersion", {
          file: userFile,
          field: uf("exec.apiVersion"),
          fix: "set exec.apiVersion to client.authentication.k8s.io/v1",
        });
      if (!user.exec.interactiveMode)
        throw new ConfigError("the exec plugin has no interactiveMode", {
          file: userFile,
          field: uf("exec.interactiveMode"),
          fix: "set exec.interactiveMode to Never, IfAvailable or Always",
        });
      user.exec.env?.forEach((e, i) => {
        if (!e.name)
          throw new ConfigError("an exec env entry has no name", { file: userFile, field: uf(`exec.env[${i}].name`), fix: "name every variable" });
      });
    }
    const clusterName = this.#clusterName().name;
    const cluster = this.cluster();
    const cf = (f: string) => `clusters[${clusterName}].${f}`;
    const clusterFile = cluster.locationOfOrigin ?? file;
    if (!cluster.server) {
      throw new ConfigError(clusterName ? `cluster "${clusterName}" has no server defined` : "no configuration has been provided", {
        file: clusterFile,
        field: clusterName ? cf("server") : undefined,
        fix: clusterName
          ? "set server to the API server URL, e.g. https://host:6443"
          : "set KUBECONFIG or create ~/.kube/config with a current-context, or run inside a pod",
      });
    }
    if (cluster.proxyURL) {
      let ok = false;
      try {
        ok = ["http:", "https:", "socks5:"].includes(new URL(cluster.proxyURL).protocol);
      } catch {
        ok = false;
      }
      if (!ok)
        throw new ConfigError("proxy-url is not a valid http, https or socks5 URL", {
          file: clusterFile,
          field: cf("proxy-url"),
          fix: "use a URL such as http://proxy:3128",
        });
    }
    if (cluster.insecureSkipTLSVerify && (cluster.certificateAuthority || cluster.certificateAuthorityData))
      throw new ConfigError("a root certificate is set together with insecure-skip-tls-verify", {
        file: clusterFile,
        field: cf("insecure-skip-tls-verify"),
        fix: "remove insecure-skip-tls-verify (or the certificate-authority)",
      });
    if (cluster.certificateAuthority && !cluster.certificateAuthorityData)
      readOrFail(cluster.certificateAuthority, clusterFile, cf("certificate-authority"), "point it at a readable PEM file");
  }

  /** The namespace of the context (clientcmd's Namespace): overrides, then the context, then "default". */
  namespace(): { namespace: string; overridden: boolean } {
    if (this.#overrides.context?.namespace) return { namespace: this.#overrides.context.namespace, overridden: true };
    this.confirmUsable();
    return { namespace: this.context().namespace || "default", overridden: false };
  }

  /** Builds the RestConfig (clientcmd's ClientConfig). */
  clientConfig(): RestConfig {
    this.confirmUsable();
    const user = this.authInfo();
    const cluster = this.cluster();
    const userFile = user.locationOfOrigin ?? this.#where();
    let host = cluster.server ?? "";
    try {
      const u = new URL(host);
      if (u.pathname.length > 1) {
        u.search = "";
        u.hash = "";
        host = u.toString();
      }
    } catch {
      // left as written; the transport reports a bad URL when it is used
    }
    const config: RestConfig = { host, tlsClientConfig: {} };
    if (cluster.proxyURL) config.proxyURL = cluster.proxyURL;
    if (cluster.disableCompression) config.disableCompression = true;
    if (this.#overrides.timeout) config.timeout = this.#overrides.timeout;
    if (user.impersonate) {
      config.impersonate = { userName: user.impersonate };
      if (user.impersonateUID) config.impersonate.uid = user.impersonateUID;
      if (user.impersonateGroups) config.impersonate.groups = [...user.impersonateGroups];
      if (user.impersonateUserExtra) config.impersonate.extra = { ...user.impersonateUserExtra };
    }
    const ctx = this.contextName().name;
    config.source = {
      ...(this.#files.length > 0 ? { kubeconfig: this.#files.join(":") } : {}),
      ...(ctx ? { context: ctx } : {}),
      ...(this.#clusterName().name ? { cluster: this.#clusterName().name } : {}),
      ...(this.#authInfoName().name ? { user: this.#authInfoName().name } : {}),
    };
    if (!isTransportTLS(config.host, cluster, user)) return config;

    // user identification
    if (user.token) {
      config.bearerToken = user.token;
      if (user.tokenFile) config.bearerTokenFile = user.tokenFile;
    } else if (user.tokenFile) {
      config.bearerToken = readOrFail(user.tokenFile, userFile, `users[${this.#authInfoName().name}].tokenFile`, "point it at a readable token file").trim();
      config.bearerTokenFile = user.tokenFile;
    }
    const tls = config.tlsClientConfig;
    if (user.clientCertificate || user.clientCertificateData) {
      if (user.clientCertificate) tls.certFile = user.clientCertificate;
      if (user.clientCertificateData) tls.certData = user.clientCertificateData;
      if (user.clientKey) tls.keyFile = user.clientKey;
      if (user.clientKeyData) tls.keyData = user.clientKeyData;
    }
    if (user.username || user.password) {
      if (user.username) config.username = user.username;
      if (user.password) config.password = user.password;
    }
    if (user.authProvider) {
      config.authProvider = { name: user.authProvider.name, config: { ...user.authProvider.config } };
      const origin = user.locationOfOrigin;
      const userName = this.#authInfoName().name;
      if (origin && userName) config.authConfigPersister = (cfg) => persistAuthProviderConfig(origin, userName, cfg);
    }
    if (user.exec) {
      config.execProvider = { ...user.exec };
      const ext = cluster.extensions?.[EXEC_CLUSTER_EXTENSION];
      if (ext !== undefined) config.execProvider.config = ext;
    }
    // server identification
    if (cluster.tlsServerName) tls.serverName = cluster.tlsServerName;
    if (cluster.insecureSkipTLSVerify) tls.insecure = true;
    if (cluster.certificateAuthority) tls.caFile = cluster.certificateAuthority;
    if (cluster.certificateAuthorityData) tls.caData = cluster.certificateAuthorityData;
    return config;
  }
}

function readOrFail(path: string, file: string | undefined, field: string, fix: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new ConfigError(`cannot read ${path} (${code})`, { file, field, fix, cause: err });
  }
}

function isTransportTLS(host: string, cluster: Cluster, user: AuthInfo): boolean {
  if (/^https:\/\//i.test(host)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return false;
  return Boolean(
    cluster.certificateAuthority ||
      cluster.certificateAuthorityData ||
      cluster.insecureSkipTLSVerify ||
      user.clientCertificate ||
      user.clientCertificateData,
  );
}
