/**
 * JSON patch (RFC 6902) as the API server applies `application/json-patch+json`: evanphx/json-patch
 * v4's `DecodePatch` + `Apply`, quirks included (negative array indices count from the end,
 * `replace` of a missing object key adds it, a path without a leading `/` addresses the root's
 * last segment). Held to vectors from the Go package (tools/conformance/patch).
 */
import { PatchError } from "./errors.js";
import { cloneJSON, isMap, utf8, type JSONMap } from "./go-value.js";

/** One operation of a JSON patch. */
export interface JSONPatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test" | (string & {});
  path: string;
  from?: string;
  value?: unknown;
}

/** Bounds on a JSON patch (the API server's defaults). */
export interface JSONPatchLimits {
  /** Most operations in one patch (default 10,000, as the API server). */
  maxOperations?: number;
  /** Most bytes `copy` operations may duplicate in total (default 0 = unbounded, as evanphx's default). */
  accumulatedCopySizeLimit?: number;
}

type Container = { kind: "doc"; v: JSONMap } | { kind: "ary"; v: unknown[]; set: (a: unknown[]) => void };

function decodeKey(k: string): string {
  return k.replace(/~[01]/g, (m) => (m === "~1" ? "/" : "~"));
}

/** Go's strconv.Atoi: optional sign, decimal digits, int64 range. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

const missing = (message: string): PatchError => new PatchError(message, "BadPatch");

function containerOf(v: unknown, set: (a: unknown[]) => void): Container | undefined {
  if (isMap(v)) return { kind: "doc", v };
  if (Array.isArray(v)) return { kind: "ary", v, set };
  return undefined;
}

function get(c: Container, key: string): unknown {
  if (c.kind === "doc") return Object.hasOwn(c.v, key) ? c.v[key] : undefined;
  let idx = atoi(key);
  if (idx === undefined) throw missing(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  if (idx < 0) {
    if (idx < -c.v.length) throw missing(`Unable to access invalid index: ${idx}: invalid index referenced`);
    idx += c.v.length;
  }
  if (idx >= c.v.length) throw missing(`Unable to access invalid index: ${idx}: invalid index referenced`);
  return c.v[idx];
}

function add(c: Container, key: string, val: unknown): void {
  if (c.kind === "doc") {
    c.v[key] = val;
    return;
  }
  if (key === "-") {
    c.v.push(val);
    return;
  }
  let idx = atoi(key);
  if (idx === undefined) throw missing(`value was not a proper array index: '${key}'`);
  const size = c.v.length + 1;
  if (idx >= size) throw missing(`Unable to access invalid index: ${idx}: invalid index referenced`);
  if (idx < 0) {
    if (idx < -size) throw missing(`Unable to access invalid index: ${idx}: invalid index referenced`);
    idx += size;
  }
  c.v.splice(idx, 0, val);
}

function set(c: Container, key: string, val: unknown): void {
  if (c.kind === "doc") {
    c.v[key] = val;
    return;
  }
  let idx = atoi(key);
  if (idx === undefined) throw missing(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  if (idx < 0) {
    if (idx < -c.v.length) throw missing(`Unable to access invalid index: ${idx}: invalid index referenced`);
    idx += c.v.length;
  }
  c.v[idx] = val;
}

function remove(c: Container, key: string): void {
  if (c.kind === "doc") {
    if (!Object.hasOwn(c.v, key)) throw missing(`Unable to remove nonexistent key: ${key}: missing value`);
    delete c.v[key];
    return;
  }
  let idx = atoi(key);
  if (idx === undefined) throw missing(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  if (idx >= c.v.length) throw missing(`Unable to access invalid index: ${idx}: invalid index referenced`);
  if (idx < 0) {
    if (idx < -c.v.length) throw missing(`Unable to access invalid index: ${idx}: invalid index referenced`);
    idx += c.v.length;
  }
  c.v.splice(idx, 1);
}

function findObject(root: Container, path: string): [Container, string] | undefined {
  const split = path.split("/");
  if (split.length < 2) return undefined;
  let doc = root;
  for (const part of split.slice(1, -1)) {
    let next: unknown;
    try {
      next = get(doc, decodeKey(part));
    } catch {
      return undefined;
    }
    const c = containerOf(next, () => undefined);
    if (c === undefined) return undefined;
    doc = c;
  }
  return [doc, decodeKey(split[split.length - 1]!)];
}

function deepEqualNull(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqualNull(x, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ak = Object.keys(a);
    if (ak.length !== Object.keys(b).length) return false;
    return ak.every((k) => Object.hasOwn(b, k) && deepEqualNull(a[k], b[k]));
  }
  return a === b;
}

function parseDoc(doc: string | Uint8Array | unknown, what: string): unknown {
  if (typeof doc !== "string" && !(doc instanceof Uint8Array)) return cloneJSON(doc);
  try {
    return JSON.parse(typeof doc === "string" ? doc : utf8(doc));
  } catch (cause) {
    throw new PatchError(`${what} is not valid JSON`, "BadPatch", { cause });
  }
}

/** Parses and checks a JSON patch (jsonpatch.DecodePatch): an array of operation objects. */
export function decodeJSONPatch(patch: string | Uint8Array | readonly JSONPatchOperation[], limits: JSONPatchLimits = {}): JSONMap[] {
  const p = parseDoc(patch, "the JSON patch");
  if (!Array.isArray(p) || !p.every(isMap)) throw new PatchError("a JSON patch must be a JSON array of operation objects", "BadPatch");
  const max = limits.maxOperations ?? 10_000;
  if (max > 0 && p.length > max) throw new PatchError(`the JSON patch has ${p.length} operations, more than the limit of ${max}`, "TooLarge");
  return p;
}

