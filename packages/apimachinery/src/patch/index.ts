/**
 * Patches computed and applied as Kubernetes does: strategic merge patch
 * (k8s.io/apimachinery/pkg/util/strategicpatch), JSON merge patch (RFC 7386, evanphx/json-patch and
 * util/jsonmergepatch) and JSON patch (RFC 6902, evanphx/json-patch v4).
 */
export { PatchError, isPatchConflict, isPatchError, isPreconditionFailed, type PatchErrorReason } from "./errors.js";
export { unknownPatchSchema, type FieldPatchMeta, type PatchSchema } from "./schema.js";
export type { JSONMap } from "./go-value.js";
export {
  createThreeWayMergePatch,
  createTwoWayMergePatch,
  mergeStrategicMergeMapPatches,
  mergingMapsHaveConflicts,
  requireKeyUnchanged,
  requireMetadataKeyUnchanged,
  strategicMergePatch,
  toJSONMap,
  type PatchLimits,
  type PreconditionFunc,
} from "./strategic.js";
export { createMergePatch, createThreeWayJSONMergePatch, hasConflicts, mergePatch } from "./json-merge.js";
export { applyJSONPatch, decodeJSONPatch, type JSONPatchLimits, type JSONPatchOperation } from "./json-patch.js";
