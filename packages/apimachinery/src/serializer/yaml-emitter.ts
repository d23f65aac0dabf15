/**
 * A YAML writer for JSON values that produces the bytes sigs.k8s.io/yaml produces (its
 * JSONToYAML: go-yaml v2's encoder, itself a port of libyaml's emitter): block style, 2-space
 * indentation, sequences not indented under their key, keys in go-yaml's "natural" order, the
 * same choice between plain, single-quoted, double-quoted and literal scalars, and the same
 * folding of long lines at 80 columns. Written from the behaviour of that emitter; the state
 * machine is reduced to what JSON values need (no anchors, tags or flow collections other than
 * the empty `[]` and `{}`).
 */
import { goYAMLNeedsQuotes } from "./go-yaml-resolve.js";

const BEST_INDENT = 2;
/** Nesting beyond this is refused (the emitter recurses). */
const MAX_DEPTH = 10_000;

/** Values JSON.stringify leaves out of objects (and writes as null in arrays). */
const isSkipped = (v: unknown) => v === undefined || typeof v === "function" || typeof v === "symbol";
const BEST_WIDTH = 80;

type Style = "plain" | "single" | "double" | "literal";

interface Analysis {
  readonly multiline: boolean;
  readonly flowPlainAllowed: boolean;
  readonly blockPlainAllowed: boolean;
  readonly singleQuotedAllowed: boolean;
  readonly blockAllowed: boolean;
}

interface Context {
  readonly root: boolean;
  readonly sequence: boolean;
  readonly mapping: boolean;
  readonly simpleKey: boolean;
}

const isBreak = (c: number) => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlank = (c: number | undefined) => c === 0x20 || c === 0x09;
/** libyaml's is_printable, on code points (4-byte UTF-8 characters count as not printable). */
const isPrintable = (c: number) =>
  c === 0x0a ||
  (c >= 0x20 && c <= 0x7e) ||
  (c >= 0xa0 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);

