/**
 * @kubets/codegen as a library: the generator behind `npm run generate` (built-in types, protobuf
 * codecs, clientset, informers) and behind `kubets-codegen crd` (types, clients and informers for
 * CustomResourceDefinitions). The CLI (`kubets-codegen`) is the usual entry point.
 */
export { generateAll, writeAll, loadInputs, headerFor, type GeneratedFile, type Loaded } from "./generate.js";
export { generateCrdTypes, runCrdCommand, type CrdVersionOutput } from "./crd.js";
export { generateCrdClients, crdGroupVersions, type CrdClientOutput, type CrdClientOptions } from "./crd-client.js";
export type { ApiModel, KindModel, ResourceModel, StructModel, PropertyModel, PackageModel, SubresourceModel, GVK } from "./model.js";
