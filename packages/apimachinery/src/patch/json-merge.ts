/**
 * JSON merge patch (RFC 7386) as Kubernetes applies and creates it: evanphx/json-patch v4's
 * `MergePatch` and `CreateMergePatch` (what the API server runs for
 * `application/merge-patch+json`), and k8s.io/apimachinery's jsonmergepatch
 * `CreateThreeWayJSONMergePatch` (kubectl apply for types with no strategic metadata, such as
 * custom resources). Held to vectors from the Go packages (tools/conformance/patch).
 */
import { PatchError } from "./errors.js";
import { cloneJSON, goType, goV, isMap, utf8, type JSONMap } from "./go-value.js";
import type { PatchLimits, PreconditionFunc } from "./strategic.js";

function parse(doc: string | Uint8Array | unknown, what: "doc" | "patch", limits: PatchLimits = {}): unknown {
  if (typeof doc !== "string" && !(doc instanceof Uint8Array)) return cloneJSON(doc);
  const max = limits.maxBytes ?? 32 * 1024 * 1024;
  const size = typeof doc === "string" ? doc.length : doc.byteLength;
  if (max > 0 && size > max) throw new PatchError(`JSON ${what} of ${size} bytes is larger than the limit of ${max} bytes; raise maxBytes to accept it`, "TooLarge");
  try {
    return JSON.parse(typeof doc === "string" ? doc : utf8(doc));
  } catch (cause) {
    throw new PatchError(what === "doc" ? "Invalid JSON Document" : "Invalid JSON Patch", "BadPatch", { cause });
  }
}

function pruneNulls(v: unknown): void {
  if (isMap(v)) pruneDocNulls(v);
  else if (Array.isArray(v)) for (const x of v) if (x !== null) pruneNulls(x);
}

function pruneDocNulls(doc: JSONMap): JSONMap {
  for (const k of Object.keys(doc)) {
    if (doc[k] === null) delete doc[k];
    else pruneNulls(doc[k]);
  }
  return doc;
}

function merge(cur: unknown, patch: unknown): unknown {
  if (!isMap(cur)) {
    pruneNulls(patch);
    return patch;
  }
  if (!isMap(patch)) return patch;
  mergeDocs(cur, patch);
  return cur;
}

function mergeDocs(doc: JSONMap, patch: JSONMap): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = doc[k];
    if (cur === undefined || cur === null) {
      pruneNulls(v);
      doc[k] = v;
    } else doc[k] = merge(cur, v);
  }
}

/**
 * Applies a JSON merge patch (jsonpatch.MergePatch): objects merge key by key, `null` deletes, every
 * other value (arrays included) replaces. Returns the new document; the inputs are not modified.
 */
export function mergePatch(doc: string | Uint8Array | unknown, patch: string | Uint8Array | unknown, limits?: PatchLimits): unknown {
  const d = parse(doc, "doc", limits);
  const p = parse(patch, "patch", limits);
  if (d === null) throw new PatchError("Invalid JSON Document", "BadPatch");
  if (p === null) throw new PatchError("Invalid JSON Patch", "BadPatch");
  if (isMap(d) && isMap(p)) {
    mergeDocs(d, p);
    return d;
  }
  if (isMap(p)) return pruneDocNulls(p);
  if (Array.isArray(p)) {
    for (const x of p) if (x !== null) pruneNulls(x);
    return p;
  }
  throw new PatchError("Invalid JSON Patch", "BadPatch");
}

