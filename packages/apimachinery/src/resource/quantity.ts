/**
 * resource.Quantity (k8s.io/apimachinery/pkg/api/resource): a fixed-point number with a
 * suffix, as used for CPU, memory and storage. In API objects a Quantity is its string;
 * this module parses it into an exact value (bigint arithmetic, never floating point) and
 * prints it back exactly as Go's `Quantity.String()` does, quirks included.
 *
 * Representation mirrors Go: a quantity is either an int64 scaled by a power of ten
 * (`int64Amount`) or an arbitrary-precision decimal (`inf.Dec`). Which one a value uses
 * does not change its string, but it does change the results of `value()`/`milliValue()`
 * on overflow, so both are kept to match Go bit for bit.
 */

/** How a quantity prints: `12e6`, `12Mi` (12 * 2^20) or `12M` (12 * 10^6). */
export type QuantityFormat = "DecimalExponent" | "BinarySI" | "DecimalSI";

export const DecimalExponent = "DecimalExponent" satisfies QuantityFormat;
export const BinarySI = "BinarySI" satisfies QuantityFormat;
export const DecimalSI = "DecimalSI" satisfies QuantityFormat;

/** Powers of ten used as scales (`value * 10^scale`), as in Go's resource.Scale. */
export const Scale = {
  Nano: -9,
  Micro: -6,
  Milli: -3,
  Kilo: 3,
  Mega: 6,
  Giga: 9,
  Tera: 12,
  Peta: 15,
  Exa: 18,
} as const;

/** Go's quantity regular expression, quoted in the format error. */
const SPLIT_RE_STRING = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/** Which of Go's three parse errors happened. */
export type QuantityParseErrorKind = "FormatWrong" | "Numeric" | "Suffix";

const GO_MESSAGES: Record<QuantityParseErrorKind, string> = {
  FormatWrong: `quantities must match the regular expression '${SPLIT_RE_STRING}'`,
  Numeric: "unable to parse numeric part of quantity",
  Suffix: "unable to parse quantity's suffix",
};

/** Thrown when a string is not a valid Quantity. `goMessage` is Go's error text. */
export class QuantityParseError extends Error {
  override readonly name = "QuantityParseError" as const;
  /** The string that failed to parse. */
  readonly input: string;
  /** Which of Go's errors (ErrFormatWrong, ErrNumeric, ErrSuffix) this is. */
  readonly kind: QuantityParseErrorKind;
  /** The exact message Go's ParseQuantity returns. */
  readonly goMessage: string;

  constructor(input: string, kind: QuantityParseErrorKind, options?: { cause?: unknown }) {
    const goMessage = GO_MESSAGES[kind];
    super(`cannot parse quantity ${JSON.stringify(input)}: ${goMessage}`, options);
    this.input = input;
    this.kind = kind;
    this.goMessage = goMessage;
  }
}

/** True if `err` is a QuantityParseError (from any copy of this package). */
export function isQuantityParseError(err: unknown): err is QuantityParseError {
  return err instanceof Error && err.name === "QuantityParseError";
}

// ---- int64 helpers -------------------------------------------------------------------

const MAX_INT64 = (1n << 63n) - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_INT64 = -(1n << 63n);
const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 40; i++, p *= 10n) POW10.push(p);

function pow10(n: number): bigint {
  return n < POW10.length ? (POW10[n] as bigint) : 10n ** BigInt(n);
}

function fitsInt64(v: bigint): boolean {
  return v >= MIN_INT64 && v <= MAX_INT64;
}

/** Go's int64 wrap-around (also big.Int.Int64() of a large value). */
function wrap64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/**
 * Go's positiveScaleInt64: base * 10^scale and whether it fit in an int64. For scales
 * 1, 2, 3, 6 and 9 Go returns the wrapped product on overflow (and Value() uses it);
 * for other scales it returns 0.
 */
