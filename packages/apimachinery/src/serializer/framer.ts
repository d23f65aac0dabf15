/**
 * Stream framing (k8s.io/apimachinery/pkg/util/framer, pkg/runtime/serializer/streaming):
 *
 * - length-delimited frames (protobuf watch): a 4-byte big-endian length, then that many bytes;
 * - JSON frames (JSON watch): successive JSON values, which the API server writes one per line.
 *   Like Go's json.Decoder-based framer, values may also span lines or share one.
 *
 * Both decoders are push-style and incremental: feed chunks as they arrive (split at any byte),
 * get back every frame completed so far. A frame longer than `maxFrameBytes` (default 16 MiB,
 * Go's streaming decoder limit) is rejected with a DecodeError as soon as its length is known,
 * before anything is allocated for it; bytes are only ever buffered as they arrive.
 */
import { DecodeError } from "./decode-error.js";
import { decodeUtf8Lenient } from "./web.js";
import { parseJSONExact } from "./json.js";

/** Go's streaming decoder limit: `object to decode was longer than maximum allowed size`. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Bounds of the frame decoders. */
export interface FrameDecoderOptions {
  /** Largest frame accepted, in bytes (default 16 MiB). */
  readonly maxFrameBytes?: number;
}

function tooLarge(size: number, max: number, offset: number): DecodeError {
  return new DecodeError(`object to decode was longer than maximum allowed size (${size} > ${max} bytes)`, { offset });
}

function maxOf(options: FrameDecoderOptions): number {
  const m = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`maxFrameBytes must be a non-negative integer, got ${m}`);
  return m;
}

/** Decodes 4-byte big-endian length-prefixed frames. */
export class LengthDelimitedFrameDecoder {
  private readonly max: number;
  /** Header bytes collected so far (0..4). */
  private header = 0;
  private headerBytes = 0;
  /** Length of the frame being collected, or -1 while reading a header. */
  private need = -1;
  private parts: Uint8Array[] = [];
  private have = 0;
  /** Bytes consumed over the whole stream (for error offsets). */
  private consumed = 0;

  constructor(options: FrameDecoderOptions = {}) {
    this.max = maxOf(options);
  }

  /**
   * Add a chunk; returns the frames it completed. A frame that lies entirely in one chunk is a view
   * into that chunk (no copy), so do not reuse chunk buffers you push.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure !== undefined) throw this.failure;
    const out: Uint8Array[] = [];
    try {
      this.read(chunk, out);
    } catch (err) {
      return deferFailure(this, err, out);
    }
    return out;
  }

  /** The first error this stream hit: every later push or end throws it again. */
  failure: unknown = undefined;

  private read(chunk: Uint8Array, out: Uint8Array[]): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.need < 0) {
        // Fast path: a whole header and frame in this chunk.
        if (this.headerBytes === 0 && n - i >= 4) {
          const len = ((chunk[i]! << 24) | (chunk[i + 1]! << 16) | (chunk[i + 2]! << 8) | chunk[i + 3]!) >>> 0;
          if (len > this.max) throw tooLarge(len, this.max, this.consumed + i);
          if (n - i - 4 >= len) {
            out.push(chunk.subarray(i + 4, i + 4 + len));
            i += 4 + len;
            continue;
          }
          this.need = len;
          i += 4;
          continue;
        }
        this.header = ((this.header << 8) | chunk[i]!) >>> 0;
        this.headerBytes++;
        i++;
        if (this.headerBytes === 4) {
          const len = this.header;
          this.header = 0;
          this.headerBytes = 0;
          if (len > this.max) throw tooLarge(len, this.max, this.consumed + i - 4);
          if (len === 0) out.push(new Uint8Array(0));
          else this.need = len;
        }
        continue;
      }
      const take = Math.min(this.need - this.have, n - i);
      this.parts.push(chunk.subarray(i, i + take));
      this.have += take;
      i += take;
      if (this.have === this.need) {
        out.push(concatBytes(this.parts, this.have));
        this.parts = [];
        this.have = 0;
        this.need = -1;
      }
    }
    this.consumed += n;
  }

  /** True when no partial frame is buffered. */
  get idle(): boolean {
    return this.need < 0 && this.headerBytes === 0;
  }

  /** End of input: a partial frame is a DecodeError (the stream was cut). */
  end(): void {
    if (this.failure !== undefined) throw this.failure;
    if (!this.idle) {
      throw new DecodeError(
        this.need < 0
          ? `unexpected end of stream inside a frame header (${this.headerBytes} of 4 bytes)`
          : `unexpected end of stream: frame of ${this.need} bytes has only ${this.have}`,
        { offset: this.consumed },
      );
    }
  }
}

