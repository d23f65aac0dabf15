/**
 * util: name validation (util/validation), NamespacedName and PatchType (types),
 * wait.Backoff (util/wait) and resourceVersion comparison (util/resourceversion).
 */
export {
  DNS1035LabelMaxLength,
  DNS1123LabelMaxLength,
  DNS1123SubdomainMaxLength,
  LabelValueMaxLength,
  emptyError,
  inclusiveRangeError,
  isCIdentifier,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isDNS1123SubdomainWithUnderscore,
  isEnvVarName,
  isHTTPHeaderName,
  isInRange,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidGroupID,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  isValidUserID,
  isWildcardDNS1123Subdomain,
  maxLenError,
  regexError,
} from "./validation.js";
export {
  NamespacedNameError,
  NamespacedNameSeparator,
  namespacedName,
  namespacedNameToString,
  parseNamespacedName,
} from "./namespaced-name.js";
export type { NamespacedName } from "./namespaced-name.js";
export {
  ApplyCBORPatchType,
  ApplyPatchType,
  ApplyYAMLPatchType,
  JSONPatchType,
  MergePatchType,
  StrategicMergePatchType,
  isPatchType,
  patchTypes,
} from "./patch-type.js";
export type { PatchType } from "./patch-type.js";
export {
  WaitTimeoutError,
  exponentialBackoff,
  isWaitTimeoutError,
  jitter,
  sleep,
  stepBackoff,
} from "./backoff.js";
export type { AbortSignalLike, Backoff, ExponentialBackoffOptions, RandomSource } from "./backoff.js";
export {
  InvalidResourceVersionError,
  compareResourceVersion,
  isInvalidResourceVersionError,
  isWellFormedResourceVersion,
} from "./resource-version.js";
export {
  interrupted,
  jitterUntil,
  nonSlidingUntil,
  pollUntilContextCancel,
  pollUntilContextTimeout,
  until,
} from "./wait.js";
export type { ConditionWithContextFunc } from "./wait.js";