function positiveScaleGo(base: bigint, scale: number): [bigint, boolean] {
  if (scale === 0 || base === 0n) return [base, true];
  if (scale === 1 || scale === 2 || scale === 3 || scale === 6 || scale === 9) {
    if (base === 1n) return [pow10(scale), true];
    if (base === MIN_INT64) return [0n, false];
    return mulCheck(base, pow10(scale));
  }
  // Other scales multiply by ten step by step and give 0 on overflow.
  let v = base;
  for (let i = 0; i < scale; i++) {
    if (v === MIN_INT64) return [0n, false];
    const [c, ok] = v === 1n ? [10n, true] : mulCheck(v, 10n);
    if (!ok) return [0n, false];
    v = c;
  }
  return [v, true];
}

/** Go's `c := a * b; return c, c/b == a` on int64. */
function mulCheck(a: bigint, b: bigint): [bigint, boolean] {
  const c = wrap64(a * b);
  return [c, c / b === a];
}

/** positiveScaleInt64 when only success matters: the product, or undefined on overflow. */
function positiveScale(base: bigint, scale: number): bigint | undefined {
  const [v, ok] = positiveScaleGo(base, scale);
  return ok ? v : undefined;
}

/** negativeScaleInt64: base / 10^scale rounded away from zero, and whether exact. */
function negativeScale(base: bigint, scale: number): [bigint, boolean] {
  if (scale === 0) return [base, true];
  // An int64 is below 10^19 in magnitude: skip building a huge power of ten.
  if (scale > 19 && fitsInt64(base)) return base === 0n ? [0n, true] : [base > 0n ? 1n : -1n, false];
  const d = pow10(scale);
  let q = base / d;
  const exact = base % d === 0n;
  if (!exact) q += base > 0n ? 1n : -1n;
  return [q, exact];
}

/** The sign of a bigint. */
function sign(v: bigint): -1 | 0 | 1 {
  return v === 0n ? 0 : v > 0n ? 1 : -1;
}

/** Exact comparison of m1*10^e1 and m2*10^e2. */
function cmpScaled(m1: bigint, e1: number, m2: bigint, e2: number): -1 | 0 | 1 {
  if (e1 === e2) return m1 === m2 ? 0 : m1 < m2 ? -1 : 1;
  const s1 = sign(m1);
  const s2 = sign(m2);
  if (s1 !== s2 || s1 === 0) return s1 < s2 ? -1 : s1 > s2 ? 1 : 0;
  let a = m1;
  let b = m2;
  if (e1 > e2) a *= pow10(e1 - e2);
  else b *= pow10(e2 - e1);
  return a === b ? 0 : a < b ? -1 : 1;
}

// Go's math.Pow10: table based, so results match Go exactly.
const POW10_TAB: number[] = [];
for (let i = 0; i < 32; i++) POW10_TAB.push(Number(`1e${i}`));
const POW10_POS32: number[] = [];
for (let i = 0; i < 10; i++) POW10_POS32.push(Number(`1e${i * 32}`));
const POW10_NEG32: number[] = [];
for (let i = 0; i < 11; i++) POW10_NEG32.push(Number(`1e-${i * 32}`));

function goPow10(n: number): number {
  if (n >= 0 && n <= 308) return (POW10_POS32[n >>> 5] as number) * (POW10_TAB[n & 31] as number);
  if (n < 0 && n >= -323) {
    const m = -n;
    return (POW10_NEG32[m >>> 5] as number) / (POW10_TAB[m & 31] as number);
  }
  return n > 0 ? Infinity : 0;
}

/** int64(math.Pow10(n)) as compiled for amd64: out-of-range conversions give MinInt64. */
function goPow10Int64(n: number): bigint {
  return n <= 18 ? pow10(n) : MIN_INT64;
}

