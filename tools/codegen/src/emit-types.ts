/**
 * TypeScript interfaces in the plain JSON shape, with descriptions as doc comments.
 */
import type { ApiModel, GoTypeRef, PackageModel, PropertyModel, StructModel } from "./model.js";
import type { ProtoMessage } from "./proto.js";

/** Builds import statements for type references across packages. */
export class Imports {
  private readonly ns = new Map<string, string>();
  constructor(private readonly from: PackageModel) {}

  /** The local alias under which a package's types are reachable, adding the import. */
  alias(p: PackageModel, file: "types" | "protobuf"): string {
    const alias = p.dir.replace(/[/.-]/g, "_");
    let spec: string;
    if (p.target === this.from.target) {
      spec = `${relative(this.from.dir, p.dir)}/${file}.js`;
    } else if (file === "types") {
      spec = `@kubets/apimachinery/${p.dir === "runtime" ? "runtime" : p.dir}`;
    } else {
      spec = `@kubets/apimachinery/internal-gen/${p.dir}`;
    }
    this.ns.set(`${file === "types" ? "type" : "value"} ${alias}${file === "types" ? "" : "_pb"}`, spec);
    return file === "types" ? alias : `${alias}_pb`;
  }

  add(key: string, spec: string): void {
    this.ns.set(key, spec);
  }

