/**
 * The typed clientset (client-go kubernetes): `newForConfig(config)` gives `coreV1()`, `appsV1()`, ...
 * for every built-in group-version, each resource client typed with @kubets/api.
 */
export { newForConfig, groupVersions, codecLoaders, type Clientset } from "../gen/kubernetes/index.js";
export type * from "../gen/kubernetes/index.js";
export {
  buildClientset,
  descriptorOf,
  newClientsetFromTable,
  type ClientsetBase,
  type ClientsetOptions,
  type GroupVersionTable,
  type ResourceRow,
} from "./clientset.js";
export { LazyCodecRegistry, registerGroupVersion, type RegistrationLoader } from "./codecs.js";
export { TypedResourceClient, apiVersionOf, typedWatch, withTypeMeta, type ResourceDescriptor } from "./resource-client.js";
export { RestInvoker } from "./rest-invoker.js";
export { podLogLines, podLogStream, splitLines, type LogLineOptions, type PodLogSource } from "./logs.js";
export {
  SUBRESOURCE_METHODS,
  type Action,
  type ActionVerb,
  type ApplyCallOptions,
  type ApplyConfiguration,
  type CallOptions,
  type GroupVersionResource,
  type Invoker,
  type PatchBody,
  type PatchTypeName,
  type PodLogCallOptions,
  type ResourceClient,
  type ResourceClientFor,
  type ScaleMethods,
  type StatusMethods,
  type SubresourceMethods,
  type TypedList,
  type TypedWatch,
  type TypedWatchEvent,
  type VerbMethods,
} from "./types.js";
