/** The Object contract: every API object carries `apiVersion` and `kind`. */
import type { GroupVersionKind } from "../schema/index.js";
import { fromAPIVersionAndKind, toAPIVersionAndKind } from "../schema/index.js";

/** runtime.Object: any API object in its plain JSON shape. */
export interface RuntimeObject {
  apiVersion?: string;
  kind?: string;
}

/** The object's GroupVersionKind from its apiVersion and kind (Go's ObjectKind.GroupVersionKind()). */
export function getObjectKind(obj: RuntimeObject): GroupVersionKind {
  return fromAPIVersionAndKind(obj.apiVersion ?? "", obj.kind ?? "");
}

/**
 * Sets apiVersion and kind from a GVK (Go's SetGroupVersionKind); an empty GVK removes
 * both fields, as Go's omitempty would on the wire.
 */
export function setObjectKind(obj: RuntimeObject, gvk: GroupVersionKind): void {
  const { apiVersion, kind } = toAPIVersionAndKind(gvk);
  if (apiVersion === "") delete obj.apiVersion;
  else obj.apiVersion = apiVersion;
  if (kind === "") delete obj.kind;
  else obj.kind = kind;
}