/** The scalar analysis libyaml runs before choosing a style. */
function analyze(cps: readonly number[]): Analysis {
  if (cps.length === 0) {
    return { multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  const c0 = cps[0]!;
  const c1 = cps[1];
  const c2 = cps[2];
  if (cps.length >= 3 && ((c0 === 0x2d && c1 === 0x2d && c2 === 0x2d) || (c0 === 0x2e && c1 === 0x2e && c2 === 0x2e))) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  const n = cps.length;
  for (let i = 0; i < n; i++) {
    const c = cps[i]!;
    const next = cps[i + 1];
    const followedByWhitespace = i + 1 >= n || isBlank(next);
    if (i === 0) {
      switch (c) {
        case 0x23: case 0x2c: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x26: case 0x2a:
        case 0x21: case 0x7c: case 0x3e: case 0x27: case 0x22: case 0x25: case 0x40: case 0x60:
          flowIndicators = true;
          blockIndicators = true;
          break;
        case 0x3f: case 0x3a:
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
          break;
        case 0x2d:
          if (followedByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
          break;
      }
    } else {
      switch (c) {
        case 0x2c: case 0x3f: case 0x5b: case 0x5d: case 0x7b: case 0x7d:
          flowIndicators = true;
          break;
        case 0x3a:
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
          break;
        case 0x23:
          if (precededByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
          break;
      }
    }
    if (!isPrintable(c)) special = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === n - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === n - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c) || c === 0;
  }
  let flowPlain = true;
  let blockPlain = true;
  let single = true;
  let block = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    flowPlain = false;
    blockPlain = false;
  }
  if (trailingSpace) block = false;
  if (breakSpace) {
    flowPlain = false;
    blockPlain = false;
    single = false;
  }
  if (spaceBreak || special) {
    flowPlain = false;
    blockPlain = false;
    single = false;
    block = false;
  }
  if (lineBreaks) {
    flowPlain = false;
    blockPlain = false;
  }
  if (flowIndicators) flowPlain = false;
  if (blockIndicators) blockPlain = false;
  return { multiline: lineBreaks, flowPlainAllowed: flowPlain, blockPlainAllowed: blockPlain, singleQuotedAllowed: single, blockAllowed: block };
}

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

function utf8Length(cps: readonly number[]): number {
  let n = 0;
  for (const c of cps) n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  return n;
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64). */
export function formatFloat64G(v: number): string {
  if (Number.isNaN(v)) return ".nan";
  if (v === Infinity) return ".inf";
  if (v === -Infinity) return "-.inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const [mant = "", e = "0"] = Math.abs(v).toExponential().split("e");
  const digits = mant.replace(".", "");
  const exp = Number(e);
  const sign = v < 0 ? "-" : "";
  // Go's %g with the shortest precision switches to exponent form outside [1e-4, 1e6).
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ea = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${ea < 10 ? "0" : ""}${ea}`;
  }
  if (exp >= 0) {
    const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, "0");
    const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : "";
    return sign + intPart + (frac ? `.${frac}` : "");
  }
  return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
}

/**
 * A number as go-yaml writes it after reading its JSON text: integers within int64 or uint64 in
 * decimal (the JSON digits), anything else as a float in %g form.
 */
function formatNumber(v: number | bigint): string {
  const text = typeof v === "bigint" ? v.toString() : JSON.stringify(v);
  if (/^-?[0-9]+$/.test(text)) {
    const n = BigInt(text);
    if (n >= -(2n ** 63n) && n < 2n ** 64n) return text;
  }
  return formatFloat64G(Number(v));
}

const isLetter = (c: number) => /\p{L}/u.test(String.fromCodePoint(c));
const isDigit = (c: number) => /\p{Nd}/u.test(String.fromCodePoint(c));

/** go-yaml v2's ordering of string map keys: letters before other characters, digit runs by value. */
export function goYAMLKeyLess(a: string, b: string): boolean {
  const ar = codePoints(a);
  const br = codePoints(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i]!;
    const y = br[i]!;
    if (x === y) continue;
    const al = isLetter(x);
    const bl = isLetter(y);
    if (al && bl) return x < y;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (x === 0x30 || y === 0x30) {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== 0x30) {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10n + BigInt(ar[ai]! - 0x30);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10n + BigInt(br[bi]! - 0x30);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return x < y;
  }
  return ar.length < br.length;
}

function compareKeys(a: string, b: string): number {
  return goYAMLKeyLess(a, b) ? -1 : goYAMLKeyLess(b, a) ? 1 : 0;
}

class Emitter {
  private readonly out: string[] = [];
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private flowLevel = 0;

  constructor(private readonly sortKeys: boolean) {}

  result(): string {
    return this.out.join("");
  }

  // -- low-level writes (column counts characters, as libyaml does) --

  private put(s: string): void {
    this.out.push(s);
    this.column += s.length;
  }

  private putChar(c: number): void {
    this.out.push(String.fromCodePoint(c));
    this.column++;
  }

  private putBreak(): void {
    this.out.push("\n");
    this.column = 0;
  }

  private writeBreak(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.out.push(String.fromCodePoint(c));
      this.column = 0;
    }
  }

  private writeIndent(): void {
    const indent = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(" ");
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(" ");
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? -1;
  }

  // -- document --

  document(value: unknown): void {
    this.node(value, { root: true, sequence: false, mapping: false, simpleKey: false });
    this.writeIndent();
  }

  // -- nodes --

  private node(input: unknown, ctx: Context, depth = 0): void {
    if (depth > MAX_DEPTH) throw new RangeError(`cannot encode YAML nested deeper than ${MAX_DEPTH} levels`);
    // The JSON view of the value, as JSON.stringify sees it.
    let value = input;
    if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
      value = (value as { toJSON(): unknown }).toJSON();
    }
    if (Array.isArray(value)) {
      if (value.length === 0) this.emptyFlow("[", "]");
      else this.blockSequence(value, ctx, depth);
      return;
    }
    if (value !== null && typeof value === "object") {
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => !isSkipped(obj[k]));
      if (keys.length === 0) this.emptyFlow("{", "}");
      else this.blockMapping(obj, keys, depth);
      return;
    }
    this.scalarValue(value, ctx);
  }

  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator(close, false, false, false);
  }

  private blockSequence(items: readonly unknown[], ctx: Context, depth: number): void {
    this.increaseIndent(false, ctx.mapping && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator("-", true, false, true);
      this.node(isSkipped(item) ? null : item, { root: false, sequence: true, mapping: false, simpleKey: false }, depth + 1);
    }
    this.popIndent();
  }

  private blockMapping(obj: Record<string, unknown>, keys: string[], depth: number): void {
    if (this.sortKeys) keys.sort(compareKeys);
    this.increaseIndent(false, false);
    for (const key of keys) {
      this.writeIndent();
      const cps = codePoints(key);
      const analysis = analyze(cps);
      const simple = !analysis.multiline && utf8Length(cps) <= 128;
      const value = obj[key];
      if (simple) {
        this.scalar(cps, requestedStringStyle(key), analysis, { root: false, sequence: false, mapping: true, simpleKey: true });
        this.writeIndicator(":", false, false, false);
      } else {
        this.writeIndicator("?", true, false, true);
        this.scalar(cps, requestedStringStyle(key), analysis, { root: false, sequence: false, mapping: true, simpleKey: false });
        this.writeIndent();
        this.writeIndicator(":", true, false, true);
      }
      this.node(value, { root: false, sequence: false, mapping: true, simpleKey: false }, depth + 1);
    }
    this.popIndent();
  }

  private scalarValue(value: unknown, ctx: Context): void {
    let text: string;
    let style: Style = "plain";
    if (value === null || value === undefined) text = "null";
    else if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError(`cannot encode ${String(value)}: JSON, and so Kubernetes YAML, has no such number`);
    else if (typeof value === "boolean") text = value ? "true" : "false";
    else if (typeof value === "number" || typeof value === "bigint") text = formatNumber(value);
    else if (typeof value === "string") {
      text = value;
      style = requestedStringStyle(value);
    } else throw new TypeError(`cannot encode a ${typeof value} as YAML`);
    const cps = codePoints(text);
    this.scalar(cps, style, analyze(cps), ctx);
  }

  private scalar(cps: readonly number[], requested: Style, a: Analysis, ctx: Context): void {
    let style = requested;
    if (ctx.simpleKey && a.multiline) style = "double";
    if (style === "plain") {
      if ((this.flowLevel > 0 && !a.flowPlainAllowed) || (this.flowLevel === 0 && !a.blockPlainAllowed)) style = "single";
      if (cps.length === 0 && (this.flowLevel > 0 || ctx.simpleKey)) style = "single";
    }
    if (style === "single" && !a.singleQuotedAllowed) style = "double";
    if (style === "literal" && (!a.blockAllowed || this.flowLevel > 0 || ctx.simpleKey)) style = "double";

    this.increaseIndent(true, false);
    const allowBreaks = !ctx.simpleKey;
    switch (style) {
      case "plain":
        this.writePlain(cps, allowBreaks);
        break;
      case "single":
        this.writeSingle(cps, allowBreaks);
        break;
      case "double":
        this.writeDouble(cps, allowBreaks);
        break;
      case "literal":
        this.writeLiteral(cps);
        break;
    }
    this.popIndent();
  }

  private writePlain(cps: readonly number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(" ");
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && cps[i + 1] !== 0x20) this.writeIndent();
        else this.putChar(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.putChar(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingle(cps: readonly number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1 && cps[i + 1] !== 0x20) this.writeIndent();
        else this.putChar(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.putChar(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDouble(cps: readonly number[], allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (!isPrintable(c) || c === 0xfeff || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.put("\\");
        const short = DOUBLE_ESCAPES.get(c);
        if (short !== undefined) this.put(short);
        else if (c <= 0xff) this.put(`x${c.toString(16).toUpperCase().padStart(2, "0")}`);
        else if (c <= 0xffff) this.put(`u${c.toString(16).toUpperCase().padStart(4, "0")}`);
        else this.put(`U${c.toString(16).toUpperCase().padStart(8, "0")}`);
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1) {
          this.writeIndent();
          if (cps[i + 1] === 0x20) this.put("\\");
        } else {
          this.putChar(c);
        }
        spaces = true;
      } else {
        this.putChar(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(cps: readonly number[]): void {
    this.writeIndicator("|", true, false, false);
    // Block scalar hints: an indentation indicator when the text starts with a space or a
    // break, and a chomping indicator from how the text ends.
    if (cps.length > 0 && (cps[0] === 0x20 || isBreak(cps[0]!))) this.writeIndicator(String(BEST_INDENT), false, false, false);
    let chomp = "";
    if (cps.length === 0) chomp = "-";
    else {
      const last = cps[cps.length - 1]!;
      if (!isBreak(last)) chomp = "-";
      else if (cps.length === 1) chomp = "+";
      else if (isBreak(cps[cps.length - 2]!)) chomp = "+";
    }
    if (chomp !== "") this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of cps) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.putChar(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

const DOUBLE_ESCAPES = new Map<number, string>([
  [0x00, "0"], [0x07, "a"], [0x08, "b"], [0x09, "t"], [0x0a, "n"], [0x0b, "v"], [0x0c, "f"], [0x0d, "r"],
  [0x1b, "e"], [0x22, '"'], [0x5c, "\\"], [0x85, "N"], [0xa0, "_"], [0x2028, "L"], [0x2029, "P"],
]);

/**
 * The style go-yaml's encoder asks for a string: literal when multi-line, plain when it reads back
 * as itself. Strings holding U+0085, U+2028 or U+2029 are double-quoted (escaped) instead: YAML
 * 1.1 and 1.2 parsers disagree on whether those are line breaks, so only escapes read back the same.
 */
function requestedStringStyle(s: string): Style {
  if (/[\u0085\u2028\u2029]/.test(s)) return "double";
  if (s.includes("\n")) return "literal";
  return goYAMLNeedsQuotes(s) ? "double" : "plain";
}

/** Write a JSON value as YAML, byte for byte as sigs.k8s.io/yaml would. */
export function emitYAML(value: unknown, sortKeys = true): string {
  const e = new Emitter(sortKeys);
  e.document(value);
  return e.result();
}