  render(): string {
    const lines: string[] = [];
    for (const [key, spec] of [...this.ns.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const [kind, name] = key.split(" ") as [string, string];
      if (kind === "type") lines.push(`import type * as ${name} from "${spec}";`);
      else if (kind === "value") lines.push(`import * as ${name} from "${spec}";`);
      else if (kind === "named-type") lines.push(`import type { ${name} } from "${spec}";`);
      else lines.push(`import { ${name} } from "${spec}";`);
    }
    return lines.join("\n");
  }
}

function relative(from: string, to: string): string {
  const a = from.split("/");
  const up = a.map(() => "..").join("/");
  return `${up}/${to}`;
}

export function docComment(text: string | undefined, indent: string): string {
  if (text === undefined || text.trim() === "") return "";
  const body = text
    .replace(/\*\//g, "*\\/")
    .split("\n")
    .map((l) => (l.trim() === "" ? `${indent} *` : `${indent} * ${l.trimEnd()}`))
    .join("\n");
  return `${indent}/**\n${body}\n${indent} */\n`;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
export function propKey(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

/** The TypeScript type of a Go type in the JSON shape. */
export function tsType(model: ApiModel, pkg: PackageModel, imports: Imports, t: GoTypeRef): string {
  switch (t.kind) {
    case "string":
      return "string";
    case "bool":
      return "boolean";
    case "int8":
    case "int16":
    case "int32":
    case "uint16":
    case "uint32":
    case "float32":
    case "float64":
      return "number";
    case "int":
    case "int64":
    case "uint":
    case "uint64":
      // 64-bit integers: a number while the value is a safe integer, a bigint beyond 2^53 - 1 (every
      // decoder of @kubets/apimachinery returns them so; see its README, "Integers").
      return "number | bigint";
    case "uint8":
      return "number";
    case "interface":
      return "unknown";
    case "slice":
    case "array": {
      const e = t.elem!;
      if (e.kind === "uint8" && !e.pointer) return "string";
      const inner = tsType(model, pkg, imports, e);
      return /[|&\s]/.test(inner) ? `Array<${inner}>` : `${inner}[]`;
    }
    case "map":
      return `{ [key: string]: ${tsType(model, pkg, imports, t.elem!)} }`;
    case "struct":
      return structRef(model, pkg, imports, t.named ?? "");
    default:
      return "unknown";
  }
}

const META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

function structRef(model: ApiModel, pkg: PackageModel, imports: Imports, name: string): string {
  switch (name) {
    case "io.k8s.apimachinery.pkg.api.resource.Quantity":
      return "string";
    case "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
      return "number | string";
    case "io.k8s.apimachinery.pkg.runtime.RawExtension":
    case "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON":
    case "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.JSON":
      return "unknown";
  }
  const sm = model.structs[name];
  if (sm === undefined) return "unknown";
  if (sm.name.endsWith(".JSONSchemaPropsOrBool")) return `boolean | ${structRef(model, pkg, imports, sm.name.replace(/OrBool$/, ""))}`;
  if (sm.name.endsWith(".JSONSchemaPropsOrArray")) {
    const s = structRef(model, pkg, imports, sm.name.replace(/OrArray$/, ""));
    return `${s} | ${s}[]`;
  }
  if (sm.name.endsWith(".JSONSchemaPropsOrStringArray")) return `${structRef(model, pkg, imports, sm.name.replace(/OrStringArray$/, ""))} | string[]`;
  if (sm.goPackage === pkg.goPackage) return sm.shortName;
  const other = model.packages.find((p) => p.goPackage === sm.goPackage);
  if (other === undefined) return "unknown";
  if (sm.name === `${META}GroupVersionKind` || sm.name === `${META}GroupVersionResource`) {
    // The same shape as schema's identifiers, which @kubets/apimachinery defines once.
    imports.add(`named-type ${sm.shortName}`, "@kubets/apimachinery/schema");
    return sm.shortName;
  }
  if (sm.name.startsWith(META) || other.target === "apimachinery") {
    imports.add(`type meta_v1`, "@kubets/apimachinery/meta/v1");
    return `meta_v1.${sm.shortName}`;
  }
  return `${imports.alias(other, "types")}.${sm.shortName}`;
}

function isRequired(p: PropertyModel, hasSchema: boolean): boolean {
  if (hasSchema) return p.required;
  const g = p.go;
  return !g.omitempty && !g.omitzero && !g.type.pointer && ["string", "bool", "int32", "int64", "float64"].includes(g.type.kind);
}

/** Renders `types.ts` for one API package. */
/** A .proto comment as a description: without the `+marker` lines of Kubernetes' generators. */
export function protoDescription(comment: string | undefined): string | undefined {
  if (comment === undefined) return undefined;
  const text = comment
    .split("\n")
    .filter((l) => !l.trim().startsWith("+"))
    .join("\n")
    .trim();
  return text === "" ? undefined : text;
}

export function emitTypes(
  model: ApiModel,
  pkg: PackageModel,
  header: string,
  hasSchema: (s: StructModel) => boolean,
  protos?: Map<string, ProtoMessage>,
): string {
  const imports = new Imports(pkg);
  const out: string[] = [];
  const kindsByType = new Map<string, string[]>();
  for (const k of pkg.kinds) {
    const list = kindsByType.get(k.type) ?? [];
    list.push(k.kind);
    kindsByType.set(k.type, list);
  }
  const apiVersion = pkg.group === undefined ? undefined : pkg.group === "" ? pkg.version : `${pkg.group}/${pkg.version}`;
  for (const name of pkg.structs) {
    const sm = model.structs[name]!;
    if (sm.name.endsWith(".JSONSchemaPropsOrBool") || sm.name.endsWith(".JSONSchemaPropsOrArray") || sm.name.endsWith(".JSONSchemaPropsOrStringArray") || sm.name.endsWith(".JSON")) {
      out.push(docComment(sm.description, "") + `export type ${sm.shortName} = ${structRef(model, pkg, imports, sm.name) === sm.shortName ? "unknown" : structRef(model, pkg, imports, sm.name)};\n`);
      continue;
    }
    const schema = hasSchema(sm);
    const msg = protos?.get(sm.protoName);
    const lines: string[] = [];
    const kinds = kindsByType.get(name);
    for (const p of sm.properties) {
      if (p.name === "") continue;
      let type: string;
      if (kinds !== undefined && apiVersion !== undefined && p.name === "apiVersion") type = JSON.stringify(apiVersion);
      else if (kinds !== undefined && p.name === "kind") type = kinds.map((k) => JSON.stringify(k)).join(" | ");
      else type = tsType(model, pkg, imports, p.go.type);
      // A zero metav1.Time is JSON null, and Go's omitempty never drops a struct (omitzero does).
      const named = p.go.type.named;
      if ((named === `${META}Time` || named === `${META}MicroTime`) && !p.go.omitzero && (!p.go.type.pointer || !p.go.omitempty)) type += " | null";
      // OpenAPI's description, or for types no API server serves, the .proto comment.
      let desc = p.description;
      if (desc === undefined && msg !== undefined) {
        const n = Number(p.go.protobuf?.split(",")[1]);
        desc = protoDescription(msg.fields.find((f) => f.id === n)?.comment);
      }
      // Merge semantics from OpenAPI, for server-side apply and strategic merge patch users.
      const ps = p.schema;
      const notes: string[] = [];
      if (ps?.["x-kubernetes-list-type"] !== undefined) notes.push(`@listType ${ps["x-kubernetes-list-type"]}`);
      if (ps?.["x-kubernetes-list-map-keys"] !== undefined) notes.push(`@listMapKeys ${ps["x-kubernetes-list-map-keys"].join(", ")}`);
      if (ps?.["x-kubernetes-map-type"] !== undefined) notes.push(`@mapType ${ps["x-kubernetes-map-type"]}`);
      if (ps?.["x-kubernetes-patch-strategy"] !== undefined) notes.push(`@patchStrategy ${ps["x-kubernetes-patch-strategy"]}`);
      if (ps?.["x-kubernetes-patch-merge-key"] !== undefined) notes.push(`@patchMergeKey ${ps["x-kubernetes-patch-merge-key"]}`);
      if (type.includes("bigint")) notes.push("int64: a `number` while the value is a safe integer, a `bigint` (exact) beyond 2^53 - 1.");
      if (notes.length > 0) desc = desc === undefined ? notes.join("\n") : `${desc}\n\n${notes.join("\n")}`;
      lines.push(docComment(desc, "  ") + `  ${propKey(p.name)}${isRequired(p, schema) ? "" : "?"}: ${type};`);
    }
    out.push(docComment(sm.description ?? protoDescription(msg?.comment), "") + `export interface ${sm.shortName} {\n${lines.join("\n")}${lines.length ? "\n" : ""}}\n`);
  }
  const imp = imports.render();
  return `${header}\n${imp}${imp ? "\n\n" : ""}${out.join("\n")}`;
}
