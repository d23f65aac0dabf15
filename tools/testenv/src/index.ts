export { startControlPlane } from "./control-plane.js";
export type { ControlPlane, ControlPlaneInfo, ControlPlaneOptions, Contexts } from "./control-plane.js";
export {
  ensureBinaries,
  defaultCacheDir,
  versionDir,
  kwokDir,
  stagingModules,
  kubernetesWrapperGoMod,
  kwokWrapperGoMod,
  kustomizationFiles,
  BINARIES,
  NODE_BINARIES,
  KWOK_FILES,
} from "./provision.js";
export type { Binaries, BinaryName, KwokBinaries, ProvisionOptions } from "./provision.js";
export { DEFAULT_CLUSTER_EXEC, KWOK_CRD_KINDS, yamlDocuments } from "./nodes.js";
export { readPin, findPinFile } from "./versions.js";
export type { KubernetesPin } from "./versions.js";
export { TestEnvError } from "./errors.js";
export { issueCertificate, serviceAccountKeys } from "./pki.js";
export type { IssueOptions, KeyPair } from "./pki.js";
