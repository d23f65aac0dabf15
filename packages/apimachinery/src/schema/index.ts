/**
 * Group, version, kind and resource identifiers (k8s.io/apimachinery/pkg/runtime/schema).
 *
 * The identifiers are plain readonly objects; the functions here give them Go's
 * formatting, parsing and comparison semantics.
 */

/** An API group and version, e.g. `{ group: "apps", version: "v1" }`. The core group is `""`. */
export interface GroupVersion {
  readonly group: string;
  readonly version: string;
}

/** A group, version and kind: names one type of object. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** A group, version and resource: names one REST collection. */
export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/** A group and resource without a version. */
export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

/** A group and kind without a version. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** Thrown by {@link parseGroupVersion} for a string with more than one `/`. */
export class InvalidGroupVersionError extends Error {
  override readonly name = "InvalidGroupVersionError" as const;
  /** The string that failed to parse. */
  readonly input: string;
  constructor(input: string) {
    super(`unexpected GroupVersion string: ${input}`);
    this.input = input;
  }
}

// ---- constructors ---------------------------------------------------------

/** A GroupVersion from its group and version ("" is the core group). */
export function groupVersion(group: string, version: string): GroupVersion {
  return { group, version };
}
/** A GroupVersionKind from its group, version and kind ("" is the core group). */
export function groupVersionKind(group: string, version: string, kind: string): GroupVersionKind {
  return { group, version, kind };
}
/** A GroupVersionResource from its group, version and resource ("" is the core group). */
export function groupVersionResource(group: string, version: string, resource: string): GroupVersionResource {
  return { group, version, resource };
}
/** A GroupResource from its group and resource ("" is the core group). */
export function groupResource(group: string, resource: string): GroupResource {
  return { group, resource };
}
/** A GroupKind from its group and kind ("" is the core group). */
export function groupKind(group: string, kind: string): GroupKind {
  return { group, kind };
}

// ---- parsing -------------------------------------------------------------

/**
 * Parses `"v1"` (core group), `"apps/v1"`, `""` or `"/"` (both empty).
 * Throws {@link InvalidGroupVersionError} when the string has more than one `/`.
 */
export function parseGroupVersion(gv: string): GroupVersion {
  if (gv.length === 0 || gv === "/") return { group: "", version: "" };
  const i = gv.indexOf("/");
  if (i === -1) return { group: "", version: gv };
  if (gv.indexOf("/", i + 1) !== -1) throw new InvalidGroupVersionError(gv);
  return { group: gv.slice(0, i), version: gv.slice(i + 1) };
}

/** Like {@link parseGroupVersion} but returns `undefined` instead of throwing. */
export function tryParseGroupVersion(gv: string): GroupVersion | undefined {
  try {
    return parseGroupVersion(gv);
  } catch {
    return undefined;
  }
}

/** `"deployments.apps"` -> `{ group: "apps", resource: "deployments" }`; splits at the first dot. */
export function parseGroupResource(gr: string): GroupResource {
  const i = gr.indexOf(".");
  if (i === -1) return { group: "", resource: gr };
  return { group: gr.slice(i + 1), resource: gr.slice(0, i) };
}

/** `"Deployment.apps"` -> `{ group: "apps", kind: "Deployment" }`; splits at the first dot. */
export function parseGroupKind(gk: string): GroupKind {
  const i = gk.indexOf(".");
  if (i === -1) return { group: "", kind: gk };
  return { group: gk.slice(i + 1), kind: gk.slice(0, i) };
}

function splitThree(arg: string): [string, string, string] | undefined {
  const a = arg.indexOf(".");
  if (a === -1) return undefined;
  const b = arg.indexOf(".", a + 1);
  if (b === -1) return undefined;
  return [arg.slice(0, a), arg.slice(a + 1, b), arg.slice(b + 1)];
}

