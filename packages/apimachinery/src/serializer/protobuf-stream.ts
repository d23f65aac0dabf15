/**
 * An incremental decoder of one protobuf-encoded object (`k8s\0` + `runtime.Unknown`), fed with the
 * bytes of a response body as they arrive. For a List (the envelope's kind ends in `List`: every
 * Kubernetes list is `{ metadata = 1; repeated items = 2 }`) each item is decoded as soon as its bytes
 * are complete and its bytes are released, so a large list is decoded while the rest of it is still on
 * the wire and the whole body is never held at once. Anything else is collected and decoded at the end.
 *
 * The result is the one {@link ProtobufSerializer.decode} gives for the whole body: items are decoded
 * by the List's own codec (one single-item List message each), the List's other fields at the end.
 */
import { DecodeError } from "./decode-error.js";
import { concatBytes } from "./framer.js";
import { ProtobufSerializer, decodeUnknown } from "./protobuf-envelope.js";
import type { ProtobufCodec, ProtobufCodecRegistry } from "./protobuf-envelope.js";

const MAGIC = [0x6b, 0x38, 0x73, 0x00] as const;
/** A field key (at most 5 bytes) plus a length or varint value (at most 10). */
const MAX_HEADER = 15;
const EMPTY = new Uint8Array(0);


type Dest = "outer" | "raw" | "item" | "rest";

interface Field {
  readonly dest: Dest;
  readonly key: number;
  readonly parts: Uint8Array[];
  remaining: number;
}

/**
 * Push-style decoder of one protobuf object: `push` every chunk of the body, then `end` for the
 * object. Errors are DecodeError; a body cut short fails in `end`.
 */
export class ProtobufStreamDecoder {
  private readonly serializer: ProtobufSerializer;
  private readonly registry: ProtobufCodecRegistry;
  private total = 0;
  private magic = 0;
  /** Header bytes of a field that straddles chunks. */
  private carry: Uint8Array | undefined;
  private field: Field | undefined;
  /** 0: the envelope's fields; 1: inside `raw` of a List whose items are decoded as they complete. */
  private level: 0 | 1 = 0;
  private rawRemaining = 0;
  private apiVersion = "";
  private kind = "";
  private listCodec: ProtobufCodec | undefined;
  /** The List's first item did not decode as `{ items: [item] }`: keep its raw bytes whole instead. */
  private collectAll = false;
  private readonly outer: Uint8Array[] = [];
  private readonly raw: Uint8Array[] = [];
  /** The List's fields other than decoded items, in wire order (a List message without them). */
  private readonly rest: Uint8Array[] = [];
  private readonly items: unknown[] = [];
  // The header just read.
  private hKey = 0;
  private hLen = 0;

  constructor(registry: ProtobufCodecRegistry) {
    this.registry = registry;
    this.serializer = new ProtobufSerializer(registry);
  }

  /** Bytes pushed so far. */
  get bytes(): number {
    return this.total;
  }

  /** Items decoded so far (a List's), for progress. */
  get itemsDecoded(): number {
    return this.items.length;
  }

  /**
   * Adds a chunk of the body. The chunk may be kept (as a view) until the field it ends lies in
   * completes, so do not reuse the buffers you push.
   */
  push(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    const base = this.total;
    this.total += n;
    while (this.magic < 4 && i < n) {
      if (chunk[i] !== MAGIC[this.magic]) {
        throw new DecodeError("protobuf: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]", { offset: 0 });
      }
      this.magic++;
      i++;
    }
    while (i < n) {
      const f = this.field;
      if (f !== undefined) {
        const take = Math.min(f.remaining, n - i);
        f.parts.push(chunk.subarray(i, i + take));
        f.remaining -= take;
        i += take;
        if (f.remaining === 0) this.finish(f);
        continue;
      }
      let h: number;
      let header: Uint8Array;
      const carry = this.carry;
      if (carry === undefined) {
        h = this.readHeader(chunk, i, n, base + i);
        if (h < 0) {
          this.carry = chunk.subarray(i);
          return;
        }
        header = chunk.subarray(i, i + h);
        // Fast path: a whole item (header and body) in this chunk is decoded from a view.
        if (this.level === 1 && !this.collectAll && this.hKey === 0x12 && n - i - h >= this.hLen) {
          this.takeFromRaw(h);
          const end = i + h + this.hLen;
          this.decodeItem(chunk.subarray(i, end));
          i = end;
          this.leaveRawIfDone();
          continue;
        }
        i += h;
      } else {
        const take = Math.min(MAX_HEADER, n - i);
        const joined = concatBytes([carry, chunk.subarray(i, i + take)], carry.length + take);
        h = this.readHeader(joined, 0, joined.length, base + i - carry.length);
        if (h < 0) {
          this.carry = joined;
          return;
        }
        this.carry = undefined;
        header = joined.subarray(0, h);
        i += h - carry.length;
      }
      this.start(header);
    }
  }

  /** The decoded object. Throws a DecodeError when the body was empty, not protobuf, or cut short. */
  end(): unknown {
    if (this.total === 0) throw new DecodeError("protobuf: empty data");
    if (this.magic < 4) {
      throw new DecodeError("protobuf: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]", { offset: 0 });
    }
    if (this.total === 4) throw new DecodeError("protobuf: empty body", { offset: 4 });
    if (this.field !== undefined || this.carry !== undefined || this.level !== 0) {
      throw new DecodeError("protobuf: unexpected end of data (the body was cut short)", { offset: this.total });
    }
    const outer = join(this.outer);
    const env = decodeUnknown(outer, 0, outer.length);
    const streamed = this.listCodec !== undefined;
    const obj = this.serializer.decodeEnvelope({ ...env, raw: join(streamed ? this.rest : this.raw) });
    if (this.items.length > 0) (obj as { items?: unknown }).items = this.items;
    return obj;
  }

