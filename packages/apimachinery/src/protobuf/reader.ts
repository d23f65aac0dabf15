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
}
const NodeBuffer = (globalThis as unknown as { Buffer?: { from(b: ArrayBufferLike, off: number, len: number): NodeBufferLike } }).Buffer;
const hasUtf8Slice =
  NodeBuffer !== undefined && typeof (NodeBuffer as unknown as { prototype?: { utf8Slice?: unknown } }).prototype?.utf8Slice === "function";

export class ProtoReader {
  buf: Uint8Array;
  pos: number;
  end: number;
  /** A Node Buffer over the same memory (Node only; browsers use TextDecoder). */
  private readonly nb: NodeBufferLike | undefined;

  constructor(buf: Uint8Array, pos = 0, end: number = buf.length) {
    if (pos < 0 || end > buf.length || pos > end) {
      throw new DecodeError(`protobuf: invalid range [${pos}, ${end}) over ${buf.length} bytes`);
    }
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.nb = hasUtf8Slice ? NodeBuffer!.from(buf.buffer, buf.byteOffset, buf.byteLength) : undefined;
  }

  /** Decodes `buf[start, end)` as UTF-8 (invalid sequences become U+FFFD). */
  utf8(start: number, end: number): string {
    const nb = this.nb;
    return nb !== undefined ? nb.utf8Slice(start, end) : decodeUtf8(this.buf, start, end);
  }

  /** True when every byte up to `end` has been read. */
  eof(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a field key: `(fieldNumber << 3) | wireType`. Field number 0 is rejected. */
  tag(): number {
    const t = this.uint32();
    if (t >>> 3 === 0) throw this.err("protobuf: invalid field number 0");
    return t;
  }

  /** A varint truncated to its low 32 bits, unsigned. */
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

  /** A varint as a signed 64-bit integer, as a number (exact up to 2^53). */
  int64(): number {
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

  /** A varint as an unsigned 64-bit integer, as a number (exact up to 2^53). */
  uint64(): number {
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

  /** A zigzag-encoded signed 64-bit varint, as a number. */
  sint64(): number {
    const v = this.uint64();
    // v is exact up to 2^53, which is all a number can hold anyway.
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  private varint64(signed: boolean): number {
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
    if (signed && hi & 0x80000000) {
      // Two's complement negative: -(~value + 1).
      const nlo = ~lo >>> 0;
      const nhi = ~hi >>> 0;
      return -(nhi * TWO_32 + nlo + 1);
    }
    return (hi >>> 0) * TWO_32 + lo;
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
    return this.varint64(false) !== 0;
  }

  /** Little-endian unsigned 32 bits. */
  fixed32(): number {
    const pos = this.pos;
    if (this.end - pos < 4) throw this.truncated();
    const buf = this.buf;
    this.pos = pos + 4;
    return (buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16)) + buf[pos + 3]! * 0x1000000;
  }

  /** Little-endian unsigned 64 bits, as a number. */
  fixed64(): number {
    const lo = this.fixed32();
    const hi = this.fixed32();
    return hi * TWO_32 + lo;
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

  /** Reads a length prefix and checks that many bytes remain; returns the length. */
  length(): number {
    const n = this.uint32();
    // A length above 2^31 arrives as a large uint32; either way it must fit in what remains.
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

/** Decodes UTF-8 without Node's Buffer. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  utf8Decoder ??= new (globalThis as unknown as { TextDecoder: Utf8DecoderCtor }).TextDecoder("utf-8", {
    fatal: false,
    ignoreBOM: true,
  });
  return utf8Decoder.decode(buf.subarray(start, end));
}
