/**
 * The patch metadata strategic merge patch walks (client-go strategicpatch.LookupPatchMeta). The
 * built-in types' tables live in `@kubets/api/patch-meta` (`patchMetaFor(apiVersion, kind)`).
 */

/** The patch metadata of one field (strategicpatch.PatchMeta plus the list and map types). */
export interface FieldPatchMeta {
  /** `patchStrategy` split on commas (`["merge"]`, `["merge", "retainKeys"]`, `["replace"]`), or empty. */
  patchStrategies: string[];
  /** `patchMergeKey`, or "". */
  patchMergeKey: string;
  /** `x-kubernetes-list-type`: atomic, set or map (undefined when not stated). */
  listType?: string;
  /** `x-kubernetes-list-map-keys`. */
  listMapKeys?: string[];
  /** `x-kubernetes-map-type`: atomic or granular. */
  mapType?: string;
}

/**
 * A node of the type tree: the lookups throw where Go's fail (a field the struct does not have, a
 * struct lookup on a slice, ...); strategic merge patch turns that into a PatchError.
 */
export interface PatchSchema {
  /** The field `key` of this struct: its schema and patch metadata (LookupPatchMetadataForStruct). */
  lookupPatchMetadataForStruct(key: string): { schema: PatchSchema; meta: FieldPatchMeta };
  /** The element schema of the list field `key` and its patch metadata (LookupPatchMetadataForSlice). */
  lookupPatchMetadataForSlice(key: string): { schema: PatchSchema; meta: FieldPatchMeta };
  /** The Go kind of this node ("struct", "slice", "map", "ptr", "primitive"), for messages. */
  name(): string;
}

const NO_META: FieldPatchMeta = { patchStrategies: [], patchMergeKey: "" };

/**
 * A schema that knows nothing: every lookup succeeds with no metadata, so maps merge and lists are
 * replaced (what a strategic merge patch does to a type it has no struct for).
 */
export const unknownPatchSchema: PatchSchema = {
  lookupPatchMetadataForStruct: () => ({ schema: unknownPatchSchema, meta: NO_META }),
  lookupPatchMetadataForSlice: () => ({ schema: unknownPatchSchema, meta: NO_META }),
  name: () => "unknown",
};
