/**
 * Runtime helpers for the generated protobuf codecs: nested messages, repeated fields, string
 * interning, and the apimachinery types whose protobuf form differs from their JSON form (Time,
 * MicroTime, Duration, Quantity, IntOrString, RawExtension, FieldsV1).
 */
import { DecodeError } from "../serializer/decode-error.js";
import { parseJSONExact, stringifyJSON } from "../serializer/json.js";
import { ProtoReader, bytesOfLatin1, decodeUtf8 } from "./reader.js";
import { ProtoWriter } from "./writer.js";
import { formatDuration as formatDurationExact, parseDuration as parseDurationExact } from "../meta/v1/duration.js";

/** Reads a field's JSON-shaped value from a reader positioned at a message body (up to `r.end`). */
export type MessageReader<T> = (r: ProtoReader) => T;
/** Writes a JSON-shaped value's message body (no tag, no length). */
export type MessageWriter<T> = (w: ProtoWriter, value: T) => void;

/** Reads a length-delimited nested message with `read`, bounded to its declared length. */
export function readMessage<T>(r: ProtoReader, read: MessageReader<T>): T {
  const n = r.length();
  const outer = r.end;
  const end = r.pos + n;
  r.end = end;
  const v = read(r);
  r.pos = end;
  r.end = outer;
  return v;
}

/** Counts how many times `tag` (a length-delimited field) repeats back to back from the current position, this one included. */
export function countRun(r: ProtoReader, tag: number): number {
  const save = r.pos;
  const count = skipRun(r, tag);
  r.pos = save;
  return count;
}

/**
 * Skips a run of length-delimited records with key `tag`, the first key already read (the position is
 * at its length), and returns how many there were; the position is left after the run.
 */
function skipRun(r: ProtoReader, tag: number): number {
  const buf = r.buf;
  const end = r.end;
  let count = 1;
  // (Not `r.pos += r.length()`: that would add the length to the position before the prefix.)
  let n = r.length();
  r.pos += n;
  // Fast path for one-byte tags, which is every field number below 16.
  while (r.pos < end) {
    if (tag < 0x80) {
      if (buf[r.pos] !== tag) break;
      r.pos++;
    } else {
      const p = r.pos;
      if (r.tag() !== tag) {
        r.pos = p;
        break;
      }
    }
    n = r.length();
    r.pos += n;
    count++;
  }
  return count;
}

/**
 * Reads a run of a repeated length-delimited field into an array of exactly its length. The reader
 * is positioned after the first occurrence's tag; `tag` is the field's full key.
 */
export function readRepeated<T>(r: ProtoReader, tag: number, read: MessageReader<T>): T[] {
  const n = countRun(r, tag);
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) {
    if (i > 0) r.uint32();
    out[i] = readMessage(r, read);
  }
  return out;
}

/** Like {@link readRepeated} for a repeated string field. */
export function readRepeatedString(r: ProtoReader, tag: number, intern: boolean): string[] {
  const n = countRun(r, tag);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    if (i > 0) r.uint32();
    out[i] = intern ? readInterned(r) : r.string();
  }
  return out;
}

/** Reads a packed run of varints (wire type 2) with `read`. */
export function readPacked<T extends number | bigint | boolean>(r: ProtoReader, read: (r: ProtoReader) => T): T[] {
  const n = r.length();
  const outer = r.end;
  const end = r.pos + n;
  r.end = end;
  const out: T[] = [];
  while (r.pos < end) out.push(read(r));
  r.end = outer;
  return out;
}

/**
 * Sets a map entry as JSON.parse does: `__proto__` (a valid ConfigMap key, for one) becomes an own
 * property instead of replacing the object's prototype.
 */
export function setEntry(m: Record<string, unknown>, k: string | number, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
  else m[k] = v;
}

/** Appends a run read from the wire to a field that may already hold earlier elements. */
export function appendTo<T>(prev: T[] | undefined | null, next: T[]): T[] {
  return prev === undefined || prev === null ? next : prev.concat(next);
}

// ---- unknown fields ------------------------------------------------------------------------