// ---- suffixes ------------------------------------------------------------------------

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_SUFFIX = new Map<string, number>(Object.entries(DECIMAL_SUFFIXES));
const BINARY_BY_SUFFIX = new Map<string, number>(Object.entries(BINARY_SUFFIXES));
const DECIMAL_BY_EXPONENT = new Map<number, string>(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map<number, string>(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

interface Interpreted {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

const INT64_DEC_RE = /^[+-]?[0-9]+$/;

function interpretSuffix(s: string): Interpreted | undefined {
  const d = DECIMAL_BY_SUFFIX.get(s);
  if (d !== undefined) return { base: 10, exponent: d, format: "DecimalSI" };
  const b = BINARY_BY_SUFFIX.get(s);
  if (b !== undefined) return { base: 2, exponent: b, format: "BinarySI" };
  if (s.length > 1 && (s[0] === "e" || s[0] === "E")) {
    const digits = s.slice(1);
    if (!INT64_DEC_RE.test(digits)) return undefined;
    const v = BigInt(digits);
    if (!fitsInt64(v)) return undefined;
    // Go converts the int64 exponent to int32 without a range check.
    return { base: 10, exponent: Number(BigInt.asIntN(32, v)), format: "DecimalExponent" };
  }
  return undefined;
}

function suffixFor(base: 2 | 10, exponent: number, format: QuantityFormat): string {
  switch (format) {
    case "DecimalSI":
      return DECIMAL_BY_EXPONENT.get(exponent) ?? "";
    case "BinarySI":
      return BINARY_BY_EXPONENT.get(exponent) ?? "";
    default:
      return base === 10 && exponent !== 0 ? `e${exponent}` : "";
  }
}

// ---- the value type ------------------------------------------------------------------

/**
 * An immutable Quantity. `mantissa * 10^exponent` is its exact value. `decimal` says
 * whether Go would hold it as inf.Dec (true) or int64Amount (false); `exponent` is then
 * `-inf.Dec.Scale()` or `int64Amount.scale`.
 */
export class Quantity {
  readonly format: QuantityFormat;
  /** @internal */ readonly m: bigint;
  /** @internal */ readonly e: number;
  /** @internal */ readonly dec: boolean;
  /** @internal cached String() result, "" when not yet computed. */ s: string;

  /** @internal use parseQuantity / newQuantity. */
  constructor(m: bigint, e: number, dec: boolean, format: QuantityFormat, s = "") {
    this.m = m;
    this.e = e;
    this.dec = dec;
    this.format = format;
    this.s = s;
  }

  /** The string form, identical to Go's `Quantity.String()`. */
  toString(): string {
    if (this.s === "") this.s = canonicalize(this);
    return this.s;
  }

  /** JSON form: the string. */
  toJSON(): string {
    return this.toString();
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `y`. */
  cmp(y: QuantityLike): -1 | 0 | 1 {
    const q = toQuantity(y);
    return cmpScaled(this.m, this.e, q.m, q.e);
  }

  /** Compare with an integer. */
  cmpInt64(y: bigint | number): -1 | 0 | 1 {
    return cmpScaled(this.m, this.e, BigInt(y), 0);
  }

  equal(y: QuantityLike): boolean {
    return this.cmp(y) === 0;
  }

  isZero(): boolean {
    return this.m === 0n;
  }

  sign(): -1 | 0 | 1 {
    return sign(this.m);
  }

  /** this + y. If this is zero the result takes y's format (as in Go). */
  add(y: QuantityLike): Quantity {
    return addSub(this, toQuantity(y), false);
  }

  /** this - y. If this is zero the result takes y's format (as in Go). */
  sub(y: QuantityLike): Quantity {
    return addSub(this, toQuantity(y), true);
  }

  neg(): Quantity {
    return new Quantity(this.dec ? -this.m : wrap64(-this.m), this.e, this.dec, this.format);
  }

  /** The value rounded up (away from zero) to an integer, as Go's `Value()` (int64, wraps on overflow). */
  value(): bigint {
    return this.scaledValue(0);
  }

  /** ceil(q * 1000), as Go's `MilliValue()`. */
  milliValue(): bigint {
    return this.scaledValue(Scale.Milli);
  }

  /** ceil(q / 10^scale), as Go's `ScaledValue(scale)`, including its int64 overflow behaviour. */
  scaledValue(scale: number): bigint {
    if (!this.dec) {
      if (this.e < scale) return negativeScale(this.m, scale - this.e)[0];
      return positiveScaleGo(this.m, this.e - scale)[0];
    }
    return decScaledValue(this.m, -this.e, -scale);
  }

  /** The value as a float64 (may lose precision; ±Infinity when out of range), as Go computes it. */
  asApproximateFloat64(): number {
    const base = Number(this.m);
    if (this.e === 0) return base;
    return base * goPow10(this.e);
  }

  /** The exact value as a plain decimal string without exponent or suffix, e.g. "1536" or "0.001". */
  toDecimalString(): string {
    const neg = this.m < 0n;
    let digits = (neg ? -this.m : this.m).toString();
    if (this.e >= 0) {
      if (this.m !== 0n) digits += "0".repeat(this.e);
    } else {
      const frac = -this.e;
      if (digits.length <= frac) digits = "0".repeat(frac - digits.length + 1) + digits;
      const cut = digits.length - frac;
      const f = digits.slice(cut).replace(/0+$/, "");
      digits = f === "" ? digits.slice(0, cut) : `${digits.slice(0, cut)}.${f}`;
    }
    return neg && digits !== "0" ? `-${digits}` : digits;
  }
}

/** A Quantity or its string form (as found in API objects). */
export type QuantityLike = Quantity | string;

function toQuantity(q: QuantityLike): Quantity {
  return typeof q === "string" ? parseQuantity(q) : q;
}

/** big.Int based ScaledValue of an inf.Dec, replicating Go's scaledValue exactly. */
function decScaledValue(unscaled: bigint, scale: number, newScale: number): bigint {
  const dif = scale - newScale;
  if (dif === 0) return wrap64(unscaled);
  if (dif < 0) return wrap64(wrap64(unscaled) * goPow10Int64(-dif));
  if (unscaled < MAX_INT64 && dif < 19) {
    const w = wrap64(unscaled);
    const divide = pow10(dif);
    const result = w / divide;
    return w % divide !== 0n ? result + 1n : result;
  }
  // Euclidean division, as big.Int.DivMod.
  const divisor = pow10(dif);
  let q = unscaled / divisor;
  let r = unscaled % divisor;
  if (r < 0n) {
    q -= 1n;
    r += divisor;
  }
  return r !== 0n ? wrap64(wrap64(q) + 1n) : wrap64(q);
}

function addSub(q: Quantity, y: Quantity, subtract: boolean): Quantity {
  const format = q.m === 0n ? y.format : q.format;
  if (!q.dec && !y.dec) {
    // Sub negates y's int64 value first (wrapping, as Go does).
    const r = int64Add(q.m, q.e, subtract ? wrap64(-y.m) : y.m, y.e);
    if (r) return new Quantity(r[0], r[1], false, format);
  }
  // inf.Dec: both upscaled to the larger scale (smaller exponent).
  const e = Math.min(q.e, y.e);
  const a = q.m * pow10(q.e - e);
  const b = y.m * pow10(y.e - e);
  return new Quantity(subtract ? a - b : a + b, e, true, format);
}

/** int64Amount.Add: the sum, or undefined when Go would fall back to inf.Dec. */
function int64Add(av: bigint, as: number, bv: bigint, bs: number): [bigint, number] | undefined {
  if (bv === 0n) return [av, as];
  if (av === 0n) return [bv, bs];
  if (as === bs) {
    const c = av + bv;
    return fitsInt64(c) ? [c, as] : undefined;
  }
  if (as > bs) {
    const c = positiveScale(av, as - bs);
    if (c === undefined) return undefined;
    const d = c + bv;
    return fitsInt64(d) ? [d, bs] : undefined;
  }
  const c = positiveScale(bv, bs - as);
  if (c === undefined) return undefined;
  const d = av + c;
  return fitsInt64(d) ? [d, as] : undefined;
}

/** Remove factors of `base` from |v|, keeping the sign. */
function removeFactors(v: bigint, base: bigint): [bigint, number] {
  let times = 0;
  if (v === 0n) return [v, 0];
  while (v % base === 0n) {
    v /= base;
    times++;
  }
  return [v, times];
}

function canonicalize(q: Quantity): string {
  if (q.m === 0n) return "0";
  let format = q.format;
  let rounded: bigint | undefined;
  if (format === "BinarySI") {
    if (cmpScaled(q.m, q.e, -1024n, 0) > 0 && cmpScaled(q.m, q.e, 1024n, 0) < 0) {
      format = "DecimalSI";
    } else {
      // AsScale(0): round up to an integer; fall back to DecimalSI when inexact.
      if (q.e >= 0) rounded = q.m * pow10(q.e);
      else {
        const [v, exact] = negativeScale(q.m, -q.e);
        if (exact) rounded = v;
        else format = "DecimalSI";
      }
    }
  }
  if (format === "BinarySI" && rounded !== undefined) {
    // Go's int64 path cannot negate MinInt64, so it removes no factors from it.
    if (!q.dec && rounded === MIN_INT64) return rounded.toString();
    const [amount, times] = removeFactors(rounded, 1024n);
    return amount.toString() + suffixFor(2, times * 10, "BinarySI");
  }
  // Base-10 canonical form: mantissa without trailing zeros, exponent a multiple of 3.
  if (q.m >= -MAX_SAFE && q.m <= MAX_SAFE) {
    let n = Number(q.m);
    let exponent = q.e;
    while (n % 10 === 0) {
      n /= 10;
      exponent++;
    }
    const r = exponent % 3;
    let digits = String(n);
    if (r !== 0) {
      const k = r > 0 ? r : r + 3;
      digits += k === 1 ? "0" : "00";
      exponent -= k;
    }
    return digits + suffixFor(10, exponent, format);
  }
  let [amount, times] = removeFactors(q.m, 10n);
  let exponent = q.e + times;
  const r = exponent % 3;
  if (r !== 0) {
    const k = r > 0 ? r : r + 3;
    amount *= pow10(k);
    exponent -= k;
  }
  return amount.toString() + suffixFor(10, exponent, format);
}

// ---- parsing -------------------------------------------------------------------------

const SUFFIX_CHARS = "eEinumkKMGTP";

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

interface Scanned {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** Go's parseQuantityString, byte for byte (JS strings are indexed by UTF-16 units; only ASCII matters). */
function scanQuantity(str: string): Scanned | undefined {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    const c = str.charCodeAt(0);
    if (c === 45) {
      positive = false;
      pos++;
    } else if (c === 43) pos++;
  }
  // leading zeros
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: "0", num: "0", denom: "", suffix: "" };
    if (str.charCodeAt(i) === 48) pos++;
    else break;
  }
  let num: string;
  let i = pos;
  while (i < end && isDigit(str.charCodeAt(i))) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: "", suffix: "" };
  num = str.slice(pos, i);
  pos = i;
  if (num.length === 0) num = "0";
  let denom = "";
  if (str.charCodeAt(pos) === 46) {
    pos++;
    i = pos;
    while (i < end && isDigit(str.charCodeAt(i))) i++;
    if (i >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: "" };
    denom = str.slice(pos, i);
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  for (i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
    if (!SUFFIX_CHARS.includes(str[i] as string)) {
      pos = i;
      break;
    }
  }
  const c = str.charCodeAt(pos);
  if (c === 45 || c === 43) pos++;
  for (i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
    if (!isDigit(str.charCodeAt(i))) return undefined;
  }
}

const MAX_INT64_FACTORS = 18;

/**
 * Fast path for the common shape: 1..15 digits without a leading zero, sign, point or
 * exponent, then an SI suffix. Gives exactly what the general path gives, or undefined.
 */
function parseSimple(str: string): Quantity | undefined {
  const len = str.length;
  let i = 0;
  let c = str.charCodeAt(0);
  if (c < 49 || c > 57) return undefined;
  let v = 0;
  while (i < len && (c = str.charCodeAt(i)) >= 48 && c <= 57) {
    v = v * 10 + (c - 48);
    i++;
  }
  if (i > 15) return undefined;
  const rest = len - i;
  if (rest === 0) {
    // DecimalSI, scale 0: canonical unless it ends in "000".
    return new Quantity(BigInt(v), 0, false, "DecimalSI", v % 1000 === 0 ? "" : str);
  }
  if (rest === 1) {
    const e = DECIMAL_BY_SUFFIX.get(str[i] as string);
    if (e === undefined) return undefined;
    return new Quantity(BigInt(v), e, false, "DecimalSI", v % 1000 === 0 ? "" : str);
  }
  if (rest === 2 && str.charCodeAt(i + 1) === 105 /* i */) {
    const e = BINARY_BY_SUFFIX.get(str.slice(i));
    if (e === undefined) return undefined;
    // Go's precision rule for the int64 path: 15 - digits - exponent*3/10 - 1 >= 0.
    if (15 - i - (e * 3) / 10 - 1 < 0) return undefined;
    const m = BigInt(v) << BigInt(e);
    if (m > MAX_INT64) return undefined;
    return new Quantity(m, 0, false, "BinarySI", (v & 7) !== 0 ? str : "");
  }
  return undefined;
}

/** Parse a quantity string exactly as Go's `resource.ParseQuantity`. Throws QuantityParseError. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError(str, "FormatWrong");
  if (str === "0") return new Quantity(0n, 0, false, "DecimalSI", "0");

  const fast = parseSimple(str);
  if (fast !== undefined) return fast;

  const sc = scanQuantity(str);
  if (sc === undefined) throw new QuantityParseError(str, "FormatWrong");
  const { positive, value, num, denom, suffix } = sc;
  const interp = interpretSuffix(suffix);
  if (interp === undefined) throw new QuantityParseError(str, "Suffix");
  const { base, exponent } = interp;
  let format = interp.format;

  let precision = 0;
  let scale = 0;
  let mantissa = 1n;
  if (format === "BinarySI") {
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = exponent;
    precision = MAX_INT64_FACTORS - (num.length + denom.length);
  }

  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= Scale.Nano) {
      const shifted = num + denom;
      const v = BigInt(shifted);
      let result = v * mantissa;
      if (fitsInt64(result)) {
        if (!positive) result = -result;
        let reuse: boolean;
        if (format === "BinarySI") reuse = exponent % 10 === 0 && (v & 7n) !== 0n;
        else reuse = scale % 3 === 0 && !shifted.endsWith("000") && shifted[0] !== "0";
        return new Quantity(result, scale, false, format, reuse ? str : "");
      }
    }
  }

  // inf.Dec path. SetString needs at least one digit.
  let digits = "";
  let fracLen = 0;
  {
    let j = 0;
    if (value[0] === "+" || value[0] === "-") j = 1;
    const dot = value.indexOf(".", j);
    if (dot >= 0) {
      digits = value.slice(j, dot) + value.slice(dot + 1);
      fracLen = value.length - dot - 1;
    } else digits = value.slice(j);
    if (digits.length === 0) throw new QuantityParseError(str, "Numeric");
  }
  let unscaled = BigInt(digits);
  let infScale = fracLen;
  if (base === 10) infScale = (infScale - exponent) | 0;
  else unscaled <<= BigInt(exponent);

  // Round non-zero values up (away from zero) to nanos.
  if (unscaled !== 0n) {
    if (infScale <= 9) unscaled *= pow10(9 - infScale);
    else {
      const d = pow10(infScale - 9);
      const q = unscaled / d;
      unscaled = unscaled % d === 0n ? q : q + 1n;
    }
    infScale = 9;
  }
  if (format === "BinarySI" && cmpScaled(unscaled, -infScale, MAX_INT64, 0) > 0) {
    unscaled = MAX_INT64;
    infScale = 0;
  }
  if (format === "BinarySI" && unscaled !== 0n && cmpScaled(unscaled, -infScale, 1n, 0) < 0) {
    format = "DecimalSI";
  }
  if (!positive) unscaled = -unscaled;
  return new Quantity(unscaled, -infScale, true, format);
}

/** parseQuantity that returns undefined instead of throwing. */
export function tryParseQuantity(str: string): Quantity | undefined {
  try {
    return parseQuantity(str);
  } catch (err) {
    if (isQuantityParseError(err)) return undefined;
    throw err;
  }
}

// Go's strings.TrimSpace set (unicode.IsSpace).
const GO_SPACE_RE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/**
 * Quantity.UnmarshalJSON applied to a decoded JSON value: null/undefined give undefined, a
 * string is trimmed of surrounding whitespace and parsed, a number (written unquoted in
 * JSON or YAML) is parsed from its shortest decimal form. Throws QuantityParseError.
 */
export function quantityFromJSON(v: unknown): Quantity | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string") return parseQuantity(v.replace(GO_SPACE_RE, ""));
  if (typeof v === "number" && Number.isFinite(v)) return parseQuantity(String(v));
  throw new QuantityParseError(String(v), "FormatWrong");
}

/** Go's MustParse: parse or throw (same as parseQuantity; kept for client-go familiarity). */
export const mustParseQuantity = parseQuantity;

// ---- constructors and functional helpers ---------------------------------------------

function toInt64(v: bigint | number): bigint {
  const b = typeof v === "bigint" ? v : BigInt(v);
  if (!fitsInt64(b)) throw new RangeError(`quantity value ${b} does not fit in an int64`);
  return b;
}

/** NewQuantity: `value` in the given format. */
export function newQuantity(value: bigint | number, format: QuantityFormat): Quantity {
  return new Quantity(toInt64(value), 0, false, format);
}

/** NewMilliQuantity: `value / 1000` in the given format. */
export function newMilliQuantity(value: bigint | number, format: QuantityFormat): Quantity {
  return new Quantity(toInt64(value), -3, false, format);
}

/** NewScaledQuantity: `value * 10^scale`, DecimalSI. */
export function newScaledQuantity(value: bigint | number, scale: number): Quantity {
  return new Quantity(toInt64(value), scale | 0, false, "DecimalSI");
}

/** The string Go would emit for `q` (for a string: parse, then String()). */
export function quantityToString(q: QuantityLike): string {
  return toQuantity(q).toString();
}

/**
 * The canonical form of a quantity string, recomputed (Go's String() keeps some inputs
 * verbatim, e.g. "+5" or "010"; this always returns the normalized form, e.g. "5", "10").
 */
export function canonicalQuantity(q: QuantityLike): string {
  return canonicalize(toQuantity(q));
}

/** -1, 0, 1: Go's `a.Cmp(b)`. Accepts strings as found in API objects. */
export function compareQuantities(a: QuantityLike, b: QuantityLike): -1 | 0 | 1 {
  return toQuantity(a).cmp(b);
}

/** True if both represent the same value (Go's `Equal`). */
export function quantitiesEqual(a: QuantityLike, b: QuantityLike): boolean {
  return compareQuantities(a, b) === 0;
}

export function addQuantities(a: QuantityLike, b: QuantityLike): Quantity {
  return toQuantity(a).add(b);
}

export function subQuantities(a: QuantityLike, b: QuantityLike): Quantity {
  return toQuantity(a).sub(b);
}

/** Go's `Value()`: rounded up to an integer (int64). */
export function quantityValue(q: QuantityLike): bigint {
  return toQuantity(q).value();
}

/** Go's `MilliValue()`: ceil(q * 1000) (int64). */
export function quantityMilliValue(q: QuantityLike): bigint {
  return toQuantity(q).milliValue();
}

/** Go's `AsApproximateFloat64()`. */
export function quantityAsApproximateFloat64(q: QuantityLike): number {
  return toQuantity(q).asApproximateFloat64();
}

/** Largest value MilliValue can return without overflow (Go's MaxMilliValue). */
export const MaxMilliValue = MAX_INT64 / 1000n;
