/**
 * The Kubernetes protobuf envelope (k8s.io/apimachinery/pkg/runtime/serializer/protobuf): every
 * object is the 4 magic bytes `k8s\0` followed by a `runtime.Unknown` message
 *
 *   message Unknown { TypeMeta typeMeta = 1; bytes raw = 2; string contentEncoding = 3; string contentType = 4; }
 *   message TypeMeta { string apiVersion = 1; string kind = 2; }
 *
 * whose `raw` holds the object's own protobuf message. The codec for `raw` is found by apiVersion
 * and kind in a {@link ProtobufCodecRegistry} (filled by the generated code and the Scheme).
 */
import { ProtoReader, ProtoWriter } from "../protobuf/index.js";
import { DecodeError } from "./decode-error.js";

/** `k8s\0`: the prefix of every protobuf-encoded Kubernetes object. */
export const PROTOBUF_MAGIC: Readonly<Uint8Array> = new Uint8Array([0x6b, 0x38, 0x73, 0x00]);

/** A decoded `runtime.Unknown`: the object's type and its still-encoded bytes. */
export interface ProtobufEnvelope {
  readonly apiVersion: string;
  readonly kind: string;
  /** The object's protobuf message (a view into the input when decoded; not copied). */
  readonly raw: Uint8Array;
  /** Empty for every object the API server sends. */
  readonly contentEncoding: string;
  /** Empty for every object the API server sends (meaning protobuf). */
  readonly contentType: string;
}

/** True when `data` starts with the `k8s\0` magic. */
export function hasProtobufMagic(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x6b && data[1] === 0x38 && data[2] === 0x73 && data[3] === 0x00;
}

/**
 * Decode `k8s\0` + `runtime.Unknown`. Errors are DecodeError: empty input, a missing or wrong
 * magic, an empty body, or a malformed message (with its byte offset in `data`).
 */
export function decodeEnvelope(data: Uint8Array): ProtobufEnvelope {
  if (data.length === 0) throw new DecodeError("protobuf: empty data");
  if (!hasProtobufMagic(data)) {
    throw new DecodeError("protobuf: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]", { offset: 0 });
  }
  if (data.length === 4) throw new DecodeError("protobuf: empty body", { offset: 4 });
  return decodeUnknown(data, 4, data.length);
}

/** Decode a bare `runtime.Unknown` message in `data[start, end)` (no magic). */
export function decodeUnknown(data: Uint8Array, start = 0, end = data.length): ProtobufEnvelope {
  const r = new ProtoReader(data, start, end);
  let apiVersion = "";
  let kind = "";
  let raw: Uint8Array = data.subarray(0, 0);
  let contentEncoding = "";
  let contentType = "";
  while (!r.eof()) {
    const t = r.tag();
    const field = t >>> 3;
    const wt = t & 7;
    if (wt === 2 && field === 1) {
      const tm = r.sub();
      while (!tm.eof()) {
        const t2 = tm.tag();
        if (t2 === 0x0a) apiVersion = tm.string();
        else if (t2 === 0x12) kind = tm.string();
        else tm.skip(t2 & 7);
      }
    } else if (wt === 2 && field === 2) {
      raw = r.bytes();
    } else if (wt === 2 && field === 3) {
      contentEncoding = r.string();
    } else if (wt === 2 && field === 4) {
      contentType = r.string();
    } else {
      r.skip(wt);
    }
  }
  return { apiVersion, kind, raw, contentEncoding, contentType };
}

/** Fields for {@link encodeEnvelope}; the content fields default to "". */
export interface ProtobufEnvelopeInit {
  readonly apiVersion: string;
  readonly kind: string;
  readonly raw: Uint8Array;
  readonly contentEncoding?: string;
  readonly contentType?: string;
}

/** Write `runtime.Unknown` (no magic) in the field order and presence Go's serializer writes. */
export function writeUnknown(w: ProtoWriter, env: ProtobufEnvelopeInit): ProtoWriter {
  w.tag(1, 2).fork().tag(1, 2).string(env.apiVersion).tag(2, 2).string(env.kind).ldelim();
  w.tag(2, 2).bytes(env.raw);
  w.tag(3, 2).string(env.contentEncoding ?? "");
  w.tag(4, 2).string(env.contentType ?? "");
  return w;
}

/**
 * Encode `k8s\0` + `runtime.Unknown`, byte-identical to Go's protobuf serializer: typeMeta
 * (apiVersion, kind), raw, contentEncoding and contentType, each always present.
 */
export function encodeEnvelope(env: ProtobufEnvelopeInit): Uint8Array {
  const w = new ProtoWriter(env.raw.length + env.apiVersion.length + env.kind.length + 32);
  w.raw(PROTOBUF_MAGIC as Uint8Array);
  return writeUnknown(w, env).finish();
}

