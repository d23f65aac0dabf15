/**
 * The one model every generator reads: API groups, versions, kinds, resources (scope, verbs,
 * subresources) and the struct types with their JSON shape and Go facts.
 *
 * Sources: the OpenAPI v3 documents of k8s.io/kubernetes (paths, `x-kubernetes-action`,
 * `x-kubernetes-group-version-kind`, schemas and descriptions), tools/codegen/data/typeinfo.json
 * (Go facts by reflection: JSON names, omitempty, pointers, inline embedding), and the
 * `generated.proto` files (field numbers and wire types) for the protobuf codecs.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "./inputs.js";

// ---- typeinfo.json ---------------------------------------------------------------------------

export interface GoTypeRef {
  kind: string;
  go: string;
  pointer?: boolean;
  named?: string;
  elem?: GoTypeRef;
  key?: GoTypeRef;
  customJSON?: boolean;
  customProto?: boolean;
}

export interface GoField {
  goName: string;
  json: string;
  omitempty?: boolean;
  omitzero?: boolean;
  inline?: boolean;
  embedded?: boolean;
  skip?: boolean;
  protobuf?: string;
  /** The `patchStrategy` struct tag (strategic merge patch). */
  patchStrategy?: string;
  /** The `patchMergeKey` struct tag. */
  patchMergeKey?: string;
  type: GoTypeRef;
}

export interface GoStruct {
  go: string;
  proto: string;
  fields: GoField[];
  customJSON?: boolean;
  customProto?: boolean;
}

export interface TypeInfo {
  kinds: Array<{ group: string; version: string; kind: string; type: string }>;
  structs: Record<string, GoStruct>;
}

export function loadTypeInfo(file: string): TypeInfo {
  return JSON.parse(readFileSync(file, "utf8")) as TypeInfo;
}

/** The proto field name in a Go `protobuf:"bytes,1,opt,name=metadata"` tag. */
export function protoTagName(tag: string | undefined): string | undefined {
  if (tag === undefined || tag === "" || tag === "-") return undefined;
  for (const part of tag.split(",")) if (part.startsWith("name=")) return part.slice(5);
  return undefined;
}

// ---- OpenAPI -----------------------------------------------------------------------------------

export interface OpenAPISchema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, OpenAPISchema>;
  required?: string[];
  items?: OpenAPISchema;
  additionalProperties?: OpenAPISchema | boolean;
  allOf?: OpenAPISchema[];
  oneOf?: OpenAPISchema[];
  anyOf?: OpenAPISchema[];
  $ref?: string;
  enum?: unknown[];
  default?: unknown;
  "x-kubernetes-group-version-kind"?: Array<{ group: string; version: string; kind: string }>;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: string;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-patch-strategy"?: string;
  "x-kubernetes-patch-merge-key"?: string;
  [key: string]: unknown;
}

interface OpenAPIOperation {
  "x-kubernetes-action"?: string;
  "x-kubernetes-group-version-kind"?: { group: string; version: string; kind: string };
}

interface OpenAPIDocument {
  paths?: Record<string, Record<string, OpenAPIOperation | unknown>>;
  components?: { schemas?: Record<string, OpenAPISchema> };
}

// ---- the model ---------------------------------------------------------------------------------

export interface GVK {
  group: string;
  version: string;
  kind: string;
}

export interface SubresourceModel {
  /** e.g. "status", "scale", "exec". */
  name: string;
  /** The kind the subresource reads and writes (may be of another group: autoscaling/v1 Scale). */
  kind: GVK | undefined;
  /** Kubernetes verbs (get, update, patch, create, connect). */
  verbs: string[];
}

export interface ResourceModel {
  group: string;
  version: string;
  /** The plural, e.g. "deployments". */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Kubernetes verbs, sorted: create delete deletecollection get list patch update watch. */
  verbs: string[];
  subresources: SubresourceModel[];
}

export interface KindModel extends GVK {
  /** The OpenAPI name of the Go struct. */
  type: string;
  /** The kind of its list, when the group-version registers one (`PodList` for `Pod`). */
  listKind?: string;
  /** The REST resource serving this kind, if any. */
  resource?: string;
  namespaced?: boolean;
  /** True for a kind that carries ObjectMeta (a persisted object rather than an options or review type). */
  hasObjectMeta: boolean;
  /** True for a list type (has ListMeta and items). */
  isList: boolean;
}

