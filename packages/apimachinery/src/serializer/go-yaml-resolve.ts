/**
 * Resolution of untagged plain YAML scalars the way go.yaml.in/yaml/v2 (used underneath
 * sigs.k8s.io/yaml, and so by every Kubernetes YAML decoder) resolves them when decoding into
 * `interface{}`: YAML 1.1 booleans (`yes`, `on`, `y`, ...), base-prefixed and underscored integers,
 * and timestamps left as strings.
 *
 * The result is what `JSON.parse(sigsyaml.YAMLToJSON(...))` would give for the scalar; non-finite
 * floats are returned as numbers here and rejected by the caller (Go's JSON encoder rejects them).
 */
import { base64ToBytes, decodeUtf8Lenient } from "./web.js";

export type ResolvedScalar =
  | { readonly kind: "null"; readonly value: null }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "int"; readonly value: number; readonly exact: bigint; readonly uint64: boolean }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "str"; readonly value: string };

const NULL: ResolvedScalar = { kind: "null", value: null };
const TRUE: ResolvedScalar = { kind: "bool", value: true };
const FALSE: ResolvedScalar = { kind: "bool", value: false };

const WORDS = new Map<string, ResolvedScalar>();
for (const w of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]) WORDS.set(w, TRUE);
for (const w of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]) WORDS.set(w, FALSE);
for (const w of ["", "~", "null", "Null", "NULL"]) WORDS.set(w, NULL);
for (const w of [".nan", ".NaN", ".NAN"]) WORDS.set(w, { kind: "float", value: Number.NaN });
for (const w of [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]) WORDS.set(w, { kind: "float", value: Infinity });
for (const w of ["-.inf", "-.Inf", "-.INF"]) WORDS.set(w, { kind: "float", value: -Infinity });

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, go-yaml's float syntax. */
const YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** What Go's strconv.ParseFloat accepts for a string starting with `.` (no hex, no underscores). */
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

/**
 * Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64): optional sign, then `0x`, `0o`, `0b`,
 * a leading `0` for octal, or decimal. Returns undefined when Go would fail (syntax or range).
 */
function parseGoInt(s: string): bigint | undefined {
  let i = 0;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    i = 1;
  }
  let digits = s.slice(i);
  let re = /^[0-9]+$/;
  let prefix = "";
  if (digits.length >= 2 && digits[0] === "0") {
    const p = digits[1];
    if (p === "x" || p === "X") {
      prefix = "0x";
      re = /^[0-9a-fA-F]+$/;
      digits = digits.slice(2);
    } else if (p === "o" || p === "O") {
      prefix = "0o";
      re = /^[0-7]+$/;
      digits = digits.slice(2);
    } else if (p === "b" || p === "B") {
      prefix = "0b";
      re = /^[01]+$/;
      digits = digits.slice(2);
    } else {
      prefix = "0o";
      re = /^[0-7]+$/;
      digits = digits.slice(1);
    }
  }
  if (!re.test(digits)) return undefined;
  const magnitude = BigInt(prefix + digits);
  const v = neg ? -magnitude : magnitude;
  if (v < INT64_MIN || v > UINT64_MAX) return undefined;
  return v;
}

/** Resolve an untagged plain scalar as go-yaml v2 does. */
export function resolvePlainScalar(text: string): ResolvedScalar {
  const word = WORDS.get(text);
  if (word !== undefined) return word;
  const c = text.charCodeAt(0);
  if (c === 0x2e /* . */) {
    const f = DOT_FLOAT.test(text) ? Number(text) : Number.NaN;
    return Number.isFinite(f) ? { kind: "float", value: f } : { kind: "str", value: text };
  }
  const isDigit = c >= 0x30 && c <= 0x39;
  if (!isDigit && c !== 0x2b && c !== 0x2d) return { kind: "str", value: text };
  const plain = text.includes("_") ? text.replaceAll("_", "") : text;
  const n = parseGoInt(plain);
  if (n !== undefined && n <= INT64_MAX) return { kind: "int", value: Number(n), exact: n, uint64: false };
  // ParseUint accepts no sign at all.
  if (n !== undefined && plain[0] !== "-" && plain[0] !== "+") return { kind: "int", value: Number(n), exact: n, uint64: true };
  if (YAML_FLOAT.test(plain)) {
    // Go's ParseFloat fails on overflow, and the scalar stays a string.
    const f = Number(plain);
    return Number.isFinite(f) ? { kind: "float", value: f } : { kind: "str", value: text };
  }
  // go-yaml's own binary fallback ("-0b101") is already covered by parseGoInt.
  return { kind: "str", value: text };
}

