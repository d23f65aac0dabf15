/**
 * meta/v1 Duration helpers. In API objects a Duration is Go's duration string
 * ("1h2m3.5s", "1.5µs", "0s"). These functions reproduce `time.ParseDuration` and
 * `time.Duration.String()` exactly; durations are int64 nanoseconds held as bigint.
 */
import { goTimeQuote, toByteString } from "../../util/go-text.js";

/** Thrown when a string is not a valid Go duration; the message is Go's. */
export class DurationParseError extends Error {
  override readonly name = "DurationParseError" as const;
  readonly input: string;
  constructor(input: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.input = input;
  }
}

/** Whether `err` is the DurationParseError of {@link parseDuration}. */
export function isDurationParseError(err: unknown): err is DurationParseError {
  return err instanceof Error && err.name === "DurationParseError";
}

/** One nanosecond, the unit of Duration values (a bigint, as Go's time.Duration is an int64). */
export const Nanosecond = 1n;
/** One microsecond in nanoseconds. */
export const Microsecond = 1000n;
/** One millisecond in nanoseconds. */
export const Millisecond = 1_000_000n;
/** One second in nanoseconds. */
export const Second = 1_000_000_000n;
/** One minute in nanoseconds. */
export const Minute = 60n * Second;
/** One hour in nanoseconds. */
export const Hour = 60n * Minute;

const UNITS = new Map<string, bigint>([
  ["ns", Nanosecond],
  ["us", Microsecond],
  [toByteString("\u00b5s"), Microsecond], // micro sign
  [toByteString("\u03bcs"), Microsecond], // Greek mu
  ["ms", Millisecond],
  ["s", Second],
  ["m", Minute],
  ["h", Hour],
]);

const TWO63 = 1n << 63n;
const MAX_INT64 = TWO63 - 1n;

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Parse a Go duration string ("300ms", "-1.5h", "2h45m") into nanoseconds, exactly as
 * `time.ParseDuration`. Throws DurationParseError with Go's message.
 */
export function parseDuration(input: string): bigint {
  const orig = toByteString(input);
  const fail = (what: string): never => {
    throw new DurationParseError(input, `time: ${what} ${goTimeQuote(orig)}`);
  };
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== "") {
    const c = s[0];
    if (c === "-" || c === "+") {
      neg = c === "-";
      s = s.slice(1);
    }
  }
  if (s === "0") return 0n;
  if (s === "") fail("invalid duration");
  while (s !== "") {
    let v = 0n;
    let f = 0n;
    let scale = 1;
    const c0 = s.charCodeAt(0);
    if (!(c0 === 46 || isDigitCode(c0))) fail("invalid duration");
    // leadingInt
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (!isDigitCode(c)) break;
      if (v > TWO63 / 10n) fail("invalid duration");
      v = v * 10n + BigInt(c - 48);
      if (v > TWO63) fail("invalid duration");
    }
    const pre = i !== 0;
    s = s.slice(i);
    let post = false;
    if (s !== "" && s[0] === ".") {
      s = s.slice(1);
      // leadingFraction
      let j = 0;
      let overflow = false;
      for (; j < s.length; j++) {
        const c = s.charCodeAt(j);
        if (!isDigitCode(c)) break;
        if (overflow) continue;
        if (f > MAX_INT64 / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(c - 48);
        if (y > TWO63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j !== 0;
      s = s.slice(j);
    }
    if (!pre && !post) fail("invalid duration");
    // unit
    let k = 0;
    for (; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c === 46 || isDigitCode(c)) break;
    }
    if (k === 0) fail("missing unit in duration");
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = UNITS.get(u);
    if (unit === undefined) fail(`unknown unit ${goTimeQuote(u)} in duration`);
    const un = unit as bigint;
    if (v > TWO63 / un) fail("invalid duration");
    v *= un;
    if (f > 0n) {
      // float64 arithmetic, as Go: nanosecond accurate for fractions of hours
      v += BigInt(Math.trunc(Number(f) * (Number(un) / scale)));
      if (v > TWO63) fail("invalid duration");
    }
    d += v;
    if (d > TWO63) fail("invalid duration");
  }
  if (neg) return BigInt.asIntN(64, -d);
  if (d > MAX_INT64) fail("invalid duration");
  return d;
}

/** Append v's fraction digits (prec of them) with trailing zeros omitted; returns [text, v / 10^prec]. */
function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let out = "";
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) out = String(digit) + out;
    v /= 10n;
  }
  if (print) out = `.${out}`;
  return [out, v];
}

/**
 * Format nanoseconds as Go's `time.Duration.String()` ("1h2m3.5s", "1.5µs", "0s").
 * Values outside int64 wrap as they would in Go.
 */
export function formatDuration(nanos: bigint | number): string {
  const d = BigInt.asIntN(64, typeof nanos === "bigint" ? nanos : BigInt(Math.trunc(nanos)));
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < Second) {
    let prec: number;
    let unit: string;
    if (u === 0n) return "0s";
    if (u < Microsecond) {
      prec = 0;
      unit = "ns";
    } else if (u < Millisecond) {
      prec = 3;
      unit = "\u00b5s";
    } else {
      prec = 6;
      unit = "ms";
    }
    const [frac, rest] = fmtFrac(u, prec);
    out = `${rest}${frac}${unit}`;
  } else {
    const [frac, rest] = fmtFrac(u, 9);
    u = rest;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Parse a Go duration string into milliseconds (a float; exact below ~104 days of nanoseconds). */
export function parseDurationMilliseconds(s: string): number {
  return Number(parseDuration(s)) / 1e6;
}

/** Format milliseconds (may be fractional; rounded to the nanosecond) as a Go duration string. */
export function formatDurationMilliseconds(ms: number): string {
  return formatDuration(BigInt(Math.round(ms * 1e6)));
}
