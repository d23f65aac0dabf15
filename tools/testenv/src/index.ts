export { startControlPlane } from "./control-plane.js";
export type { ControlPlane, ControlPlaneInfo, ControlPlaneOptions, Contexts } from "./control-plane.js";
export { ensureBinaries, defaultCacheDir, versionDir, stagingModules, kubernetesWrapperGoMod, BINARIES } from "./provision.js";
export type { Binaries, BinaryName, ProvisionOptions } from "./provision.js";
export { readPin, findPinFile } from "./versions.js";
export type { KubernetesPin } from "./versions.js";
export { TestEnvError } from "./errors.js";
export { issueCertificate, serviceAccountKeys } from "./pki.js";
export type { IssueOptions, KeyPair } from "./pki.js";
