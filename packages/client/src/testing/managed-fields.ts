/**
 * Field management for the fake clientset: the subset of sigs.k8s.io/structured-merge-diff and
 * k8s.io/apiserver's fieldmanager that decides who owns which field. Field sets are computed from
 * values walked with the built-in types' schema (`@kubets/api/patch-meta`: struct fields, list types
 * and map keys, atomic maps and structs; lists with no list type take their type from the patch
 * strategy, as Kubernetes' OpenAPI conversion does); kinds with no schema are walked as deduced
 * (maps granular, lists atomic). What is and is not modelled is listed in the package README.
 */
import { newApplyConflict } from "@kubets/apimachinery/errors";
import type { FieldPatchMeta, PatchSchema } from "@kubets/apimachinery/patch";
import { schemaNode } from "@kubets/api/patch-meta";

type JSONMap = Record<string, unknown>;

function isMap(v: unknown): v is JSONMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// ---- schema --------------------------------------------------------------------------------------

/** A node of the type structure field management walks (structured-merge-diff's schema atoms). */
export type TypeNode =
  | { kind: "struct"; atomic: boolean; field(name: string): TypeNode }
  | { kind: "map"; atomic: boolean; elem: TypeNode }
  | { kind: "list"; listType: "atomic" | "set" | "map"; keys: string[]; elem: TypeNode }
  | { kind: "scalar" }
  | { kind: "deduced" };

const SCALAR: TypeNode = { kind: "scalar" };
const DEDUCED: TypeNode = { kind: "deduced" };

/** The type node of a built-in kind's schema (`patchMetaFor(apiVersion, kind)`), or a deduced one. */
export function typeNodeOf(schema: PatchSchema | undefined, meta?: FieldPatchMeta): TypeNode {
  if (schema === undefined) return DEDUCED;
  const n = schemaNode(schema);
  switch (n.kind) {
    case "struct": {
      const cache = new Map<string, TypeNode>();
      return {
        kind: "struct",
        atomic: n.atomic || meta?.mapType === "atomic",
        field: (name) => {
          let t = cache.get(name);
          if (t === undefined) {
            const f = n.fields.get(name);
            t = f === undefined ? DEDUCED : typeNodeOf(f.schema, f.meta);
            cache.set(name, t);
          }
          return t;
        },
      };
    }
    case "map":
      return { kind: "map", atomic: meta?.mapType === "atomic", elem: typeNodeOf(n.elem) };
    case "list": {
      let listType = meta?.listType as "atomic" | "set" | "map" | undefined;
      let keys = meta?.listMapKeys ?? [];
      if (listType === undefined) {
        // kube-openapi's conversion: a merging list with a merge key is a map, without one a set.
        if (meta?.patchStrategies.includes("merge")) {
          listType = meta.patchMergeKey !== "" ? "map" : "set";
          keys = meta.patchMergeKey !== "" ? [meta.patchMergeKey] : [];
        } else listType = "atomic";
      }
      return { kind: "list", listType, keys, elem: typeNodeOf(n.elem) };
    }
    default:
      return SCALAR;
  }
}

function child(t: TypeNode, key: string): TypeNode {
  switch (t.kind) {
    case "struct":
      return t.field(key);
    case "map":
      return t.elem;
    default:
      return DEDUCED;
  }
}

function isAtomicContainer(t: TypeNode): boolean {
  return (t.kind === "struct" || t.kind === "map") && t.atomic;
}

function isDeclaredField(t: TypeNode, key: string): boolean {
  return t.kind === "struct" && t.field(key) !== DEDUCED;
}

// ---- field sets --------------------------------------------------------------------------------

/** A set of field paths as a tree: children by FieldsV1 element (`f:name`, `k:{...}`, `v:...`, `i:0`). */
export class FieldSet {
  member = false;
  readonly children = new Map<string, FieldSet>();

  static fromFieldsV1(v: unknown, root = true): FieldSet {
    const s = new FieldSet();
    if (!isMap(v)) return s;
    for (const [k, c] of Object.entries(v)) {
      if (k === ".") s.member = true;
      else s.children.set(k, FieldSet.fromFieldsV1(c, false));
    }
    // A leaf element ({}) is a member.
    if (!root && s.children.size === 0) s.member = true;
    return s;
  }

  /** FieldsV1 JSON: a member with children writes `".": {}`. */
  toFieldsV1(): JSONMap {
    const out: JSONMap = {};
    if (this.member && this.children.size > 0) out["."] = {};
    for (const [k, c] of this.children) out[k] = c.toFieldsV1();
    return out;
  }

