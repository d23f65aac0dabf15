/** Patch application for the fake clientset: JSON patch (RFC 6902), merge patch (RFC 7386), strategic merge. */
import { newBadRequest } from "@kubets/apimachinery/errors";
import { parseJSONExact, stringifyJSON } from "@kubets/apimachinery/serializer";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * A strategic merge patch without the Go struct tags: maps merge as in a merge patch, lists of
 * objects that all carry `name` (containers, env, ports, volumes...) merge by name, other lists are
 * replaced; `$patch: delete` removes a list element, `$patch: replace` replaces a map.
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch["$patch"] === "replace") {
    const { $patch: _p, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$")) continue;
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v) && Array.isArray(out[k]) && isNamedList(v) && isNamedList(out[k] as Json[])) {
      const merged = [...(out[k] as Array<Record<string, Json>>)];
      for (const item of v as Array<Record<string, Json>>) {
        const i = merged.findIndex((m) => m["name"] === item["name"]);
        if (item["$patch"] === "delete") {
          if (i >= 0) merged.splice(i, 1);
        } else if (i >= 0) merged[i] = strategicMergePatch(merged[i], item) as Record<string, Json>;
        else merged.push(structuredClone(item));
      }
      out[k] = merged;
    } else {
      out[k] = strategicMergePatch(out[k], v);
    }
  }
  return out;
}

function isNamedList(xs: readonly Json[]): boolean {
  return xs.every((x) => isObject(x) && typeof x["name"] === "string");
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, "/").replace(/~0/g, "~");
}

function pointerParts(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw newBadRequest(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path.slice(1).split("/").map(unescapePointer);
}

function getAt(doc: unknown, parts: string[]): unknown {
  let cur = doc;
  for (const p of parts) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObject(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

/** RFC 6902 JSON patch: add, remove, replace, move, copy, test. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw newBadRequest("a JSON patch must be an array of operations");
  let root = structuredClone(doc);
  for (const raw of ops as Array<Record<string, unknown>>) {
    const op = raw["op"];
    const parts = pointerParts(String(raw["path"] ?? ""));
    const set = (target: string[], value: unknown, insert: boolean): void => {
      if (target.length === 0) {
        root = structuredClone(value);
        return;
      }
      const parent = getAt(root, target.slice(0, -1));
      const key = target[target.length - 1]!;
      if (Array.isArray(parent)) {
        const i = key === "-" ? parent.length : Number(key);
        if (!Number.isInteger(i) || i < 0 || i > parent.length) throw newBadRequest(`the index in ${JSON.stringify(raw["path"])} is out of range`);
        if (insert) parent.splice(i, 0, structuredClone(value));
        else parent[i] = structuredClone(value);
      } else if (isObject(parent)) {
        if (!insert && !(key in parent)) throw newBadRequest(`the path ${JSON.stringify(raw["path"])} does not exist`);
        parent[key] = structuredClone(value) as Json;
      } else {
        throw newBadRequest(`the parent of ${JSON.stringify(raw["path"])} does not exist`);
      }
    };
    const remove = (target: string[]): unknown => {
      const parent = getAt(root, target.slice(0, -1));
      const key = target[target.length - 1]!;
      if (Array.isArray(parent)) return parent.splice(Number(key), 1)[0];
      if (isObject(parent) && key in parent) {
        const v = parent[key];
        delete parent[key];
        return v;
      }
      throw newBadRequest(`the path ${JSON.stringify(raw["path"])} does not exist`);
    };
    switch (op) {
      case "add":
        set(parts, raw["value"], true);
        break;
      case "replace":
        set(parts, raw["value"], false);
        break;
      case "remove":
        remove(parts);
        break;
      case "move": {
        const v = remove(pointerParts(String(raw["from"] ?? "")));
        set(parts, v, true);
        break;
      }
      case "copy":
        set(parts, getAt(root, pointerParts(String(raw["from"] ?? ""))), true);
        break;
      case "test":
        if (jsonText(getAt(root, parts)) !== jsonText(raw["value"])) throw newBadRequest(`test operation failed at ${JSON.stringify(raw["path"])}`);
        break;
      default:
        throw newBadRequest(`unknown JSON patch operation ${JSON.stringify(op)}`);
    }
  }
  return root;
}

/** JSON text of a value, exact for bigints; undefined for undefined (as JSON.stringify). */
function jsonText(v: unknown): string | undefined {
  return v === undefined ? undefined : stringifyJSON(v);
}

/** Applies a patch of the given content type to an object. */
export function applyPatch(obj: unknown, patchType: string, patch: string | Uint8Array): unknown {
  const text = typeof patch === "string" ? patch : Buffer.from(patch).toString("utf8");
  let data: unknown;
  try {
    data = parseJSONExact(text);
  } catch {
    throw newBadRequest(`the fake clientset accepts JSON patch bodies only (${patchType})`);
  }
  switch (patchType) {
    case "application/json-patch+json":
      return jsonPatch(obj, data);
    case "application/merge-patch+json":
      return mergePatch(obj, data);
    case "application/strategic-merge-patch+json":
    case "application/apply-patch+yaml":
      return strategicMergePatch(obj, data);
    default:
      throw newBadRequest(`unsupported patch type ${patchType}`);
  }
}