/**
 * Parses a kubectl-style resource argument. `"deployments.v1.apps"` yields both a fully
 * specified GVR (when the argument has at least two dots) and the GroupResource
 * interpretation `{ group: "v1.apps", resource: "deployments" }`, as Go's ParseResourceArg.
 */
export function parseResourceArg(arg: string): {
  gvr: GroupVersionResource | undefined;
  gr: GroupResource;
} {
  const s = splitThree(arg);
  const gvr = s === undefined ? undefined : { group: s[2], version: s[1], resource: s[0] };
  return { gvr, gr: parseGroupResource(arg) };
}

/** Kind counterpart of {@link parseResourceArg} (Go's ParseKindArg). */
export function parseKindArg(arg: string): { gvk: GroupVersionKind | undefined; gk: GroupKind } {
  const s = splitThree(arg);
  const gvk = s === undefined ? undefined : { group: s[2], version: s[1], kind: s[0] };
  return { gvk, gk: parseGroupKind(arg) };
}

// ---- formatting (Go's String()) -------------------------------------------

/** `"apps/v1"`, or just `"v1"` for the core group. This is also the `apiVersion` field. */
export function groupVersionToString(gv: GroupVersion): string {
  return gv.group.length > 0 ? `${gv.group}/${gv.version}` : gv.version;
}
/** `"apps/v1, Kind=Deployment"`; `"/v1, Kind=Pod"` for the core group (as Go). */
export function groupVersionKindToString(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}, Kind=${gvk.kind}`;
}
/** `"apps/v1, Resource=deployments"`; `"/v1, Resource=pods"` for the core group (as Go). */
export function groupVersionResourceToString(gvr: GroupVersionResource): string {
  return `${gvr.group}/${gvr.version}, Resource=${gvr.resource}`;
}
/** `"deployments.apps"`, or `"pods"` for the core group. */
export function groupResourceToString(gr: GroupResource): string {
  return gr.group.length === 0 ? gr.resource : `${gr.resource}.${gr.group}`;
}
/** `"Deployment.apps"`, or `"Pod"` for the core group. */
export function groupKindToString(gk: GroupKind): string {
  return gk.group.length === 0 ? gk.kind : `${gk.kind}.${gk.group}`;
}
/** Go's GroupVersions.Identifier(): `"[v1,apps/v1]"`. */
export function groupVersionsIdentifier(gvs: readonly GroupVersion[]): string {
  return `[${gvs.map(groupVersionToString).join(",")}]`;
}

// ---- equality and emptiness ------------------------------------------------

/** Whether two GroupVersions have the same group and version. */
export function groupVersionEquals(a: GroupVersion, b: GroupVersion): boolean {
  return a.group === b.group && a.version === b.version;
}
/** Whether two GroupVersionKinds have the same group, version and kind. */
export function groupVersionKindEquals(a: GroupVersionKind, b: GroupVersionKind): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}
/** Whether two GroupVersionResources have the same group, version and resource. */
export function groupVersionResourceEquals(a: GroupVersionResource, b: GroupVersionResource): boolean {
  return a.group === b.group && a.version === b.version && a.resource === b.resource;
}
/** Whether two GroupResources have the same group and resource. */
export function groupResourceEquals(a: GroupResource, b: GroupResource): boolean {
  return a.group === b.group && a.resource === b.resource;
}
/** Whether two GroupKinds have the same group and kind. */
export function groupKindEquals(a: GroupKind, b: GroupKind): boolean {
  return a.group === b.group && a.kind === b.kind;
}

/** Whether every field of the GroupVersion is empty (Go's Empty()). */
export function isEmptyGroupVersion(gv: GroupVersion): boolean {
  return gv.group.length === 0 && gv.version.length === 0;
}
/** Whether every field of the GroupVersionKind is empty (Go's Empty()). */
export function isEmptyGroupVersionKind(gvk: GroupVersionKind): boolean {
  return gvk.group.length === 0 && gvk.version.length === 0 && gvk.kind.length === 0;
}
/** Whether every field of the GroupVersionResource is empty (Go's Empty()). */
export function isEmptyGroupVersionResource(gvr: GroupVersionResource): boolean {
  return gvr.group.length === 0 && gvr.version.length === 0 && gvr.resource.length === 0;
}
/** Whether every field of the GroupResource is empty (Go's Empty()). */
export function isEmptyGroupResource(gr: GroupResource): boolean {
  return gr.group.length === 0 && gr.resource.length === 0;
}
/** Whether every field of the GroupKind is empty (Go's Empty()). */
export function isEmptyGroupKind(gk: GroupKind): boolean {
  return gk.group.length === 0 && gk.kind.length === 0;
}

// ---- conversions ------------------------------------------------------------

/** GroupVersion.WithKind. */
export function withKind(gv: GroupVersion, kind: string): GroupVersionKind {
  return { group: gv.group, version: gv.version, kind };
}
/** GroupVersion.WithResource. */
export function withResource(gv: GroupVersion, resource: string): GroupVersionResource {
  return { group: gv.group, version: gv.version, resource };
}
/** GroupKind.WithVersion. */
export function groupKindWithVersion(gk: GroupKind, version: string): GroupVersionKind {
  return { group: gk.group, version, kind: gk.kind };
}
/** GroupResource.WithVersion. */
export function groupResourceWithVersion(gr: GroupResource, version: string): GroupVersionResource {
  return { group: gr.group, version, resource: gr.resource };
}
/** The GroupVersion part of a GVK or GVR. */
export function groupVersionOf(x: GroupVersion): GroupVersion {
  return { group: x.group, version: x.version };
}
/** GroupVersionKind.GroupKind. */
export function groupKindOf(gvk: GroupVersionKind): GroupKind {
  return { group: gvk.group, kind: gvk.kind };
}
/** GroupVersionResource.GroupResource. */
export function groupResourceOf(gvr: GroupVersionResource): GroupResource {
  return { group: gvr.group, resource: gvr.resource };
}

/** Go's ToAPIVersionAndKind: an empty GVK gives two empty strings. */
export function toAPIVersionAndKind(gvk: GroupVersionKind): { apiVersion: string; kind: string } {
  if (isEmptyGroupVersionKind(gvk)) return { apiVersion: "", kind: "" };
  return { apiVersion: groupVersionToString(gvk), kind: gvk.kind };
}

/** Go's FromAPIVersionAndKind: an unparsable apiVersion gives a GVK with only the kind. */
export function fromAPIVersionAndKind(apiVersion: string, kind: string): GroupVersionKind {
  const gv = tryParseGroupVersion(apiVersion);
  if (gv === undefined) return { group: "", version: "", kind };
  return { group: gv.group, version: gv.version, kind };
}

/**
 * Go's GroupVersion.KindForGroupVersionKinds: an exact group/version match first, then any
 * kind of the same group re-versioned to `gv`.
 */
export function kindForGroupVersionKinds(
  gv: GroupVersion,
  kinds: readonly GroupVersionKind[],
): GroupVersionKind | undefined {
  for (const k of kinds) {
    if (k.group === gv.group && k.version === gv.version) return k;
  }
  for (const k of kinds) {
    if (k.group === gv.group) return withKind(gv, k.kind);
  }
  return undefined;
}

/** Go's GroupVersions.KindForGroupVersionKinds, with its bestMatch tie-break. */
export function kindForGroupVersions(
  gvs: readonly GroupVersion[],
  kinds: readonly GroupVersionKind[],
): GroupVersionKind | undefined {
  const targets: GroupVersionKind[] = [];
  for (const gv of gvs) {
    const t = kindForGroupVersionKinds(gv, kinds);
    if (t !== undefined) targets.push(t);
  }
  if (targets.length === 0) return undefined;
  if (targets.length === 1) return targets[0];
  for (const t of targets) {
    for (const k of kinds) {
      if (groupVersionKindEquals(k, t)) return k;
    }
  }
  return targets[0];
}