/** Shared by every copy of this package: has any decoder kept unknown fields yet? (Writers skip the lookup until then.) */
const unknownState: { seen: boolean } = ((globalThis as Record<symbol, unknown>)[Symbol.for("kubets.protobuf.unknownFields")] ??= {
  seen: false,
}) as { seen: boolean };

/**
 * The property key under which a decoded object keeps the fields of message type `message` (its
 * full protobuf name) that this version of the codecs does not know: `Symbol.for`, so every copy of
 * the package agrees. One key per message type, because an inline-embedded message shares its
 * parent's object but is its own message on the wire.
 */
export function unknownFieldsKey(message: string): symbol {
  return Symbol.for(`kubets.protobuf.unknown:${message}`);
}

/** Appends the wire bytes of one unknown field, `r.buf[at, r.pos)` (copied: the response buffer is not retained). */
export function collectUnknownField(prev: Uint8Array | undefined, r: ProtoReader, at: number): Uint8Array {
  unknownState.seen = true;
  // A plain Uint8Array copy: Node's Buffer.slice is a view, which would keep the whole response alive.
  const field = new Uint8Array(r.buf.subarray(at, r.pos));
  if (prev === undefined) return field;
  const out = new Uint8Array(prev.length + field.length);
  out.set(prev);
  out.set(field, prev.length);
  return out;
}

/**
 * Keeps unknown fields on the decoded object under `key`: an enumerable symbol property, so
 * JSON.stringify and Object.keys do not see it, while spreads and Object.assign copy it along.
 */
export function keepUnknownFields(o: object, key: symbol, bytes: Uint8Array): void {
  unknownState.seen = true;
  Object.defineProperty(o, key, { value: bytes, enumerable: true, writable: true, configurable: true });
}

/** Writes the unknown fields kept on `o` (if any) after its known fields, as protobuf-go writes them. */
export function writeUnknownFields(w: ProtoWriter, o: object, key: symbol): void {
  if (!unknownState.seen) return;
  const u = (o as Record<symbol, unknown>)[key];
  if (u instanceof Uint8Array) w.raw(u);
}

/**
 * Whether `value` or anything below it keeps unknown protobuf fields. Free (false at once) until a
 * decoder in this process has kept any; then a walk of the value.
 */
export function hasUnknownFields(value: unknown): boolean {
  if (!unknownState.seen) return false;
  return walkUnknown(value, 0);
}

