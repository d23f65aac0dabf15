/**
 * intstr.IntOrString (k8s.io/apimachinery/pkg/util/intstr). In API objects it is what JSON
 * holds: a number (an int32) or a string (often a percentage such as "25%").
 */
import { GoNumError, goAtoi, goParseInt, goQuote } from "../util/go-strconv.js";

/** An int32 or a string, in its JSON shape. */
export type IntOrString = number | string;

/** Thrown by the percent helpers, with Go's message. */
export class IntOrStringError extends Error {
  override readonly name = "IntOrStringError" as const;
  readonly value: IntOrString | null | undefined;
  constructor(value: IntOrString | null | undefined, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.value = value;
  }
}

export function isIntOrStringError(err: unknown): err is IntOrStringError {
  return err instanceof Error && err.name === "IntOrStringError";
}

/** FromInt: an integer value, truncated to int32 as Go does. */
export function fromInt(v: number): IntOrString {
  return Math.trunc(v) | 0;
}

/** FromInt32. */
export function fromInt32(v: number): IntOrString {
  return v | 0;
}

/** FromString. */
export function fromString(s: string): IntOrString {
  return s;
}

/** Parse: an int32 when `s` is a decimal int32 (strconv.ParseInt(s, 10, 32)), else the string. */
export function parse(s: string): IntOrString {
  try {
    return Number(goParseInt(s, 32));
  } catch (err) {
    if (err instanceof GoNumError) return s;
    throw err;
  }
}

/** True if the value is the integer variant. */
export function isInt(v: IntOrString): v is number {
  return typeof v === "number";
}

/** String(): the string, or the integer in decimal. */
export function intOrStringToString(v: IntOrString): string {
  return typeof v === "string" ? v : String(v);
}

/** IntValue(): the integer, or strconv.Atoi of the string (0 when it is not a number). */
export function intValue(v: IntOrString): number {
  if (typeof v === "number") return v;
  try {
    return Number(goAtoi(v));
  } catch (err) {
    if (err instanceof GoNumError) return 0;
    throw err;
  }
}

/** ValueOrDefault: `v` unless it is null/undefined. */
export function valueOrDefault(v: IntOrString | null | undefined, defaultValue: IntOrString): IntOrString {
  return v ?? defaultValue;
}

const MIN_INT64 = -(2 ** 63);

/** Go's int(f) on amd64: out-of-range and NaN give MinInt64. */
function goFloatToInt(f: number): number {
  if (!(f >= MIN_INT64 && f < 2 ** 63)) return MIN_INT64;
  return f;
}

function scale(value: bigint, total: number, roundUp: boolean): number {
  const f = (Number(value) * total) / 100;
  return goFloatToInt(roundUp ? Math.ceil(f) : Math.floor(f));
}

function intOf(v: number): bigint {
  if (!Number.isInteger(v)) throw new RangeError(`IntOrString number ${v} is not an integer`);
  return BigInt(v);
}

/**
 * GetScaledValueFromIntOrPercent: an integer is returned as is; a string must be "<int>%"
 * and is scaled to `total` (rounded up or down). Throws IntOrStringError with Go's message.
 */
export function getScaledValueFromIntOrPercent(
  v: IntOrString | null | undefined,
  total: number,
  roundUp: boolean,
): number {
  if (v === null || v === undefined) throw new IntOrStringError(v, "nil value for IntOrString");
  if (typeof v === "number") return Number(intOf(v));
  if (!v.endsWith("%")) {
    throw new IntOrStringError(v, "invalid value for IntOrString: invalid type: string is not a percentage");
  }
  let n: bigint;
  try {
    n = goAtoi(v.slice(0, -1));
  } catch (err) {
    if (!(err instanceof GoNumError)) throw err;
    throw new IntOrStringError(v, `invalid value for IntOrString: invalid value ${goQuote(v)}: ${err.message}`, {
      cause: err,
    });
  }
  return scale(n, total, roundUp);
}

/**
 * GetValueFromIntOrPercent (deprecated in Go in favour of the scaled variant): every "%"
 * is removed from a string and the rest is always treated as a percentage.
 */
export function getValueFromIntOrPercent(v: IntOrString | null | undefined, total: number, roundUp: boolean): number {
  if (v === null || v === undefined) throw new IntOrStringError(v, "nil value for IntOrString");
  if (typeof v === "number") return Number(intOf(v));
  let n: bigint;
  try {
    n = goAtoi(v.replaceAll("%", ""));
  } catch (err) {
    if (!(err instanceof GoNumError)) throw err;
    throw new IntOrStringError(v, `invalid value for IntOrString: invalid value ${goQuote(v)}: ${err.message}`, {
      cause: err,
    });
  }
  return scale(n, total, roundUp);
}
