/**
 * The dynamic client (client-go dynamic): any resource by GroupVersionResource, objects as Unstructured.
 */
export {
  DynamicClient,
  completeListItems,
  dynamicConfig,
  newDynamicClient,
  newForConfig,
  type CallOptions,
  type DynamicApplyOptions,
  type NamespaceableResourceInterface,
  type PatchData,
  type ResourceInterface,
} from "./client.js";
export { PatchType, type Watch } from "../rest/request.js";
