/**
 * `kubets-codegen crd <crd.yaml ...> --out <dir>`: TypeScript types and GVK/resource constants for
 * every served version of CustomResourceDefinitions, from their `openAPIV3Schema`.
 *
 * Integers are `number | bigint` (int64: a bigint only beyond 2^53 - 1, as every decoder of
 * @kubets/apimachinery returns them), `number` with `format: int32`.
 *
 * Understood schema extensions: x-kubernetes-int-or-string (`number | string`),
 * x-kubernetes-preserve-unknown-fields (an index signature of `unknown`),
 * x-kubernetes-embedded-resource (apiVersion/kind/metadata plus the declared fields), and
 * x-kubernetes-list-type / x-kubernetes-list-map-keys / x-kubernetes-map-type (documented on the
 * property, since they constrain merging rather than shape).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { generateCrdClients } from "./crd-client.js";
import { docComment, propKey } from "./emit-types.js";
import type { OpenAPISchema } from "./model.js";

export interface CrdVersionOutput {
  group: string;
  version: string;
  /** The file path relative to the output folder, e.g. `stable.example.com/v1.ts`. */
  path: string;
  content: string;
}

interface CrdDocument {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    group?: string;
    scope?: string;
    names?: { kind?: string; listKind?: string; plural?: string; singular?: string; shortNames?: string[] };
    versions?: Array<{ name?: string; served?: boolean; storage?: boolean; deprecated?: boolean; schema?: { openAPIV3Schema?: OpenAPISchema } }>;
  };
}

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== "")
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
}

class Emitter {
  readonly decls: string[] = [];
  private readonly names = new Set<string>();
  usesMeta = false;

  constructor(reserved: Iterable<string>) {
    for (const n of reserved) this.names.add(n);
  }

  private unique(name: string): string {
    let n = name;
    for (let i = 2; this.names.has(n); i++) n = `${name}${i}`;
    this.names.add(n);
    return n;
  }

  /** The TypeScript type of a schema; named interfaces are emitted for objects with properties. */
  type(s: OpenAPISchema | undefined, nameHint: string): string {
    if (s === undefined) return "unknown";
    if (s["x-kubernetes-int-or-string"] === true) return "number | string";
    if (s.enum !== undefined && s.enum.length > 0) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
    const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
    const embedded = s["x-kubernetes-embedded-resource"] === true;
    switch (s.type) {
      case "string":
        return "string";
      case "integer":
        // An integer without `format: int32` is an int64 to the API server: a bigint beyond 2^53 - 1.
        return s.format === "int32" ? "number" : "number | bigint";
      case "number":
        return "number";
      case "boolean":
        return "boolean";
      case "array": {
        const inner = this.type(s.items, `${nameHint}Item`);
        return /[|&\s]/.test(inner) ? `Array<${inner}>` : `${inner}[]`;
      }
      case "object":
      case undefined: {
        const props = s.properties ?? {};
        if (Object.keys(props).length === 0 && !embedded) {
          if (typeof s.additionalProperties === "object") return `{ [key: string]: ${this.type(s.additionalProperties, `${nameHint}Value`)} }`;
          if (preserve || s.additionalProperties === true || s.type === "object") return "{ [key: string]: unknown }";
          return "unknown";
        }
        return this.object(s, nameHint, { preserve, embedded });
      }
      default:
        return "unknown";
    }
  }