/**
 * Applies a JSON patch to a document (jsonpatch.Patch.Apply). Returns the new document; the inputs
 * are not modified. A failed `test` throws a PatchError with reason `TestFailed`.
 */
export function applyJSONPatch(doc: string | Uint8Array | unknown, patch: string | Uint8Array | readonly JSONPatchOperation[], limits: JSONPatchLimits = {}): unknown {
  const ops = decodeJSONPatch(patch, limits);
  let root = parseDoc(doc, "the document");
  let rootC = containerOf(root, (a) => (root = a));
  if (rootC === undefined) throw new PatchError("the document of a JSON patch must be a JSON object or array", "BadPatch");
  let copied = 0;
  const str = (op: JSONMap, k: string): string => {
    const v = op[k];
    if (v === undefined || v === null) throw missing(`operation missing ${k} field: missing value`);
    if (typeof v !== "string") throw missing(`json: cannot unmarshal ${Array.isArray(v) ? "array" : typeof v} into Go value of type string`);
    return v;
  };
  const value = (op: JSONMap): unknown => (Object.hasOwn(op, "value") ? op["value"] : null);
  for (const op of ops) {
    const kind = typeof op["op"] === "string" ? op["op"] : "unknown";
    switch (kind) {
      case "add": {
        const path = str(op, "path");
        const f = findObject(rootC, path);
        if (f === undefined) throw missing(`add operation does not apply: doc is missing path: "${path}": missing value`);
        add(f[0], f[1], cloneJSON(value(op)));
        break;
      }
      case "remove": {
        const path = str(op, "path");
        const f = findObject(rootC, path);
        if (f === undefined) throw missing(`remove operation does not apply: doc is missing path: "${path}": missing value`);
        remove(f[0], f[1]);
        break;
      }
      case "replace": {
        const path = str(op, "path");
        if (path === "") {
          const v = cloneJSON(value(op));
          const c = containerOf(v, (a) => (root = a));
          if (c === undefined) throw missing("replace operation value must be object or array");
          root = v;
          rootC = c;
          break;
        }
        const f = findObject(rootC, path);
        if (f === undefined) throw missing(`replace operation does not apply: doc is missing path: ${path}: missing value`);
        try {
          get(f[0], f[1]);
        } catch {
          throw missing(`replace operation does not apply: doc is missing key: ${path}: missing value`);
        }
        set(f[0], f[1], cloneJSON(value(op)));
        break;
      }
      case "move": {
        const from = str(op, "from");
        const f = findObject(rootC, from);
        if (f === undefined) throw missing(`move operation does not apply: doc is missing from path: ${from}: missing value`);
        const v = get(f[0], f[1]);
        remove(f[0], f[1]);
        const path = str(op, "path");
        const t = findObject(rootC, path);
        if (t === undefined) throw missing(`move operation does not apply: doc is missing destination path: ${path}: missing value`);
        add(t[0], t[1], v ?? null);
        break;
      }
      case "copy": {
        const from = str(op, "from");
        const f = findObject(rootC, from);
        if (f === undefined) throw missing(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
        const v = get(f[0], f[1]);
        const path = str(op, "path");
        const t = findObject(rootC, path);
        if (t === undefined) throw missing(`copy operation does not apply: doc is missing destination path: ${path}: missing value`);
        const text = JSON.stringify(v ?? null);
        copied += text.length;
        const limit = limits.accumulatedCopySizeLimit ?? 0;
        if (limit > 0 && copied > limit) throw new PatchError(`unable to complete the copy, the accumulated size increase of copy is ${copied}, exceeding the limit ${limit}`, "TooLarge");
        add(t[0], t[1], JSON.parse(text));
        break;
      }
      case "test": {
        const path = str(op, "path");
        const want = Object.hasOwn(op, "value") ? op["value"] : undefined;
        let got: unknown;
        if (path === "") got = root;
        else {
          const f = findObject(rootC, path);
          if (f === undefined) throw missing(`test operation does not apply: is missing path: ${path}: missing value`);
          got = get(f[0], f[1]);
        }
        const gotNil = got === undefined || got === null;
        const wantNil = want === undefined || want === null;
        const ok = gotNil || wantNil ? gotNil && wantNil : deepEqualNull(got, want);
        if (!ok) throw new PatchError(`testing value ${path} failed: test failed`, "TestFailed");
        break;
      }
      default:
        throw missing(`Unexpected kind: ${kind}`);
    }
  }
  return root;
}
