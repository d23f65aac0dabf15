/**
 * The metadata client (client-go metadata): any resource as PartialObjectMetadata.
 */
export {
  ACCEPT_PARTIAL_OBJECT_METADATA,
  ACCEPT_PARTIAL_OBJECT_METADATA_LIST,
  MetadataClient,
  metadataConfig,
  newForConfig,
  toPartialObjectMetadata,
  toPartialObjectMetadataList,
  type MetadataNamespaceableResourceInterface,
  type MetadataResourceInterface,
} from "./client.js";
export { PatchType } from "../rest/request.js";
