const TWO_32 = 4294967296;

/** The part of the WHATWG TextEncoder used here (declared locally: the package compiles without DOM or Node typings). */
interface Utf8Encoder {
  encode(input: string): Uint8Array;
}
let utf8Encoder: Utf8Encoder | undefined;
let scratch: DataView | undefined;

/**
 * Writes protobuf wire data into one growing buffer.
 *
 * Nested messages use `fork()` / `ldelim()`: `fork()` reserves one byte for the length, and
 * `ldelim()` writes the real length, moving the message body only when the length needs more than
 * one byte. Output is the minimal encoding Go's protobuf writes, so it is byte-identical to it.
 * Uses only ECMAScript APIs, so it runs in browsers too.
 */
export class ProtoWriter {
  buf: Uint8Array;
  pos = 0;
  private forks: number[] = [];

  constructor(initialSize = 1024) {
    this.buf = new Uint8Array(initialSize);
  }

  /** Makes room for at least `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Writes a field key. */
  tag(field: number, wireType: number): this {
    return this.uint32(((field << 3) | wireType) >>> 0);
  }

  uint32(v: number): this {
    this.ensure(5);
    const buf = this.buf;
    let pos = this.pos;
    v >>>= 0;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
    return this;
  }

  /** A signed 32-bit varint: negative values take 10 bytes, sign-extended to 64 bits, as Go writes them. */
  int32(v: number): this {
    return v < 0 ? this.int64(v) : this.uint32(v);
  }

  /**
   * A signed 64-bit varint from a number (exact up to 2^53) or a bigint (exact). A bigint outside
   * the int64 range throws a RangeError (Go cannot hold it either).
   */
  int64(v: number | bigint): this {
    if (typeof v === "bigint") {
      if (BigInt.asIntN(64, v) !== v) throw new RangeError(`protobuf: ${v} is outside the int64 range`);
      return this.bigVarint(v);
    }
    if (v >= 0 && v < TWO_32) return this.uint32(v);
    let lo: number;
    let hi: number;
    if (v >= 0) {
      lo = v % TWO_32 >>> 0;
      hi = Math.floor(v / TWO_32) >>> 0;
    } else {
      const a = -v;
      let alo = a % TWO_32 >>> 0;
      let ahi = Math.floor(a / TWO_32) >>> 0;
      // Two's complement: ~a + 1.
      alo = ~alo >>> 0;
      ahi = ~ahi >>> 0;
      alo = (alo + 1) >>> 0;
      if (alo === 0) ahi = (ahi + 1) >>> 0;
      lo = alo;
      hi = ahi;
    }
    return this.varint64(lo, hi);
  }

  /** An unsigned 64-bit varint from a number or a bigint. */
  uint64(v: number | bigint): this {
    if (typeof v === "bigint") {
      if (BigInt.asUintN(64, v) !== v) throw new RangeError(`protobuf: ${v} is outside the uint64 range`);
      return this.bigVarint(v);
    }
    if (v < TWO_32) return this.uint32(v);
    return this.varint64(v % TWO_32 >>> 0, Math.floor(v / TWO_32) >>> 0);
  }

  sint32(v: number): this {
    return this.uint32(((v << 1) ^ (v >> 31)) >>> 0);
  }

  sint64(v: number | bigint): this {
    if (typeof v === "bigint") {
      const s = BigInt.asIntN(64, v);
      return this.bigVarint((s << 1n) ^ (s >> 63n));
    }
    // Doubling a number beyond 2^52 leaves the safe range: those go through bigint.
    if (v > 0x10000000000000 || v < -0x10000000000000) return this.sint64(BigInt(v));
    return this.uint64(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** A varint of the low 64 bits of `v` (two's complement for negative values). */
  private bigVarint(v: bigint): this {
    const u = BigInt.asUintN(64, v);
    return this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  private varint64(lo: number, hi: number): this {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (hi !== 0 || lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
    return this;
  }

  bool(v: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
    return this;
  }

  fixed32(v: number): this {
    this.ensure(4);
    const buf = this.buf;
    const pos = this.pos;
    buf[pos] = v & 0xff;
    buf[pos + 1] = (v >>> 8) & 0xff;
    buf[pos + 2] = (v >>> 16) & 0xff;
    buf[pos + 3] = (v >>> 24) & 0xff;
    this.pos = pos + 4;
    return this;
  }

  fixed64(v: number | bigint): this {
    if (typeof v === "bigint") {
      const u = BigInt.asUintN(64, v);
      this.fixed32(Number(u & 0xffffffffn));
      return this.fixed32(Number(u >> 32n));
    }
    this.fixed32(v % TWO_32 >>> 0);
    return this.fixed32(Math.floor(v / TWO_32) >>> 0);
  }

  double(v: number): this {
    scratch ??= new DataView(new ArrayBuffer(8));
    scratch.setFloat64(0, v, true);
    this.ensure(8);
    for (let i = 0; i < 8; i++) this.buf[this.pos++] = scratch.getUint8(i);
    return this;
  }

  float(v: number): this {
    scratch ??= new DataView(new ArrayBuffer(8));
    scratch.setFloat32(0, v, true);
    this.ensure(4);
    for (let i = 0; i < 4; i++) this.buf[this.pos++] = scratch.getUint8(i);
    return this;
  }

  /** A length-delimited UTF-8 string. */
  string(s: string): this {
    const n = s.length;
    // ASCII fast path: the byte length is the string length, so the prefix can go first.
    const prefix = n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
    this.ensure(prefix + n);
    const buf = this.buf;
    const start = this.pos;
    let pos = start + prefix;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return this.stringSlow(s);
      buf[pos++] = c;
    }
    let v = n;
    let p = start;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
    this.pos = pos;
    return this;
  }

  private stringSlow(s: string): this {
    utf8Encoder ??= new (globalThis as unknown as { TextEncoder: new () => Utf8Encoder }).TextEncoder();
    return this.bytes(utf8Encoder.encode(s));
  }

  /** A length-delimited byte string. */
  bytes(b: Uint8Array): this {
    this.uint32(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** Bytes copied as they are, with no length prefix (already-encoded wire data). */
  raw(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** Starts a length-delimited nested message; finish it with {@link ldelim}. */
  fork(): this {
    this.ensure(1);
    this.forks.push(this.pos);
    this.pos += 1;
    return this;
  }

  /** Ends the nested message begun by the matching {@link fork} and writes its length before it. */
  ldelim(): this {
    const at = this.forks.pop();
    if (at === undefined) throw new Error("ProtoWriter.ldelim() without fork()");
    const start = at + 1;
    const len = this.pos - start;
    if (len < 0x80) {
      this.buf[at] = len;
      return this;
    }
    const size = len < 0x4000 ? 2 : len < 0x200000 ? 3 : len < 0x10000000 ? 4 : 5;
    const extra = size - 1;
    this.ensure(extra);
    const buf = this.buf;
    buf.copyWithin(start + extra, start, this.pos);
    this.pos += extra;
    let v = len;
    let p = at;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
    return this;
  }

  /** The bytes written so far (a copy); the writer can go on being used. */
  finish(): Uint8Array {
    if (this.forks.length !== 0) throw new Error("ProtoWriter.finish() with an unfinished fork()");
    return this.buf.slice(0, this.pos);
  }

  /** Forgets everything written, keeping the buffer for reuse. */
  reset(): this {
    this.pos = 0;
    this.forks.length = 0;
    return this;
  }
}