  object(s: OpenAPISchema, nameHint: string, opts: { preserve: boolean; embedded: boolean; top?: { apiVersion: string; kind: string } }): string {
    const name = this.unique(nameHint);
    const required = new Set(s.required ?? []);
    const lines: string[] = [];
    const props = { ...(s.properties ?? {}) };
    if (opts.top !== undefined || opts.embedded) {
      this.usesMeta = true;
      if (opts.top !== undefined) {
        lines.push(`  apiVersion?: ${JSON.stringify(opts.top.apiVersion)};`, `  kind?: ${JSON.stringify(opts.top.kind)};`, `  metadata?: meta_v1.ObjectMeta;`);
      } else {
        lines.push(`  apiVersion?: string;`, `  kind?: string;`, `  metadata?: meta_v1.ObjectMeta;`);
      }
      delete props["apiVersion"];
      delete props["kind"];
      delete props["metadata"];
    }
    for (const key of Object.keys(props)) {
      const ps = props[key]!;
      const notes: string[] = [];
      if (ps["x-kubernetes-list-type"] !== undefined) notes.push(`@listType ${ps["x-kubernetes-list-type"]}`);
      if (ps["x-kubernetes-list-map-keys"] !== undefined) notes.push(`@listMapKeys ${ps["x-kubernetes-list-map-keys"].join(", ")}`);
      if (ps["x-kubernetes-map-type"] !== undefined) notes.push(`@mapType ${ps["x-kubernetes-map-type"]}`);
      if (ps.format !== undefined) notes.push(`@format ${ps.format}`);
      if (ps.default !== undefined) notes.push(`@default ${JSON.stringify(ps.default)}`);
      const doc = [ps.description, notes.length ? notes.join("\n") : undefined].filter((x) => x !== undefined && x !== "").join("\n\n");
      const t = this.type(ps, `${name}${pascal(key)}`);
      lines.push(docComment(doc || undefined, "  ") + `  ${propKey(key)}${required.has(key) ? "" : "?"}: ${t};`);
    }
    if (opts.preserve || opts.embedded) lines.push(`  /** Fields the schema does not declare (x-kubernetes-preserve-unknown-fields). */\n  [key: string]: unknown;`);
    this.decls.push(docComment(s.description, "") + `export interface ${name} {\n${lines.join("\n")}\n}\n`);
    return name;
  }
}

