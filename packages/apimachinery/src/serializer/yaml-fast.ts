/**
 * A fast path of parseYAML for the simple documents most YAML files are (kubeconfigs as kubectl, kind and
 * client-go write them, small manifests): JSON, or block-style YAML made of maps, sequences and one-line
 * plain or quoted scalars. It gives exactly what the full path (the `yaml` package's parser and composer,
 * then our go-yaml v2 conversion) gives for every document it accepts, and returns {@link NOT_SIMPLE}
 * for anything else (flow collections other than `{}` and `[]`, anchors, aliases, tags, merge keys,
 * block scalars, multi-line scalars, document markers, directives, duplicate keys, tabs, non-ASCII
 * text, deep nesting, trailing comments...), which the caller then hands to the full path. So the
 * `yaml` package, whose import costs tens of milliseconds, is not even loaded for such documents.
 * test/yaml-fast.test.ts compares both paths on fixtures and on generated documents.
 */
import { keyToString, resolvePlainScalar } from "./go-yaml-resolve.js";

/** The answer for a document outside the subset: parse it with the full path. */
export const NOT_SIMPLE: unique symbol = Symbol("not simple YAML");

/** Nesting the fast path takes (the full path allows MAX_YAML_DEPTH and reports deeper documents). */
const MAX_FAST_DEPTH = 64;

/**
 * Raw text of JSON documents taken by JSON.parse: no tab (the `yaml` package rejects tab indentation),
 * no YAML 1.1 line break inside a string (U+0085, U+2028, U+2029: YAML folds them), no byte order mark,
 * no control characters; a carriage return only before a newline (YAML does not take a lone one as
 * a line break).
 */
const JSON_UNSAFE = /[^\n\r\x20-\x7e\u00a0-\u2027\u202a-\ufefe\uff00-\uffff]/;
/** Raw text of block YAML the fast path takes: printable ASCII and newlines. */
const BLOCK_UNSAFE = /[^\n\x20-\x7e]/;
/**
 * One-line plain scalars taken: a conservative subset of what YAML allows. The first character is no
 * YAML indicator (a `-` only before a non-space character), `: ` and ` #` never occur, and neither
 * does a trailing `:` or a flow indicator.
 */
const PLAIN = /^(?:[A-Za-z0-9_./~$+=()^]|-(?=[^\s]))[A-Za-z0-9_./~$+=()^\-:@%!&*?'"<>;|\\` #]*$/;

/**
 * Parses `text` if it is in the subset, or returns NOT_SIMPLE. `strict` documents (duplicate keys
 * reported) are taken as YAML only: JSON.parse hides duplicate keys.
 */
export function parseSimpleYAML(text: string, strict: boolean): unknown {
  const start = /^[ \n]*/.exec(text)![0].length;
  if (text.charCodeAt(start) === 0x7b /* { */) return strict ? NOT_SIMPLE : parseJSONDocument(text);
  if (BLOCK_UNSAFE.test(text)) return NOT_SIMPLE;
  try {
    return new BlockParser(text).document();
  } catch (err) {
    if (err === NOT_SIMPLE_ERROR) return NOT_SIMPLE;
    throw err;
  }
}

function parseJSONDocument(text: string): unknown {
  if (JSON_UNSAFE.test(text) || /\r(?!\n)/.test(text)) return NOT_SIMPLE;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_SIMPLE; // maybe YAML flow style that is not JSON: the full path decides.
  }
  return jsonAgrees(value, 0) ? value : NOT_SIMPLE;
}

/**
 * Whether go-yaml's resolution gives the same value: integers beyond 2^53 become bigints (or are
 * rounded differently), `-0` is the integer 0, and the full path limits nesting.
 */
