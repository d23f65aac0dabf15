import { inClusterConfig } from "./in-cluster.js";
import { ClientConfigLoader } from "./load.js";
import type { RestConfig } from "./types.js";

/**
 * clientcmd.BuildConfigFromFlags: a config from a --master URL and/or a --kubeconfig path. With neither, the
 * pod's service account is tried first, then the default loading rules.
 */
export function buildConfigFromFlags(masterURL: string, kubeconfigPath: string): RestConfig {
  if (!masterURL && !kubeconfigPath) {
    try {
      return inClusterConfig();
    } catch {
      // fall back to the default loading rules, as client-go does
    }
  }
  return new ClientConfigLoader({
    ...(kubeconfigPath ? { explicitPath: kubeconfigPath } : {}),
    ...(masterURL ? { overrides: { clusterInfo: { server: masterURL } } } : {}),
  }).clientConfig();
}

/** rest.AnonymousClientConfig: the config without any credentials (only the fields known to be safe). */
export function anonymousClientConfig(config: RestConfig): RestConfig {
  const t = config.tlsClientConfig;
  const out: RestConfig = { host: config.host, tlsClientConfig: {} };
  if (config.apiPath !== undefined) out.apiPath = config.apiPath;
  if (config.groupVersion !== undefined) out.groupVersion = config.groupVersion;
  if (config.contentType !== undefined) out.contentType = config.contentType;
  if (config.acceptContentTypes !== undefined) out.acceptContentTypes = config.acceptContentTypes;
  if (t.insecure !== undefined) out.tlsClientConfig.insecure = t.insecure;
  if (t.serverName !== undefined) out.tlsClientConfig.serverName = t.serverName;
  if (t.caFile !== undefined) out.tlsClientConfig.caFile = t.caFile;
  if (t.caData !== undefined) out.tlsClientConfig.caData = t.caData;
  if (config.warningHandler !== undefined) out.warningHandler = config.warningHandler;
  if (config.userAgent !== undefined) out.userAgent = config.userAgent;
  if (config.disableCompression !== undefined) out.disableCompression = config.disableCompression;
  if (config.qps !== undefined) out.qps = config.qps;
  if (config.burst !== undefined) out.burst = config.burst;
  if (config.timeout !== undefined) out.timeout = config.timeout;
  if (config.proxyURL !== undefined) out.proxyURL = config.proxyURL;
  return out;
}
