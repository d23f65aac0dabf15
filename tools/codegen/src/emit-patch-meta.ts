/**
 * The patch metadata table of @kubets/api (`src/gen/patch-meta.ts`): for every struct, the fields
 * whose merge behaviour is not the default (patch strategy and merge key, as the Go struct tags and
 * `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key` state them; list type, list map keys
 * and map type for field management), with the Go shape of the field (struct, slice, map, pointer)
 * that strategic merge patch walks. One JSON string, parsed on first use.
 *
 * Patch strategy and merge key come from the Go struct tags (tools/codegen/data/typeinfo.json), list
 * and map types from OpenAPI.
 *
 * Format (documented here, read by packages/api/src/patch-meta.ts):
 *   { "s": [[goName, atomic(0|1), { json: entry }], ...], "k": { "apiVersion/Kind": structIndex } }
 *   entry = type | [type, patchStrategy, mergeKey, listType, listMapKeys (comma-joined), mapType]
 *   type  = "!"? (in the Go zero value's JSON) then ("*" pointer | "[" slice | "{" map)* then a struct index or
 *           a scalar: "s" string, "n" number, "b" bool, "q" Quantity, "i" IntOrString, "d" Duration,
 *           "p" anything else (Time, RawExtension, JSON, interface{}: zero value null).
 * Every JSON field is listed (strategic merge patch fails on a field the struct does not have, as in Go).
 * Struct names are Go's short names (for messages); rows are in sorted OpenAPI-name order.
 */
import type { ApiModel, GoTypeRef, OpenAPISchema } from "./model.js";

/** Scalars with their own JSON: the letter says what their Go zero value marshals to. */
function customScalar(named: string | undefined): string {
  switch (named) {
    case "io.k8s.apimachinery.pkg.api.resource.Quantity":
      return "q";
    case "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
      return "i";
    case "io.k8s.apimachinery.pkg.apis.meta.v1.Duration":
      return "d";
    default:
      return "p";
  }
}

function apiVersionOf(group: string, version: string): string {
  return group === "" ? version : `${group}/${version}`;
}

/** Builds the table (deterministic: structs in sorted OpenAPI-name order). */
export function patchMetaTable(model: ApiModel): { s: Array<[string, number, Record<string, string | string[]>]>; k: Record<string, number> } {
  const names = Object.keys(model.structs).sort();
  const index = new Map(names.map((n, i) => [n, i] as const));
  const typeRef = (t: GoTypeRef): string => {
    const prefix = t.pointer ? "*" : "";
    switch (t.kind) {
      case "slice":
        return t.elem === undefined ? `${prefix}[p` : `${prefix}[${typeRef(t.elem)}`;
      case "map":
        return t.elem === undefined ? `${prefix}{p` : `${prefix}{${typeRef(t.elem)}`;
      case "struct": {
        if (t.customJSON || t.named === undefined) return `${prefix}${customScalar(t.named)}`;
        const sm = model.structs[t.named];
        if (sm === undefined || sm.go.customJSON) return `${prefix}${customScalar(t.named)}`;
        return `${prefix}${index.get(t.named)!}`;
      }
      case "string":
        return `${prefix}s`;
      case "bool":
        return `${prefix}b`;
      case "interface":
        return `${prefix}p`;
      default:
        return `${prefix}n`;
    }
  };
  const s: Array<[string, number, Record<string, string | string[]>]> = [];
  for (const name of names) {
    const sm = model.structs[name]!;
    const fields: Record<string, string | string[]> = {};
    for (const p of sm.properties) {
      if (p.name === "") continue;
      const ps: OpenAPISchema = p.schema ?? {};
      // "!": the field is in the JSON of the Go zero value (not omitted), as field management's
      // starting point for a create sees it.
      const k = p.go.type.kind;
      const omitted = p.go.omitzero || (p.go.omitempty && (p.go.type.pointer || !(k === "struct")));
      const t = `${omitted ? "" : "!"}${typeRef(p.go.type)}`;
      // The struct tags are what Kubernetes reads (PatchMetaFromStruct); OpenAPI lacks the types no server serves.
      const meta = [
        p.go.patchStrategy ?? "",
        p.go.patchMergeKey ?? "",
        ps["x-kubernetes-list-type"] ?? "",
        (ps["x-kubernetes-list-map-keys"] ?? []).join(","),
        ps["x-kubernetes-map-type"] ?? "",
      ];
      while (meta.length > 0 && meta[meta.length - 1] === "") meta.pop();
      fields[p.name] = meta.length === 0 ? t : [t, ...meta];
    }
    s.push([sm.shortName, sm.mapType === "atomic" ? 1 : 0, fields]);
  }
  const k: Record<string, number> = {};
  const kinds: Array<[string, number]> = [];
  for (const pkg of model.packages) {
    if (pkg.target !== "api") continue;
    for (const kind of pkg.kinds) kinds.push([`${apiVersionOf(kind.group, kind.version)}/${kind.kind}`, index.get(kind.type)!]);
  }
  // Kinds registered from other packages (meta/v1's Status, APIGroup, ... in every group-version), from OpenAPI.
  const known = new Set(kinds.map(([key]) => key));
  for (const name of names) {
    for (const gvk of model.structs[name]!.gvks) {
      const key = `${apiVersionOf(gvk.group, gvk.version)}/${gvk.kind}`;
      if (!known.has(key)) {
        known.add(key);
        kinds.push([key, index.get(name)!]);
      }
    }
  }
  kinds.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [key, i] of kinds) k[key] = i;
  return { s, k };
}

export function emitPatchMeta(model: ApiModel, header: string): string {
  const json = JSON.stringify(patchMetaTable(model));
  return (
    `${header}\n` +
    `/**\n * Strategic merge patch and field management metadata of every built-in type (Kubernetes ${model.kubernetes}),\n` +
    ` * as one JSON string; read it through \`@kubets/api/patch-meta\`. Format: tools/codegen/src/emit-patch-meta.ts.\n */\n` +
    `export const patchMetaJSON = ${JSON.stringify(json)};\n`
  );
}