/**
 * Node's Buffer, when present: bytes joined from Buffers (the chunks a Node response hands out) are made
 * a Buffer too, so the generated readers see one kind of array (mixing Uint8Array and Buffer makes their
 * element reads polymorphic, measurably slower).
 */
const NodeBuffer = (globalThis as unknown as { Buffer?: { allocUnsafe(size: number): Uint8Array; isBuffer(b: unknown): boolean } }).Buffer;

/** `parts` joined into one array of `total` bytes, of the first part's kind; one part is returned as it is. */
export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = NodeBuffer !== undefined && NodeBuffer.isBuffer(parts[0]) ? NodeBuffer.allocUnsafe(total) : new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Prefix a payload with its 4-byte big-endian length. */
export function encodeLengthDelimitedFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > 0xffffffff) throw new RangeError("frame too large for a 32-bit length");
  const out = new Uint8Array(4 + payload.length);
  const n = payload.length;
  out[0] = n >>> 24;
  out[1] = (n >>> 16) & 0xff;
  out[2] = (n >>> 8) & 0xff;
  out[3] = n & 0xff;
  out.set(payload, 4);
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON frames.

const LF = 0x0a;
/** Returned by the scanners when the value continues in a later chunk. */
const NEED_MORE: unique symbol = Symbol("need more");

/**
 * Decodes a stream of JSON values (one per line as the API server writes them; values spanning
 * lines or several on a line are handled too). Each value is returned parsed (JSON.parse, with
 * integers beyond 2^53 - 1 as exact bigints: {@link parseJSONExact}).
 */
export class JSONFrameDecoder {
  private readonly max: number;
  private buf = new Uint8Array(64 * 1024);
  /** Start of the unconsumed bytes in buf. */
  private start = 0;
  /** End of the valid bytes in buf. */
  private len = 0;
  /** Bytes discarded from the front of buf over the stream (for error offsets). */
  private base = 0;
  // Structural scanner state for the current value (used when a line is not a whole value).
  private scanning = false;
  private scanPos = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Next position to look for a newline from (fast path). */
  private lineSearch = 0;

  constructor(options: FrameDecoderOptions = {}) {
    this.max = maxOf(options);
  }

  /** Add a chunk; returns the JSON values it completed. */
  push(chunk: Uint8Array): unknown[] {
    if (this.failure !== undefined) throw this.failure;
    const out: unknown[] = [];
    try {
      this.append(chunk);
      for (;;) {
        this.skipWhitespace();
        if (this.start >= this.len) break;
        const v = this.scanning ? this.scan() : this.fastLine();
        if (v === NEED_MORE) {
          if (this.len - this.start > this.max) throw tooLarge(this.len - this.start, this.max, this.base + this.start);
          break;
        }
        out.push(v);
      }
    } catch (err) {
      return deferFailure(this, err, out);
    }
    return out;
  }

  /** The first error this stream hit: every later push or end throws it again. */
  failure: unknown = undefined;

  /** True when no partial value is buffered. */
  get idle(): boolean {
    for (let i = this.start; i < this.len; i++) {
      const c = this.buf[i]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    }
    return true;
  }