  /** Reads a field header at `buf[pos, end)`: sets hKey and hLen (the body's length), returns its size, or -1 when incomplete. */
  private readHeader(buf: Uint8Array, pos: number, end: number, offset: number): number {
    const start = pos;
    let key = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end) return this.incomplete(pos - start, offset);
      const b = buf[pos++]!;
      if (shift === 28 && b > 0x0f) throw new DecodeError("protobuf: field key does not fit in 32 bits", { offset });
      key = (key | ((b & 0x7f) << shift)) >>> 0;
      if (b < 0x80) break;
      shift += 7;
    }
    if (key >>> 3 === 0) throw new DecodeError("protobuf: invalid field number 0", { offset });
    const wt = key & 7;
    this.hKey = key;
    if (wt === 0) {
      for (let k = 0; ; k++) {
        if (k >= 10) throw new DecodeError("protobuf: varint longer than 10 bytes", { offset });
        if (pos >= end) return this.incomplete(pos - start, offset);
        if (buf[pos++]! < 0x80) break;
      }
      this.hLen = 0;
    } else if (wt === 1) {
      this.hLen = 8;
    } else if (wt === 5) {
      this.hLen = 4;
    } else if (wt === 2) {
      let len = 0;
      let mul = 1;
      for (let k = 0; ; k++) {
        if (k >= 8) throw new DecodeError("protobuf: length out of range", { offset });
        if (pos >= end) return this.incomplete(pos - start, offset);
        const b = buf[pos++]!;
        len += (b & 0x7f) * mul;
        if (b < 0x80) break;
        mul *= 128;
      }
      if (!Number.isSafeInteger(len)) throw new DecodeError("protobuf: length out of range", { offset });
      this.hLen = len;
    } else {
      throw new DecodeError(`protobuf: unsupported wire type ${wt} in a streamed object`, { offset });
    }
    return pos - start;
  }

  private incomplete(read: number, offset: number): number {
    if (read >= MAX_HEADER) throw new DecodeError("protobuf: malformed field header", { offset });
    return -1;
  }

  private takeFromRaw(headerSize: number): void {
    const size = headerSize + this.hLen;
    if (size > this.rawRemaining) throw new DecodeError("protobuf: a field of the list runs past the end of the object", { offset: this.total });
    this.rawRemaining -= size;
  }

  private leaveRawIfDone(): void {
    if (this.level === 1 && this.rawRemaining === 0) this.level = 0;
  }

  /** Starts the field whose header was just read. */
  private start(header: Uint8Array): void {
    const key = this.hKey;
    const len = this.hLen;
    let f: Field;
    if (this.level === 1) {
      this.takeFromRaw(header.length);
      f = { dest: key === 0x12 && !this.collectAll ? "item" : "rest", key, parts: [header], remaining: len };
    } else if (key === 0x12) {
      // `raw`: the object's own message.
      const codec = this.kind.endsWith("List") ? this.registry.lookup(this.apiVersion, this.kind) : undefined;
      if (codec !== undefined && this.listCodec === undefined && this.raw.length === 0) {
        this.listCodec = codec;
        this.level = 1;
        this.rawRemaining = len;
        return;
      }
      if (this.listCodec !== undefined) {
        // A second `raw` field: protobuf lets the last one win; keep it whole, as the full decoder would.
        this.listCodec = undefined;
        this.items.length = 0;
        this.rest.length = 0;
      }
      this.raw.length = 0;
      f = { dest: "raw", key, parts: this.raw, remaining: len };
    } else {
      f = { dest: "outer", key, parts: [header], remaining: len };
    }
    if (len === 0) this.finish(f);
    else this.field = f;
  }

  private finish(f: Field): void {
    this.field = undefined;
    switch (f.dest) {
      case "outer": {
        const bytes = join(f.parts);
        this.outer.push(bytes);
        if (f.key === 0x0a) {
          const env = decodeUnknown(bytes, 0, bytes.length);
          this.apiVersion = env.apiVersion;
          this.kind = env.kind;
        }
        break;
      }
      case "raw":
        break;
      case "item":
        this.decodeItem(join(f.parts));
        break;
      case "rest":
        for (const p of f.parts) this.rest.push(p);
        break;
    }
    this.leaveRawIfDone();
  }

  /** Decodes one `items` field (header and body) as a single-item List. */
  private decodeItem(bytes: Uint8Array): void {
    if (this.collectAll) {
      this.rest.push(bytes);
      return;
    }
    const list = (this.listCodec as ProtobufCodec).decode(bytes) as { items?: unknown } | null;
    const items = list?.items;
    if (!Array.isArray(items) || items.length !== 1) {
      // Not a List of the usual shape: decode its message whole at the end. Only the first item can
      // get here (one codec for all), so nothing was taken out of `rest` yet.
      this.collectAll = true;
      this.rest.push(bytes);
      return;
    }
    this.items.push(items[0]);
  }
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  const nonEmpty = parts.filter((p) => p.length !== 0);
  if (nonEmpty.length === 0) return EMPTY;
  let size = 0;
  for (const p of nonEmpty) size += p.length;
  return concatBytes(nonEmpty, size);
}