function walkUnknown(v: unknown, depth: number): boolean {
  if (v === null || typeof v !== "object" || depth > 10_000) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (walkUnknown(x, depth + 1)) return true;
    return false;
  }
  for (const s of Object.getOwnPropertySymbols(v)) if (Symbol.keyFor(s)?.startsWith("kubets.protobuf.unknown:") === true) return true;
  for (const k of Object.keys(v)) if (walkUnknown((v as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}

/** The unknown fields of message type `message` kept on a decoded object, as wire bytes (undefined if none). */
export function unknownFields(o: object, message: string): Uint8Array | undefined {
  const u = (o as Record<symbol, unknown>)[unknownFieldsKey(message)];
  return u instanceof Uint8Array ? u : undefined;
}

// ---- exact-shape objects -------------------------------------------------------------------

/** Makes an object of the present properties from positional values (undefined = absent). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a decoded object is any message's JSON shape
export type ShapeFactory = (...values: unknown[]) => Record<string, any>;

/**
 * Object factories for one message type, one per set of present fields (a bit mask in field
 * order). A factory is an object literal of exactly the present properties in Go's order, so the
 * decoded object has JSON.parse's layout: no spare slots, one hidden class per field set.
 * Where code generation is not allowed (a strict Content-Security-Policy), objects are built by
 * assignment instead: the same values, a less compact layout.
 */
export class Shape {
  readonly keys: readonly string[];
  /** Indexes of the properties decoded as text and parsed on first read ({@link defineLazyJSON}, {@link defineLazy}). */
  readonly lazy: readonly number[];
  /** Per lazy property (same order as `lazy`): the parser of its text (JSON by default). */
  readonly parsers: readonly LazyParser[];
  private readonly cache = new Map<number, ShapeFactory>();
  constructor(keys: readonly string[], lazy: readonly number[] = [], parsers: readonly LazyParser[] = []) {
    this.keys = keys;
    this.lazy = lazy;
    this.parsers = lazy.map((_, i) => parsers[i] ?? parseJSONText);
  }
  private lastMask = -1;
  private last: ShapeFactory | undefined;
  get(mask: number): ShapeFactory {
    // Most objects of a type have the same fields: check the last set before the map.
    if (mask === this.lastMask) return this.last!;
    let f = this.cache.get(mask);
    if (f === undefined) {
      f = compileShape(this.keys, mask, this.lazy, this.parsers);
      this.cache.set(mask, f);
    }
    this.lastMask = mask;
    this.last = f;
    return f;
  }
}

let codegenAllowed = true;

function compileShape(keys: readonly string[], mask: number, lazy: readonly number[], parsers: readonly LazyParser[]): ShapeFactory {
  const present: number[] = [];
  for (let i = 0; i < keys.length; i++) if (Math.floor(mask / 2 ** i) % 2 === 1) present.push(i);
  // The literal holds the present properties up to the first lazy one; that one and those after
  // it are added in order (the same order, so the same hidden classes, for every object).
  let cut = present.findIndex((i) => lazy.includes(i));
  if (cut < 0) cut = present.length;
  if (codegenAllowed) {
    try {
      const params = keys.map((_, i) => `a${i}`);
      const literal = `{${present
        .slice(0, cut)
        .map((i) => `${JSON.stringify(keys[i])}: a${i}`)
        .join(", ")}}`;
      const rest = present
        .slice(cut)
        .map((i) => (lazy.includes(i) ? `lazy(o, ${JSON.stringify(keys[i])}, a${i}, accessors[${lazy.indexOf(i)}]);` : `o[${JSON.stringify(keys[i])}] = a${i};`))
        .join(" ");
      const body = rest === "" ? `return ${literal};` : `const o = ${literal}; ${rest} return o;`;
      // the accessors are looked up once here, not per object
      const accessors = lazy.map((i, l) => lazyAccessor(keys[i]!, parsers[l]!));
      const make = new Function("lazy", "accessors", `return function (${params.join(", ")}) { ${body} };`) as (
        l: typeof defineLazyWith,
        a: ReadonlyArray<{ accessor: PropertyDescriptor; slot: symbol }>,
      ) => ShapeFactory;
      return make(defineLazyWith, accessors);
    } catch {
      codegenAllowed = false;
    }
  }
  return (...values: unknown[]) => {
    const o: Record<string, unknown> = {};
    for (const i of present) {
      const l = lazy.indexOf(i);
      if (l >= 0) defineLazy(o, keys[i]!, values[i], parsers[l]!);
      else o[keys[i]!] = values[i];
    }
    return o;
  };
}

/**
 * A {@link Shape} for the JSON properties of a message, in Go's order; `lazy` names the properties
 * decoded as text and parsed on first read: raw JSON, unless `parsers` gives that property's parser.
 */
export function shapeOf(keys: readonly string[], lazy: readonly string[] = [], parsers: Readonly<Record<string, LazyParser>> = {}): Shape {
  return new Shape(
    keys,
    lazy.map((k) => keys.indexOf(k)),
    lazy.map((k) => parsers[k] ?? parseJSONText),
  );
}

// ---- raw JSON parsed on first read -----------------------------------------------------------

/** Turns the text kept for a lazy property into its value; throws DecodeError on bad text. */
export type LazyParser = (text: string) => unknown;

/** Parsed values of lazy properties on objects that can no longer be redefined (frozen or sealed). */
const lazyParsed = new WeakMap<object, Map<string, unknown>>();
/** Per property name: the shared accessor, the symbol of the (non-enumerable) slot holding the text, and its parser. */
const lazyAccessors = new Map<string, { accessor: PropertyDescriptor; slot: symbol; parse: LazyParser }>();
const textSlot: PropertyDescriptor = { value: undefined, writable: true, enumerable: false, configurable: true };

function dataProperty(o: object, key: string, value: unknown): boolean {
  try {
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
    return true;
  } catch {
    return false;
  }
}

function lazyAccessor(key: string, parse: LazyParser): { accessor: PropertyDescriptor; slot: symbol } {
  let d = lazyAccessors.get(key);
  if (d === undefined) {
    // Not enumerable and symbol-keyed: invisible to JSON.stringify, Object.keys and deep equality.
    const slot = Symbol(`kubets.protobuf.lazy.${key}`);
    // One getter and setter per property name, shared by every object: objects keep shared hidden classes.
    const accessor: PropertyDescriptor = {
      get(this: Record<symbol, unknown>): unknown {
        const cached = lazyParsed.get(this)?.get(key);
        if (cached !== undefined) return cached;
        const v = parse(this[slot] as string);
        // From now on a plain data property holding the parsed value, as JSON.parse would have made it.
        if (dataProperty(this, key, v)) this[slot] = undefined;
        else {
          let m = lazyParsed.get(this);
          if (m === undefined) lazyParsed.set(this, (m = new Map()));
          m.set(key, v);
        }
        return v;
      },
      set(this: Record<symbol, unknown>, v: unknown): void {
        if (!dataProperty(this, key, v)) throw new TypeError(`Cannot assign to read only property '${key}' of object`);
        this[slot] = undefined;
      },
      enumerable: true,
      configurable: true,
    };
    d = { accessor, slot, parse };
    lazyAccessors.set(key, d);
  } else if (d.parse !== parse) {
    throw new TypeError(`kubets: the lazy property ${JSON.stringify(key)} is defined with two different parsers`);
  }
  return d;
}

/**
 * Adds property `key` to `o`: `value` itself unless it is a string, the text of a JSON value; then
 * an enumerable accessor that parses the text on first read and turns into a plain data property
 * with the parsed value. JSON.stringify, Object.keys, spreads, structuredClone and deep-equality
 * checks all see the parsed value, in the property's place; assignment replaces it as usual.
 * Invalid JSON throws a DecodeError on that first read.
 */
export function defineLazyJSON(o: Record<string | symbol, unknown>, key: string, value: unknown): void {
  defineLazy(o, key, value, parseJSONText);
}

/**
 * {@link defineLazyJSON} with another parser: a string `value` is kept as text and turned into the
 * property's value by `parse` on first read (the same parser for every object with this property name).
 */
export function defineLazy(o: Record<string | symbol, unknown>, key: string, value: unknown, parse: LazyParser): void {
  if (typeof value !== "string") o[key] = value;
  else defineLazyWith(o, key, value, lazyAccessor(key, parse));
}

function defineLazyWith(o: Record<string | symbol, unknown>, key: string, value: unknown, d: { accessor: PropertyDescriptor; slot: symbol }): void {
  if (typeof value !== "string") {
    o[key] = value;
    return;
  }
  textSlot.value = value;
  Object.defineProperty(o, d.slot, textSlot);
  textSlot.value = undefined;
  Object.defineProperty(o, key, d.accessor);
}

// ---- repeated messages decoded on first read --------------------------------------------------

/**
 * Skips a run of repeated-message records with key `tag` (the first key already read, at `at`) and
 * returns the run's wire bytes, keys included, as a compact latin1 copy: the value of a lazy property
 * ({@link defineLazy} with {@link lazyRunParser}). Lengths are checked now; the entries when first read.
 */
export function readLazyRun(r: ProtoReader, at: number, tag: number): string {
  skipRun(r, tag);
  return r.latin1(at, r.pos);
}

/** The parser of a run kept by {@link readLazyRun}: every record's message read by `read`, as an array. */
export function lazyRunParser(tag: number, read: MessageReader<unknown>): LazyParser {
  return (text: string) => {
    const b = bytesOfLatin1(text);
    const r = new ProtoReader(b, 0, b.length);
    const out: unknown[] = [];
    while (r.pos < r.end) {
      if (r.tag() !== tag) throw r.err(`protobuf: a kept run of field ${tag >>> 3} holds another field`);
      const len = r.length();
      const outer = r.end;
      const stop = r.pos + len;
      r.end = stop;
      out.push(read(r));
      r.pos = stop;
      r.end = outer;
    }
    return out;
  };
}

/** Writes a run kept by {@link readLazyRun} as it came (keys included). */
export function writeLazyRun(w: ProtoWriter, text: string): void {
  w.raw(bytesOfLatin1(text));
}

// ---- string interning ------------------------------------------------------------------------

const INTERN_SLOTS = 8192;
const INTERN_MAX = 128;
const internTable: Array<string | undefined> = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);

/**
 * Reads a length-delimited string, returning one shared copy for short repeated strings (label
 * keys, namespaces, kinds, images, managers). A small direct-mapped table keyed by a hash of the
 * bytes: a hit compares the bytes and creates no string at all.
 */
export function readInterned(r: ProtoReader): string {
  const n = r.length();
  const start = r.pos;
  const end = start + n;
  r.pos = end;
  if (n === 0) return "";
  if (n > INTERN_MAX) return r.utf8(start, end);
  const buf = r.buf;
  // Hash the length and at most the first and last 8 bytes: a collision only costs a miss, the
  // full comparison below decides.
  let h = n;
  if (n <= 16) {
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  } else {
    for (let i = start; i < start + 8; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    for (let i = end - 8; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  }
  const slot = (h ^ (h >>> 15)) & (INTERN_SLOTS - 1);
  const hit = internTable[slot];
  if (hit !== undefined && hit.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (hit.charCodeAt(i) !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return hit;
  }
  const s = r.utf8(start, end);
  // Only ASCII strings are kept: the hit test compares char codes with bytes.
  if (s.length === n) internTable[slot] = s;
  return s;
}

// ---- base64 ([]byte fields) ------------------------------------------------------------------

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** Standard base64 with padding, as Go's encoding/json writes a []byte. */
export function base64Encode(b: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const v = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    out += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + B64[(v >>> 6) & 63]! + B64[v & 63]!;
  }
  if (i < b.length) {
    const v = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8);
    out += B64[v >>> 18]! + B64[(v >>> 12) & 63]!;
    out += i + 1 < b.length ? B64[(v >>> 6) & 63]! + "=" : "==";
  }
  return out;
}

/** Decodes standard base64 (padding optional, as Go's encoding/json accepts). */
export function base64Decode(s: string): Uint8Array {
  let len = s.length;
  while (len > 0 && s.charCodeAt(len - 1) === 61) len--;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c]! : -1;
    if (v < 0) throw new DecodeError(`illegal base64 data at input byte ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** A []byte field: the bytes as base64, as Go's JSON writes them. */
export function readBytesBase64(r: ProtoReader): string {
  return base64Encode(r.bytes());
}

// ---- Time and MicroTime ----------------------------------------------------------------------

const TIME_CACHE_SIZE = 4096;
const timeCacheKey = new Float64Array(TIME_CACHE_SIZE).fill(NaN);
const timeCacheVal: string[] = new Array<string>(TIME_CACHE_SIZE).fill("");

function pad2(n: number): string {
  return n < 10 ? "0" + n : "" + n;
}

/** Days since 1970-01-01 to a civil date (proleptic Gregorian), by arithmetic. */
function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function formatYear(y: number): string {
  if (y >= 1000 && y <= 9999) return "" + y;
  const s = "" + Math.abs(y);
  return (y < 0 ? "-" : "") + "0000".slice(s.length) + s;
}

/** Unix seconds to RFC 3339 in UTC (`2006-01-02T15:04:05Z`), as metav1.Time marshals; cached by second. */
export function formatTime(seconds: number): string {
  const slot = (seconds ^ (seconds / 4096)) & (TIME_CACHE_SIZE - 1);
  if (timeCacheKey[slot] === seconds) return timeCacheVal[slot]!;
  const s = formatTimeUncached(seconds, "");
  timeCacheKey[slot] = seconds;
  timeCacheVal[slot] = s;
  return s;
}

function formatTimeUncached(seconds: number, frac: string): string {
  const days = Math.floor(seconds / 86400);
  const sod = seconds - days * 86400;
  const [y, m, d] = civil(days);
  const hh = Math.floor(sod / 3600);
  const mm = Math.floor((sod % 3600) / 60);
  const ss = sod % 60;
  return `${formatYear(y)}-${pad2(m)}-${pad2(d)}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}${frac}Z`;
}

/** Unix seconds and nanoseconds to RFC 3339 with microseconds (`2006-01-02T15:04:05.000000Z`), as metav1.MicroTime marshals. */
export function formatMicroTime(seconds: number, nanos: number): string {
  const micros = Math.floor(nanos / 1000);
  return formatTimeUncached(seconds, "." + String(micros).padStart(6, "0"));
}

const RFC3339 = /^(-?\d{4,})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([Zz])|([+-])(\d\d):(\d\d))$/;
const parseCache = new Map<string, [number, number]>();

/** Parses RFC 3339 to `[unixSeconds, nanos]`. Throws a DecodeError on anything else. */
export function parseTime(s: string): [number, number] {
  const hit = parseCache.get(s);
  if (hit !== undefined) return hit;
  const m = RFC3339.exec(s);
  if (m === null) throw new DecodeError(`invalid RFC 3339 time ${JSON.stringify(s)}`);
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  let secs = days * 86400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]);
  if (m[9] !== undefined) {
    const off = (Number(m[10]) * 60 + Number(m[11])) * 60;
    secs -= m[9] === "+" ? off : -off;
  }
  const nanos = m[7] === undefined ? 0 : Number((m[7] + "000000000").slice(0, 9));
  const out: [number, number] = [secs, nanos];
  if (parseCache.size > 65536) parseCache.clear();
  parseCache.set(s, out);
  return out;
}

function readTimestamp(r: ProtoReader): [number, number, boolean] {
  const end = r.end;
  let seconds = 0;
  let nanos = 0;
  while (r.pos < end) {
    const t = r.tag();
    if (t === 8) seconds = Number(r.int64());
    else if (t === 16) nanos = r.int32();
    else r.skip(t & 7);
  }
  return [seconds, nanos, true];
}

/** metav1.Time: an empty message is the zero time, JSON null; nanoseconds are ignored, as Go does. */
export function readTime(r: ProtoReader): string | null {
  if (r.pos >= r.end) return null;
  const buf = r.buf;
  // Fast path: 08 <seconds varint> 10 00, the form Go writes.
  const end = r.end;
  let seconds = 0;
  while (r.pos < end) {
    const t = buf[r.pos++]!;
    if (t === 8) seconds = Number(r.int64());
    else {
      r.pos--;
      const tag = r.tag();
      if (tag === 16) r.int32();
      else r.skip(tag & 7);
    }
  }
  return formatTime(seconds);
}

/** metav1.MicroTime: like Time, with nanoseconds truncated to microseconds. */
export function readMicroTime(r: ProtoReader): string | null {
  if (r.pos >= r.end) return null;
  const [seconds, nanos] = readTimestamp(r);
  return formatMicroTime(seconds, nanos);
}

/** Writes a Time field's length-prefixed body (empty for null, the zero time). */
export function writeTime(w: ProtoWriter, v: string | null | undefined): void {
  if (v === null || v === undefined || v === "") {
    w.uint32(0);
    return;
  }
  const [seconds] = parseTime(v);
  w.fork().uint32(8).int64(seconds).uint32(16).int32(0).ldelim();
}

/**
 * Writes a MicroTime (RFC 3339 with microseconds) as the metav1.MicroTime message (seconds and nanos);
 * empty writes an empty message.
 */
export function writeMicroTime(w: ProtoWriter, v: string | null | undefined): void {
  if (v === null || v === undefined || v === "") {
    w.uint32(0);
    return;
  }
  const [seconds, nanos] = parseTime(v);
  w.fork().uint32(8).int64(seconds).uint32(16).int32(Math.floor(nanos / 1000) * 1000).ldelim();
}

// ---- Duration --------------------------------------------------------------------------------

function fmtFrac(v: number, prec: number): [string, number] {
  // Go's time.Duration.String: trailing zeros of the fraction are dropped.
  let s = "";
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10;
    print = print || digit !== 0;
    if (print) s = String(digit) + s;
    v = Math.floor(v / 10);
  }
  return [print ? "." + s : "", v];
}

/** Nanoseconds to Go's time.Duration.String() (`1h2m3.5s`, `150ms`, `0s`). */
export function formatDuration(ns: number): string {
  if (ns === 0) return "0s";
  const neg = ns < 0;
  let u = Math.abs(ns);
  let out: string;
  if (u < 1e9) {
    let unit: string;
    let prec: number;
    if (u < 1e3) return (neg ? "-" : "") + u + "ns";
    if (u < 1e6) {
      unit = "µs";
      prec = 3;
    } else {
      unit = "ms";
      prec = 6;
    }
    const [frac, whole] = fmtFrac(u, prec);
    out = String(whole) + frac + unit;
  } else {
    const [frac, secsTotal] = fmtFrac(u, 9);
    u = secsTotal;
    out = String(u % 60) + frac + "s";
    u = Math.floor(u / 60);
    if (u > 0) {
      out = String(u % 60) + "m" + out;
      u = Math.floor(u / 60);
      if (u > 0) out = String(u) + "h" + out;
    }
  }
  return (neg ? "-" : "") + out;
}

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, "μs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Parses Go's duration syntax (`1h2m`, `-1.5s`, `300ms`) to nanoseconds. */
export function parseDuration(s: string): number {
  let rest = s;
  let neg = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    neg = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") throw new DecodeError(`invalid duration ${JSON.stringify(s)}`);
  let total = 0;
  const re = /^(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== "") {
    const m = re.exec(rest);
    if (m === null || m[1] === "" || m[1] === ".") throw new DecodeError(`invalid duration ${JSON.stringify(s)}`);
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return neg ? -Math.round(total) : Math.round(total);
}

/** metav1.Duration: `{ duration: int64 nanoseconds }` on the wire, Go's duration string in JSON. */
export function readDuration(r: ProtoReader): string {
  const end = r.end;
  let ns: number | bigint = 0;
  while (r.pos < end) {
    const t = r.tag();
    if (t === 8) ns = r.int64();
    else r.skip(t & 7);
  }
  // Beyond 2^53 ns (about 104 days) the exact (bigint) formatter keeps every nanosecond.
  return typeof ns === "number" ? formatDuration(ns) : formatDurationExact(ns);
}

/** Nanoseconds of a duration string, exact: a bigint beyond 2^53 - 1. */
function durationNanos(v: string): number | bigint {
  let ns: bigint;
  try {
    ns = parseDurationExact(v);
  } catch {
    // Not Go's syntax: the lenient parser decides (and throws the DecodeError).
    return parseDuration(v);
  }
  return ns >= -0x1fffffffffffffn && ns <= 0x1fffffffffffffn ? Number(ns) : ns;
}

/** Writes a Duration string (`"1h2m"`) as the metav1.Duration message (nanoseconds). */
export function writeDuration(w: ProtoWriter, v: string | null | undefined): void {
  w.fork().uint32(8).int64(v === null || v === undefined ? 0 : durationNanos(v)).ldelim();
}

// ---- Quantity and IntOrString ----------------------------------------------------------------

/** resource.Quantity: `{ string: string }` on the wire; its canonical string in JSON. */
export function readQuantity(r: ProtoReader): string {
  const end = r.end;
  let s = "0";
  while (r.pos < end) {
    const t = r.tag();
    if (t === 10) s = readInterned(r);
    else r.skip(t & 7);
  }
  return s;
}

/** Writes a Quantity as the resource.Quantity message (its canonical string; `"0"` when absent). */
export function writeQuantity(w: ProtoWriter, v: string | null | undefined): void {
  w.fork().uint32(10).string(v === null || v === undefined ? "0" : String(v)).ldelim();
}

/** intstr.IntOrString: `{ type, intVal, strVal }` on the wire; a number or a string in JSON. */
export function readIntOrString(r: ProtoReader): number | string {
  const end = r.end;
  let type: number | bigint = 0;
  let intVal = 0;
  let strVal = "";
  while (r.pos < end) {
    const t = r.tag();
    if (t === 8) type = r.int64();
    else if (t === 16) intVal = r.int32();
    else if (t === 26) strVal = readInterned(r);
    else r.skip(t & 7);
  }
  return type === 1 ? strVal : intVal;
}

/** Writes an IntOrString as the intstr.IntOrString message (type, intVal, strVal). */
export function writeIntOrString(w: ProtoWriter, v: number | string | null | undefined): void {
  w.fork();
  if (typeof v === "string") w.uint32(8).int64(1).uint32(16).int32(0).uint32(26).string(v);
  else w.uint32(8).int64(0).uint32(16).int32(v ?? 0).uint32(26).string("");
  w.ldelim();
}

// ---- raw JSON (RawExtension, FieldsV1, apiextensions JSON) -----------------------------------

/** Parses JSON bytes carried inside protobuf; empty bytes are JSON null, as Go marshals them. */
export function parseRawJSON(b: Uint8Array): unknown {
  if (b.length === 0) return null;
  return parseJSONText(decodeUtf8(b, 0, b.length));
}

function parseJSONText(text: string): unknown {
  try {
    return parseJSONExact(text);
  } catch (err) {
    throw new DecodeError("protobuf: embedded JSON is not valid", { cause: err });
  }
}

/**
 * The text behind a lazy property of `o` ({@link defineLazyJSON}, {@link defineLazy}) while it has not
 * been read (nor assigned or deleted) since decoding; undefined otherwise. Encoders write it as it came.
 */
export function lazyJSONText(o: object, key: string): string | undefined {
  const d = lazyAccessors.get(key);
  if (d === undefined) return undefined;
  const text = (o as Record<symbol, unknown>)[d.slot];
  if (typeof text !== "string") return undefined;
  if (Object.getOwnPropertyDescriptor(o, key)?.get !== d.accessor.get || lazyParsed.get(o)?.has(key) === true) return undefined;
  return text;
}

/**
 * A message `{ raw: bytes = 1 }` read as the embedded JSON's text, unparsed: null for empty bytes
 * (JSON null). For {@link defineLazyJSON}, through a {@link Shape} with lazy properties.
 */
export function readRawJSONText(r: ProtoReader): string | null {
  const end = r.end;
  let v: string | null = null;
  while (r.pos < end) {
    const t = r.tag();
    if (t === 10) {
      const n = r.length();
      const start = r.pos;
      r.pos = start + n;
      v = n === 0 ? null : r.utf8(start, start + n);
    } else r.skip(t & 7);
  }
  return v;
}

/** A message `{ raw: bytes = 1 }` (RawExtension, FieldsV1, JSON): the embedded JSON value. */
export function readRawJSON(r: ProtoReader): unknown {
  const end = r.end;
  let v: unknown = null;
  while (r.pos < end) {
    const t = r.tag();
    if (t === 10) {
      const n = r.length();
      const start = r.pos;
      r.pos = start + n;
      v = n === 0 ? null : parseJSONText(r.utf8(start, start + n));
    } else r.skip(t & 7);
  }
  return v;
}

interface Utf8Encoder {
  encode(input: string): Uint8Array;
}
let rawEncoder: Utf8Encoder | undefined;

/** Writes a `{ raw: bytes = 1 }` message body from JSON text as it was decoded ({@link lazyJSONText}). */
export function writeRawJSONText(w: ProtoWriter, text: string): void {
  w.fork();
  if (text !== "") w.uint32(10).string(text);
  w.ldelim();
}

/** Writes a `{ raw: bytes = 1 }` message body: nothing for null/undefined, else the compact JSON. */
export function writeRawJSON(w: ProtoWriter, v: unknown): void {
  w.fork();
  if (v !== null && v !== undefined) {
    rawEncoder ??= new (globalThis as unknown as { TextEncoder: new () => Utf8Encoder }).TextEncoder();
    w.uint32(10).bytes(rawEncoder.encode(stringifyJSON(v)));
  }
  w.ldelim();
}

// ---- whole messages --------------------------------------------------------------------------

const EMPTY = new Uint8Array(0);

/** Decodes a whole buffer as one message. */
export function decodeMessage<T>(bytes: Uint8Array, read: MessageReader<T>): T {
  return read(new ProtoReader(bytes));
}

/** A reader over no bytes: `read(emptyReader())` gives a message's zero value in its JSON shape. */
export function emptyReader(): ProtoReader {
  return new ProtoReader(EMPTY);
}

let shared: ProtoWriter | undefined;

/** Encodes one message body to a fresh Uint8Array. */
export function encodeMessage<T>(value: T, write: MessageWriter<T>): Uint8Array {
  const w = shared ?? new ProtoWriter(64 * 1024);
  shared = undefined;
  try {
    w.reset();
    write(w, value);
    return w.finish();
  } finally {
    shared = w;
  }
}