  /** End of input: a partial value is a DecodeError. */
  end(): void {
    if (this.failure !== undefined) throw this.failure;
    if (!this.idle) throw new DecodeError("unexpected end of stream inside a JSON value", { offset: this.base + this.len });
  }

  private append(chunk: Uint8Array): void {
    const need = this.len - this.start + chunk.length;
    if (this.start > 0 && (this.len + chunk.length > this.buf.length || this.start > this.buf.length >>> 1)) {
      // Compact: move the unconsumed tail to the front.
      this.buf.copyWithin(0, this.start, this.len);
      this.base += this.start;
      this.scanPos -= this.start;
      this.lineSearch -= this.start;
      this.len -= this.start;
      this.start = 0;
    }
    if (this.len + chunk.length > this.buf.length) {
      let size = this.buf.length;
      while (size < need) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  }

  private skipWhitespace(): void {
    const b = this.buf;
    let s = this.start;
    while (s < this.len) {
      const c = b[s]!;
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) s++;
      else break;
    }
    if (s !== this.start) {
      this.start = s;
      if (this.lineSearch < s) this.lineSearch = s;
    }
  }

  /** Fast path: the value is the rest of the line. Falls back to the scanner when it is not. */
  private fastLine(): unknown {
    const b = this.buf;
    if (this.lineSearch < this.start) this.lineSearch = this.start;
    const nl = b.subarray(this.lineSearch, this.len).indexOf(LF);
    if (nl < 0) {
      this.lineSearch = this.len;
      return NEED_MORE;
    }
    const end = this.lineSearch + nl;
    if (end - this.start > this.max) throw tooLarge(end - this.start, this.max, this.base + this.start);
    try {
      const v: unknown = parseJSONExact(decodeUtf8Lenient(b.subarray(this.start, end)));
      this.start = end + 1;
      this.lineSearch = this.start;
      return v;
    } catch {
      // Not one whole value on this line: find the value's end structurally.
      this.scanning = true;
      this.scanPos = this.start;
      this.depth = 0;
      this.inString = false;
      this.escaped = false;
      return this.scan();
    }
  }

  /** Structural scan from scanPos for the end of the value beginning at start. */
  private scan(): unknown {
    const b = this.buf;
    let p = this.scanPos;
    const first = b[this.start]!;
    if (first !== 0x7b && first !== 0x5b && first !== 0x22) {
      // A bare scalar: it ends at whitespace or a structural character.
      while (p < this.len) {
        const c = b[p]!;
        if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x7b || c === 0x5b || c === 0x22 || c === 0x7d || c === 0x5d || c === 0x2c) break;
        p++;
      }
      if (p === this.start) return this.parseValue(p + 1); // a stray '}' ']' or ','
      if (p >= this.len) {
        this.scanPos = p;
        return NEED_MORE;
      }
      return this.parseValue(p);
    }
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    while (p < this.len) {
      const c = b[p++]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) {
          inString = false;
          if (depth === 0) return this.parseValue(p);
        }
      } else if (c === 0x22) {
        inString = true;
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
      } else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth <= 0) return this.parseValue(p);
      }
    }
    this.scanPos = p;
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return NEED_MORE;
  }

  private parseValue(end: number): unknown {
    const start = this.start;
    this.scanning = false;
    this.start = end;
    this.lineSearch = end;
    if (end - start > this.max) throw tooLarge(end - start, this.max, this.base + start);
    try {
      return parseJSONExact(decodeUtf8Lenient(this.buf.subarray(start, end)));
    } catch (cause) {
      throw new DecodeError(`invalid JSON in stream: ${(cause as Error).message}`, { offset: this.base + start, cause });
    }
  }
}

/**
 * A stream that turns bad after some good values: hand out the values decoded before the error
 * (client-go delivers those events too) and raise the error on the next push or end.
 */
export function deferFailure<T>(decoder: { failure: unknown }, err: unknown, decoded: T[]): T[] {
  decoder.failure = err;
  if (decoded.length === 0) throw err;
  return decoded;
}
