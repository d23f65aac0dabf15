import { DirectClientConfig } from "./client-config.js";
import { inClusterConfig, inClusterNamespace, isInCluster, type InClusterOptions } from "./in-cluster.js";
import { loadKubeConfig, type LoadingRules } from "./kubeconfig.js";
import type { ConfigOverrides, KubeConfig, RestConfig } from "./types.js";

export interface LoadConfigOptions extends LoadingRules {
  /** Use this context instead of current-context. */
  context?: string;
  overrides?: ConfigOverrides;
  inCluster?: InClusterOptions;
}

/**
 * Kubeconfig first, in-cluster second (clientcmd's DeferredLoadingClientConfig). Loading happens on the
 * first call and is remembered.
 */
export class ClientConfigLoader {
  readonly #options: LoadConfigOptions;
  #direct: DirectClientConfig | undefined;

  constructor(options: LoadConfigOptions = {}) {
    this.#options = options;
  }

  #load(): DirectClientConfig {
    if (!this.#direct) {
      const { config, files } = loadKubeConfig(this.#options);
      this.#direct = new DirectClientConfig(config, {
        files,
        ...(this.#options.context !== undefined ? { context: this.#options.context } : {}),
        ...(this.#options.overrides !== undefined ? { overrides: this.#options.overrides } : {}),
      });
    }
    return this.#direct;
  }

  rawConfig(): KubeConfig {
    return this.#load().rawConfig();
  }

  #useInCluster(direct: DirectClientConfig): boolean {
    return direct.isEmpty() && isInCluster(this.#options.inCluster);
  }

  clientConfig(): RestConfig {
    const direct = this.#load();
    if (this.#useInCluster(direct)) {
      const config = inClusterConfig(this.#options.inCluster);
      const o = this.#options.overrides;
      if (o?.timeout) config.timeout = o.timeout;
      return config;
    }
    return direct.clientConfig();
  }

  namespace(): { namespace: string; overridden: boolean } {
    const direct = this.#load();
    const ns = this.#options.overrides?.context?.namespace;
    if (ns) return { namespace: ns, overridden: true };
    if (this.#useInCluster(direct)) return { namespace: inClusterNamespace(this.#options.inCluster), overridden: false };
    return direct.namespace();
  }
}

/**
 * Loads the client config the way kubectl does: KUBECONFIG (or ~/.kube/config, or an explicit path),
 * else the pod's service account. Throws ConfigError when neither is usable.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<RestConfig> {
  return new ClientConfigLoader(options).clientConfig();
}

/** The namespace loadConfig's context points at (or the pod's namespace in-cluster). */
export async function loadNamespace(options: LoadConfigOptions = {}): Promise<string> {
  return new ClientConfigLoader(options).namespace().namespace;
}