function matchesValue(a: unknown, b: unknown): boolean {
  if (goType(a) !== goType(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    return a.every((x, i) => matchesValue(x, bb[i]));
  }
  if (isMap(a)) {
    const bm = b as JSONMap;
    if (Object.keys(a).length !== Object.keys(bm).length) return false;
    for (const k of Object.keys(bm)) {
      if (Object.hasOwn(a, k) !== Object.hasOwn(bm, k)) return false;
      if (!matchesValue(a[k], bm[k])) return false;
    }
    return true;
  }
  return a === b || (a === null && b === null);
}

function getDiff(a: JSONMap, b: JSONMap): JSONMap {
  const into: JSONMap = {};
  for (const [key, bv] of Object.entries(b)) {
    if (!Object.hasOwn(a, key)) {
      into[key] = bv;
      continue;
    }
    const av = a[key];
    if (goType(av) !== goType(bv)) {
      into[key] = bv;
      continue;
    }
    if (isMap(av)) {
      const dst = getDiff(av, bv as JSONMap);
      if (Object.keys(dst).length > 0) into[key] = dst;
    } else if (av !== null && !matchesValue(av, bv)) into[key] = bv;
  }
  for (const key of Object.keys(a)) if (!Object.hasOwn(b, key)) into[key] = null;
  return into;
}

/**
 * The JSON merge patch from `original` to `modified` (jsonpatch.CreateMergePatch): both objects, or
 * both arrays of objects of the same length (a list of per-element patches).
 */
export function createMergePatch(original: string | Uint8Array | unknown, modified: string | Uint8Array | unknown): unknown {
  // Go decodes `null` into an empty map.
  const o = parse(original, "doc") ?? {};
  const m = parse(modified, "doc") ?? {};
  if (Array.isArray(o) && Array.isArray(m)) {
    if (o.length !== m.length) throw new PatchError("Invalid JSON Document", "BadPatch");
    return o.map((x, i) => {
      if (!isMap(x) || !isMap(m[i])) throw new PatchError("Invalid JSON Document", "BadPatch");
      return getDiff(x, m[i] as JSONMap);
    });
  }
  if (Array.isArray(o) || Array.isArray(m)) throw new PatchError("Mismatched JSON Documents", "BadPatch");
  if (!isMap(o) || !isMap(m)) throw new PatchError("Invalid JSON Document", "BadPatch");
  return getDiff(o, m);
}

function keepOrDeleteNullInObj(m: JSONMap, keepNull: boolean): JSONMap {
  const out: JSONMap = {};
  for (const [key, val] of Object.entries(m)) {
    if (keepNull && val === null) out[key] = null;
    else if (val !== null) {
      if (isMap(val)) {
        if (Object.keys(val).length === 0) {
          if (!keepNull) out[key] = val;
          continue;
        }
        const sub = keepOrDeleteNullInObj(val, keepNull);
        if (Object.keys(sub).length !== 0) out[key] = sub;
      } else if (!keepNull) out[key] = val;
    }
  }
  return out;
}

/** mergepatch.HasConflicts: the two patches set the same field to different values. */
export function hasConflicts(left: unknown, right: unknown): boolean {
  if (isMap(left)) {
    if (!isMap(right)) return true;
    for (const [k, lv] of Object.entries(left)) {
      if (!Object.hasOwn(right, k)) continue;
      if (hasConflicts(lv, right[k])) return true;
    }
    return false;
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return true;
    return left.some((x, i) => hasConflicts(x, right[i]));
  }
  return !matchesValue(left, right);
}

/**
 * kubectl apply's patch for objects with no strategic metadata (jsonmergepatch.CreateThreeWayJSONMergePatch):
 * additions and changes from `current` to `modified`, deletions of what `original` had and
 * `modified` drops. Throws a Conflict PatchError when a deletion and a change touch the same field.
 */
export function createThreeWayJSONMergePatch(
  original: string | Uint8Array | JSONMap | null,
  modified: string | Uint8Array | JSONMap | null,
  current: string | Uint8Array | JSONMap | null,
  ...preconditions: PreconditionFunc[]
): JSONMap {
  const orEmpty = (d: string | Uint8Array | JSONMap | null): string | Uint8Array | JSONMap => (d === null || (typeof d !== "object" && d === "") || (d instanceof Uint8Array && d.length === 0) ? "{}" : d);
  const addAndChange = keepOrDeleteNullInObj(createMergePatch(orEmpty(current), orEmpty(modified)) as JSONMap, false);
  const deletions = keepOrDeleteNullInObj(createMergePatch(orEmpty(original), orEmpty(modified)) as JSONMap, true);
  if (hasConflicts(addAndChange, deletions)) {
    throw new PatchError(`patch:\n${JSON.stringify(addAndChange)}\nconflicts with changes made from original to current:\n${JSON.stringify(deletions)}\n`, "Conflict");
  }
  const patch = mergePatch(deletions, addAndChange) as JSONMap;
  for (const fn of preconditions) {
    if (!fn(patch)) throw new PatchError(`precondition failed for: ${goV(patch)}`, "PreconditionFailed");
  }
  return patch;
}
