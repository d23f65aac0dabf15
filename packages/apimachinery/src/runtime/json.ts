/** JSON value types and deep copies with Go's DeepCopyJSON semantics. */
import { NonJSONValueError } from "./errors.js";

/** Any JSON value. */
export type JSONValue = string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };
/** A JSON object (Go's map[string]interface{}). */
export type JSONObject = { [key: string]: unknown };

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v) as unknown;
  return p === Object.prototype || p === null;
}

/**
 * Deep-copies a JSON value. Properties whose value is `undefined` are dropped (as
 * JSON.stringify does); non-finite numbers, functions, symbols, class instances and cycles
 * throw {@link NonJSONValueError} (Go panics). A bigint within the int64 range is kept.
 */
export function deepCopyJSONValue<T>(value: T): T {
  return copy(value, new Set()) as T;
}

function copy(v: unknown, seen: Set<object>): unknown {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      if (!Number.isFinite(v)) throw new NonJSONValueError(`cannot deep copy non-finite number ${v}`);
      return v;
    case "bigint":
      if (v > 9223372036854775807n || v < -9223372036854775808n) throw new NonJSONValueError(`cannot deep copy bigint ${v} outside int64`);
      return v;
    case "object": {
      if (v === null) return null;
      if (seen.has(v)) throw new NonJSONValueError("cannot deep copy a cyclic value");
      seen.add(v);
      let out: unknown;
      if (Array.isArray(v)) {
        out = v.map((x) => (x === undefined ? null : copy(x, seen)));
      } else if (isPlainObject(v)) {
        const o: JSONObject = {};
        for (const k of Object.keys(v)) {
          const x = (v as JSONObject)[k];
          if (x !== undefined) o[k] = copy(x, seen);
        }
        out = o;
      } else {
        throw new NonJSONValueError(`cannot deep copy ${Object.prototype.toString.call(v)}`);
      }
      seen.delete(v);
      return out;
    }
    default:
      throw new NonJSONValueError(`cannot deep copy ${typeof v}`);
  }
}

/** Deep-copies a JSON object (Go's DeepCopyJSON). */
export function deepCopyJSON<T extends JSONObject>(obj: T): T {
  return deepCopyJSONValue(obj);
}
