/** Go's view of decoded JSON values (`interface{}` from encoding/json): kinds, `%v` text, equality. */

export type JSONMap = Record<string, unknown>;

export function isMap(v: unknown): v is JSONMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** reflect.TypeOf for a decoded JSON value: "map", "slice", "string", "float64", "bool" or "nil". */
export function goType(v: unknown): string {
  if (v === null || v === undefined) return "nil";
  if (Array.isArray(v)) return "slice";
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return "float64";
    case "boolean":
      return "bool";
    default:
      return "map";
  }
}

/** The Go type name in messages (`map[string]interface {}`, `[]interface {}`, ...). */
export function goTypeName(v: unknown): string {
  switch (goType(v)) {
    case "map":
      return "map[string]interface {}";
    case "slice":
      return "[]interface {}";
    case "nil":
      return "<nil>";
    default:
      return goType(v);
  }
}

/**
 * fmt's `%v` of a number as k8s.io/apimachinery/pkg/util/json decodes it: integers are int64
 * (decimal), other numbers float64 (shortest digits, exponent form below 1e-4 and from 1e6).
 */
export function goFloatV(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (!Number.isFinite(f)) return f > 0 ? "+Inf" : "-Inf";
  if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) return Object.is(f, -0) ? "0" : String(f);
  const [mant = "", expText = "0"] = f.toExponential().split("e");
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mant}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  }
  return String(f);
}

/** fmt's `%v` of a decoded JSON value. */
export function goV(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "number") return goFloatV(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (Array.isArray(v)) return `[${v.map(goV).join(" ")}]`;
  const m = v as JSONMap;
  return `map[${Object.keys(m)
    .sort()
    .map((k) => `${k}:${goV(m[k])}`)
    .join(" ")}]`;
}

/** Go's `==` on two interface values holding scalars (maps and slices are never equal here). */
export function goEq(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === "object" || typeof b === "object") return false;
  return a === b;
}

/** reflect.DeepEqual of two decoded JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (typeof a === "object") {
    if (typeof b !== "object" || Array.isArray(b)) return false;
    const ak = Object.keys(a);
    if (ak.length !== Object.keys(b).length) return false;
    for (const k of ak) {
      if (!Object.hasOwn(b, k) || !deepEqual((a as JSONMap)[k], (b as JSONMap)[k])) return false;
    }
    return true;
  }
  return false;
}

/**
 * Go's sort.Sort for up to 12 elements (insertion sort) with a less-or-equal comparison, as
 * strategicpatch's sortable slices use: equal elements end up reversed, exactly as in Go. Longer
 * slices are sorted stably (Go's pdqsort order of equal elements is not reproduced there).
 */
export function goSortLE<T>(s: T[], key: (v: T) => string): T[] {
  if (s.length <= 12) {
    for (let i = 1; i < s.length; i++) {
      for (let j = i; j > 0 && key(s[j]!) <= key(s[j - 1]!); j--) {
        const t = s[j]!;
        s[j] = s[j - 1]!;
        s[j - 1] = t;
      }
    }
    return s;
  }
  const keyed = s.map((v, i) => ({ v, k: key(v), i }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i));
  for (let i = 0; i < s.length; i++) s[i] = keyed[i]!.v;
  return s;
}

/** A deep copy of a decoded JSON value (plain objects, arrays, scalars). */
export function cloneJSON<T>(v: T): T {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(cloneJSON) as T;
  const out: JSONMap = {};
  for (const [k, x] of Object.entries(v as JSONMap)) out[k] = cloneJSON(x);
  return out as T;
}

interface Utf8Decoder {
  decode(b: Uint8Array): string;
}
let decoder: Utf8Decoder | undefined;

/** UTF-8 bytes to text (the WHATWG TextDecoder, declared locally: the package compiles without DOM or Node typings). */
export function utf8(b: Uint8Array): string {
  decoder ??= new (globalThis as unknown as { TextDecoder: new (label: string) => Utf8Decoder }).TextDecoder("utf-8");
  return decoder.decode(b);
}
