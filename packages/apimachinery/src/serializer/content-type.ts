/**
 * Media types spoken by the Kubernetes API (k8s.io/apimachinery/pkg/runtime.ContentType*, pkg/types
 * PatchType) and helpers to build Accept headers and read Content-Type headers.
 */

export const ContentTypeJSON = "application/json";
/** The YAML media type. */
export const ContentTypeYAML = "application/yaml";
/** The Kubernetes protobuf media type (the `k8s\0` envelope). */
export const ContentTypeProtobuf = "application/vnd.kubernetes.protobuf";
/** The CBOR media type (newer API servers accept it; not decoded by this package). */
export const ContentTypeCBOR = "application/cbor";
/**
 * A JSON watch stream as a media type with the stream parameter. Note that kube-apiserver serves
 * JSON watches as plain `application/json` (one event per line); only the protobuf watch carries
 * `;stream=watch` in its Content-Type.
 */
export const ContentTypeJSONWatch = "application/json;stream=watch";
/** The Content-Type of a length-framed protobuf watch stream (as kube-apiserver sends it). */
export const ContentTypeProtobufWatch = "application/vnd.kubernetes.protobuf;stream=watch";

/** Patch content types (k8s.io/apimachinery/pkg/types.PatchType). */
export const PatchType = {
  JSONPatch: "application/json-patch+json",
  MergePatch: "application/merge-patch+json",
  StrategicMergePatch: "application/strategic-merge-patch+json",
  ApplyYAMLPatch: "application/apply-patch+yaml",
  ApplyCBORPatch: "application/apply-patch+cbor",
} as const;
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

/** A parsed media type: lower-cased type/subtype and its parameters (names lower-cased). */
export interface MediaType {
  readonly mediaType: string;
  readonly params: Readonly<Record<string, string>>;
}

/** One entry of an Accept header. */
export interface AcceptEntry {
  readonly mediaType: string;
  /** Parameters such as `{ as: "Table", v: "v1", g: "meta.k8s.io" }` or `{ stream: "watch" }`. */
  readonly params?: Readonly<Record<string, string>>;
  /** Quality 0..1; omitted means 1. */
  readonly q?: number;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function formatParam(name: string, value: string): string {
  return `${name}=${TOKEN.test(value) ? value : `"${value.replace(/(["\\])/g, "\\$1")}"`}`;
}

/** Format one media type with parameters: `application/json;as=Table;v=v1;g=meta.k8s.io`. */
export function formatMediaType(mediaType: string, params: Readonly<Record<string, string>> = {}): string {
  let out = mediaType;
  for (const [k, v] of Object.entries(params)) out += `;${formatParam(k, v)}`;
  return out;
}

/**
 * Build an Accept header from media types in order of preference, e.g.
 * `acceptHeader(ContentTypeProtobuf, ContentTypeJSON)` ->
 * `application/vnd.kubernetes.protobuf, application/json` (client-go's protobuf-first default).
 */
export function acceptHeader(...entries: readonly (string | AcceptEntry)[]): string {
  return entries
    .map((e) => {
      if (typeof e === "string") return e;
      const params: Record<string, string> = { ...e.params };
      if (e.q !== undefined) {
        if (!(e.q >= 0 && e.q <= 1)) throw new RangeError(`Accept quality must be within 0..1, got ${e.q}`);
        params["q"] = String(Math.round(e.q * 1000) / 1000);
      }
      return formatMediaType(e.mediaType, params);
    })
    .join(", ");
}

/** The Accept header for a table response (`kubectl get` style), falling back to JSON. */
export function tableAcceptHeader(): string {
  return acceptHeader(
    { mediaType: ContentTypeJSON, params: { as: "Table", v: "v1", g: "meta.k8s.io" } },
    { mediaType: ContentTypeJSON, params: { as: "Table", v: "v1beta1", g: "meta.k8s.io" } },
    ContentTypeJSON,
  );
}

/** The Accept header for partial object metadata (the metadata client), falling back to JSON. */
export function partialObjectMetadataAcceptHeader(protobuf = false): string {
  const base = protobuf ? ContentTypeProtobuf : ContentTypeJSON;
  return acceptHeader(
    { mediaType: base, params: { as: "PartialObjectMetadata", v: "v1", g: "meta.k8s.io" } },
    { mediaType: base, params: { as: "PartialObjectMetadataList", v: "v1", g: "meta.k8s.io" } },
    base,
  );
}

/**
 * Parse a Content-Type header value (`application/json; charset=utf-8`). Returns undefined for a
 * value that is not `type/subtype`. Parameter values may be quoted.
 */
export function parseMediaType(header: string): MediaType | undefined {
  const parts = splitParams(header);
  const head = parts.shift()?.trim().toLowerCase() ?? "";
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(head)) return undefined;
  const params: Record<string, string> = {};
  for (const p of parts) {
    const eq = p.indexOf("=");
    if (eq <= 0) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(.)/g, "$1");
    }
    if (name !== "" && name !== "__proto__") params[name] = value;
  }
  return { mediaType: head, params };
}

function splitParams(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quoted) {
      cur += c;
      if (c === "\\" && i + 1 < s.length) cur += s[++i];
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      cur += c;
    } else if (c === ";") {
      out.push(cur);
      cur = "";
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

/** Which serializer a response body needs. */
export type SerializerKind = "json" | "yaml" | "protobuf" | "cbor";

/** Pick the serializer for a Content-Type header; undefined when Kubernetes does not speak it. */
export function serializerForContentType(header: string | null | undefined): SerializerKind | undefined {
  if (header === null || header === undefined || header === "") return undefined;
  const mt = parseMediaType(header);
  if (mt === undefined) return undefined;
  switch (mt.mediaType) {
    case ContentTypeJSON:
      return "json";
    case ContentTypeYAML:
      return "yaml";
    case ContentTypeProtobuf:
      return "protobuf";
    case ContentTypeCBOR:
      return "cbor";
    default:
      return undefined;
  }
}

/**
 * True when a Content-Type carries `;stream=watch`. A JSON watch response is plain
 * `application/json`, so decide by the request (a watch) rather than by this alone.
 */
export function isWatchStream(header: string | null | undefined): boolean {
  if (!header) return false;
  return parseMediaType(header)?.params["stream"] === "watch";
}
