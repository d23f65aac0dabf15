/**
 * @kubets/apimachinery: k8s.io/apimachinery for TypeScript. Each area is also published as a
 * subpath export (e.g. `@kubets/apimachinery/labels`); here they are grouped as namespaces
 * named after the Go packages.
 */
export * as schema from "./schema/index.js";
export * as metav1 from "./meta/v1/index.js";
export * as meta from "./meta/index.js";
export * as equality from "./equality/index.js";
export * as wait from "./wait/index.js";
export * as runtime from "./runtime/index.js";
export * as labels from "./labels/index.js";
export * as fields from "./fields/index.js";
export * as errors from "./errors/index.js";
export * as resource from "./resource/index.js";
export * as intstr from "./intstr/index.js";
export * as util from "./util/index.js";
export * as serializer from "./serializer/index.js";
export * as protobuf from "./protobuf/index.js";
export * as watch from "./watch/index.js";
export * as log from "./log/index.js";

// The names a client-go user reaches for most, also at the top level.
export type { GroupVersion, GroupVersionKind, GroupVersionResource, GroupKind, GroupResource } from "./schema/index.js";
export type { ObjectMeta, ListMeta, Status, OwnerReference, LabelSelector, ListOptions } from "./meta/v1/index.js";
export { StatusError, isNotFound, isAlreadyExists, isConflict } from "./errors/index.js";
