/**
 * The shapes of the registration data that every generated group-version exports: what a Scheme,
 * a RESTMapper or a typed client needs to know about a kind and its REST resource.
 */
import type { ProtoReader, ProtoWriter } from "@kubets/apimachinery/protobuf";

/** A subresource of a REST resource (`status`, `scale`, `exec`, ...). */
export interface SubresourceInfo {
  readonly name: string;
  /** The kind the subresource reads and writes; may belong to another group (autoscaling/v1 Scale). */
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string } | undefined;
  readonly verbs: readonly string[];
}

/** A REST resource: its plural, kind, scope, verbs and subresources. */
export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  /** The plural, e.g. `deployments`. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly subresources: readonly SubresourceInfo[];
}

/** One kind of a group-version. */
export interface KindRegistration {
  readonly kind: string;
  /** The kind of its list (`PodList` for `Pod`). */
  readonly listKind?: string;
  /** The REST resource that serves it. */
  readonly resource?: string;
  readonly namespaced?: boolean;
  /** True for list kinds. */
  readonly list?: true;
  /** Decodes a protobuf message body into the kind's JSON shape. */
  readonly read?: (r: ProtoReader) => unknown;
  /** Encodes the kind's JSON shape as a protobuf message body. */
  readonly write?: (w: ProtoWriter, value: unknown) => void;
}

/** Everything a Scheme registers for one group-version. */
export interface GroupVersionRegistration {
  readonly group: string;
  readonly version: string;
  readonly kinds: readonly KindRegistration[];
  readonly resources: readonly ResourceInfo[];
}
