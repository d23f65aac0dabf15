/**
 * runtime (k8s.io/apimachinery/pkg/runtime): the Object contract, the Scheme, Unstructured
 * helpers and conversion to and from unstructured content.
 */
export type { RawExtension } from "../meta/v1/types.js";
export type { RuntimeObject } from "./object.js";
export { getObjectKind, setObjectKind } from "./object.js";
export type { JSONObject, JSONValue } from "./json.js";
export { deepCopyJSON, deepCopyJSONValue } from "./json.js";
export type { AddToScheme, GroupVersionRegistrationLike, KindRegistration, TypeInfo } from "./scheme.js";
export { APIVersionInternal, Scheme, SchemeBuilder } from "./scheme.js";
export {
  MissingKindError,
  MissingVersionError,
  NonJSONValueError,
  NotRegisteredError,
  SchemeRegistrationError,
  UnstructuredFieldError,
  isMissingKind,
  isMissingVersion,
  isNotRegisteredError,
} from "./errors.js";
export type { Unstructured, UnstructuredList } from "./unstructured.js";
export {
  eachListItem,
  fromUnstructured,
  isList,
  nestedBool,
  nestedField,
  nestedFieldCopy,
  nestedFieldNoCopy,
  nestedFloat64,
  nestedInt64,
  nestedMap,
  nestedNullCoercingStringMap,
  nestedNumberAsFloat64,
  nestedSlice,
  nestedString,
  nestedStringMap,
  nestedStringSlice,
  removeNestedField,
  setNestedField,
  setNestedMap,
  setNestedSlice,
  setNestedStringMap,
  setNestedStringSlice,
  toUnstructured,
} from "./unstructured.js";
