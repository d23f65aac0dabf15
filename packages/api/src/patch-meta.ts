/**
 * Strategic merge patch and field management metadata of the built-in types: what Kubernetes reads
 * from the Go struct tags (`patchStrategy`, `patchMergeKey`) and the OpenAPI extensions
 * (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`), generated into
 * `gen/patch-meta.ts` and parsed on first use.
 *
 * `patchMetaFor(apiVersion, kind)` gives a `PatchSchema`, the interface
 * `@kubets/apimachinery/patch` walks (client-go's `PatchMetaFromStruct`).
 */
import { patchMetaJSON } from "./gen/patch-meta.js";

import type { FieldPatchMeta, PatchSchema } from "@kubets/apimachinery/patch";

export type { FieldPatchMeta, PatchSchema };

type Entry = string | string[];
interface Table {
  s: Array<[string, number, Record<string, Entry>]>;
  k: Record<string, number>;
}

let table: Table | undefined;
function load(): Table {
  return (table ??= JSON.parse(patchMetaJSON) as Table);
}

/** A lookup failure, with Go's message; strategic merge patch reports it as a PatchError. */
class PatchMetaLookupError extends Error {
  override readonly name = "PatchMetaLookupError";
}

const EMPTY_META: FieldPatchMeta = { patchStrategies: [], patchMergeKey: "" };

function metaOf(e: Entry): { type: string; meta: FieldPatchMeta; inZero: boolean } {
  if (typeof e === "string") return { type: e.replace(/^!/, ""), meta: EMPTY_META, inZero: e.startsWith("!") };
  const [type0 = "p", strategy = "", mergeKey = "", listType = "", mapKeys = "", mapType = ""] = e;
  const meta: FieldPatchMeta = { patchStrategies: strategy === "" ? [] : strategy.split(","), patchMergeKey: mergeKey };
  if (listType !== "") meta.listType = listType;
  if (mapKeys !== "") meta.listMapKeys = mapKeys.split(",");
  if (mapType !== "") meta.mapType = mapType;
  return { type: type0.replace(/^!/, ""), meta, inZero: type0.startsWith("!") };
}

function goKind(type: string): string {
  const c = type[0] ?? "";
  if (c === "*") return "ptr";
  if (c === "[") return "slice";
  if (c === "{") return "map";
  if (c >= "0" && c <= "9") return "struct";
  return "primitive";
}

/** ASCII case folding, enough for Go's equalFold on JSON field names. */
function foldEq(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

class TableSchema implements PatchSchema {
  constructor(readonly type: string) {}

  name(): string {
    return goKind(this.type);
  }

  #struct(): { name: string; fields: Record<string, Entry> } {
    let t = this.type;
    if (t.startsWith("*")) t = t.slice(1);
    if (!/^\d+$/.test(t)) throw new PatchMetaLookupError(`merging an object in json but data type is not struct, instead is: ${goKind(t)}`);
    const row = load().s[Number(t)]!;
    return { name: row[0], fields: row[2] };
  }

  lookupPatchMetadataForStruct(key: string): { schema: PatchSchema; meta: FieldPatchMeta } {
    const s = this.#struct();
    let e = Object.hasOwn(s.fields, key) ? s.fields[key] : undefined;
    if (e === undefined) {
      for (const [k, v] of Object.entries(s.fields)) {
        if (foldEq(k, key)) {
          e = v;
          break;
        }
      }
    }
    if (e === undefined) throw new PatchMetaLookupError(`unable to find api field in struct ${s.name} for the json field ${JSON.stringify(key)}`);
    const { type, meta } = metaOf(e);
    return { schema: new TableSchema(type), meta };
  }

  lookupPatchMetadataForSlice(key: string): { schema: PatchSchema; meta: FieldPatchMeta } {
    const { schema, meta } = this.lookupPatchMetadataForStruct(key);
    let t = (schema as TableSchema).type;
    if (t.startsWith("[")) {
      t = t.slice(1);
      if (t.startsWith("[")) throw new PatchMetaLookupError("unexpected slice of slice");
    } else if (t.startsWith("*")) {
      t = t.slice(1);
      if (t.startsWith("[")) t = t.slice(1);
    } else throw new PatchMetaLookupError(`expected slice or array type, but got: ${goKind(this.type)}`);
    return { schema: new TableSchema(t), meta };
  }

  /** The struct row index, or undefined for a non-struct node. */
  structIndex(): number | undefined {
    const t = this.type.startsWith("*") ? this.type.slice(1) : this.type;
    return /^\d+$/.test(t) ? Number(t) : undefined;
  }
}

/**
 * The patch schema of a built-in kind (`"apps/v1"`, `"Deployment"`), or undefined for a kind
 * Kubernetes does not build in (custom resources use JSON merge patch semantics).
 */
export function patchMetaFor(apiVersion: string, kind: string): PatchSchema | undefined {
  const i = load().k[`${apiVersion}/${kind}`];
  return i === undefined ? undefined : new TableSchema(String(i));
}

/** Whether a schema node is a struct marked `+structType=atomic` (`x-kubernetes-map-type: atomic`). */
export function isAtomicStruct(schema: PatchSchema): boolean {
  if (!(schema instanceof TableSchema)) return false;
  const i = schema.structIndex();
  return i !== undefined && load().s[i]![1] === 1;
}