export interface PropertyModel {
  /** The JSON name. */
  name: string;
  description?: string;
  required: boolean;
  /** The Go field that produces this property (after flattening inline structs). */
  go: GoField;
  /** The OpenAPI property schema, when the struct is in the OpenAPI documents. */
  schema?: OpenAPISchema;
}

export interface StructModel {
  /** OpenAPI name, e.g. `io.k8s.api.core.v1.Pod`. */
  name: string;
  /** TypeScript name (the Go type name). */
  shortName: string;
  goPackage: string;
  protoName: string;
  description?: string;
  /** JSON properties in Go's marshalling order, inline structs flattened. */
  properties: PropertyModel[];
  gvks: GVK[];
  go: GoStruct;
  /** The struct's own `x-kubernetes-map-type` (`atomic` for `+structType=atomic`), from OpenAPI. */
  mapType?: string;
}

export interface PackageModel {
  /** e.g. `k8s.io/api/apps/v1`. */
  goPackage: string;
  /** e.g. `k8s.io.api.apps.v1`. */
  protoPackage: string;
  /** e.g. `io.k8s.api.apps.v1`. */
  openAPIPrefix: string;
  /** Output folder and subpath export, e.g. `apps/v1`. */
  dir: string;
  /** Which kubets package the generated code goes to. */
  target: "api" | "apimachinery";
  /** The API group and version its kinds are registered in ("" group is core). */
  group: string | undefined;
  version: string | undefined;
  /** True when the group-version is in the OpenAPI documents (served by a default kube-apiserver). */
  served: boolean;
  kinds: KindModel[];
  resources: ResourceModel[];
  /** OpenAPI names of the package's structs, sorted. */
  structs: string[];
}

export interface ApiModel {
  kubernetes: string;
  packages: PackageModel[];
  structs: Record<string, StructModel>;
  /** sha256 of each input file, by a stable label. */
  inputs: Record<string, string>;
}

/** `k8s.io/api/core/v1` -> `io.k8s.api.core.v1` (OpenAPI's name for a Go package). */
export function openAPIPrefix(goPackage: string): string {
  const [host = "", ...rest] = goPackage.split("/");
  return [...host.split(".").reverse(), ...rest].join(".");
}

/** The output folder for a Go package: `k8s.io/api/apps/v1` -> `apps/v1`, `.../pkg/util/intstr` -> `intstr`. */
export function packageDir(goPackage: string): string {
  const parts = goPackage.split("/");
  const last = parts[parts.length - 1] ?? "";
  if (/^v\d+((alpha|beta)\d+)?$/.test(last)) return `${parts[parts.length - 2] ?? ""}/${last}`;
  return last;
}

function goPackageOf(goType: string): string {
  return goType.slice(0, goType.lastIndexOf("."));
}

const API_PACKAGE_PREFIXES = ["k8s.io/api/", "k8s.io/apiextensions-apiserver/pkg/apis/", "k8s.io/kube-aggregator/pkg/apis/"];
const APIMACHINERY_PACKAGES = new Set([
  "k8s.io/apimachinery/pkg/apis/meta/v1",
  "k8s.io/apimachinery/pkg/apis/meta/v1beta1",
  "k8s.io/apimachinery/pkg/runtime",
  "k8s.io/apimachinery/pkg/util/intstr",
  "k8s.io/apimachinery/pkg/api/resource",
]);

const VERB_OF_ACTION: Record<string, string> = {
  get: "get",
  list: "list",
  post: "create",
  put: "update",
  patch: "patch",
  delete: "delete",
  deletecollection: "deletecollection",
  watch: "watch",
  watchlist: "watch",
  connect: "connect",
};

function byString<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

function resolveRef(s: OpenAPISchema | undefined): string | undefined {
  if (s === undefined) return undefined;
  if (s.$ref !== undefined) return s.$ref.replace("#/components/schemas/", "");
  if (s.allOf?.length === 1) return resolveRef(s.allOf[0]);
  return undefined;
}
export { resolveRef as openAPIRef };

