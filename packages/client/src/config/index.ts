export { ConfigError, isConfigError } from "./errors.js";
export type {
  AuthInfo,
  AuthProviderConfig,
  Cluster,
  ConfigOverrides,
  Context,
  ExecConfig,
  ExecEnvVar,
  ExecInteractiveMode,
  ImpersonationConfig,
  KubeConfig,
  RestConfig,
  TLSClientConfig,
  WarningHandler,
} from "./types.js";
export {
  RECOMMENDED_CONFIG_PATH_ENV_VAR,
  kubeConfigPrecedence,
  loadKubeConfig,
  loadKubeConfigFile,
  mergeKubeConfigs,
  newKubeConfig,
  parseKubeConfig,
  recommendedHomeFile,
  resolveLocalPaths,
  type LoadedKubeConfig,
  type LoadingRules,
} from "./kubeconfig.js";
export { DirectClientConfig, EXEC_CLUSTER_EXTENSION, type DirectClientConfigOptions } from "./client-config.js";
export { SERVICE_ACCOUNT_ROOT, inClusterConfig, inClusterNamespace, isInCluster, type InClusterOptions } from "./in-cluster.js";
export { persistAuthProviderConfig } from "./persist.js";
export {
  addCluster,
  addContext,
  addUser,
  defaultKubeConfigFilename,
  exportConfig,
  modifyConfig,
  readKubeConfigForWrite,
  serializeKubeConfig,
  setCurrentContext,
  toV1Config,
  writeToFile,
} from "./write.js";
export { ClientConfigLoader, loadConfig, loadNamespace, type LoadConfigOptions } from "./load.js";
export { anonymousClientConfig, buildConfigFromFlags } from "./helpers.js";