  insert(path: readonly string[], from = 0): void {
    if (from === path.length) {
      this.member = true;
      return;
    }
    const pe = path[from]!;
    let c = this.children.get(pe);
    if (c === undefined) {
      c = new FieldSet();
      this.children.set(pe, c);
    }
    c.insert(path, from + 1);
  }

  /** The node at `path`, if any. */
  at(path: readonly string[]): FieldSet | undefined {
    let n: FieldSet | undefined = this.children.get(path[0] ?? "");
    if (path.length === 0) return this;
    for (const pe of path.slice(1)) n = n?.children.get(pe);
    return n;
  }

  isEmpty(): boolean {
    if (this.member) return false;
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  /** Every member path. */
  paths(prefix: string[] = [], out: string[][] = []): string[][] {
    for (const [k, c] of this.children) {
      const p = [...prefix, k];
      if (c.member) out.push(p);
      c.paths(p, out);
    }
    return out;
  }

  has(path: readonly string[]): boolean {
    const n = this.at(path);
    return n !== undefined && n.member;
  }

  /** Whether the set has this path or anything under it. */
  hasPrefix(path: readonly string[]): boolean {
    const n = this.at(path);
    return n !== undefined && (!n.isEmpty() || n.member);
  }

  clone(): FieldSet {
    const s = new FieldSet();
    s.member = this.member;
    for (const [k, c] of this.children) s.children.set(k, c.clone());
    return s;
  }

  union(o: FieldSet): FieldSet {
    const s = this.clone();
    s.member ||= o.member;
    for (const [k, c] of o.children) {
      const mine = s.children.get(k);
      s.children.set(k, mine === undefined ? c.clone() : mine.union(c));
    }
    return s;
  }

  /** Members of this set that are not members of `o` (structured-merge-diff Set.Difference). */
  difference(o: FieldSet): FieldSet {
    const s = new FieldSet();
    s.member = this.member && !o.member;
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      const d = oc === undefined ? c.clone() : c.difference(oc);
      if (!d.isEmpty()) s.children.set(k, d);
    }
    return s;
  }

  intersection(o: FieldSet): FieldSet {
    const s = new FieldSet();
    s.member = this.member && o.member;
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      if (oc === undefined) continue;
      const i = c.intersection(oc);
      if (!i.isEmpty()) s.children.set(k, i);
    }
    return s;
  }

  /** Removes every path that is a member of `o` or below one (Set.RecursiveDifference). */
  recursiveDifference(o: FieldSet): FieldSet {
    const s = new FieldSet();
    if (o.member) return s;
    s.member = this.member;
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      const d = oc === undefined ? c.clone() : c.recursiveDifference(oc);
      if (!d.isEmpty()) s.children.set(k, d);
    }
    return s;
  }
}

/** A FieldsV1 element as structured-merge-diff prints it in conflict messages (`.name`, `[name="x"]`). */
export function pathElementString(pe: string): string {
  const body = pe.slice(2);
  switch (pe[0]) {
    case "f":
      return `.${body}`;
    case "k": {
      const o = JSON.parse(body) as JSONMap;
      return `[${Object.keys(o)
        .map((k) => `${k}=${JSON.stringify(o[k])}`)
        .join(",")}]`;
    }
    case "v":
      return `[=${body}]`;
    case "i":
      return `[${body}]`;
    default:
      return pe;
  }
}

function sortKeys(v: unknown): unknown {
  if (!isMap(v)) return v;
  const out: JSONMap = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

function sortedJSON(v: unknown): string {
  if (isMap(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJSON(v[k])}`)
      .join(",")}}`;
  }
  if (Array.isArray(v)) return `[${v.map(sortedJSON).join(",")}]`;
  return JSON.stringify(v);
}

/** The FieldsV1 element of a list item. */
function listItemElement(t: Extract<TypeNode, { kind: "list" }>, item: unknown, index: number): string {
  if (t.listType === "map" && isMap(item)) {
    const keys: JSONMap = {};
    for (const k of [...t.keys].sort()) if (Object.hasOwn(item, k)) keys[k] = item[k];
    return `k:${sortedJSON(keys)}`;
  }
  if (t.listType === "set") return `v:${sortedJSON(item)}`;
  return `i:${index}`;
}

// ---- walks over values -------------------------------------------------------------------------

/** structured-merge-diff's ToFieldSet: the fields a value sets (an applier's ownership). */
export function toFieldSet(value: unknown, t: TypeNode): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, tn: TypeNode, path: string[]): void => {
    if (tn.kind === "list") {
      if (tn.listType === "atomic" || !Array.isArray(v)) {
        set.insert(path);
        return;
      }
      v.forEach((item, i) => {
        const p = [...path, listItemElement(tn, item, i)];
        walk(item, tn.elem, p);
        set.insert(p);
      });
      return;
    }
    if (tn.kind === "struct" || tn.kind === "map" || (tn.kind === "deduced" && isMap(v))) {
      if (isAtomicContainer(tn) || !isMap(v)) {
        set.insert(path);
        return;
      }
      for (const [k, c] of Object.entries(v)) {
        const p = [...path, `f:${k}`];
        const ct = child(tn, k);
        walk(c, ct, p);
        if (c === null || (isMap(c) && Object.keys(c).length === 0) || !isDeclaredField(tn, k)) set.insert(p);
      }
      return;
    }
    set.insert(path);
  };
  walk(value, t, []);
  return set;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return sortedJSON(a) === sortedJSON(b);
}