function jsonAgrees(v: unknown, depth: number): boolean {
  if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0) && (!Number.isInteger(v) || Number.isSafeInteger(v));
  if (v === null || typeof v !== "object") return true;
  if (depth >= MAX_FAST_DEPTH) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (!jsonAgrees(x, depth + 1)) return false;
    return true;
  }
  for (const k in v) if (!jsonAgrees((v as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}

/** Thrown inside the block parser to give up; turned into NOT_SIMPLE. */
const NOT_SIMPLE_ERROR = new Error("not simple YAML");

function giveUp(): never {
  throw NOT_SIMPLE_ERROR;
}

interface Line {
  readonly indent: number;
  /** The text after the indentation, trailing spaces removed. */
  readonly text: string;
}

/** A scalar (or `{}` / `[]`) and where it ended on its line. */
interface Scalar {
  readonly value: unknown;
  readonly end: number;
}

class BlockParser {
  private readonly lines: Line[] = [];
  private pos = 0;

  constructor(text: string) {
    for (const raw of text.split("\n")) {
      const body = raw.trimEnd();
      const indent = body.length - body.trimStart().length;
      if (indent === body.length || body.charCodeAt(indent) === 0x23 /* # */) continue; // blank or comment
      // Document markers and directives at the start of a line: multi-document streams and the like.
      if (indent === 0 && (body.startsWith("---") || body.startsWith("...") || body[0] === "%")) giveUp();
      this.lines.push({ indent, text: body.slice(indent) });
    }
  }

  document(): unknown {
    const first = this.lines[0];
    if (first === undefined) return null;
    const value = this.node(first.indent, first.text, 0);
    if (this.pos !== this.lines.length) giveUp(); // something less indented after the root node
    return value;
  }

  /** The block node whose first line, the current one, starts with `text` at column `indent`. */
  private node(indent: number, text: string, depth: number): unknown {
    if (depth > MAX_FAST_DEPTH) giveUp();
    if (text === "-" || text.startsWith("- ")) return this.sequence(indent, depth);
    return this.mapping(indent, depth);
  }

  /** A block sequence whose items start with `- ` at column `indent`, from the current line on. */
  private sequence(indent: number, depth: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.lines[this.pos]; line !== undefined && line.indent === indent; line = this.lines[this.pos]) {
      if (line.text === "-") {
        this.pos++;
        const next = this.lines[this.pos];
        out.push(next !== undefined && next.indent > indent ? this.node(next.indent, next.text, depth + 1) : null);
        continue;
      }
      if (!line.text.startsWith("- ")) break;
      const rest = line.text.slice(2).trimStart();
      const column = indent + line.text.length - rest.length;
      if (rest === "-" || rest.startsWith("- ") || rest === "?" || rest.startsWith("? ")) giveUp(); // nested sequence, complex key
      if (this.isMapEntry(rest)) {
        // "- key: value": a mapping at the item's column, continued on the lines below.
        this.lines[this.pos] = { indent: column, text: rest };
        out.push(this.mapping(column, depth + 1));
        continue;
      }
      const s = this.scalar(rest, 0);
      if (s.end !== rest.length) giveUp();
      this.pos++;
      this.expectNoContinuation(indent);
      out.push(s.value);
    }
    return out;
  }

  /** Whether a line's text is `key:` or `key: value` (rather than a scalar). */
  private isMapEntry(text: string): boolean {
    const c = text[0];
    if (c === '"' || c === "'") {
      const end = quotedEnd(text, 0);
      return end > 0 && text[end] === ":";
    }
    return /:(?: |$)/.test(text);
  }

  /** A block mapping whose keys start at column `indent`, from the current line on. */
  private mapping(indent: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let line = this.lines[this.pos]; line !== undefined && line.indent === indent; line = this.lines[this.pos]) {
      const text = line.text;
      if (text === "-" || text.startsWith("- ")) giveUp(); // a sequence item among mapping keys
      const { key, end } = this.key(text);
      if (Object.hasOwn(out, key)) giveUp(); // duplicates: strict mode reports them, the full path does that
      // After the key comes ":" then the end of the line or a space and the value.
      let i = end + 1;
      if (i < text.length && text[i] !== " ") giveUp();
      while (text[i] === " ") i++;
      this.pos++;
      let value: unknown;
      if (i >= text.length) {
        const next = this.lines[this.pos];
        if (next !== undefined && next.indent > indent) value = this.node(next.indent, next.text, depth + 1);
        else if (next !== undefined && next.indent === indent && (next.text === "-" || next.text.startsWith("- "))) {
          value = this.sequence(indent, depth + 1); // "key:" then "- item" at the key's column
        } else value = null;
      } else {
        const s = this.scalar(text, i);
        if (s.end !== text.length) giveUp();
        this.expectNoContinuation(indent);
        value = s.value;
      }
      if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }

  /** After a one-line value, a more indented line would continue it (a multi-line scalar) or be an error. */
  private expectNoContinuation(indent: number): void {
    const next = this.lines[this.pos];
    if (next !== undefined && next.indent > indent) giveUp();
  }

  /** The key at the start of a mapping line and the index of its ":". */
  private key(text: string): { key: string; end: number } {
    const c = text[0];
    if (c === '"' || c === "'") {
      const end = quotedEnd(text, 0);
      if (end < 0 || text[end] !== ":") giveUp();
      return { key: unquote(text.slice(0, end)), end };
    }
    const m = /:(?: |$)/.exec(text);
    if (m === null) giveUp();
    const raw = text.slice(0, m.index);
    if (raw === "<<" || !PLAIN.test(raw) || raw.endsWith(" ") || raw.includes(" #")) giveUp(); // merge keys, odd keys
    const key = keyToString(resolvePlainScalar(raw));
    if (key === undefined) giveUp(); // null keys, keys beyond int64: the full path reports them
    return { key, end: m.index };
  }

  /** A one-line scalar value (plain, single- or double-quoted, `{}` or `[]`) starting at `i`. */
  private scalar(text: string, i: number): Scalar {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = quotedEnd(text, i);
      if (end < 0) giveUp(); // multi-line quoted scalar
      return { value: unquote(text.slice(i, end)), end };
    }
    const raw = text.slice(i);
    if (raw === "{}") return { value: {}, end: text.length };
    if (raw === "[]") return { value: [], end: text.length };
    if (!PLAIN.test(raw) || raw.includes(" #") || raw.includes(": ") || raw.endsWith(":")) giveUp();
    const r = resolvePlainScalar(raw);
    if (r.kind === "float" && !Number.isFinite(r.value)) giveUp(); // the full path reports .nan / .inf
    if (r.kind === "int" && !r.uint64 && !Number.isSafeInteger(r.value)) return { value: r.exact, end: text.length };
    return { value: r.value, end: text.length };
  }
}

/** The index just after the closing quote of the quoted scalar at `i` (on this line), or -1. */
function quotedEnd(text: string, i: number): number {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (q === "'" && c === "'") {
      if (text[j + 1] === "'") {
        j++;
        continue;
      }
      return j + 1;
    }
    if (q === '"') {
      if (c === "\\") {
        j++;
        continue;
      }
      if (c === '"') return j + 1;
    }
  }
  return -1;
}

const ESCAPES: Readonly<Record<string, string>> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
};
const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** The value of a one-line quoted scalar, quotes included in `quoted`. */
function unquote(quoted: string): string {
  const body = quoted.slice(1, -1);
  if (quoted[0] === "'") return body.replaceAll("''", "'");
  if (!body.includes("\\")) return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i] ?? giveUp();
    const simple = ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const n = HEX_ESCAPE_LENGTH[e] ?? giveUp(); // escaped line breaks and unknown escapes
    const hex = body.slice(i + 1, i + 1 + n);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) giveUp();
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) giveUp();
    out += String.fromCodePoint(cp);
    i += n;
  }
  return out;
}
