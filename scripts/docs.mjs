#!/usr/bin/env node
// The API reference: TypeDoc over every published package's entry points (the "@kubets/source"
// targets of its package.json "exports"), written to docs/api/<package>/, with docs/api/index.html
// linking them.
//
//   node scripts/docs.mjs            build the HTML; fails on any TypeDoc warning
//   node scripts/docs.mjs --check    no output; fails on any warning, and on an exported symbol of a
//                                    hand-written package (function, class, interface, type alias,
//                                    variable, enum) without a doc comment; members of classes and
//                                    interfaces are counted and reported, not yet required
//   ... [package ...]                only these packages (apimachinery, client, ...)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Application, LogLevel, OptionDefaults, ReflectionKind } from "typedoc";

const root = new URL("..", import.meta.url).pathname;
const all = ["apimachinery", "api", "client", "informers", "workqueue", "prometheus"];
const args = process.argv.slice(2);
const check = args.includes("--check");
const only = args.filter((a) => !a.startsWith("--"));
const packages = only.length > 0 ? only : all;

const TOP = ReflectionKind.Function | ReflectionKind.Class | ReflectionKind.Interface | ReflectionKind.TypeAlias | ReflectionKind.Variable | ReflectionKind.Enum;
const MEMBER = ReflectionKind.Method | ReflectionKind.Property | ReflectionKind.Accessor;

function documented(r) {
  if (r.hasComment()) return true;
  const sigs = r.getNonIndexSignatures?.() ?? [];
  return sigs.length > 0 && sigs.every((s) => s.hasComment());
}

/** Exported symbols (by declaration, so one re-exported from several entry points counts once) without a comment. */
function undocumented(project) {
  const top = new Map();
  const members = new Map();
  for (const r of project.getReflectionsByKind(TOP | MEMBER)) {
    if (r.flags.isInherited || r.flags.isExternal) continue;
    const isTop = r.kindOf(TOP) && r.parent?.kindOf(ReflectionKind.SomeModule | ReflectionKind.Project);
    const isMember = r.kindOf(MEMBER) && r.parent?.kindOf(ReflectionKind.ClassOrInterface) && !r.flags.isPrivate && !r.flags.isProtected;
    if (!isTop && !isMember) continue;
    const src = r.sources?.[0];
    const id = `${src?.fullFileName ?? "?"}:${src?.line ?? 0}:${r.name}`;
    const map = isTop ? top : members;
    if (!map.has(id)) map.set(id, { name: r.getFriendlyFullName(), file: src?.fileName ?? "?", ok: documented(r) || (isMember && r.implementationOf !== undefined) });
  }
  const list = (m) => [...m.values()];
  return { top: list(top), members: list(members) };
}

let failed = false;
const built = [];
for (const name of packages) {
  const dir = join(root, "packages", name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const entryPoints = Object.values(pkg.exports)
    .map((e) => (typeof e === "object" && e !== null ? e["@kubets/source"] : undefined))
    .filter((p) => typeof p === "string")
    .map((p) => join(dir, p));
  const app = await Application.bootstrap({
    name: pkg.name,
    entryPoints,
    entryPointStrategy: "resolve",
    tsconfig: join(dir, "tsconfig.json"),
    readme: join(dir, "README.md"),
    out: join(root, "docs", "api", name),
    excludePrivate: true,
    excludeInternal: true,
    excludeExternals: true,
    // Sibling packages resolve to their sources; they are documented on their own pages.
    externalPattern: ["**/node_modules/**", `${join(root, "packages")}/!(${name})/**`],
    githubPages: false,
    hideGenerator: true,
    disableSources: !check,
    // Source links point into the repository tree next to docs/api/<package>/, without asking git for a remote.
    disableGit: true,
    sourceLinkTemplate: "../../../{path}#L{line}",
    treatWarningsAsErrors: true,
    logLevel: LogLevel.Warn,
    validation: { notExported: false, invalidLink: true, rewrittenLink: true, notDocumented: false, unusedMergeModuleWith: true },
    sort: ["kind", "instance-first", "alphabetical-ignoring-documents"],
    // The Kubernetes markers the generated @kubets/api carries over from the Go types.
    blockTags: [...OptionDefaults.blockTags, "@listType", "@listMapKeys", "@patchStrategy", "@patchMergeKey", "@mapType"],
  });
  // Generated @kubets/api: its comments come from the Kubernetes OpenAPI descriptions.
  const project = await app.convert();
  if (project === undefined) {
    failed = true;
    continue;
  }
  app.validate(project);
  if (check && name !== "api") {
    // Generated @kubets/api takes its comments from the Kubernetes OpenAPI descriptions; not checked here.
    const { top, members } = undocumented(project);
    const missing = top.filter((t) => !t.ok);
    const missingMembers = members.filter((m) => !m.ok);
    for (const m of missing) console.error(`docs: ${pkg.name}: ${m.name} (${m.file}) has no doc comment`);
    console.log(`docs: ${pkg.name}: ${top.length - missing.length}/${top.length} exported symbols documented; members of classes and interfaces ${members.length - missingMembers.length}/${members.length}`);
    if (missing.length > 0) failed = true;
  }
  if (app.logger.hasErrors() || app.logger.hasWarnings()) {
    console.error(`docs: ${pkg.name} has ${app.logger.errorCount} errors and ${app.logger.warningCount} warnings (above)`);
    failed = true;
    continue;
  }
  if (!check) {
    await app.generateDocs(project, join(root, "docs", "api", name));
    built.push(pkg);
  }
}
if (!check && built.length > 0) {
  mkdirSync(join(root, "docs", "api"), { recursive: true });
  const rows = built.map((p) => `<li><a href="${p.name.replace("@kubets/", "")}/index.html">${p.name}</a>: ${p.description}</li>`).join("\n");
  writeFileSync(join(root, "docs", "api", "index.html"), `<!doctype html>\n<meta charset="utf-8">\n<title>kubets API reference</title>\n<h1>kubets API reference</h1>\n<ul>\n${rows}\n</ul>\n`);
}
if (failed) process.exit(1);