// ---------------------------------------------------------------------------------------------
// Codecs for `raw`.

/** Encodes and decodes one Kubernetes type's protobuf message (its `raw` bytes, no envelope). */
export interface ProtobufCodec<T = unknown> {
  /** Decode the message to the object's JSON shape (without apiVersion/kind; the envelope has them). Errors are DecodeError. */
  decode(raw: Uint8Array): T;
  /** Encode the object (its JSON shape) to the message. */
  encode(obj: T): Uint8Array;
}

/**
 * Where the protobuf serializer finds the codec for a type. Keys are `apiVersion` (`v1`,
 * `apps/v1`) and `kind` (`Pod`): the two fields of the envelope's TypeMeta. Generated code
 * registers one codec per kind; the Scheme can implement this interface directly.
 */
export interface ProtobufCodecRegistry {
  lookup(apiVersion: string, kind: string): ProtobufCodec | undefined;
}

/** The key a {@link MapProtobufCodecRegistry} uses: `apps/v1, Kind=Deployment` (Go's GVK spelling). */
export function protobufCodecKey(apiVersion: string, kind: string): string {
  return `${apiVersion}, Kind=${kind}`;
}

/** A simple Map-backed registry. */
export class MapProtobufCodecRegistry implements ProtobufCodecRegistry {
  private readonly codecs = new Map<string, ProtobufCodec>();

  /** Register (or replace) the codec for apiVersion + kind. Returns this for chaining. */
  register<T>(apiVersion: string, kind: string, codec: ProtobufCodec<T>): this {
    this.codecs.set(protobufCodecKey(apiVersion, kind), codec as ProtobufCodec);
    this.last = undefined;
    return this;
  }

  // The last lookup: a watch or list decodes one type over and over, and the key is a new string each time.
  private lastApiVersion = "";
  private lastKind = "";
  private last: ProtobufCodec | undefined;

  lookup(apiVersion: string, kind: string): ProtobufCodec | undefined {
    if (apiVersion === this.lastApiVersion && kind === this.lastKind && this.last !== undefined) return this.last;
    const c = this.codecs.get(protobufCodecKey(apiVersion, kind));
    if (c !== undefined) {
      this.lastApiVersion = apiVersion;
      this.lastKind = kind;
      this.last = c;
    }
    return c;
  }

  /** The registered keys, for diagnostics. */
  keys(): string[] {
    return [...this.codecs.keys()];
  }
}

/**
 * The protobuf serializer: envelope plus a registry of codecs. Decoding gives the object's JSON
 * shape with `apiVersion` and `kind` taken from the envelope; encoding reads them from the object.
 */
export class ProtobufSerializer {
  constructor(readonly registry: ProtobufCodecRegistry) {}

  /** Decode `k8s\0` + Unknown and then `raw` with the codec for its type. */
  decode<T = unknown>(data: Uint8Array): T {
    return this.decodeEnvelope<T>(decodeEnvelope(data));
  }

  /** Decode the `raw` of an already-decoded envelope. */
  decodeEnvelope<T = unknown>(env: ProtobufEnvelope): T {
    if (env.kind === "") throw new DecodeError("protobuf: Object 'Kind' is missing in the envelope");
    if (env.contentEncoding !== "") {
      throw new DecodeError(`protobuf: unsupported contentEncoding ${JSON.stringify(env.contentEncoding)} for ${protobufCodecKey(env.apiVersion, env.kind)}`);
    }
    const codec = this.registry.lookup(env.apiVersion, env.kind);
    if (codec === undefined) {
      throw new DecodeError(`protobuf: no codec registered for ${protobufCodecKey(env.apiVersion, env.kind)}; register the generated codecs or request JSON`);
    }
    const obj = codec.decode(env.raw);
    if (obj !== null && typeof obj === "object" && !Array.isArray(obj)) {
      const o = obj as Record<string, unknown>;
      if (o["apiVersion"] === env.apiVersion && o["kind"] === env.kind) return obj as T;
      // Put apiVersion and kind first, as the API server's JSON has them.
      return { apiVersion: env.apiVersion, kind: env.kind, ...o } as T;
    }
    return obj as T;
  }

  /** Encode an object that carries `apiVersion` and `kind`. */
  encode(obj: { readonly apiVersion?: string; readonly kind?: string }): Uint8Array {
    const apiVersion = obj.apiVersion ?? "";
    const kind = obj.kind ?? "";
    if (kind === "" || apiVersion === "") {
      throw new TypeError("protobuf: the object needs apiVersion and kind to be encoded");
    }
    const codec = this.registry.lookup(apiVersion, kind);
    if (codec === undefined) throw new TypeError(`protobuf: no codec registered for ${protobufCodecKey(apiVersion, kind)}`);
    return encodeEnvelope({ apiVersion, kind, raw: codec.encode(obj) });
  }
}
