/**
 * The typed clientset (client-go kubernetes/ and kubernetes/typed/*), generated as data and types:
 * one table of resource descriptors that @kubets/client's generic runtime turns into accessors
 * (`coreV1().pods(ns)`), one type-only file per group-version (the resource client interfaces,
 * typed with @kubets/api), and a table of lazy loaders for the protobuf codecs.
 */
import type { ApiModel, GVK, PackageModel, ResourceModel } from "./model.js";

export interface EmittedFile {
  /** Path relative to the repository root. */
  path: string;
  content: string;
}

const CLIENT_GEN = "packages/client/src/gen/kubernetes";

/** The methods a subresource's verbs give a typed client (mirrors @kubets/client's SUBRESOURCE_METHODS). */
const SUBRESOURCE_METHODS: Record<string, { iface: "StatusMethods" | "ScaleMethods" | "SubresourceMethods"; byVerb: Record<string, string[]> }> = {
  status: { iface: "StatusMethods", byVerb: { get: ["getStatus"], update: ["updateStatus"], patch: ["applyStatus"] } },
  scale: { iface: "ScaleMethods", byVerb: { get: ["getScale"], update: ["updateScale"], patch: ["applyScale"] } },
  eviction: { iface: "SubresourceMethods", byVerb: { create: ["evict"] } },
  binding: { iface: "SubresourceMethods", byVerb: { create: ["bind"] } },
  token: { iface: "SubresourceMethods", byVerb: { create: ["createToken"] } },
  log: { iface: "SubresourceMethods", byVerb: { get: ["getLogs", "streamLogs"] } },
  ephemeralcontainers: { iface: "SubresourceMethods", byVerb: { update: ["updateEphemeralContainers"] } },
  resize: { iface: "SubresourceMethods", byVerb: { update: ["updateResize"] } },
  approval: { iface: "SubresourceMethods", byVerb: { update: ["updateApproval"] } },
  finalize: { iface: "SubresourceMethods", byVerb: { update: ["finalize"] } },
};

const RESOURCE_VERBS = new Set(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]);

/** The group-versions of the clientset: built-in API packages that serve at least one resource. */
export function clientsetPackages(model: ApiModel): PackageModel[] {
  return model.packages
    .filter((p) => p.target === "api" && p.group !== undefined && p.resources.length > 0)
    .sort((a, b) => (accessorOf(a) < accessorOf(b) ? -1 : accessorOf(a) > accessorOf(b) ? 1 : 0));
}

/** The group part of client-go's accessor names (`Core`, `Apps`, `Internal` for apiserverinternal). */
export function groupName(p: PackageModel): string {
  const g = p.dir.split("/")[0] ?? "";
  return g === "apiserverinternal" ? "internal" : g;
}

/** `coreV1`, `appsV1`, `admissionregistrationV1beta1` (client-go's CoreV1() in camelCase). */
export function accessorOf(p: PackageModel): string {
  const v = p.version ?? "";
  return `${groupName(p)}${v.charAt(0).toUpperCase()}${v.slice(1)}`;
}

/** client-go's PascalCase version accessor for the informer factory (`V1beta1`). */
export function versionAccessor(p: PackageModel): string {
  return (p.version ?? "").toLowerCase();
}