/** Generates one file per served group-version of the given CRD documents. */
export function generateCrdTypes(sources: Array<{ name: string; text: string }>, header = "// Code generated by @kubets/codegen crd. DO NOT EDIT.\n"): CrdVersionOutput[] {
  type Entry = { group: string; version: string; kinds: Array<{ doc: CrdDocument; schema: OpenAPISchema | undefined; source: string }> };
  const byGV = new Map<string, Entry>();
  for (const src of sources) {
    for (const d of parseAllDocuments(src.text)) {
      if (d.errors.length > 0) throw new Error(`${src.name}: ${d.errors[0]!.message}`);
      const doc = d.toJS() as CrdDocument | null;
      if (doc === null || doc.kind !== "CustomResourceDefinition") continue;
      const group = doc.spec?.group;
      const kind = doc.spec?.names?.kind;
      if (group === undefined || kind === undefined) throw new Error(`${src.name}: CRD ${doc.metadata?.name ?? "?"} has no spec.group or spec.names.kind`);
      for (const v of doc.spec?.versions ?? []) {
        if (v.served === false || v.name === undefined) continue;
        const key = `${group}/${v.name}`;
        let e = byGV.get(key);
        if (e === undefined) {
          e = { group, version: v.name, kinds: [] };
          byGV.set(key, e);
        }
        e.kinds.push({ doc, schema: v.schema?.openAPIV3Schema, source: basename(src.name) });
      }
    }
  }
  const out: CrdVersionOutput[] = [];
  for (const key of [...byGV.keys()].sort()) {
    const e = byGV.get(key)!;
    const kinds = [...e.kinds].sort((a, b) => (a.doc.spec!.names!.kind! < b.doc.spec!.names!.kind! ? -1 : 1));
    const reserved = kinds.flatMap((k) => [k.doc.spec!.names!.kind!, k.doc.spec!.names!.listKind ?? `${k.doc.spec!.names!.kind!}List`]);
    const em = new Emitter(reserved);
    const tail: string[] = [];
    const apiVersion = `${e.group}/${e.version}`;
    for (const k of kinds) {
      const names = k.doc.spec!.names!;
      const kind = names.kind!;
      const listKind = names.listKind ?? `${kind}List`;
      const schema: OpenAPISchema = k.schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true };
      const body = { ...schema, properties: { ...(schema.properties ?? {}) } };
      em.usesMeta = true;
      // Emit nested types through the shared emitter so names stay unique across kinds.
      const lines: string[] = [`  apiVersion?: ${JSON.stringify(apiVersion)};`, `  kind?: ${JSON.stringify(kind)};`, `  metadata?: meta_v1.ObjectMeta;`];
      const required = new Set(body.required ?? []);
      for (const [prop, ps] of Object.entries(body.properties)) {
        if (prop === "apiVersion" || prop === "kind" || prop === "metadata") continue;
        const notes: string[] = [];
        if (ps["x-kubernetes-list-type"] !== undefined) notes.push(`@listType ${ps["x-kubernetes-list-type"]}`);
        if (ps["x-kubernetes-list-map-keys"] !== undefined) notes.push(`@listMapKeys ${ps["x-kubernetes-list-map-keys"].join(", ")}`);
        const doc = [ps.description, notes.length ? notes.join("\n") : undefined].filter((x) => x !== undefined && x !== "").join("\n\n");
        lines.push(docComment(doc || undefined, "  ") + `  ${propKey(prop)}${required.has(prop) ? "" : "?"}: ${em.type(ps, `${kind}${pascal(prop)}`)};`);
      }
      if (schema["x-kubernetes-preserve-unknown-fields"] === true) lines.push(`  /** Fields the schema does not declare (x-kubernetes-preserve-unknown-fields). */\n  [key: string]: unknown;`);
      const scope = k.doc.spec?.scope === "Cluster" ? false : true;
      tail.push(
        docComment(schema.description ?? `${kind} (${apiVersion}), from CustomResourceDefinition ${k.doc.metadata?.name ?? ""} in ${k.source}.`, "") +
          `export interface ${kind} {\n${lines.join("\n")}\n}\n`,
        `/** A list of ${kind}. */\nexport interface ${listKind} {\n  apiVersion?: ${JSON.stringify(apiVersion)};\n  kind?: ${JSON.stringify(listKind)};\n  metadata?: meta_v1.ListMeta;\n  items: ${kind}[];\n}\n`,
        `export const ${kind}GVK = { group: ${JSON.stringify(e.group)}, version: ${JSON.stringify(e.version)}, kind: ${JSON.stringify(kind)} } as const;\n`,
        `export const ${listKind}GVK = { group: ${JSON.stringify(e.group)}, version: ${JSON.stringify(e.version)}, kind: ${JSON.stringify(listKind)} } as const;\n`,
        `/** The REST resource serving ${kind}. */\nexport const ${kind}Resource = {\n  group: ${JSON.stringify(e.group)},\n  version: ${JSON.stringify(e.version)},\n  resource: ${JSON.stringify(names.plural ?? kind.toLowerCase() + "s")},\n  kind: ${JSON.stringify(kind)},\n  listKind: ${JSON.stringify(listKind)},\n  namespaced: ${scope},\n  singular: ${JSON.stringify(names.singular ?? kind.toLowerCase())},\n  shortNames: ${JSON.stringify(names.shortNames ?? [])},\n} as const;\n`,
      );
    }
    const content =
      header +
      `\nimport type * as meta_v1 from "@kubets/apimachinery/meta/v1";\n\n` +
      `/** The group and version of these custom resources. */\nexport const SchemeGroupVersion = { group: ${JSON.stringify(e.group)}, version: ${JSON.stringify(e.version)} } as const;\n\n` +
      tail.join("\n") +
      (em.decls.length ? "\n" + em.decls.join("\n") : "");
    out.push({ group: e.group, version: e.version, path: `${e.group}/${e.version}.ts`, content });
  }
  return out;
}

/** The CLI entry: `crd <files...> --out <dir>`. */
export function runCrdCommand(args: string[]): void {
  const files: string[] = [];
  let outDir: string | undefined;
  let clients = true;
  let informers = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--out" || a === "-o") outDir = args[++i];
    else if (a.startsWith("--out=")) outDir = a.slice(6);
    else if (a === "--types-only") clients = false;
    else if (a === "--no-informers") informers = false;
    else files.push(a);
  }
  if (outDir === undefined || files.length === 0) {
    throw new Error("usage: kubets-codegen crd <crd.yaml ...> --out <dir> [--no-informers] [--types-only]");
  }
  const sources = files.map((f) => ({ name: f, text: readFileSync(f, "utf8") }));
  const outputs: Array<{ path: string; content: string }> = generateCrdTypes(sources);
  if (outputs.length === 0) throw new Error(`kubets-codegen crd: no served CustomResourceDefinition versions in ${files.join(", ")}`);
  // Typed clientset, informers and listers on @kubets/client and @kubets/informers (crd-client.ts).
  if (clients) outputs.push(...generateCrdClients(sources, { informers }));
  for (const o of outputs) {
    const p = join(outDir, o.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, o.content);
    process.stdout.write(`wrote ${p}\n`);
  }
}