/** structured-merge-diff's Compare: fields added, modified (leaves) and removed from lhs to rhs. */
export function compare(lhs: unknown, rhs: unknown, t: TypeNode): { added: FieldSet; modified: FieldSet; removed: FieldSet } {
  const added = new FieldSet();
  const modified = new FieldSet();
  const removed = new FieldSet();
  const leaf = (l: unknown, r: unknown, path: string[]): void => {
    if (l === undefined) added.insert(path);
    else if (r === undefined) removed.insert(path);
    else if (!deepEqual(l, r)) modified.insert(path);
  };
  const walk = (l: unknown, r: unknown, tn: TypeNode, path: string[]): void => {
    const isList = tn.kind === "list";
    const isContainer = tn.kind === "struct" || tn.kind === "map" || (tn.kind === "deduced" && (isMap(l) || isMap(r)));
    if (isList && tn.listType !== "atomic" && (Array.isArray(l) || Array.isArray(r))) {
      const la = Array.isArray(l) ? l : [];
      const ra = Array.isArray(r) ? r : [];
      const lm = new Map<string, unknown>();
      const rm = new Map<string, unknown>();
      const order: string[] = [];
      la.forEach((x, i) => {
        const pe = listItemElement(tn, x, i);
        if (!lm.has(pe)) order.push(pe);
        lm.set(pe, x);
      });
      ra.forEach((x, i) => {
        const pe = listItemElement(tn, x, i);
        if (!lm.has(pe) && !rm.has(pe)) order.push(pe);
        rm.set(pe, x);
      });
      for (const pe of order) walk(lm.get(pe), rm.get(pe), tn.elem, [...path, pe]);
    } else if (isContainer && !isAtomicContainer(tn) && (isMap(l) || isMap(r)) && !(l !== undefined && !isMap(l) && l !== null) && !(r !== undefined && !isMap(r) && r !== null)) {
      const lo = isMap(l) ? l : {};
      const ro = isMap(r) ? r : {};
      const keys = [...new Set([...Object.keys(lo), ...Object.keys(ro)])];
      for (const k of keys) walk(Object.hasOwn(lo, k) ? lo[k] : undefined, Object.hasOwn(ro, k) ? ro[k] : undefined, child(tn, k), [...path, `f:${k}`]);
    } else {
      leaf(l, r, path);
      return;
    }
    if (path.length > 0) {
      if (l === undefined) added.insert(path);
      else if (r === undefined) removed.insert(path);
    }
  };
  walk(lhs, rhs, t, []);
  return { added, modified, removed };
}

