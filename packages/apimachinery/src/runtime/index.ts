/**
 * runtime (k8s.io/apimachinery/pkg/runtime): the Object contract, the Scheme, Unstructured
 * helpers and conversion to and from unstructured content.
 */
export type { RawExtension } from "../meta/v1/types.js";
