/** types.PatchType (k8s.io/apimachinery/pkg/types): the Content-Type of a PATCH body. */

export const JSONPatchType = "application/json-patch+json";
export const MergePatchType = "application/merge-patch+json";
export const StrategicMergePatchType = "application/strategic-merge-patch+json";
export const ApplyYAMLPatchType = "application/apply-patch+yaml";
/** Server-side apply; the same as ApplyYAMLPatchType (JSON is valid YAML). */
export const ApplyPatchType = ApplyYAMLPatchType;
export const ApplyCBORPatchType = "application/apply-patch+cbor";

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

export function isPatchType(s: string): s is PatchType {
  return (patchTypes as readonly string[]).includes(s);
}
