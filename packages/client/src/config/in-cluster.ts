import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "./errors.js";
import type { RestConfig } from "./types.js";

/** Where Kubernetes mounts the service account of a pod. */
export const SERVICE_ACCOUNT_ROOT = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * Where {@link inClusterConfig} and friends look for the service account and environment (overridable
 * for tests).
 */
export interface InClusterOptions {
  /** The service account mount (default /var/run/secrets/kubernetes.io/serviceaccount); for tests. */
  root?: string;
  /** Environment to read KUBERNETES_SERVICE_HOST/PORT and POD_NAMESPACE from (default process.env). */
  env?: Record<string, string | undefined>;
}

function paths(options: InClusterOptions) {
  const root = options.root ?? SERVICE_ACCOUNT_ROOT;
  return { token: join(root, "token"), ca: join(root, "ca.crt"), namespace: join(root, "namespace") };
}

/** True when the process looks like it runs in a pod: service env vars set and a token mounted. */
export function isInCluster(options: InClusterOptions = {}): boolean {
  const env = options.env ?? process.env;
  return Boolean(env["KUBERNETES_SERVICE_HOST"] && env["KUBERNETES_SERVICE_PORT"] && existsSync(paths(options).token));
}

/**
 * The config of a pod's service account (rest.InClusterConfig). The token is also set as
 * bearerTokenFile, so the transport re-reads it as the kubelet rotates it.
 */
export function inClusterConfig(options: InClusterOptions = {}): RestConfig {
  const env = options.env ?? process.env;
  const host = env["KUBERNETES_SERVICE_HOST"];
  const port = env["KUBERNETES_SERVICE_PORT"];
  if (!host || !port)
    throw new ConfigError("unable to load in-cluster configuration: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined", {
      fix: "run inside a pod, or use a kubeconfig (KUBECONFIG or ~/.kube/config)",
    });
  const p = paths(options);
  let token: string;
  try {
    token = readFileSync(p.token, "utf8").trim();
  } catch (err) {
    throw new ConfigError(`cannot read the service account token (${(err as NodeJS.ErrnoException).code ?? "error"})`, {
      file: p.token,
      fix: "mount a service account token (automountServiceAccountToken: true)",
      cause: err,
    });
  }
  const config: RestConfig = {
    host: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    tlsClientConfig: {},
    bearerToken: token,
    bearerTokenFile: p.token,
    source: { inCluster: true },
  };
  if (existsSync(p.ca)) config.tlsClientConfig.caFile = p.ca;
  return config;
}

/** The pod's namespace: POD_NAMESPACE, else the mounted namespace file, else "default". */
export function inClusterNamespace(options: InClusterOptions = {}): string {
  const env = options.env ?? process.env;
  const fromEnv = env["POD_NAMESPACE"];
  if (fromEnv) return fromEnv;
  try {
    const ns = readFileSync(paths(options).namespace, "utf8").trim();
    if (ns) return ns;
  } catch {
    // fall through to "default"
  }
  return "default";
}
