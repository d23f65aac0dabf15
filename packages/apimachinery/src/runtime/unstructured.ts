/**
 * Unstructured content (k8s.io/apimachinery/pkg/apis/meta/v1/unstructured): nested field
 * access with Go's semantics and error messages, and list helpers.
 *
 * Mapping of Go's `(value, found, err)`: a result of `undefined` means not found (including
 * when an intermediate value is `null`), a type mismatch throws {@link UnstructuredFieldError}.
 * JSON numbers are one type in JavaScript: an integral number counts as int64 (and as float64),
 * a fractional one only as float64.
 */
import type { ObjectMeta, ListMeta } from "../meta/v1/types.js";
import { compareGoStrings, goQuote } from "../errors/go-format.js";
import { UnstructuredFieldError } from "./errors.js";
import type { JSONObject } from "./json.js";
import { deepCopyJSONValue } from "./json.js";

/** An object of any kind as parsed JSON. */
export interface Unstructured {
  [key: string]: unknown;
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** A list of objects of any kind as parsed JSON. */
export interface UnstructuredList {
  [key: string]: unknown;
  apiVersion?: string;
  kind?: string;
  metadata?: ListMeta;
  items: Unstructured[];
}

function isMap(v: unknown): v is JSONObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Go's %T for a decoded JSON value. */
function goType(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  switch (typeof v) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "bigint":
      return "int64";
    case "number":
      return Number.isInteger(v) ? "int64" : "float64";
    default:
      return Array.isArray(v) ? "[]interface {}" : "map[string]interface {}";
  }
}

/** Go's %v for a decoded JSON value. */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (typeof v === "object") {
    const o = v as JSONObject;
    return `map[${Object.keys(o)
      .sort(compareGoStrings)
      .map((k) => `${k}:${goValue(o[k])}`)
      .join(" ")}]`;
  }
  return String(v);
}

function jsonPath(fields: readonly string[]): string {
  return `.${fields.join(".")}`;
}

function typeError(fields: readonly string[], v: unknown, expected: string): UnstructuredFieldError {
  const p = jsonPath(fields);
  return new UnstructuredFieldError(p, `${p} accessor error: ${goValue(v)} is of the type ${goType(v)}, expected ${expected}`);
}

/** Go's NestedFieldNoCopy: the value at the path (not copied), or undefined if absent. */
export function nestedFieldNoCopy(obj: JSONObject, ...fields: string[]): unknown {
  let val: unknown = obj;
  for (let i = 0; i < fields.length; i++) {
    if (val === null || val === undefined) return undefined;
    if (!isMap(val)) throw typeError(fields.slice(0, i + 1), val, "map[string]interface{}");
    const f = fields[i] as string;
    if (!Object.hasOwn(val, f)) return undefined;
    val = val[f];
  }
  return val;
}

/** The value at the path without copying it (same as {@link nestedFieldNoCopy}). */
export function nestedField(obj: JSONObject, ...fields: string[]): unknown {
  return nestedFieldNoCopy(obj, ...fields);
}

/** Go's NestedFieldCopy: a deep copy of the value at the path, or undefined. */
export function nestedFieldCopy(obj: JSONObject, ...fields: string[]): unknown {
  const v = nestedFieldNoCopy(obj, ...fields);
  return v === undefined ? undefined : deepCopyJSONValue(v);
}

/**
 * The string at `fields` in an unstructured object: undefined when absent, a TypeError when it is not a
 * string (Go's NestedString).
 */
export function nestedString(obj: JSONObject, ...fields: string[]): string | undefined {
  const v = nestedFieldNoCopy(obj, ...fields);
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw typeError(fields, v, "string");
  return v;
}

/** The boolean at `fields`: undefined when absent, a TypeError when it is not a boolean (Go's NestedBool). */
export function nestedBool(obj: JSONObject, ...fields: string[]): boolean | undefined {
  const v = nestedFieldNoCopy(obj, ...fields);
  if (v === undefined) return undefined;
  if (typeof v !== "boolean") throw typeError(fields, v, "bool");
  return v;
}

