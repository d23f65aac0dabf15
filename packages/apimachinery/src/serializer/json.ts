/**
 * Kubernetes JSON.
 *
 * The fast path is `JSON.parse` (the object shape IS the JSON shape); only when it fails do we scan
 * the input again with our own tokenizer to report where (`DecodeError` with `offset` and `path`).
 *
 * The strict path (`decodeJSONStrict`) is our own single-pass parser. Like apimachinery's strict
 * decoding (sigs.k8s.io/json with DisallowDuplicateFields/DisallowUnknownFields) it decodes the
 * whole object and reports findings next to it: `duplicate field "metadata.name"`,
 * `unknown field "spec.foo"` (unknown = not allowed by a known-field schema or predicate you give).
 * Unknown and duplicate fields are still kept in the value (the last duplicate wins), as an
 * Unstructured object keeps them.
 *
 * Numbers: an integer is a `number` while it is a safe integer (|n| <= 2^53 - 1) and a `bigint`
 * with its exact value beyond that, up to the int64 range (int64 fields such as
 * `activeDeadlineSeconds` can hold any int64), so a value read and written back is never changed.
 * Floats (a `.` or an exponent) and integers beyond int64 are numbers, as Go reads them (float64). The fast path stays `JSON.parse`: one scan of the text for
 * a run of 16 digits (which V8 does at about 1% of the parse's cost) decides; only text holding an
 * integer that is not a safe integer takes our own parser. `encodeJSON` and {@link stringifyJSON}
 * write a bigint with all its digits. The strict path's `bigIntegers` option can instead round
 * ("lossy") or reject ("error") such integers.
 */
import { DecodeError } from "./decode-error.js";
import { goQuote } from "../errors/go-format.js";
import { decodeUtf8Lenient, encodeUtf8 } from "./web.js";

/** Maximum nesting of arrays and objects, as Go's encoding/json. */
export const MAX_JSON_DEPTH = 10_000;
const MAX_STRICT_ERRORS = 100;

/**
 * Which fields a typed object knows. `fields` lists an object's fields (each with its own schema);
 * `items` describes the elements of an array, `values` the values of a map. An absent schema, or a
 * schema with none of these, accepts anything below it (maps, RawExtension, Unstructured).
 */
export interface FieldSchema {
  readonly fields?: Readonly<Record<string, FieldSchema>>;
  readonly items?: FieldSchema;
  readonly values?: FieldSchema;
}

/**
 * A known-field predicate: is `field` known on the object found at `parentPath`
 * (`""` for the root, `spec.containers[0]` below)?
 */
export type KnownFieldPredicate = (parentPath: string, field: string) => boolean;

/** What strict JSON decoding reports as errors (sigs.k8s.io/json strict mode: duplicate and unknown fields). */
export interface JSONStrictOptions {
  /** Report unknown fields against this schema or predicate. Without it, only duplicates are reported. */
  readonly knownFields?: FieldSchema | KnownFieldPredicate;
  /** Report duplicate fields (default true). */
  readonly duplicateFields?: boolean;
  /**
   * What to do with an integer beyond Number.MAX_SAFE_INTEGER: round it like JSON.parse
   * ("lossy", the default), throw a DecodeError ("error"), return a bigint ("bigint"), or return a
   * bigint within the int64 range and round beyond it as Go's float64 ("int64", what
   * {@link decodeJSON} does).
   */
  readonly bigIntegers?: "lossy" | "error" | "bigint" | "int64";
  /** Name used in error messages (a file name). */
  readonly source?: string;
}

/** A strict decode: the value and the strict findings (at most 100, de-duplicated, in input order). */
export interface JSONStrictResult<T = unknown> {
  readonly value: T;
  readonly strictErrors: readonly string[];
}

/**
 * The error apimachinery's strict decoding produces: the object decoded, but with unknown or
 * duplicate fields. Throw it when you want findings to fail a request (as the API server does with
 * `fieldValidation=Strict`); keep `strictErrors` as warnings otherwise.
 */
export class StrictDecodingError extends Error {
  override readonly name = "StrictDecodingError" as const;
  readonly errors: readonly string[];
  constructor(errors: readonly string[], options: { source?: string } = {}) {
    super(`${options.source ? `${options.source}: ` : ""}strict decoding error: ${errors.join(", ")}`);
    this.errors = errors;
  }
}

/** True for a StrictDecodingError from any copy of @kubets/apimachinery. */
export function isStrictDecodingError(err: unknown): err is StrictDecodingError {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "StrictDecodingError";
}

