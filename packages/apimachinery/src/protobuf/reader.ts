import { DecodeError } from "../serializer/decode-error.js";

/** Protobuf wire types. Kubernetes uses varint (0), fixed64 (1), length-delimited (2) and fixed32 (5). */
export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

const TWO_32 = 4294967296;

/** The part of the WHATWG TextDecoder used here (declared locally: the package compiles without DOM or Node typings). */
interface Utf8Decoder {
  decode(input: Uint8Array): string;
}
type Utf8DecoderCtor = new (label: string, options: { fatal: boolean; ignoreBOM: boolean }) => Utf8Decoder;
let utf8Decoder: Utf8Decoder | undefined;

/**
 * A bounds-checked reader of protobuf wire data over `buf[pos, end)`.
 *
 * Every read checks against `end` and throws {@link DecodeError} on truncated or corrupt input; no
 * read allocates from a length it has not checked against the bytes that remain. `bytes()`
 * returns a view into `buf` (no copy). Uses only ECMAScript APIs, so it runs in browsers too.
 */
/** Node's Buffer, when present: its utf8Slice makes a string without a view object per call. */
interface NodeBufferLike {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}
const NodeBuffer = (globalThis as unknown as { Buffer?: { from(b: ArrayBufferLike, off: number, len: number): NodeBufferLike } }).Buffer;
const hasUtf8Slice =
  NodeBuffer !== undefined && typeof (NodeBuffer as unknown as { prototype?: { utf8Slice?: unknown } }).prototype?.utf8Slice === "function";
const NodeBufferFrom = hasUtf8Slice ? (NodeBuffer as unknown as { from(s: string, enc: "latin1"): Uint8Array }).from.bind(NodeBuffer) : undefined;

/**
 * The last Node Buffer made over a whole ArrayBuffer (see {@link nodeView}) and that ArrayBuffer;
 * only for ArrayBuffers up to {@link VIEW_CACHE_MAX} bytes, so that a big list body is not kept in
 * memory because it was the last one read.
 */
let lastViewBuffer: ArrayBufferLike | undefined;
let lastView: NodeBufferLike | undefined;
const VIEW_CACHE_MAX = 1 << 20;

/**
 * A Node Buffer over all of `buf`'s ArrayBuffer, shared by every reader over it (a watch chunk holds
 * many events, each decoded by several readers): a Buffer view per reader cost more than the strings
 * it was made for. Offsets into it are `buf.byteOffset` + the reader's.
 */
function nodeView(buf: Uint8Array): NodeBufferLike {
  const ab = buf.buffer;
  if (ab === lastViewBuffer) return lastView!;
  const nb = NodeBuffer!.from(ab, 0, ab.byteLength);
  if (ab.byteLength <= VIEW_CACHE_MAX) {
    lastViewBuffer = ab;
    lastView = nb;
  }
  return nb;
}