/** Any JSON number (JavaScript cannot tell `1` from `1.0`). */
export function nestedFloat64(obj: JSONObject, ...fields: string[]): number | undefined {
  const v = nestedFieldNoCopy(obj, ...fields);
  if (v === undefined) return undefined;
  if (typeof v !== "number") throw typeError(fields, v, "float64");
  return v;
}

/** An integral number (or a bigint, returned as a number when it is safe). */
export function nestedInt64(obj: JSONObject, ...fields: string[]): number | bigint | undefined {
  const v = nestedFieldNoCopy(obj, ...fields);
  if (v === undefined) return undefined;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  throw typeError(fields, v, "int64");
}

/** Go's NestedNumberAsFloat64: an int64 must convert to float64 exactly. */
export function nestedNumberAsFloat64(obj: JSONObject, ...fields: string[]): number | undefined {
  const v = nestedFieldNoCopy(obj, ...fields);
  if (v === undefined) return undefined;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") {
    const f = Number(v);
    if (BigInt(f) !== v) {
      const p = jsonPath(fields);
      throw new UnstructuredFieldError(p, `${p} accessor error: int64 value ${v} cannot be losslessly converted to float64`);
    }
    return f;
  }
  throw typeError(fields, v, "float64 or int64");
}

/**
 * A copy of the string list at `fields`: undefined when absent, a TypeError when it is not a list of
 * strings (Go's NestedStringSlice).
 */
export function nestedStringSlice(obj: JSONObject, ...fields: string[]): string[] | undefined {
  const v = nestedFieldNoCopy(obj, ...fields);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw typeError(fields, v, "[]interface{}");
  const out: string[] = [];
  for (const x of v) {
    if (typeof x !== "string") {
      const p = jsonPath(fields);
      throw new UnstructuredFieldError(
        p,
        `${p} accessor error: contains non-string key in the slice: ${goValue(x)} is of the type ${goType(x)}, expected string`,
      );
    }
    out.push(x);
  }
  return out;
}

/** Go's NestedSlice: a deep copy of the array at the path. */
export function nestedSlice(obj: JSONObject, ...fields: string[]): unknown[] | undefined {
  const v = nestedFieldNoCopy(obj, ...fields);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw typeError(fields, v, "[]interface{}");
  return deepCopyJSONValue(v);
}

function nestedMapNoCopy(obj: JSONObject, tolerateNull: boolean, fields: string[]): JSONObject | null | undefined {
  const v = nestedFieldNoCopy(obj, ...fields);
  if (v === undefined) return undefined;
  if (v === null && tolerateNull) return null;
  if (!isMap(v)) throw typeError(fields, v, "map[string]interface{}");
  return v;
}

function toStringMap(m: JSONObject, fields: string[], coerceNull: boolean): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const k of Object.keys(m)) {
    const x = m[k];
    if (typeof x === "string") out[k] = x;
    else if (coerceNull && x === null) out[k] = "";
    else {
      const p = jsonPath(fields);
      throw new UnstructuredFieldError(
        p,
        `${p} accessor error: contains non-string value in the map under key ${goQuote(k)}: ${goValue(x)} is of the type ${goType(x)}, expected string`,
      );
    }
  }
  return out;
}

/** Go's NestedStringMap: a copy of a map of strings. */
export function nestedStringMap(obj: JSONObject, ...fields: string[]): { [key: string]: string } | undefined {
  const m = nestedMapNoCopy(obj, false, fields);
  return m === undefined || m === null ? undefined : toStringMap(m, fields, false);
}

/** Go's NestedNullCoercingStringMap: `null` when the map itself is null; null values read as `""`. */
export function nestedNullCoercingStringMap(obj: JSONObject, ...fields: string[]): { [key: string]: string } | null | undefined {
  const m = nestedMapNoCopy(obj, true, fields);
  if (m === undefined || m === null) return m;
  return toStringMap(m, fields, true);
}

/** Go's NestedMap: a deep copy of the object at the path. */
export function nestedMap(obj: JSONObject, ...fields: string[]): JSONObject | undefined {
  const m = nestedMapNoCopy(obj, false, fields);
  return m === undefined || m === null ? undefined : deepCopyJSONValue(m);
}