function toText(input: string | Uint8Array): string {
  return typeof input === "string" ? input : decodeUtf8Lenient(input);
}

/** Sixteen digits in a row (written out: V8 scans for a fixed-length run far faster than for `\d{16}`). */
const SIXTEEN_DIGITS = /\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d/g;

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}
function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.LF || c === Ch.CR || c === Ch.Tab;
}

/**
 * Whether `text` may hold a JSON integer that is not a safe integer. Never false when it does; true
 * for such digits inside a string only in contrived cases (`"a,12345678901234567"`), which cost the
 * slow path, not correctness. Digit runs in strings (image digests, timestamps) are ruled out by
 * what precedes them: a number follows `:` (after a key's closing quote), `,` or `[`.
 */
export function mayHoldUnsafeInteger(text: string): boolean {
  const re = SIXTEEN_DIGITS;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    let start = m.index;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    let end = m.index + 16;
    while (end < text.length && isDigit(text.charCodeAt(end))) end++;
    re.lastIndex = end;
    const after = text.charCodeAt(end);
    if (after === Ch.Dot || after === Ch.E || after === Ch.LowerE) continue; // a float
    let b = start - 1;
    if (b >= 0 && text.charCodeAt(b) === Ch.Minus) b--;
    while (b >= 0 && isSpace(text.charCodeAt(b))) b--;
    if (b >= 0) {
      const c = text.charCodeAt(b);
      if (c === Ch.Colon) {
        let q = b - 1;
        while (q >= 0 && isSpace(text.charCodeAt(q))) q--;
        if (text.charCodeAt(q) !== Ch.Quote) continue;
        let slashes = 0;
        while (q - 1 - slashes >= 0 && text.charCodeAt(q - 1 - slashes) === Ch.Backslash) slashes++;
        if (slashes % 2 === 1) continue; // an escaped quote: inside a string
      } else if (c !== Ch.Comma && c !== Ch.LBracket) continue;
    }
    const negative = start > 0 && text.charCodeAt(start - 1) === Ch.Minus;
    if (!Number.isSafeInteger(Number(text.slice(negative ? start - 1 : start, end)))) return true;
  }
  return false;
}

/**
 * `JSON.parse`, except that an int64 beyond 2^53 - 1 is a bigint with its exact value (see the
 * module comment). Throws a SyntaxError or a DecodeError on invalid JSON.
 */
export function parseJSONExact(text: string): unknown {
  if (!mayHoldUnsafeInteger(text)) return JSON.parse(text) as unknown;
  return new StrictParser(text, { duplicateFields: false, bigIntegers: "int64" }).parseDocument();
}

/**
 * Decode JSON (fast path: JSON.parse). Invalid UTF-8 becomes U+FFFD, as in Go. Integers beyond
 * 2^53 - 1 are bigints with their exact value (see the module comment). Errors are DecodeError
 * with the byte offset and the path of the value being read.
 */
export function decodeJSON<T = unknown>(input: string | Uint8Array, options: { source?: string } = {}): T {
  const text = toText(input);
  try {
    return parseJSONExact(text) as T;
  } catch {
    // Locate the error with our own scanner (it throws a DecodeError with offset and path).
    new StrictParser(text, { duplicateFields: false, ...(options.source !== undefined ? { source: options.source } : {}) }).parseDocument();
    // JSON.parse and our scanner disagree: report without a location rather than guess.
    throw new DecodeError(`${options.source ? `${options.source}: ` : ""}invalid JSON`);
  }
}

/** Decode JSON with strict findings (duplicate fields, unknown fields). See the module comment. */
export function decodeJSONStrict<T = unknown>(input: string | Uint8Array, options: JSONStrictOptions = {}): JSONStrictResult<T> {
  const p = new StrictParser(toText(input), options);
  const value = p.parseDocument();
  return { value: value as T, strictErrors: p.strictErrors };
}

/** How {@link encodeJSON} writes: indentation and Go-style HTML escaping. */
export interface JSONEncodeOptions {
  /** Indent with this many spaces (default: compact). */
  readonly indent?: number;
  /** Escape `<`, `>`, `&`, U+2028 and U+2029 as Go's encoding/json does by default (default false). */
  readonly escapeHTML?: boolean;
}

const HTML_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * Encode a value as Kubernetes JSON. A non-finite number throws a RangeError (Go's encoder rejects
 * it as an "unsupported value") instead of silently becoming `null`; a bigint is written with all
 * its digits.
 */