/** structured-merge-diff's Merge with "keep the right-hand side": applies a configuration to a live object. */
export function merge(lhs: unknown, rhs: unknown, t: TypeNode): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined || lhs === null || rhs === null) return rhs;
  if (t.kind === "list") {
    if (t.listType === "atomic" || !Array.isArray(lhs) || !Array.isArray(rhs)) return rhs;
    if (lhs.length === 0 && rhs.length === 0) return rhs;
    return mergeList(lhs, rhs, t);
  }
  if (isMap(lhs) && isMap(rhs) && (t.kind === "struct" || t.kind === "map" || t.kind === "deduced") && !isAtomicContainer(t)) {
    if (Object.keys(lhs).length === 0 && Object.keys(rhs).length === 0) return rhs;
    const out: JSONMap = {};
    for (const k of new Set([...Object.keys(lhs), ...Object.keys(rhs)])) {
      const v = merge(Object.hasOwn(lhs, k) ? lhs[k] : undefined, Object.hasOwn(rhs, k) ? rhs[k] : undefined, child(t, k));
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return rhs;
}

/** The order structured-merge-diff gives a merged associative list or set. */
function mergeList(lhs: unknown[], rhs: unknown[], t: Extract<TypeNode, { kind: "list" }>): unknown[] {
  const lPEs = lhs.map((x, i) => listItemElement(t, x, i));
  const rPEs = rhs.map((x, i) => listItemElement(t, x, i));
  const lObs = new Map<string, unknown>();
  lPEs.forEach((pe, i) => lObs.set(pe, lObs.has(pe) ? null : lhs[i]));
  const rObs = new Map<string, unknown>();
  rPEs.forEach((pe, i) => rObs.set(pe, rhs[i]));
  const sharedOrder = rPEs.filter((pe) => lObs.has(pe));
  let nextShared: string | undefined = sharedOrder.shift();
  const mergedRHS = new Set<string>();
  const out: unknown[] = [];
  const push = (v: unknown): void => {
    if (v !== undefined) out.push(v);
  };
  let lI = 0;
  let rI = 0;
  while (lI < lPEs.length || rI < rPEs.length) {
    if (lI < lPEs.length && rI < rPEs.length) {
      const pe = lPEs[lI]!;
      if (pe === rPEs[rI]) {
        mergedRHS.add(pe);
        push(merge(lObs.get(pe), rObs.get(pe), t.elem));
        lI++;
        rI++;
        nextShared = sharedOrder.shift();
        continue;
      }
      if (rObs.has(pe) && nextShared !== undefined && nextShared !== pe) {
        lI++;
        continue;
      }
    }
    if (lI < lPEs.length) {
      const pe = lPEs[lI]!;
      if (!rObs.has(pe)) {
        push(lhs[lI]);
        lI++;
        continue;
      } else if (mergedRHS.has(pe)) lI++;
    }
    if (rI < rPEs.length) {
      const pe = rPEs[rI]!;
      mergedRHS.add(pe);
      push(merge(lObs.get(pe), rObs.get(pe), t.elem));
      rI++;
      if (nextShared !== undefined && nextShared === pe) nextShared = sharedOrder.shift();
    }
  }
  return out;
}

/** Removes the member paths of `set` from a value (structured-merge-diff RemoveItems). */
export function removeItems(value: unknown, set: FieldSet, t: TypeNode): unknown {
  if (set.children.size === 0) return value;
  if (t.kind === "list" && Array.isArray(value) && t.listType !== "atomic") {
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const pe = listItemElement(t, item, i);
      const c = set.children.get(pe);
      if (c === undefined) out.push(item);
      else if (c.member) return;
      else out.push(removeItems(item, c, t.elem));
    });
    return out;
  }
  if (isMap(value) && !isAtomicContainer(t)) {
    const out: JSONMap = {};
    for (const [k, v] of Object.entries(value)) {
      const c = set.children.get(`f:${k}`);
      if (c === undefined) out[k] = v;
      else if (c.member) continue;
      else out[k] = removeItems(v, c, child(t, k));
    }
    return out;
  }
  return value;
}

// ---- the field manager -------------------------------------------------------------------------

/** One managedFields entry (metav1.ManagedFieldsEntry). */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: "Apply" | "Update";
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

interface Managed {
  entry: ManagedFieldsEntry;
  set: FieldSet;
}

function keyOf(e: ManagedFieldsEntry): string {
  return JSON.stringify([e.manager ?? "", e.operation ?? "", e.subresource ?? ""]);
}

/** The metadata fields the API server never records in managedFields (fieldmanager's StripMeta). */
const STRIPPED: string[][] = [["f:apiVersion"], ["f:kind"], ...["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"].map((f) => ["f:metadata", `f:${f}`])];

function strip(set: FieldSet): FieldSet {
  const s = new FieldSet();
  for (const p of STRIPPED) s.insert(p);
  return set.difference(s);
}

function decode(entries: unknown): Managed[] {
  if (!Array.isArray(entries)) return [];
  return entries.filter(isMap).map((e) => ({ entry: { ...(e as ManagedFieldsEntry) }, set: FieldSet.fromFieldsV1((e as ManagedFieldsEntry).fieldsV1) }));
}

function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager ?? "");
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === "Update") return e.time === undefined ? `${s} using ${e.apiVersion ?? ""}` : `${s} using ${e.apiVersion ?? ""} at ${e.time}`;
  return s;
}

