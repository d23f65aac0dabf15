/**
 * @kubets/api: every built-in Kubernetes API type in its JSON shape, with GVK constants, resource
 * metadata and protobuf codecs. Import one group-version from its subpath (`@kubets/api/core/v1`);
 * this entry point holds the registration data of all of them, for a Scheme.
 */
export { registrations } from "./gen/index.js";
export type { GroupVersionRegistration, KindRegistration, ResourceInfo, SubresourceInfo } from "./registration.js";