/** The bytes of a string made by {@link ProtoReader.latin1} (one byte per character). */
export function bytesOfLatin1(s: string): Uint8Array {
  if (NodeBufferFrom !== undefined) return NodeBufferFrom(s, "latin1");
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export class ProtoReader {
  buf: Uint8Array;
  pos: number;
  end: number;
  /** The Node Buffer over `buf`'s ArrayBuffer, made on the first string read (Node only). */
  private nb: NodeBufferLike | undefined = undefined;

  constructor(buf: Uint8Array, pos = 0, end: number = buf.length) {
    if (pos < 0 || end > buf.length || pos > end) {
      throw new DecodeError(`protobuf: invalid range [${pos}, ${end}) over ${buf.length} bytes`);
    }
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  /** Decodes `buf[start, end)` as UTF-8 (invalid sequences become U+FFFD). */
  utf8(start: number, end: number): string {
    const buf = this.buf;
    if (!hasUtf8Slice) return decodeUtf8(buf, start, end);
    const off = buf.byteOffset;
    return (this.nb ??= nodeView(buf)).utf8Slice(off + start, off + end);
  }

  /**
   * The bytes `buf[start, end)` as a string of one character per byte (a compact copy that keeps no
   * reference to the buffer); {@link bytesOfLatin1} turns it back.
   */
  latin1(start: number, end: number): string {
    const buf = this.buf;
    if (hasUtf8Slice) {
      const off = buf.byteOffset;
      return (this.nb ??= nodeView(buf)).latin1Slice(off + start, off + end);
    }
    let s = "";
    for (let i = start; i < end; i += 4096) s += String.fromCharCode(...buf.subarray(i, Math.min(end, i + 4096)));
    return s;
  }

  /** True when every byte up to `end` has been read. */
  eof(): boolean {
    return this.pos >= this.end;
  }

  /**
   * Reads a field key: `(fieldNumber << 3) | wireType`. Field number 0 and keys that do not fit in
   * 32 bits (field numbers above 2^29 - 1) are rejected.
   */
  tag(): number {
    const pos = this.pos;
    let t: number;
    if (pos < this.end && this.buf[pos]! < 0x80) {
      this.pos = pos + 1;
      t = this.buf[pos]!;
    } else t = this.varint32Checked("field key");
    if (t >>> 3 === 0) throw this.err("protobuf: invalid field number 0");
    return t;
  }

  /**
   * A varint truncated to its low 32 bits, unsigned: what int32, uint32 and enum fields do with
   * wider values, as Go's generated Unmarshal (and every protobuf runtime) does. Varints longer than
   * 10 bytes are rejected. Lengths and field keys use {@link length} and {@link tag}, which reject
   * values that do not fit instead.
   */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    const end = this.end;
    if (pos >= end) throw this.truncated();
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let v = b & 0x7f;
    if (pos >= end) throw this.truncated();
    b = buf[pos++]!;
    v |= (b & 0x7f) << 7;
    if (b < 0x80) {
      this.pos = pos;
      return v;
    }
    if (pos >= end) throw this.truncated();
    b = buf[pos++]!;
    v |= (b & 0x7f) << 14;
    if (b < 0x80) {
      this.pos = pos;
      return v;
    }
    if (pos >= end) throw this.truncated();
    b = buf[pos++]!;
    v |= (b & 0x7f) << 21;
    if (b < 0x80) {
      this.pos = pos;
      return v;
    }
    if (pos >= end) throw this.truncated();
    b = buf[pos++]!;
    v = (v | ((b & 0x0f) << 28)) >>> 0;
    if (b < 0x80) {
      this.pos = pos;
      return v;
    }
    // Bytes 6 to 10 carry bits above 32: skip them, but they must end the varint.
    for (let i = 0; i < 5; i++) {
      if (pos >= end) throw this.truncated();
      if (buf[pos++]! < 0x80) {
        this.pos = pos;
        return v;
      }
    }
    this.pos = pos;
    throw this.err("protobuf: varint longer than 10 bytes");
  }

  /** A varint as a signed 32-bit integer (negative values are sign-extended to 10 bytes on the wire). */
  int32(): number {
    return this.uint32() | 0;
  }

  /**
   * A varint as a signed 64-bit integer: a number when it is a safe integer (|v| <= 2^53 - 1), else
   * a bigint, so every int64 is exact.
   */
  int64(): number | bigint {
    const buf = this.buf;
    const pos = this.pos;
    if (pos < this.end) {
      const b = buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.varint64(true);
  }

  /** A varint as an unsigned 64-bit integer: a number when it is a safe integer, else a bigint. */
  uint64(): number | bigint {
    const buf = this.buf;
    const pos = this.pos;
    if (pos < this.end) {
      const b = buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.varint64(false);
  }

  /** A zigzag-encoded signed 32-bit varint. */
  sint32(): number {
    const v = this.uint32();
    return (v >>> 1) ^ -(v & 1);
  }

  /** A zigzag-encoded signed 64-bit varint: a number when it is a safe integer, else a bigint. */
  sint64(): number | bigint {
    const v = this.uint64();
    if (typeof v === "number") return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    return safe((v >> 1n) ^ -(v & 1n));
  }

  private varint64(signed: boolean): number | bigint {
    const buf = this.buf;
    let pos = this.pos;
    const end = this.end;
    let lo = 0;
    let hi = 0;
    let b: number;
    // Bits 0..27 in four bytes.
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw this.truncated();
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return lo >>> 0;
      }
    }
    // Bits 28..34 straddle the two halves.
    if (pos >= end) throw this.truncated();
    b = buf[pos++]!;
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      let done = false;
      // Bytes 6 to 10; bits beyond 64 in the tenth byte are dropped, as Go drops them.
      for (let shift = 3; shift < 32; shift += 7) {
        if (pos >= end) throw this.truncated();
        b = buf[pos++]!;
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) {
          done = true;
          break;
        }
      }
      if (!done) {
        this.pos = pos;
        throw this.err("protobuf: varint longer than 10 bytes");
      }
    }
    this.pos = pos;
    lo >>>= 0;
    hi >>>= 0;
    if (signed && hi & 0x80000000) {
      // Two's complement negative: -(~value + 1), exact while the magnitude stays below 2^53.
      const nlo = ~lo >>> 0;
      const nhi = ~hi >>> 0;
      if (nhi < 0x200000 && !(nhi === 0x1fffff && nlo === 0xffffffff)) return -(nhi * TWO_32 + nlo + 1);
      return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
    }
    if (hi < 0x200000) return hi * TWO_32 + lo;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /**
   * Reads a varint that must fit in 32 bits unsigned (a length or a field key): a longer value is a
   * DecodeError, never truncated to its low bits.
   */
  private varint32Checked(what: string): number {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    const end = this.end;
    let v = 0;
    let b = 0x80;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw this.truncated();
      b = buf[pos++]!;
      v |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return v >>> 0;
      }
    }
    if (pos >= end) throw this.truncated();
    b = buf[pos++]!;
    v = (v | ((b & 0x0f) << 28)) >>> 0;
    let over = (b & 0x70) !== 0;
    for (let n = 5; b >= 0x80; n++) {
      if (n >= 10) {
        this.pos = pos;
        throw this.err("protobuf: varint longer than 10 bytes");
      }
      if (pos >= end) throw this.truncated();
      b = buf[pos++]!;
      if ((b & 0x7f) !== 0) over = true;
    }
    if (over) {
      const value = varintValue(buf, start, pos);
      this.pos = start;
      throw this.err(`protobuf: ${what} ${value} does not fit in 32 bits`);
    }
    this.pos = pos;
    return v;
  }

  bool(): boolean {
    // A bool is a varint; anything non-zero is true.
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b !== 0;
      }
    }
    const v = this.varint64(false);
    return v !== 0 && v !== 0n;
  }

  /** Little-endian unsigned 32 bits. */
  fixed32(): number {
    const pos = this.pos;
    if (this.end - pos < 4) throw this.truncated();
    const buf = this.buf;
    this.pos = pos + 4;
    return (buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16)) + buf[pos + 3]! * 0x1000000;
  }

  /** Little-endian unsigned 64 bits: a number when it is a safe integer, else a bigint. */
  fixed64(): number | bigint {
    const lo = this.fixed32();
    const hi = this.fixed32();
    if (hi < 0x200000) return hi * TWO_32 + lo;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  double(): number {
    const pos = this.pos;
    if (this.end - pos < 8) throw this.truncated();
    this.pos = pos + 8;
    return new DataView(this.buf.buffer, this.buf.byteOffset + pos, 8).getFloat64(0, true);
  }

  float(): number {
    const pos = this.pos;
    if (this.end - pos < 4) throw this.truncated();
    this.pos = pos + 4;
    return new DataView(this.buf.buffer, this.buf.byteOffset + pos, 4).getFloat32(0, true);
  }

  /**
   * Reads a length prefix and checks that many bytes remain; returns the length. A length that does
   * not fit in 32 bits, or exceeds the bytes left in the enclosing message, is a DecodeError (as Go's
   * generated Unmarshal rejects it), never truncated.
   */
  length(): number {
    const pos = this.pos;
    let n: number;
    if (pos < this.end && this.buf[pos]! < 0x80) {
      this.pos = pos + 1;
      n = this.buf[pos]!;
    } else n = this.varint32Checked("length");
    if (n > this.end - this.pos) throw this.err(`protobuf: length ${n} exceeds the ${this.end - this.pos} bytes left`);
    return n;
  }

  /** A length-delimited UTF-8 string. Invalid UTF-8 becomes U+FFFD, as Go's JSON encoder writes it. */
  string(): string {
    const n = this.length();
    const start = this.pos;
    const end = start + n;
    this.pos = end;
    if (n === 0) return "";
    // One call per string: building short strings char by char leaves garbage per character.
    return this.utf8(start, end);
  }

  /** A length-delimited byte string as a view into the buffer (no copy). */
  bytes(): Uint8Array {
    const n = this.length();
    const start = this.pos;
    this.pos = start + n;
    return this.buf.subarray(start, start + n);
  }

  /** Skips one field's value of the given wire type. Groups are skipped with their nested fields. */
  skip(wireType: number): void {
    switch (wireType) {
      case 0: {
        const buf = this.buf;
        const end = this.end;
        let pos = this.pos;
        for (let i = 0; ; i++) {
          if (i >= 10) {
            this.pos = pos;
            throw this.err("protobuf: varint longer than 10 bytes");
          }
          if (pos >= end) throw this.truncated();
          if (buf[pos++]! < 0x80) break;
        }
        this.pos = pos;
        return;
      }
      case 1:
        if (this.end - this.pos < 8) throw this.truncated();
        this.pos += 8;
        return;
      case 2: {
        const n = this.length();
        this.pos += n;
        return;
      }
      case 3: {
        for (;;) {
          const t = this.tag();
          const wt = t & 7;
          if (wt === 4) return;
          this.skip(wt);
        }
      }
      case 5:
        if (this.end - this.pos < 4) throw this.truncated();
        this.pos += 4;
        return;
      default:
        throw this.err(`protobuf: invalid wire type ${wireType}`);
    }
  }

  /** Reads a length prefix and returns a reader over exactly that many bytes; advances past them. */
  sub(): ProtoReader {
    const n = this.length();
    const start = this.pos;
    this.pos = start + n;
    return new ProtoReader(this.buf, start, start + n);
  }

  /** A DecodeError at the current offset. */
  err(message: string, path?: string): DecodeError {
    return new DecodeError(message, path !== undefined ? { offset: this.pos, path } : { offset: this.pos });
  }

  private truncated(): DecodeError {
    return this.err("protobuf: unexpected end of input");
  }
}

/** A number when `v` is a safe integer, else `v`. */
function safe(v: bigint): number | bigint {
  return v >= -0x1fffffffffffffn && v <= 0x1fffffffffffffn ? Number(v) : v;
}

/** The unsigned value of the varint in `buf[start, end)` (for error messages). */
function varintValue(buf: Uint8Array, start: number, end: number): string {
  let v = 0n;
  for (let i = end - 1; i >= start; i--) v = (v << 7n) | BigInt(buf[i]! & 0x7f);
  return v.toString();
}

/** Decodes UTF-8 without Node's Buffer. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  utf8Decoder ??= new (globalThis as unknown as { TextDecoder: Utf8DecoderCtor }).TextDecoder("utf-8", {
    fatal: false,
    ignoreBOM: true,
  });
  return utf8Decoder.decode(buf.subarray(start, end));
}
