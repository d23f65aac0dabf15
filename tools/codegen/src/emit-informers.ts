/**
 * Typed informers and listers (client-go informers/ and listers/), generated as a table for
 * @kubets/informers' factory runtime plus type-only files per group-version:
 * `factory.core().v1().pods().informer()` and `.lister().pods(ns).get(name)`.
 */
import { clientsetPackages, accessorOf, groupName, resourceMethod, TypeRefs, type EmittedFile } from "./emit-clientset.js";
import type { ApiModel, PackageModel, ResourceModel } from "./model.js";

const INFORMERS_GEN = "packages/informers/src/gen";

function pascal(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Resources an informer can serve: list and watch. */
function informable(p: PackageModel): ResourceModel[] {
  return p.resources.filter((r) => r.verbs.includes("list") && r.verbs.includes("watch"));
}

function informerPackages(model: ApiModel): PackageModel[] {
  return clientsetPackages(model).filter((p) => informable(p).length > 0);
}

function emitTyped(model: ApiModel, p: PackageModel, header: string): string {
  const refs = new TypeRefs(model);
  const body: string[] = [];
  const used = new Set<string>();
  const names: Array<[ResourceModel, string]> = [];
  for (const r of informable(p)) {
    let n = r.kind;
    if (used.has(n)) n = pascal(resourceMethod(r));
    used.add(n);
    names.push([r, n]);
  }
  for (const [r, n] of names) {
    const t = refs.ref({ group: r.group, version: r.version, kind: r.kind }) ?? "unknown";
    const m = resourceMethod(r);
    body.push(`/** Lists ${r.resource} from an informer's cache (client-go ${r.kind}Lister). */`);
    body.push(r.namespaced ? `export type ${n}Lister = NamespacedLister<${t}, ${JSON.stringify(m)}>;` : `export type ${n}Lister = ClusterLister<${t}>;`);
    body.push(`/** The shared informer of ${r.resource} and its lister (client-go ${r.kind}Informer). */`);
    body.push(`export type ${n}Informer = ResourceInformer<${t}, ${n}Lister>;\n`);
  }
  const iface = `${pascal(accessorOf(p))}Informers`;
  body.push(`/** The informers of ${p.group === "" ? p.version : `${p.group}/${p.version}`}. */`);
  body.push(`export interface ${iface} {`);
  for (const [r, n] of names) body.push(`  ${resourceMethod(r)}(): ${n}Informer;`);
  body.push(`}`);
  const up = "../".repeat(p.dir.split("/").length);
  return [header, `import type { ClusterLister, NamespacedLister, ResourceInformer } from "${up}factory-gen/factory.js";`, ...refs.importLines(), "", ...body, ""].join("\n");
}

/** Every file of the typed informers. */
export function emitInformers(model: ApiModel, header: string): EmittedFile[] {
  const files: EmittedFile[] = [];
  const pkgs = informerPackages(model);
  for (const p of pkgs) files.push({ path: `${INFORMERS_GEN}/${p.dir}.ts`, content: emitTyped(model, p, header) });

  const groups = new Map<string, PackageModel[]>();
  for (const p of pkgs) {
    const g = groupName(p);
    groups.set(g, [...(groups.get(g) ?? []), p]);
  }
  const groupNames = [...groups.keys()].sort();
  const f: string[] = [header];
  f.push(`import type { Clientset } from "@kubets/client/kubernetes";`);
  f.push(`import { buildInformerFactory, type InformerFactoryBase, type InformerFactoryOptions, type InformerGroupVersionTable } from "../factory-gen/factory.js";`);
  for (const p of pkgs) f.push(`import type { ${pascal(accessorOf(p))}Informers } from "./${p.dir}.js";`);
  f.push("");
  for (const g of groupNames) {
    f.push(`/** The versions of the ${g} informers (client-go ${pascal(g)} group interface). */`);
    f.push(`export interface ${pascal(g)}Informers {`);
    for (const p of groups.get(g)!) f.push(`  ${(p.version ?? "").toLowerCase()}(): ${pascal(accessorOf(p))}Informers;`);
    f.push(`}\n`);
  }
  f.push(`/** Typed informers for every built-in group (client-go informers.SharedInformerFactory). */`);
  f.push(`export interface TypedInformerFactory extends InformerFactoryBase {`);
  for (const g of groupNames) f.push(`  ${g}(): ${pascal(g)}Informers;`);
  f.push(`}\n`);
  f.push(`/** The informable resources of every group-version: accessor, plural, namespaced. */`);
  f.push(`export const informerGroupVersions: readonly InformerGroupVersionTable[] = [`);
  for (const p of pkgs) {
    f.push(
      `  {\n    groupAccessor: ${JSON.stringify(groupName(p))},\n    versionAccessor: ${JSON.stringify((p.version ?? "").toLowerCase())},\n    client: ${JSON.stringify(accessorOf(p))},\n    group: ${JSON.stringify(p.group)},\n    version: ${JSON.stringify(p.version)},\n    resources: [`,
    );
    for (const r of informable(p)) f.push(`      [${JSON.stringify(resourceMethod(r))}, ${JSON.stringify(r.resource)}, ${r.namespaced ? 1 : 0}],`);
    f.push(`    ],\n  },`);
  }
  f.push(`];\n`);
  f.push(`/** A shared informer factory over a typed clientset (informers.NewSharedInformerFactoryWithOptions). */`);
  f.push(`export function newSharedInformerFactory(client: Clientset, options: InformerFactoryOptions = {}): TypedInformerFactory {`);
  f.push(`  return buildInformerFactory(client, informerGroupVersions, options) as unknown as TypedInformerFactory;`);
  f.push(`}`);
  files.push({ path: `${INFORMERS_GEN}/factory.ts`, content: f.join("\n") + "\n" });

  const idx: string[] = [header];
  idx.push(`export { informerGroupVersions, newSharedInformerFactory, type TypedInformerFactory } from "./factory.js";`);
  idx.push(`export type { ${groupNames.map((g) => `${pascal(g)}Informers`).join(", ")} } from "./factory.js";`);
  for (const p of pkgs) idx.push(`export type * as ${accessorOf(p)} from "./${p.dir}.js";`);
  files.push({ path: `${INFORMERS_GEN}/index.ts`, content: idx.join("\n") + "\n" });
  return files;
}
