/** types.PatchType (k8s.io/apimachinery/pkg/types): the Content-Type of a PATCH body. */

export const JSONPatchType = "application/json-patch+json";
/** A JSON merge patch (RFC 7386). */
export const MergePatchType = "application/merge-patch+json";
/** A strategic merge patch: lists merge by their patch merge keys (built-in types only). */
export const StrategicMergePatchType = "application/strategic-merge-patch+json";
/** Server-side apply with a YAML (or JSON) body. */
export const ApplyYAMLPatchType = "application/apply-patch+yaml";
/** Server-side apply; the same as ApplyYAMLPatchType (JSON is valid YAML). */
export const ApplyPatchType = ApplyYAMLPatchType;
/** Server-side apply with a CBOR body. */
export const ApplyCBORPatchType = "application/apply-patch+cbor";

/** A patch content type the API server accepts (k8s.io/apimachinery types.PatchType). */
export type PatchType =
  | typeof JSONPatchType
  | typeof MergePatchType
  | typeof StrategicMergePatchType
  | typeof ApplyYAMLPatchType
  | typeof ApplyCBORPatchType;

/** Every PatchType, in Go's declaration order. */
export const patchTypes: readonly PatchType[] = [
  JSONPatchType,
  MergePatchType,
  StrategicMergePatchType,
  ApplyYAMLPatchType,
  ApplyCBORPatchType,
];

/** Whether `s` is one of the patch content types. */
export function isPatchType(s: string): s is PatchType {
  return (patchTypes as readonly string[]).includes(s);
}
