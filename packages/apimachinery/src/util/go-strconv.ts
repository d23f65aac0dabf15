/**
 * Go's strconv behaviour where kubets must match it: Atoi/ParseInt results and error
 * messages, and strconv.Quote.
 */
import { toByteString } from "./go-text.js";

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/** Go's strconv.Quote for a (valid Unicode) string. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (c < 0x80 && c >= 0x20 && c !== 0x7f) out += ch;
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c === 11) out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd";
    else if (PRINTABLE.test(ch)) out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += `\\U${c.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

/** A strconv.NumError's text, e.g. `strconv.Atoi: parsing "x": invalid syntax`. */
export class GoNumError extends Error {
  override readonly name = "GoNumError" as const;
  readonly func: string;
  readonly num: string;
  readonly reason: "invalid syntax" | "value out of range";
  constructor(func: string, num: string, reason: "invalid syntax" | "value out of range") {
    super(`strconv.${func}: parsing ${goQuote(num)}: ${reason}`);
    this.func = func;
    this.num = num;
    this.reason = reason;
  }
}

const MAX_UINT64 = (1n << 64n) - 1n;
const UINT64_CUTOFF = MAX_UINT64 / 10n + 1n;

/**
 * strconv.ParseInt(s, 10, bitSize) as bigint; throws GoNumError (with `func`, for Atoi's
 * relabelling). bitSize 0 means 64.
 */
export function goParseInt(s: string, bitSize: number, func = "ParseInt"): bigint {
  const b = toByteString(s);
  if (b.length === 0) throw new GoNumError(func, s, "invalid syntax");
  let i = 0;
  let neg = false;
  if (b[0] === "+" || b[0] === "-") {
    neg = b[0] === "-";
    i = 1;
    if (b.length === 1) throw new GoNumError(func, s, "invalid syntax");
  }
  let n = 0n;
  for (; i < b.length; i++) {
    const c = b.charCodeAt(i);
    if (c < 48 || c > 57) throw new GoNumError(func, s, "invalid syntax");
    if (n >= UINT64_CUTOFF) throw new GoNumError(func, s, "value out of range");
    n = n * 10n + BigInt(c - 48);
    if (n > MAX_UINT64) throw new GoNumError(func, s, "value out of range");
  }
  const bits = BigInt(bitSize === 0 ? 64 : bitSize);
  const cutoff = 1n << (bits - 1n);
  if (!neg && n >= cutoff) throw new GoNumError(func, s, "value out of range");
  if (neg && n > cutoff) throw new GoNumError(func, s, "value out of range");
  return neg ? -n : n;
}

/** strconv.Atoi (64-bit int) as bigint; throws GoNumError. */
export function goAtoi(s: string): bigint {
  const b = toByteString(s);
  if (b.length > 0 && b.length < 19) {
    let i = 0;
    if (b[0] === "+" || b[0] === "-") {
      i = 1;
      if (b.length === 1) throw new GoNumError("Atoi", s, "invalid syntax");
    }
    const start = i;
    for (; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (c < 48 || c > 57) throw new GoNumError("Atoi", s, "invalid syntax");
    }
    const v = BigInt(b.slice(start));
    return b[0] === "-" ? -v : v;
  }
  return goParseInt(s, 0, "Atoi");
}