export function encodeJSON(value: unknown, options: JSONEncodeOptions = {}): string {
  const text = withBigInts((replace) => JSON.stringify(value, (k, v: unknown) => replace(k, nonFiniteGuard(k, v)), options.indent));
  if (text === undefined) throw new TypeError("cannot encode undefined as JSON");
  return options.escapeHTML === true ? text.replace(/[<>&\u2028\u2029]/g, (c) => HTML_ESCAPES[c] ?? c) : text;
}

const rawJSON = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;
let nonceCounter = 0;

/**
 * Runs `stringify` with a replacer that writes bigints exactly: as `JSON.rawJSON` where the runtime
 * has it (Node 21+), else as a marker string with a per-call random nonce that is then replaced by
 * the digits (the nonce makes a collision with a real string value practically impossible).
 */
function withBigInts(stringify: (replace: (key: string, v: unknown) => unknown) => string | undefined): string | undefined {
  if (rawJSON !== undefined) return stringify((_k, v) => (typeof v === "bigint" ? rawJSON(v.toString()) : v));
  const nonce = `${(Math.random() * 2 ** 52).toString(36)}${(nonceCounter++).toString(36)}${Date.now().toString(36)}`;
  const prefix = `kubets-bigint-${nonce}:`;
  let count = 0;
  const text = stringify((_k, v) => {
    if (typeof v !== "bigint") return v;
    count++;
    return prefix + v.toString();
  });
  if (count === 0 || text === undefined) return text;
  return text.replace(new RegExp(`"${prefix}(-?\\d+)"`, "g"), "$1");
}

/**
 * `JSON.stringify` for API objects (compact, or indented by `space`), except that a bigint is written
 * with all its digits instead of throwing. Objects without bigints take `JSON.stringify` unchanged.
 */
export function stringifyJSON(value: unknown, space?: number): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, space);
  } catch (err) {
    // "Do not know how to serialize a BigInt": encode again, writing bigints exactly.
    if (!(err instanceof TypeError)) throw err;
    text = withBigInts((replace) => JSON.stringify(value, replace, space));
  }
  if (text === undefined) throw new TypeError("cannot encode undefined as JSON");
  return text;
}

/** encodeJSON as UTF-8 bytes. */
export function encodeJSONBytes(value: unknown, options: JSONEncodeOptions = {}): Uint8Array {
  return encodeUtf8(encodeJSON(value, options));
}