/**
 * Resolve a scalar that carries an explicit standard tag (`!!int "5"`, `!!str 5`...), as go-yaml
 * does. Returns undefined for tags go-yaml does not resolve (custom tags: the text is kept as a string).
 * Throws a message string when the text does not fit the tag.
 */
export function resolveTaggedScalar(tag: string, text: string): ResolvedScalar | { kind: "error"; message: string } | undefined {
  const short = tag.startsWith("tag:yaml.org,2002:") ? tag.slice("tag:yaml.org,2002:".length) : undefined;
  switch (short) {
    case "str":
      return { kind: "str", value: text };
    case "binary": {
      const bytes = base64ToBytes(text.replace(/\s+/g, ""));
      if (bytes === undefined) return { kind: "error", message: "!!binary value contains invalid base64 data" };
      return { kind: "str", value: decodeUtf8Lenient(bytes) };
    }
    case "timestamp":
      return { kind: "str", value: text };
    case "int":
    case "float":
    case "bool":
    case "null": {
      const r = resolvePlainScalar(text);
      if (r.kind === short) return r;
      if (short === "float" && r.kind === "int" && !r.uint64) return { kind: "float", value: r.value };
      // The text itself stays out of the message: YAML files such as kubeconfigs hold secrets.
      return { kind: "error", message: `cannot decode a !!${r.kind} value as a !!${short}` };
    }
    default:
      return undefined;
  }
}

/**
 * A resolved map key as sigs.k8s.io/yaml turns it into a JSON object key: strings as they are,
 * integers in decimal (all digits), booleans as "true"/"false", floats formatted like Go's
 * `strconv.FormatFloat(f, 'g', -1, 32)`. Null keys and integers beyond int64 are not
 * representable (undefined).
 */
export function keyToString(key: ResolvedScalar): string | undefined {
  switch (key.kind) {
    case "str":
      return key.value;
    case "bool":
      return key.value ? "true" : "false";
    case "int":
      // sigs.k8s.io/yaml has no case for uint64 keys (beyond int64): it rejects them.
      return key.uint64 ? undefined : key.exact.toString();
    case "float":
      return formatFloat32G(key.value);
    case "null":
      return undefined;
  }
}

/** Go's strconv.FormatFloat(v, 'g', -1, 32) with go-yaml's spelling of the special values. */
export function formatFloat32G(v: number): string {
  if (Number.isNaN(v)) return ".nan";
  if (v === Infinity) return ".inf";
  if (v === -Infinity) return "-.inf";
  const f = Math.fround(v);
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  if (!Number.isFinite(f)) return f > 0 ? ".inf" : "-.inf";
  // Shortest decimal that reads back as the same float32.
  let digits = "";
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const s = Math.abs(f).toExponential(p - 1);
    if (Math.fround(Number(s)) === Math.abs(f)) {
      const [mant = "", e = "0"] = s.split("e");
      digits = mant.replace(".", "");
      exp = Number(e);
      break;
    }
  }
  digits = digits.replace(/0+$/, "") || "0";
  const sign = f < 0 ? "-" : "";
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

const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/**
 * True when go-yaml v2 would not write `s` as a plain scalar: it would read back as something
 * other than a string (a bool, number, null), or as a timestamp, or is a YAML 1.1 base-60 number.
 * (Go's encoder double-quotes these.)
 */
export function goYAMLNeedsQuotes(s: string): boolean {
  if (resolvePlainScalar(s).kind !== "str") return true;
  if (s === "<<" || BASE60.test(s)) return true;
  const m = TIMESTAMP.exec(s);
  if (m === null) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? m[7] ?? 0);
  const minute = Number(m[5] ?? m[8] ?? 0);
  const second = Number(m[6] ?? m[9] ?? 0);
  const daysIn = new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn && hour < 24 && minute < 60 && second < 60;
}