/** The time of a managedFields entry: RFC 3339 in seconds, as metav1.Time. */
function nowTime(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

/** structured-merge-diff's path element order: field names, then keys, values, indices. */
function comparePaths(a: readonly string[], b: readonly string[]): number {
  const rank = (pe: string): number => "fkvi".indexOf(pe[0] ?? "f");
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (rank(x) !== rank(y)) return rank(x) - rank(y);
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** The 409 the API server returns for apply conflicts (fieldmanager's NewConflictError). */
function conflictError(conflicts: Array<{ entry: ManagedFieldsEntry; path: string[] }>): Error {
  // The manager in a conflict is its identity (no time).
  const who = (e: ManagedFieldsEntry): string => {
    const { time: _t, ...id } = e;
    return printManager(id);
  };
  conflicts.sort((a, b) => (who(a.entry) < who(b.entry) ? -1 : who(a.entry) > who(b.entry) ? 1 : comparePaths(a.path, b.path)));
  const causes = conflicts.map((c) => ({ reason: "FieldManagerConflict" as const, message: `conflict with ${who(c.entry)}`, field: pathString(c.path) }));
  let message: string;
  if (conflicts.length === 1) message = `Apply failed with 1 conflict: conflict with ${who(conflicts[0]!.entry)}: ${pathString(conflicts[0]!.path)}`;
  else {
    const by = new Map<string, string[]>();
    for (const c of conflicts) by.set(who(c.entry), [...(by.get(who(c.entry)) ?? []), pathString(c.path)]);
    const lines: string[] = [];
    for (const [m, paths] of [...by.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      lines.push(`conflicts with ${m}:`);
      for (const p of paths) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return newApplyConflict(causes, message);
}

function pathString(p: readonly string[]): string {
  return p.map(pathElementString).join("");
}

/** The ManagedFields encoding order of the API server: Apply before Update, then by time, manager, apiVersion, subresource. */
function sortEntries(list: Managed[]): Managed[] {
  const k = (m: Managed): string[] => [m.entry.operation ?? "", m.entry.time ?? "", m.entry.manager ?? "", m.entry.apiVersion ?? "", m.entry.subresource ?? ""];
  return list.sort((a, b) => {
    const x = k(a);
    const y = k(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  });
}

/**
 * The entries to store. A manager whose set and apiVersion did not change keeps its old entry's
 * time, as the API server's managedFields updater does, so a write that changes nothing changes
 * nothing.
 */
function encode(list: Managed[], before: Managed[] = []): ManagedFieldsEntry[] {
  const old = new Map(before.map((m) => [keyOf(m.entry), m] as const));
  for (const m of list) {
    const o = old.get(keyOf(m.entry));
    if (o !== undefined && o.entry.apiVersion === m.entry.apiVersion && JSON.stringify(sortKeys(o.set.toFieldsV1())) === JSON.stringify(sortKeys(m.set.toFieldsV1()))) {
      m.entry = { ...m.entry };
      if (o.entry.time !== undefined) m.entry.time = o.entry.time;
      else delete m.entry.time;
    }
  }
  return sortEntries(list.filter((m) => !m.set.isEmpty())).map((m) => {
    const e: ManagedFieldsEntry = { manager: m.entry.manager ?? "", operation: m.entry.operation ?? "Update", apiVersion: m.entry.apiVersion ?? "" };
    if (m.entry.time !== undefined) e.time = m.entry.time;
    e.fieldsType = "FieldsV1";
    e.fieldsV1 = m.set.toFieldsV1();
    if (m.entry.subresource) e.subresource = m.entry.subresource;
    return e;
  });
}

export interface FieldManagerRequest {
  /** The object's type (from `typeNodeOf`). */
  type: TypeNode;
  /** The Go zero value's JSON of the kind, the live object of a create. */
  zero: JSONMap;
  apiVersion: string;
  group: string;
  resource: string;
  subresource: string;
  /** Fields the request may not change and no manager owns (resetFields: `status` on the main resource, ...). */
  ignored: FieldSet;
}

function withoutManagedFields(o: unknown): JSONMap {
  const c = structuredClone(o) as JSONMap;
  const m = c["metadata"];
  if (isMap(m)) delete m["managedFields"];
  return c;
}

/**
 * fieldmanager.Update: a create, update or non-apply patch by `manager`. Returns the object with
 * its new managedFields. Fields the write changes move to `manager`; removed fields leave every set.
 */
export function fieldManagerUpdate(live: JSONMap | undefined, next: JSONMap, manager: string, req: FieldManagerRequest): JSONMap {
  const liveObj = live ?? req.zero;
  let managers = decode((next["metadata"] as JSONMap | undefined)?.["managedFields"]);
  if (managers.length === 0 || req.subresource !== "") managers = decode((liveObj["metadata"] as JSONMap | undefined)?.["managedFields"]);
  const l = withoutManagedFields(liveObj);
  const n = withoutManagedFields(next);
  const cmp = compare(l, n, req.type);
  const changed = cmp.modified.union(cmp.added).recursiveDifference(req.ignored);
  const entry: ManagedFieldsEntry = { manager, operation: "Update", apiVersion: req.apiVersion, time: nowTime() };
  if (req.subresource !== "") entry.subresource = req.subresource;
  const me = keyOf(entry);
  let mine = new FieldSet();
  const out: Managed[] = [];
  for (const m of managers) {
    if (keyOf(m.entry) === me) {
      mine = m.set;
      continue;
    }
    out.push({ entry: m.entry, set: m.set.difference(changed).difference(cmp.removed) });
  }
  mine = strip(mine.union(changed).difference(cmp.removed).recursiveDifference(req.ignored));
  if (!mine.isEmpty()) out.push({ entry, set: mine });
  return setManagedFields(n, encode(out.map((m) => ({ entry: m.entry, set: strip(m.set) })), managers));
}

/**
 * fieldmanager.Apply: server-side apply of `config` by `manager` onto `live` (undefined: the object
 * does not exist yet). Conflicts with other managers raise the API server's 409 unless `force`, which
 * takes the fields over.
 */
export function fieldManagerApply(live: JSONMap | undefined, config: JSONMap, manager: string, force: boolean, req: FieldManagerRequest & { name: string }): JSONMap {
  const liveObj = live ?? req.zero;
  const managers = decode((liveObj["metadata"] as JSONMap | undefined)?.["managedFields"]);
  const l = withoutManagedFields(liveObj);
  const entry: ManagedFieldsEntry = { manager, operation: "Apply", apiVersion: req.apiVersion, time: nowTime() };
  if (req.subresource !== "") entry.subresource = req.subresource;
  const me = keyOf(entry);
  const last = managers.find((m) => keyOf(m.entry) === me)?.set ?? new FieldSet();
  const applySet = strip(toFieldSet(config, req.type).recursiveDifference(req.ignored));
  let merged = merge(l, config, req.type) as JSONMap;
  // Prune what this manager applied before, no longer applies and nobody else owns.
  const dropped = last.difference(applySet);
  if (!dropped.isEmpty()) {
    let others = new FieldSet();
    for (const m of managers) if (keyOf(m.entry) !== me) others = others.union(m.set);
    const toRemove = new FieldSet();
    for (const p of dropped.paths()) {
      if (!dropped.has(p)) continue;
      if (others.hasPrefix(p) || applySet.hasPrefix(p)) continue;
      toRemove.insert(p);
    }
    merged = removeItems(merged, toRemove, req.type) as JSONMap;
  }
  const cmp = compare(l, merged, req.type);
  const changed = cmp.modified.union(cmp.added).recursiveDifference(req.ignored);
  const conflicts: Array<{ entry: ManagedFieldsEntry; path: string[] }> = [];
  const out: Managed[] = [];
  for (const m of managers) {
    if (keyOf(m.entry) === me) continue;
    const c = strip(m.set.intersection(changed));
    for (const p of c.paths()) if (c.has(p)) conflicts.push({ entry: m.entry, path: p });
    out.push({ entry: m.entry, set: m.set.difference(changed).difference(cmp.removed) });
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);
  out.push({ entry, set: applySet });
  return setManagedFields(merged, encode(out.map((m) => ({ entry: m.entry, set: strip(m.set) })), managers));
}

function setManagedFields(o: JSONMap, entries: ManagedFieldsEntry[]): JSONMap {
  const meta = (isMap(o["metadata"]) ? o["metadata"] : (o["metadata"] = {})) as JSONMap;
  if (entries.length > 0) meta["managedFields"] = entries;
  else delete meta["managedFields"];
  return o;
}

/** `status` (the main resource of a kind with a status subresource) or everything but `status` (the status subresource). */
export function ignoredFieldsFor(subresource: string, hasStatus: boolean): FieldSet {
  const s = new FieldSet();
  if (!hasStatus) return s;
  if (subresource === "") s.insert(["f:status"]);
  else if (subresource === "status") s.insert(["f:spec"]);
  return s;
}