function setNoCopy(obj: JSONObject, value: unknown, fields: string[]): void {
  if (fields.length === 0) throw new UnstructuredFieldError("", "value cannot be set because no field path was given");
  let m = obj;
  for (let i = 0; i < fields.length - 1; i++) {
    const f = fields[i] as string;
    if (Object.hasOwn(m, f)) {
      const v = m[f];
      if (!isMap(v)) {
        const p = jsonPath(fields.slice(0, i + 1));
        throw new UnstructuredFieldError(p, `value cannot be set because ${p} is not a map[string]interface{}`);
      }
      m = v;
    } else {
      const n: JSONObject = {};
      m[f] = n;
      m = n;
    }
  }
  m[fields[fields.length - 1] as string] = value;
}

/** Go's SetNestedField: stores a deep copy, creating intermediate maps. */
export function setNestedField(obj: JSONObject, value: unknown, ...fields: string[]): void {
  setNoCopy(obj, deepCopyJSONValue(value), fields);
}
/** Sets a copy of `value` at `fields`, creating intermediate maps (Go's SetNestedStringSlice). */
export function setNestedStringSlice(obj: JSONObject, value: readonly string[], ...fields: string[]): void {
  setNoCopy(obj, [...value], fields);
}
/** Sets a deep copy of the list `value` at `fields`, creating intermediate maps (Go's SetNestedSlice). */
export function setNestedSlice(obj: JSONObject, value: readonly unknown[], ...fields: string[]): void {
  setNestedField(obj, value, ...fields);
}
/** Sets a copy of the string map `value` at `fields`, creating intermediate maps (Go's SetNestedStringMap). */
export function setNestedStringMap(obj: JSONObject, value: { readonly [key: string]: string }, ...fields: string[]): void {
  setNoCopy(obj, { ...value }, fields);
}
/** Sets a deep copy of the map `value` at `fields`, creating intermediate maps (Go's SetNestedMap). */
export function setNestedMap(obj: JSONObject, value: JSONObject, ...fields: string[]): void {
  setNestedField(obj, value, ...fields);
}

/** Go's RemoveNestedField: deletes the field if every parent is a map; otherwise does nothing. */
export function removeNestedField(obj: JSONObject, ...fields: string[]): void {
  if (fields.length === 0) return;
  let m = obj;
  for (let i = 0; i < fields.length - 1; i++) {
    const x = m[fields[i] as string];
    if (!isMap(x) || !Object.hasOwn(m, fields[i] as string)) return;
    m = x;
  }
  delete m[fields[fields.length - 1] as string];
}

/** Go's Unstructured.IsList: whether `items` is an array. */
export function isList(obj: JSONObject): obj is UnstructuredList {
  return Array.isArray(obj["items"]);
}

/**
 * Go's UnstructuredList.EachListItem: calls `fn` for each item. Throws
 * {@link UnstructuredFieldError} if `items` is missing or holds a non-object.
 */
export function eachListItem(list: JSONObject, fn: (item: Unstructured, index: number) => void): void {
  const items = list["items"];
  if (!Array.isArray(items)) {
    throw new UnstructuredFieldError(".items", `.items accessor error: ${goValue(items)} is of the type ${goType(items)}, expected []interface{}`);
  }
  items.forEach((item, i) => {
    if (!isMap(item)) {
      throw new UnstructuredFieldError(`.items[${i}]`, `items member is not an object: ${goType(item)}`);
    }
    fn(item as Unstructured, i);
  });
}

/**
 * Converts an object in the JSON shape to unstructured content (Go's
 * DefaultUnstructuredConverter.ToUnstructured): a deep copy with undefined fields removed.
 */
export function toUnstructured(obj: object): Unstructured {
  const c = deepCopyJSONValue(obj) as unknown;
  if (!isMap(c)) throw new UnstructuredFieldError("", `cannot convert ${goType(c)} to unstructured content`);
  return c as Unstructured;
}

/**
 * Converts unstructured content to a typed object (Go's FromUnstructured). Objects share
 * one shape in kubets, so this is a deep copy, typed by the caller; pass `validate` to check it.
 */
export function fromUnstructured<T extends object>(u: JSONObject, validate?: (value: unknown) => value is T): T {
  const c = deepCopyJSONValue(u);
  if (validate !== undefined && !validate(c)) {
    throw new UnstructuredFieldError("", "unstructured content does not have the expected shape");
  }
  return c as T;
}