/** Builds the model from the OpenAPI v3 folder and typeinfo. */
export function buildModel(opts: { kubernetes: string; openAPIDir: string; typeInfo: TypeInfo; typeInfoText?: string }): ApiModel {
  const { typeInfo } = opts;
  const inputs: Record<string, string> = {};
  const schemas: Record<string, OpenAPISchema> = {};
  type RawResource = {
    group: string;
    version: string;
    resource: string;
    namespaced: boolean;
    verbs: Set<string>;
    kind: GVK | undefined;
    subs: Map<string, { kind: GVK | undefined; verbs: Set<string> }>;
  };
  const resources = new Map<string, RawResource>();
  const servedGV = new Set<string>();

  const files = readdirSync(opts.openAPIDir).filter((f) => f.endsWith(".json")).sort();
  for (const f of files) {
    const text = readFileSync(join(opts.openAPIDir, f), "utf8");
    inputs[`openapi-spec/v3/${f}`] = sha256(text);
    const doc = JSON.parse(text) as OpenAPIDocument;
    for (const [name, s] of Object.entries(doc.components?.schemas ?? {})) schemas[name] ??= s;
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.*)$/.exec(path);
      if (m === null) continue;
      const group = m[2] ?? "";
      const version = m[1] ?? m[3] ?? "";
      let rest = (m[4] ?? "").split("/").filter((s) => s !== "");
      if (rest[0] === "watch") rest = rest.slice(1);
      let namespaced = false;
      if (rest[0] === "namespaces" && rest[1] === "{namespace}" && rest.length >= 3) {
        namespaced = true;
        rest = rest.slice(2);
      }
      const plural = rest[0];
      if (plural === undefined) continue;
      servedGV.add(`${group}/${version}`);
      const key = `${group}/${version}/${plural}`;
      let r = resources.get(key);
      if (r === undefined) {
        r = { group, version, resource: plural, namespaced: false, verbs: new Set(), kind: undefined, subs: new Map() };
        resources.set(key, r);
      }
      if (namespaced) r.namespaced = true;
      const sub = rest.length >= 3 ? rest[2] : undefined;
      for (const op of Object.values(item)) {
        if (typeof op !== "object" || op === null) continue;
        const o = op as OpenAPIOperation;
        const action = o["x-kubernetes-action"];
        if (action === undefined) continue;
        const verb = VERB_OF_ACTION[action] ?? action;
        const gvk = o["x-kubernetes-group-version-kind"];
        if (sub === undefined) {
          r.verbs.add(verb);
          if (gvk !== undefined && (r.kind === undefined || action === "get")) r.kind = { group: gvk.group, version: gvk.version, kind: gvk.kind };
        } else {
          let s = r.subs.get(sub);
          if (s === undefined) {
            s = { kind: undefined, verbs: new Set() };
            r.subs.set(sub, s);
          }
          s.verbs.add(verb);
          if (gvk !== undefined && s.kind === undefined) s.kind = { group: gvk.group, version: gvk.version, kind: gvk.kind };
        }
      }
    }
  }
  if (opts.typeInfoText !== undefined) inputs["tools/codegen/data/typeinfo.json"] = sha256(opts.typeInfoText);

  // Structs: every struct typeinfo knows in an API or apimachinery package.
  const structs: Record<string, StructModel> = {};
  const flatten = (s: GoStruct, into: GoField[], seen: Set<string>): void => {
    for (const f of s.fields) {
      if (f.skip) continue;
      if (f.inline && f.type.kind === "struct" && f.type.named !== undefined && !f.type.customJSON) {
        const inner = typeInfo.structs[f.type.named];
        if (inner !== undefined && !seen.has(f.type.named)) {
          seen.add(f.type.named);
          flatten(inner, into, seen);
          continue;
        }
      }
      into.push(f);
    }
  };
  for (const [name, s] of Object.entries(typeInfo.structs)) {
    const pkg = goPackageOf(s.go);
    if (!APIMACHINERY_PACKAGES.has(pkg) && !API_PACKAGE_PREFIXES.some((p) => pkg.startsWith(p))) continue;
    const schema = schemas[name];
    const fields: GoField[] = [];
    flatten(s, fields, new Set());
    const required = new Set(schema?.required ?? []);
    const properties: PropertyModel[] = fields.map((f) => {
      const ps = schema?.properties?.[f.json];
      const p: PropertyModel = { name: f.json, required: required.has(f.json), go: f };
      const desc = ps?.description;
      if (desc !== undefined && desc !== "") p.description = desc;
      if (ps !== undefined) p.schema = ps;
      return p;
    });
    const sm: StructModel = {
      name,
      shortName: s.go.slice(s.go.lastIndexOf(".") + 1),
      goPackage: pkg,
      // go-to-protobuf spells package paths with "_" for "-" (k8s.io.apiextensions_apiserver...).
      protoName: s.proto.replaceAll("-", "_"),
      properties,
      gvks: schema?.["x-kubernetes-group-version-kind"] ?? [],
      go: s,
    };
    if (schema?.description) sm.description = schema.description;
    if (typeof schema?.["x-kubernetes-map-type"] === "string") sm.mapType = schema["x-kubernetes-map-type"];
    structs[name] = sm;
  }

  // Packages.
  const pkgs = new Map<string, PackageModel>();
  for (const sm of Object.values(structs)) {
    let p = pkgs.get(sm.goPackage);
    if (p === undefined) {
      p = {
        goPackage: sm.goPackage,
        protoPackage: sm.goPackage.replaceAll("/", ".").replaceAll("-", "_"),
        openAPIPrefix: openAPIPrefix(sm.goPackage),
        dir: packageDir(sm.goPackage),
        target: APIMACHINERY_PACKAGES.has(sm.goPackage) ? "apimachinery" : "api",
        group: undefined,
        version: undefined,
        served: false,
        kinds: [],
        resources: [],
        structs: [],
      };
      pkgs.set(sm.goPackage, p);
    }
    p.structs.push(sm.name);
  }
  // Kinds: registered GVKs whose Go type lives in the package.
  for (const k of typeInfo.kinds) {
    const sm = structs[k.type];
    if (sm === undefined) continue;
    const p = pkgs.get(sm.goPackage);
    if (p === undefined || p.target !== "api") continue;
    if (p.group === undefined) {
      p.group = k.group;
      p.version = k.version;
    }
    if (p.group !== k.group || p.version !== k.version) continue;
    const props = new Set(sm.properties.map((x) => x.name));
    const metaType = sm.properties.find((x) => x.name === "metadata")?.go.type.named;
    p.kinds.push({
      group: k.group,
      version: k.version,
      kind: k.kind,
      type: k.type,
      hasObjectMeta: metaType === "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
      isList: metaType === "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta" && props.has("items"),
    });
  }
  for (const p of pkgs.values()) {
    p.structs.sort();
    p.kinds.sort(byString((k) => k.kind));
    const kindNames = new Set(p.kinds.map((k) => k.kind));
    for (const k of p.kinds) if (!k.isList && kindNames.has(`${k.kind}List`)) k.listKind = `${k.kind}List`;
    if (p.group === undefined) continue;
    p.served = servedGV.has(`${p.group}/${p.version}`);
    for (const r of resources.values()) {
      if (r.group !== p.group || r.version !== p.version || r.kind === undefined) continue;
      const subresources = [...r.subs.entries()]
        .map(([name, s]) => ({ name, kind: s.kind, verbs: [...s.verbs].sort() }))
        .sort(byString((s) => s.name));
      p.resources.push({
        group: r.group,
        version: r.version,
        resource: r.resource,
        kind: r.kind.kind,
        namespaced: r.namespaced,
        verbs: [...r.verbs].sort(),
        subresources,
      });
    }
    p.resources.sort(byString((r) => r.resource));
    for (const k of p.kinds) {
      const r = p.resources.find((x) => x.kind === k.kind && x.group === k.group && x.version === k.version);
      if (r !== undefined) {
        k.resource = r.resource;
        k.namespaced = r.namespaced;
      }
    }
  }
  const packages = [...pkgs.values()].sort(byString((p) => p.goPackage));
  const dirs = new Map<string, string>();
  for (const p of packages) {
    const key = `${p.target}:${p.dir}`;
    const other = dirs.get(key);
    if (other !== undefined) throw new Error(`kubets-codegen: packages ${other} and ${p.goPackage} map to the same folder ${p.dir}`);
    dirs.set(key, p.goPackage);
  }
  return { kubernetes: opts.kubernetes, packages, structs, inputs };
}

/** A JSON-friendly summary of the model (no Go facts, no schemas): what tools/codegen/data/model.json holds. */
export function modelSummary(model: ApiModel): unknown {
  return {
    kubernetes: model.kubernetes,
    groupVersions: model.packages
      .filter((p) => p.target === "api" && p.group !== undefined)
      .map((p) => ({
        group: p.group,
        version: p.version,
        goPackage: p.goPackage,
        dir: p.dir,
        served: p.served,
        kinds: p.kinds.map((k) => {
          const out: Record<string, unknown> = { kind: k.kind, type: k.type };
          if (k.listKind !== undefined) out["listKind"] = k.listKind;
          if (k.resource !== undefined) out["resource"] = k.resource;
          if (k.namespaced !== undefined) out["namespaced"] = k.namespaced;
          if (k.isList) out["isList"] = true;
          return out;
        }),
        resources: p.resources,
      })),
  };
}