function nonFiniteGuard(_key: string, v: unknown): unknown {
  if (typeof v === "number" && !Number.isFinite(v)) throw new RangeError(`json: unsupported value: ${String(v)}`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// The strict parser.

const enum Ch {
  Tab = 0x09,
  LF = 0x0a,
  CR = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  E = 0x45,
  LBracket = 0x5b,
  Backslash = 0x5c,
  RBracket = 0x5d,
  LowerE = 0x65,
  LBrace = 0x7b,
  RBrace = 0x7d,
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

type SchemaPos = FieldSchema | KnownFieldPredicate | undefined;

class StrictParser {
  private pos = 0;
  readonly strictErrors: string[] = [];
  private readonly seen = new Set<string>();
  private readonly dup: boolean;
  private readonly big: "lossy" | "error" | "bigint" | "int64";
  private readonly source: string | undefined;
  private readonly known: FieldSchema | KnownFieldPredicate | undefined;

  constructor(
    private readonly text: string,
    options: JSONStrictOptions,
  ) {
    this.dup = options.duplicateFields !== false;
    this.big = options.bigIntegers ?? "lossy";
    this.source = options.source;
    this.known = options.knownFields;
  }

  parseDocument(): unknown {
    try {
      return this.parseAll();
    } catch (err) {
      // Deep nesting can exhaust the JS stack before MAX_JSON_DEPTH on small stacks.
      if (err instanceof RangeError) this.fail("exceeded max depth", "");
      throw err;
    }
  }

  private parseAll(): unknown {
    this.ws();
    const v = this.value("", this.known, 0);
    this.ws();
    if (this.pos < this.text.length) this.fail(`invalid character ${this.describe()} after top-level value`, "");
    return v;
  }

  private byteOffset(charIndex: number): number {
    // Only computed on error: the UTF-8 length of the text before the error.
    let ascii = true;
    for (let i = 0; i < charIndex; i++) {
      if (this.text.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    return ascii ? charIndex : encodeUtf8(this.text.slice(0, charIndex)).length;
  }

  private fail(message: string, path: string, at = this.pos): never {
    throw new DecodeError(`${this.source ? `${this.source}: ` : ""}${message}`, {
      ...(path !== "" ? { path } : {}),
      offset: this.byteOffset(Math.min(at, this.text.length)),
    });
  }

  private describe(): string {
    if (this.pos >= this.text.length) return "end of input";
    const c = this.text[this.pos] as string;
    return `'${c === "'" ? "\\'" : c}'`;
  }

  private strict(message: string): void {
    if (this.strictErrors.length >= MAX_STRICT_ERRORS || this.seen.has(message)) return;
    this.seen.add(message);
    this.strictErrors.push(message);
  }

  private ws(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === Ch.Space || c === Ch.LF || c === Ch.CR || c === Ch.Tab) p++;
      else break;
    }
    this.pos = p;
  }

  private value(path: string, schema: SchemaPos, depth: number): unknown {
    if (this.pos >= this.text.length) this.fail("unexpected end of JSON input", path);
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case Ch.LBrace:
        return this.object(path, schema, depth + 1);
      case Ch.LBracket:
        return this.array(path, schema, depth + 1);
      case Ch.Quote:
        return this.string(path);
      case 0x74: // t
        return this.literal("true", true, path);
      case 0x66: // f
        return this.literal("false", false, path);
      case 0x6e: // n
        return this.literal("null", null, path);
      default:
        if (c === Ch.Minus || (c >= Ch.Zero && c <= Ch.Nine)) return this.number(path);
        this.fail(`invalid character ${this.describe()} looking for beginning of value`, path);
    }
  }

  private literal<V>(word: string, v: V, path: string): V {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return v;
    }
    for (let i = 0; i < word.length; i++) {
      if (this.text.charCodeAt(this.pos) !== word.charCodeAt(i)) {
        this.fail(
          this.pos >= this.text.length
            ? "unexpected end of JSON input"
            : `invalid character ${this.describe()} in literal ${word} (expecting '${word[i]}')`,
          path,
        );
      }
      this.pos++;
    }
    return v;
  }

  private number(path: string): number | bigint {
    const t = this.text;
    const start = this.pos;
    let p = start;
    let integer = true;
    if (t.charCodeAt(p) === Ch.Minus) p++;
    const first = t.charCodeAt(p);
    if (first === Ch.Zero) {
      p++;
    } else if (first >= 0x31 && first <= Ch.Nine) {
      while (p < t.length && t.charCodeAt(p) >= Ch.Zero && t.charCodeAt(p) <= Ch.Nine) p++;
    } else {
      this.pos = p;
      this.fail(p >= t.length ? "unexpected end of JSON input" : `invalid character ${this.describe()} in numeric literal`, path);
    }
    if (t.charCodeAt(p) === Ch.Dot) {
      integer = false;
      p++;
      const d0 = p;
      while (p < t.length && t.charCodeAt(p) >= Ch.Zero && t.charCodeAt(p) <= Ch.Nine) p++;
      if (p === d0) {
        this.pos = p;
        this.fail(p >= t.length ? "unexpected end of JSON input" : `invalid character ${this.describe()} after decimal point in numeric literal`, path);
      }
    }
    const e = t.charCodeAt(p);
    if (e === Ch.E || e === Ch.LowerE) {
      integer = false;
      p++;
      const s = t.charCodeAt(p);
      if (s === Ch.Plus || s === Ch.Minus) p++;
      const d0 = p;
      while (p < t.length && t.charCodeAt(p) >= Ch.Zero && t.charCodeAt(p) <= Ch.Nine) p++;
      if (p === d0) {
        this.pos = p;
        this.fail(p >= t.length ? "unexpected end of JSON input" : `invalid character ${this.describe()} in exponent of numeric literal`, path);
      }
    }
    this.pos = p;
    const lexeme = t.slice(start, p);
    const n = Number(lexeme);
    if (integer && !Number.isSafeInteger(n) && this.big !== "lossy") {
      if (this.big === "bigint") return BigInt(lexeme);
      if (this.big === "int64") {
        const b = BigInt(lexeme);
        return b >= -0x8000000000000000n && b <= 0x7fffffffffffffffn ? b : n;
      }
      this.fail(`integer ${lexeme} cannot be represented exactly (beyond 2^53)`, path, start);
    }
    return n;
  }

  private string(path: string): string {
    const t = this.text;
    let p = this.pos + 1;
    let out = "";
    let chunk = p;
    for (;;) {
      if (p >= t.length) {
        this.pos = p;
        this.fail("unexpected end of JSON input", path);
      }
      const c = t.charCodeAt(p);
      if (c === Ch.Quote) break;
      if (c < 0x20) {
        this.pos = p;
        this.fail(`invalid character ${JSON.stringify(t[p])} in string literal`, path);
      }
      if (c === Ch.Backslash) {
        out += t.slice(chunk, p);
        const esc = t.charCodeAt(p + 1);
        switch (esc) {
          case 0x22: out += '"'; break;
          case 0x5c: out += "\\"; break;
          case 0x2f: out += "/"; break;
          case 0x62: out += "\b"; break;
          case 0x66: out += "\f"; break;
          case 0x6e: out += "\n"; break;
          case 0x72: out += "\r"; break;
          case 0x74: out += "\t"; break;
          case 0x75: {
            // No regular expressions here: this can run deep in the recursion (see parseDocument).
            let code = 0;
            for (let k = p + 2; k < p + 6; k++) {
              const h = hexValue(t.charCodeAt(k));
              if (h < 0) {
                this.pos = k;
                this.fail(k >= t.length ? "unexpected end of JSON input" : "invalid character in \\u hexadecimal character escape", path);
              }
              code = (code << 4) | h;
            }
            out += String.fromCharCode(code);
            p += 4;
            break;
          }
          default:
            this.pos = p + 1;
            this.fail(p + 1 >= t.length ? "unexpected end of JSON input" : `invalid character ${this.describe()} in string escape code`, path);
        }
        p += 2;
        chunk = p;
        continue;
      }
      p++;
    }
    out += t.slice(chunk, p);
    this.pos = p + 1;
    return out;
  }

  private array(path: string, schema: SchemaPos, depth: number): unknown[] {
    if (depth > MAX_JSON_DEPTH) this.fail("exceeded max depth", path);
    this.pos++;
    const out: unknown[] = [];
    this.ws();
    if (this.text.charCodeAt(this.pos) === Ch.RBracket) {
      this.pos++;
      return out;
    }
    const itemSchema = typeof schema === "function" ? schema : schema?.items;
    for (let i = 0; ; i++) {
      this.ws();
      out.push(this.value(`${path}[${i}]`, itemSchema, depth));
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === Ch.Comma) {
        this.pos++;
        continue;
      }
      if (c === Ch.RBracket) {
        this.pos++;
        return out;
      }
      this.fail(this.pos >= this.text.length ? "unexpected end of JSON input" : `invalid character ${this.describe()} after array element`, path);
    }
  }

  private object(path: string, schema: SchemaPos, depth: number): Record<string, unknown> {
    if (depth > MAX_JSON_DEPTH) this.fail("exceeded max depth", path);
    this.pos++;
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.text.charCodeAt(this.pos) === Ch.RBrace) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) !== Ch.Quote) {
        this.fail(this.pos >= this.text.length ? "unexpected end of JSON input" : `invalid character ${this.describe()} looking for beginning of object key string`, path);
      }
      const key = this.string(path);
      const childPath = path === "" ? key : `${path}.${key}`;
      this.ws();
      if (this.text.charCodeAt(this.pos) !== Ch.Colon) {
        this.fail(this.pos >= this.text.length ? "unexpected end of JSON input" : `invalid character ${this.describe()} after object key`, childPath);
      }
      this.pos++;
      this.ws();
      let childSchema: SchemaPos;
      if (typeof schema === "function") {
        if (!schema(path, key)) this.strict(`unknown field ${goQuote(childPath)}`);
        childSchema = schema;
      } else if (schema?.fields !== undefined) {
        childSchema = Object.hasOwn(schema.fields, key) ? schema.fields[key] : undefined;
        if (childSchema === undefined) this.strict(`unknown field ${goQuote(childPath)}`);
      } else {
        childSchema = schema?.values;
      }
      if (this.dup && Object.hasOwn(out, key)) this.strict(`duplicate field ${goQuote(childPath)}`);
      const v = this.value(childPath, childSchema, depth);
      if (key === "__proto__") {
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = v;
      }
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === Ch.Comma) {
        this.pos++;
        continue;
      }
      if (c === Ch.RBrace) {
        this.pos++;
        return out;
      }
      this.fail(this.pos >= this.text.length ? "unexpected end of JSON input" : `invalid character ${this.describe()} after object key:value pair`, childPath);
    }
  }
}