/** Every field of a struct node with its schema and metadata, for field management walks. */
export function structFields(schema: PatchSchema): ReadonlyMap<string, { schema: PatchSchema; meta: FieldPatchMeta }> | undefined {
  if (!(schema instanceof TableSchema)) return undefined;
  const i = schema.structIndex();
  if (i === undefined) return undefined;
  const out = new Map<string, { schema: PatchSchema; meta: FieldPatchMeta }>();
  for (const [k, e] of Object.entries(load().s[i]![2])) {
    const { type, meta } = metaOf(e);
    out.set(k, { schema: new TableSchema(type), meta });
  }
  return out;
}

/** The shape of a schema node, for walks over values (field management). */
export type SchemaNode =
  | { kind: "struct"; atomic: boolean; fields: ReadonlyMap<string, { schema: PatchSchema; meta: FieldPatchMeta }> }
  | { kind: "map"; atomic: boolean; elem: PatchSchema }
  | { kind: "list"; elem: PatchSchema }
  | { kind: "scalar" };

/** What a schema node is: a struct with its fields, a map or list with its element, or a scalar. */
export function schemaNode(schema: PatchSchema): SchemaNode {
  if (!(schema instanceof TableSchema)) return { kind: "scalar" };
  const t = schema.type.replace(/^\*/, "");
  if (t.startsWith("[")) return { kind: "list", elem: new TableSchema(t.slice(1)) };
  if (t.startsWith("{")) return { kind: "map", atomic: false, elem: new TableSchema(t.slice(1)) };
  if (/^\d+$/.test(t)) return { kind: "struct", atomic: load().s[Number(t)]![1] === 1, fields: structFields(schema)! };
  return { kind: "scalar" };
}

/**
 * The JSON of a kind's Go zero value (what `scheme.New(kind)` marshals to: non-omitempty fields as
 * `null`, `""`, `0`, `false` or nested objects), the starting point the API server's field
 * manager compares a created object with. Undefined for a kind with no metadata.
 */
export function zeroValueFor(apiVersion: string, kind: string): Record<string, unknown> | undefined {
  const i = load().k[`${apiVersion}/${kind}`];
  return i === undefined ? undefined : (zeroOf(String(i), new Set()) as Record<string, unknown>);
}

/** The JSON of a Go zero scalar by its table letter (pointers, slices and maps are null). */
const ZERO_SCALARS: Record<string, unknown> = { s: "", n: 0, b: false, q: "0", i: 0, d: "0s", p: null };

function zeroOf(type: string, onPath: Set<string>): unknown {
  if (!/^\d+$/.test(type)) return null;
  if (onPath.has(type)) return {};
  onPath.add(type);
  const out: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(load().s[Number(type)]![2])) {
    const { type: t, inZero } = metaOf(e);
    if (!inZero) continue;
    out[name] = /^\d+$/.test(t) ? zeroOf(t, onPath) : (ZERO_SCALARS[t] ?? null);
  }
  onPath.delete(type);
  return out;
}

function isZeroScalar(letter: string, v: unknown): boolean {
  switch (letter) {
    case "s":
      return v === "";
    case "n":
      return v === 0;
    case "b":
      return v === false;
    default:
      return false;
  }
}

/** A value through Go's JSON decoding into the field's type and encoding back. */
function roundTrip(type: string, v: unknown): unknown {
  if (v === null || v === undefined) return v;
  const t = type.replace(/^\*/, "");
  if (t.startsWith("[")) return Array.isArray(v) ? v.map((x) => roundTrip(t.slice(1), x)) : v;
  if (t.startsWith("{")) {
    if (typeof v !== "object" || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = roundTrip(t.slice(1), x);
    return out;
  }
  if (!/^\d+$/.test(t) || typeof v !== "object" || Array.isArray(v)) return v;
  const row = load().s[Number(t)]!;
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(row[2])) {
    const { type: ft, inZero } = metaOf(e);
    if (!Object.hasOwn(src, name)) {
      if (inZero) out[name] = /^\d+$/.test(ft) ? zeroOf(ft, new Set()) : (ZERO_SCALARS[ft] ?? null);
      continue;
    }
    const x = roundTrip(ft, src[name]);
    if (!inZero) {
      // omitempty: nil pointers, empty slices and maps, zero scalars are dropped.
      if (x === null) continue;
      const base = ft.replace(/^\*/, "");
      if (!ft.startsWith("*")) {
        if ((base.startsWith("[") && Array.isArray(x) && x.length === 0) || (base.startsWith("{") && typeof x === "object" && Object.keys(x as object).length === 0)) continue;
        if (isZeroScalar(base, x)) continue;
      }
    }
    out[name] = x;
  }
  return out;
}

/**
 * What the API server stores for an object of a built-in kind: the object decoded into its Go type and
 * encoded again (fields the type does not have dropped, empty `omitempty` fields dropped, fields Go
 * always writes added with their zero value). `apiVersion` and `kind` are kept. Undefined for a kind
 * with no metadata (custom resources).
 */
export function goJSONRoundTrip(apiVersion: string, kind: string, obj: Record<string, unknown>): Record<string, unknown> | undefined {
  const i = load().k[`${apiVersion}/${kind}`];
  if (i === undefined) return undefined;
  const out = roundTrip(String(i), obj) as Record<string, unknown>;
  if (obj["apiVersion"] !== undefined) out["apiVersion"] = obj["apiVersion"];
  if (obj["kind"] !== undefined) out["kind"] = obj["kind"];
  return out;
}