/** The Go plural of a kind as client-go's namer writes it, checked against the REST resource. */
export function kindPlural(kind: string, resource: string): string {
  const lower = kind.toLowerCase();
  if (resource === lower) return kind;
  if (resource === `${lower}s`) return `${kind}s`;
  if (resource === `${lower}es`) return `${kind}es`;
  if (kind.endsWith("y") && resource === `${lower.slice(0, -1)}ies`) return `${kind.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(kind)) return `${kind}es`;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}

/** Go PascalCase to camelCase with a leading acronym lowered: `CSIDrivers` -> `csiDrivers`. */
export function camel(s: string): string {
  const m = /^[A-Z]+(?=[A-Z][a-z])|^[A-Z]+$|^[A-Z]/.exec(s);
  return m === null ? s : m[0].toLowerCase() + s.slice(m[0].length);
}

/** The accessor of a resource (`configMaps`, `endpoints`, `ingressClasses`). */
export function resourceMethod(r: ResourceModel): string {
  return camel(kindPlural(r.kind, r.resource));
}

export function apiVersionOfGV(g: { group: string; version: string }): string {
  return g.group === "" ? g.version : `${g.group}/${g.version}`;
}

/** The module alias of a package in a type import (`apps_v1`). */
export function alias(p: PackageModel): string {
  return p.dir.replace(/[/.-]/g, "_");
}

/** Resolves GVKs to `alias.TypeName` with the needed `import type` lines. */
export class TypeRefs {
  readonly imports = new Map<string, string>();
  constructor(private readonly model: ApiModel) {}

  packageOf(gvk: { group: string; version: string }): PackageModel | undefined {
    return this.model.packages.find((p) => p.target === "api" && p.group === gvk.group && p.version === gvk.version);
  }

  /** The TypeScript type of a kind, or undefined when the model does not know it. */
  ref(gvk: GVK): string | undefined {
    const p = this.packageOf(gvk);
    const k = p?.kinds.find((x) => x.kind === gvk.kind);
    if (p === undefined || k === undefined) return undefined;
    const sm = this.model.structs[k.type];
    if (sm === undefined) return undefined;
    this.imports.set(alias(p), `import type * as ${alias(p)} from "@kubets/api/${p.dir}";`);
    return `${alias(p)}.${sm.shortName}`;
  }

  listRef(gvk: GVK): string | undefined {
    const p = this.packageOf(gvk);
    const k = p?.kinds.find((x) => x.kind === gvk.kind);
    if (k?.listKind === undefined) return undefined;
    return this.ref({ group: gvk.group, version: gvk.version, kind: k.listKind });
  }

  importLines(): string[] {
    return [...this.imports.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, line]) => line);
  }
}

/** The interface name of a resource client (`PodInterface`), unique within its group-version. */
export function interfaceNames(p: PackageModel): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const r of p.resources) {
    let name = `${r.kind}Interface`;
    if (used.has(name)) name = `${kindPlural(r.kind, r.resource)}Interface`;
    used.add(name);
    out.set(r.resource, name);
  }
  return out;
}

function quoteUnion(xs: string[]): string {
  return xs.map((x) => JSON.stringify(x)).join(" | ");
}

function emitTyped(model: ApiModel, p: PackageModel, header: string): string {
  const refs = new TypeRefs(model);
  const body: string[] = [];
  const runtime = new Set<string>(["ResourceClientFor", "TypedList"]);
  const names = interfaceNames(p);
  for (const r of p.resources) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const t = refs.ref(gvk) ?? "unknown";
    const l = refs.listRef(gvk) ?? `TypedList<${t}>`;
    const verbs = r.verbs.filter((v) => RESOURCE_VERBS.has(v));
    const parts = [`ResourceClientFor<${t}, ${l}, ${verbs.length > 0 ? quoteUnion(verbs) : "never"}>`];
    for (const s of r.subresources) {
      const m = SUBRESOURCE_METHODS[s.name];
      if (m === undefined) continue;
      const methods = s.verbs.flatMap((v) => m.byVerb[v] ?? []);
      if (methods.length === 0) continue;
      runtime.add(m.iface);
      const st = s.kind !== undefined ? (refs.ref(s.kind) ?? "unknown") : t;
      const targs = m.iface === "StatusMethods" ? t : m.iface === "ScaleMethods" ? st : `${t}, ${st}`;
      parts.push(`Pick<${m.iface}<${targs}>, ${quoteUnion(methods)}>`);
    }
    body.push(`/** The ${r.resource} of ${apiVersionOfGV(r)} (client-go ${r.kind}Interface). */`);
    body.push(`export type ${names.get(r.resource)!} = ${parts.join("\n  & ")};\n`);
  }
  const acc = accessorOf(p);
  body.push(`/** The resources of ${apiVersionOfGV({ group: p.group ?? "", version: p.version ?? "" })} (client-go ${acc.charAt(0).toUpperCase()}${acc.slice(1)}Interface). */`);
  body.push(`export interface ${acc.charAt(0).toUpperCase()}${acc.slice(1)}Interface {`);
  for (const r of p.resources) {
    const m = resourceMethod(r);
    body.push(r.namespaced ? `  ${m}(namespace: string): ${names.get(r.resource)!};` : `  ${m}(): ${names.get(r.resource)!};`);
  }
  body.push(`}`);
  const depth = p.dir.split("/").length + 2; // src/gen/kubernetes/typed/<dir>.ts
  const up = "../".repeat(depth);
  return [
    header,
    `import type { ${[...runtime].sort().join(", ")} } from "${up}kubernetes/types.js";`,
    ...refs.importLines(),
    "",
    ...body,
    "",
  ].join("\n");
}

/** The runtime row of a resource: `[method, resource, kind, namespaced, subresources]`. */
function row(r: ResourceModel): string {
  const subs: string[] = [];
  for (const s of r.subresources) {
    if (SUBRESOURCE_METHODS[s.name] === undefined) continue;
    const same = s.kind === undefined || (s.kind.group === r.group && s.kind.version === r.version && s.kind.kind === r.kind);
    subs.push(`${JSON.stringify(s.name)}: ${same ? '""' : JSON.stringify(`${apiVersionOfGV(s.kind!)}:${s.kind!.kind}`)}`);
  }
  const fields = [JSON.stringify(resourceMethod(r)), JSON.stringify(r.resource), JSON.stringify(r.kind), r.namespaced ? "1" : "0"];
  if (subs.length > 0) fields.push(`{ ${subs.join(", ")} }`);
  return `[${fields.join(", ")}]`;
}

/** Every file of the typed clientset. */
export function emitClientset(model: ApiModel, header: string): EmittedFile[] {
  const files: EmittedFile[] = [];
  const pkgs = clientsetPackages(model);
  for (const p of pkgs) files.push({ path: `${CLIENT_GEN}/typed/${p.dir}.ts`, content: emitTyped(model, p, header) });

  const iface = (p: PackageModel): string => {
    const a = accessorOf(p);
    return `${a.charAt(0).toUpperCase()}${a.slice(1)}Interface`;
  };
  const cs: string[] = [header];
  cs.push(`import type { RestConfig } from "../../config/types.js";`);
  cs.push(`import { type ClientsetBase, type ClientsetOptions, type GroupVersionTable, newClientsetFromTable } from "../../kubernetes/clientset.js";`);
  cs.push(`import { codecLoaders } from "./codecs.js";`);
  for (const p of pkgs) cs.push(`import type { ${iface(p)} } from "./typed/${p.dir}.js";`);
  cs.push("");
  cs.push(`/** Every built-in group-version of Kubernetes ${model.kubernetes} (client-go kubernetes.Interface). */`);
  cs.push(`export interface Clientset extends ClientsetBase {`);
  for (const p of pkgs) cs.push(`  ${accessorOf(p)}(): ${iface(p)};`);
  cs.push(`}\n`);
  cs.push(`/** The resources of every group-version: accessor, plural, kind, namespaced, subresources. */`);
  cs.push(`export const groupVersions: readonly GroupVersionTable[] = [`);
  for (const p of pkgs) {
    cs.push(`  {\n    accessor: ${JSON.stringify(accessorOf(p))},\n    group: ${JSON.stringify(p.group)},\n    version: ${JSON.stringify(p.version)},\n    resources: [`);
    for (const r of p.resources) cs.push(`      ${row(r)},`);
    cs.push(`    ],\n  },`);
  }
  cs.push(`];\n`);
  cs.push(`/** A typed clientset for a config (kubernetes.NewForConfig). */`);
  cs.push(`export function newForConfig(config: RestConfig, options: ClientsetOptions = {}): Clientset {`);
  cs.push(`  return newClientsetFromTable(config, groupVersions, codecLoaders, options) as unknown as Clientset;`);
  cs.push(`}`);
  files.push({ path: `${CLIENT_GEN}/clientset.ts`, content: cs.join("\n") + "\n" });

  const all = model.packages.filter((p) => p.target === "api" && p.group !== undefined).sort((a, b) => (a.dir < b.dir ? -1 : 1));
  const codecs: string[] = [header];
  codecs.push(`import type { RegistrationLoader } from "../../kubernetes/codecs.js";\n`);
  codecs.push(`/** Loads the protobuf codecs of a group-version on first use, by apiVersion. */`);
  codecs.push(`export const codecLoaders: Readonly<Record<string, RegistrationLoader>> = {`);
  for (const p of all) codecs.push(`  ${JSON.stringify(apiVersionOfGV({ group: p.group ?? "", version: p.version ?? "" }))}: () => import("@kubets/api/${p.dir}"),`);
  codecs.push(`};`);
  files.push({ path: `${CLIENT_GEN}/codecs.ts`, content: codecs.join("\n") + "\n" });

  const idx: string[] = [header];
  idx.push(`export { type Clientset, groupVersions, newForConfig } from "./clientset.js";`);
  idx.push(`export { codecLoaders } from "./codecs.js";`);
  for (const p of pkgs) idx.push(`export type * as ${accessorOf(p)} from "./typed/${p.dir}.js";`);
  files.push({ path: `${CLIENT_GEN}/index.ts`, content: idx.join("\n") + "\n" });
  return files;
}
