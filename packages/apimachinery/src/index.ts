/**
 * @kubets/apimachinery: k8s.io/apimachinery for TypeScript. Each area is also published as a
 * subpath export (e.g. `@kubets/apimachinery/labels`); here they are grouped as namespaces.
 */
export * as schema from "./schema/index.js";
export * as metav1 from "./meta/v1/index.js";
export * as runtime from "./runtime/index.js";
export * as errors from "./errors/index.js";
export * as protobuf from "./protobuf/index.js";
