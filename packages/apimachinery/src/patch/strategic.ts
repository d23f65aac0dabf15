/**
 * Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch): apply a patch with the
 * directives (`$patch: replace|delete|merge`, `$retainKeys`, `$deleteFromPrimitiveList/<field>`,
 * `$setElementOrder/<field>`), create a two-way patch (original -> modified) and a three-way patch
 * (kubectl apply: last-applied, the new configuration and the live object), and check two patches
 * for conflicts. The merge behaviour of each field comes from a {@link PatchSchema}
 * (`patchMetaFor(apiVersion, kind)` of `@kubets/api/patch-meta` for the built-in types).
 *
 * The functions work on decoded JSON (plain objects) or on JSON text/bytes, like the Go ones on
 * `map[string]interface{}` and `[]byte`; held to vectors from the Go package
 * (tools/conformance/patch).
 */
import { PatchError } from "./errors.js";
import { cloneJSON, deepEqual, goEq, goSortLE, goType, goTypeName, goV, isMap, utf8, type JSONMap } from "./go-value.js";
import type { FieldPatchMeta, PatchSchema } from "./schema.js";

const directiveMarker = "$patch";
const deleteDirective = "delete";
const replaceDirective = "replace";
const mergeDirective = "merge";
const retainKeysStrategy = "retainKeys";
const deleteFromPrimitiveListDirectivePrefix = "$deleteFromPrimitiveList";
const retainKeysDirective = "$retainKeys";
const setElementOrderDirectivePrefix = "$setElementOrder";

/** A precondition on a created patch (mergepatch.PreconditionFunc); false fails with PreconditionFailed. */
export type PreconditionFunc = (patch: JSONMap) => boolean;

/** mergepatch.RequireKeyUnchanged: the patch must not touch the top-level `key`. */
export function requireKeyUnchanged(key: string): PreconditionFunc {
  return (patch) => !Object.hasOwn(patch, key);
}

/** mergepatch.RequireMetadataKeyUnchanged: the patch must not touch `metadata.<key>`. */
export function requireMetadataKeyUnchanged(key: string): PreconditionFunc {
  return (patch) => {
    const m = patch["metadata"];
    return !isMap(m) || !Object.hasOwn(m, key);
  };
}

interface DiffOptions {
  setElementOrder: boolean;
  ignoreChangesAndAdditions: boolean;
  ignoreDeletions: boolean;
  buildRetainKeysDirective: boolean;
}

interface MergeOptions {
  mergeParallelList: boolean;
  ignoreUnmatchedNulls: boolean;
}

const bad = (message: string): PatchError => new PatchError(message, "BadPatch");
const errBadArgType = (expected: string, actual: unknown): PatchError => bad(`expected a ${expected}, but received a ${goTypeName(actual)}`);
const errNoMergeKey = (m: unknown, k: string): PatchError => bad(`map: ${goV(m)} does not contain declared merge key: ${k}`);
const errNoListOfLists = (): PatchError => bad("lists of lists are not supported");
const errBadPatchType = (t: unknown, m: unknown): PatchError => bad(`unknown patch type: ${goV(t)} in map: ${goV(m)}`);
const errBadPatchFormatForPrimitiveList = (): PatchError => bad("invalid patch format of primitive list");
const errBadPatchFormatForRetainKeys = (): PatchError => bad("invalid patch format of retainKeys");
const errBadPatchFormatForSetElementOrderList = (): PatchError => bad("invalid patch format of setElementOrder list");
const MAP = "map[string]interface {}";
const SLICE = "[]interface {}";

function lookup(schema: PatchSchema, key: string, slice: boolean): { schema: PatchSchema; meta: FieldPatchMeta } {
  try {
    return slice ? schema.lookupPatchMetadataForSlice(key) : schema.lookupPatchMetadataForStruct(key);
  } catch (cause) {
    if (cause instanceof PatchError) throw cause;
    throw new PatchError(cause instanceof Error ? cause.message : String(cause), "BadPatch", { cause });
  }
}

function extractRetainKeysPatchStrategy(strategies: readonly string[]): [boolean, string] {
  switch (strategies.length) {
    case 0:
      return [false, ""];
    case 1:
      return strategies[0] === retainKeysStrategy ? [true, ""] : [false, strategies[0]!];
    case 2:
      if (strategies[0] === retainKeysStrategy) return [true, strategies[1]!];
      if (strategies[1] === retainKeysStrategy) return [true, strategies[0]!];
      throw bad(`unexpected patch strategy: [${strategies.join(" ")}]`);
    default:
      throw bad(`unexpected patch strategy: [${strategies.join(" ")}]`);
  }
}

function sortScalars(s: unknown[]): unknown[] {
  return goSortLE(s, goV);
}

function deduplicateScalars(s: unknown[]): unknown[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goEq(s[i], s[j])) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

function sliceElementType(...slices: unknown[][]): string {
  let prev: string | undefined;
  for (const s of slices) {
    for (const v of s) {
      const t = goType(v);
      if (prev === undefined) {
        prev = t;
        if (prev === "slice") throw errNoListOfLists();
      } else if (prev !== t) {
        throw bad(`list element types are not identical: [${slices.map((x) => goV(x)).join(" ")}]`);
      }
    }
  }
  if (prev === undefined) throw bad("no elements in any of the given slices");
  return prev;
}

// ---- diff -------------------------------------------------------------------------------------

function diffMaps(original: JSONMap, modified: JSONMap, schema: PatchSchema, o: DiffOptions): JSONMap {
  const patch: JSONMap = {};
  const retainKeysList: unknown[] = [];
  for (const [key, modifiedValue] of Object.entries(modified)) {
    if (o.buildRetainKeysDirective && modifiedValue !== null) retainKeysList.push(key);
    if (!Object.hasOwn(original, key)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    const originalValue = original[key];
    if (key === directiveMarker) {
      if (typeof originalValue !== "string" || typeof modifiedValue !== "string") throw bad(`invalid value for special key: ${directiveMarker}`);
      if (modifiedValue !== originalValue) patch[directiveMarker] = modifiedValue;
      continue;
    }
    if (goType(originalValue) !== goType(modifiedValue)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    if (isMap(originalValue)) handleMapDiff(key, originalValue, modifiedValue as JSONMap, patch, schema, o);
    else if (Array.isArray(originalValue)) handleSliceDiff(key, originalValue, modifiedValue as unknown[], patch, schema, o);
    else replacePatchFieldIfNotEqual(key, originalValue, modifiedValue, patch, o);
  }
  updatePatchIfMissing(original, modified, patch, o);
  if (retainKeysList.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified))) {
    patch[retainKeysDirective] = sortScalars(retainKeysList);
  }
  return patch;
}

function handleMapDiff(key: string, originalValue: JSONMap, modifiedValue: JSONMap, patch: JSONMap, schema: PatchSchema, o: DiffOptions): void {
  let sub: { schema: PatchSchema; meta: FieldPatchMeta };
  try {
    sub = lookup(schema, key, false);
  } catch (err) {
    if (deepEqual(originalValue, modifiedValue)) return;
    throw err;
  }
  const [retainKeys, strategy] = extractRetainKeysPatchStrategy(sub.meta.patchStrategies);
  const opts = { ...o, buildRetainKeysDirective: retainKeys };
  if (strategy === replaceDirective) {
    if (!opts.ignoreChangesAndAdditions) patch[key] = modifiedValue;
    return;
  }
  const patchValue = diffMaps(originalValue, modifiedValue, sub.schema, opts);
  if (Object.keys(patchValue).length > 0) patch[key] = patchValue;
}

function handleSliceDiff(key: string, originalValue: unknown[], modifiedValue: unknown[], patch: JSONMap, schema: PatchSchema, o: DiffOptions): void {
  let sub: { schema: PatchSchema; meta: FieldPatchMeta };
  try {
    sub = lookup(schema, key, true);
  } catch (err) {
    if (deepEqual(originalValue, modifiedValue)) return;
    throw err;
  }
  const [retainKeys, strategy] = extractRetainKeysPatchStrategy(sub.meta.patchStrategies);
  if (strategy === mergeDirective) {
    const opts = { ...o, buildRetainKeysDirective: retainKeys };
    const [addList, deletionList, setOrderList] = diffLists(originalValue, modifiedValue, sub.schema, sub.meta.patchMergeKey, opts);
    if (addList.length > 0) patch[key] = addList;
    if (deletionList.length > 0) patch[`${deleteFromPrimitiveListDirectivePrefix}/${key}`] = deletionList;
    if (setOrderList.length > 0) patch[`${setElementOrderDirectivePrefix}/${key}`] = setOrderList;
    return;
  }
  replacePatchFieldIfNotEqual(key, originalValue, modifiedValue, patch, o);
}

function replacePatchFieldIfNotEqual(key: string, original: unknown, modified: unknown, patch: JSONMap, o: DiffOptions): void {
  if (o.ignoreChangesAndAdditions) return;
  if (deepEqual(original, modified)) return;
  patch[key] = modified;
}

function updatePatchIfMissing(original: JSONMap, modified: JSONMap, patch: JSONMap, o: DiffOptions): void {
  if (o.ignoreDeletions) return;
  for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) patch[key] = null;
}

function hasAdditionalNewField(original: JSONMap, modified: JSONMap): boolean {
  for (const [k, v] of Object.entries(original)) {
    if (v === null) continue;
    if (!Object.hasOwn(modified, k)) return true;
  }
  return false;
}

function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isMap(item)) throw errBadArgType(MAP, item);
      if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

function indexIn(l: unknown[], val: unknown, mergeKey: string, kind: string): number {
  const get = kind === "map" ? (item: unknown): unknown => (isMap(item) ? item[mergeKey] : null) : (item: unknown): unknown => item;
  const want = get(val);
  for (let i = 0; i < l.length; i++) if (goEq(want, get(l[i]))) return i;
  return -1;
}

function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  patch = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  serverOnly = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(serverOnly, patch, serverOrder, mergeKey, kind);
}

function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const size = left.length + right.length;
  let i = 0;
  let j = 0;
  const s: unknown[] = new Array<unknown>(size);
  for (let k = 0; k < size; k++) {
    if (i >= left.length && j < right.length) s[k] = right[j++];
    else if (j >= right.length && i < left.length) s[k] = left[i++];
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) s[k] = left[i++];
      else s[k] = right[j++];
    }
  }
  return s;
}

function extractToDeleteItems(l: unknown[]): [unknown[], unknown[]] {
  const nonDelete: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of l) {
    if (!isMap(v)) throw errBadArgType(MAP, v);
    if (Object.hasOwn(v, directiveMarker) && v[directiveMarker] === deleteDirective) toDelete.push(v);
    else nonDelete.push(v);
  }
  return [nonDelete, toDelete];
}

/** sort.SliceStable with Go's (non-strict-weak) less: index in `order`, unknown elements "less". */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: string): unknown[] {
  let toDelete: unknown[] = [];
  if (kind === "map") {
    validateMergeKeyInLists(mergeKey, toSort, order);
    [toSort, toDelete] = extractToDeleteItems(toSort);
  }
  const less = (a: unknown, b: unknown): boolean => {
    const ii = indexIn(order, a, mergeKey, kind);
    if (ii >= 0) {
      const ij = indexIn(order, b, mergeKey, kind);
      if (ij >= 0) return ii < ij;
    }
    return true;
  };
  goSliceStable(toSort, less);
  return [...toSort, ...toDelete];
}

/** Go's sort.SliceStable (insertion sort in blocks of 20, then symMerge), reproduced for its odd less. */
function goSliceStable(data: unknown[], less: (a: unknown, b: unknown) => boolean): void {
  const n = data.length;
  const swap = (i: number, j: number): void => {
    const t = data[i];
    data[i] = data[j];
    data[j] = t;
  };
  const insertionSort = (a: number, b: number): void => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && less(data[j], data[j - 1]); j--) swap(j, j - 1);
  };
  const rotate = (a: number, m: number, b: number): void => {
    const swapRange = (x: number, y: number, len: number): void => {
      for (let i = 0; i < len; i++) swap(x + i, y + i);
    };
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (less(data[h], data[a])) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!less(data[m], data[h])) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const nn = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = nn - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = nn - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!less(data[p - c], data[c])) start = c + 1;
      else r = c;
    }
    const end = nn - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertionSort(a, b);
    a = b;
    b += blockSize;
  }
  insertionSort(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
}

function diffLists(original: unknown[], modified: unknown[], schema: PatchSchema, mergeKey: string, o: DiffOptions): [unknown[], unknown[], unknown[]] {
  if (original.length === 0) {
    if (modified.length === 0 || o.ignoreChangesAndAdditions) return [[], [], []];
    return [modified, [], []];
  }
  const kind = sliceElementType(original, modified);
  let patchList: unknown[];
  let deleteList: unknown[];
  let setOrderList: unknown[] = [];
  switch (kind) {
    case "map": {
      [patchList, deleteList] = diffListsOfMaps(original, modified, schema, mergeKey, o);
      patchList = normalizeSliceOrder(patchList, modified, mergeKey, kind);
      const orderSame = isOrderSame(original, modified, mergeKey);
      patchList = [...patchList, ...deleteList];
      deleteList = [];
      if (o.setElementOrder && ((!o.ignoreChangesAndAdditions && (patchList.length > 0 || !orderSame)) || (!o.ignoreDeletions && patchList.length > 0))) {
        setOrderList = modified.map((v) => ({ [mergeKey]: (v as JSONMap)[mergeKey] }));
      }
      break;
    }
    case "slice":
      throw errNoListOfLists();
    default: {
      [patchList, deleteList] = diffListsOfScalars(original, modified, o);
      patchList = normalizeSliceOrder(patchList, modified, mergeKey, kind);
      if (o.setElementOrder && ((!o.ignoreDeletions && deleteList.length > 0) || (!o.ignoreChangesAndAdditions && !deepEqual(original, modified)))) {
        setOrderList = modified;
      }
    }
  }
  return [patchList, deleteList, setOrderList];
}

function isOrderSame(original: unknown[], modified: unknown[], mergeKey: string): boolean {
  if (original.length !== modified.length) return false;
  for (let i = 0; i < modified.length; i++) if (!mergeKeyValueEqual(original[i], modified[i], mergeKey)) return false;
  return true;
}

function diffListsOfScalars(original: unknown[], modified: unknown[], o: DiffOptions): [unknown[], unknown[]] {
  // Go sorts `original` in place.
  const originalScalars = sortScalars(original);
  const modifiedScalars = sortScalars([...modified]);
  let oi = 0;
  let mi = 0;
  const addList: unknown[] = [];
  const deletionList: unknown[] = [];
  for (;;) {
    const oIn = oi < originalScalars.length;
    const mIn = mi < modifiedScalars.length;
    if (!oIn && !mIn) break;
    const ov = oIn ? originalScalars[oi] : undefined;
    const mv = mIn ? modifiedScalars[mi] : undefined;
    const os = oIn ? goV(ov) : "";
    const ms = mIn ? goV(mv) : "";
    const both = oIn && mIn;
    if (both && os === ms) {
      oi++;
      mi++;
    } else if (!oIn || (both && os > ms)) {
      if (!o.ignoreChangesAndAdditions) addList.push(mv);
      mi++;
    } else {
      if (!o.ignoreDeletions) deletionList.push(ov);
      oi++;
    }
  }
  return [addList, deduplicateScalars(deletionList)];
}

function diffListsOfMaps(original: unknown[], modified: unknown[], schema: PatchSchema, mergeKey: string, o: DiffOptions): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const deletionList: unknown[] = [];
  const originalSorted = sortMergeListsByNameArray(original, schema, mergeKey, false);
  const modifiedSorted = sortMergeListsByNameArray(modified, schema, mergeKey, false);
  let oi = 0;
  let mi = 0;
  for (;;) {
    const oIn = oi < originalSorted.length;
    const mIn = mi < modifiedSorted.length;
    const both = oIn && mIn;
    if (!oIn && !mIn) break;
    let os = "";
    let ms = "";
    let ov: unknown;
    let mv: unknown;
    let oe: JSONMap | undefined;
    let me: JSONMap | undefined;
    if (oIn) {
      [oe, ov] = getMapAndMergeKeyValueByIndex(oi, mergeKey, originalSorted);
      os = goV(ov);
    }
    if (mIn) {
      [me, mv] = getMapAndMergeKeyValueByIndex(mi, mergeKey, modifiedSorted);
      ms = goV(mv);
    }
    if (both && os === ms) {
      const patchValue = diffMaps(oe!, me!, schema, o);
      if (Object.keys(patchValue).length > 0) {
        patchValue[mergeKey] = mv;
        patch.push(patchValue);
      }
      oi++;
      mi++;
    } else if (!oIn || (both && os > ms)) {
      if (!o.ignoreChangesAndAdditions) patch.push(me);
      mi++;
    } else {
      if (!o.ignoreDeletions) deletionList.push({ [mergeKey]: ov, [directiveMarker]: deleteDirective });
      oi++;
    }
  }
  return [patch, deletionList];
}

function getMapAndMergeKeyValueByIndex(i: number, mergeKey: string, list: unknown[]): [JSONMap, unknown] {
  const m = list[i];
  if (!isMap(m)) throw errBadArgType(MAP, m);
  if (!Object.hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
  return [m, m[mergeKey]];
}

// ---- merge ------------------------------------------------------------------------------------

function handleDirectiveInMergeMap(directive: unknown, patch: JSONMap): JSONMap {
  if (directive === replaceDirective) {
    delete patch[directiveMarker];
    return patch;
  }
  if (directive === deleteDirective) return {};
  throw errBadPatchType(directive, patch);
}

function containsDirectiveMarker(item: unknown): boolean {
  return isMap(item) && Object.hasOwn(item, directiveMarker);
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === "") return goEq(left, right);
  if (!isMap(left)) throw errBadArgType(MAP, left);
  if (!isMap(right)) throw errBadArgType(MAP, right);
  if (!Object.hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return goEq(left[mergeKey], right[mergeKey]);
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf("/");
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === deleteFromPrimitiveListDirectivePrefix) throw errBadPatchFormatForPrimitiveList();
    throw errBadPatchFormatForSetElementOrderList();
  }
  return s.slice(slash + 1);
}

function validatePatchWithSetOrderList(patchList: unknown, setOrderList: unknown, mergeKey: string): void {
  if (!Array.isArray(setOrderList)) throw errBadPatchFormatForSetElementOrderList();
  if (!Array.isArray(patchList)) throw errBadPatchFormatForSetElementOrderList();
  if (setOrderList.length === 0 || patchList.length === 0) return;
  const nonDeleteList = mergeKey !== "" ? extractToDeleteItems(patchList)[0] : patchList;
  let pi = 0;
  let si = 0;
  while (pi < nonDeleteList.length && si < setOrderList.length) {
    if (containsDirectiveMarker(nonDeleteList[pi])) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(nonDeleteList[pi], setOrderList[si], mergeKey)) pi++;
    si++;
  }
  if (pi < nonDeleteList.length && si >= setOrderList.length) {
    throw bad(`The order in patch list:\n${goV(patchList)}\n doesn't match ${setElementOrderDirectivePrefix} list:\n${goV(setOrderList)}\n`);
  }
}

function applyRetainKeysDirective(original: JSONMap, patch: JSONMap, options: MergeOptions): void {
  if (!Object.hasOwn(patch, retainKeysDirective)) return;
  const retainKeysInPatch = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!options.mergeParallelList) {
    if (Object.hasOwn(original, retainKeysDirective)) {
      if (!deepEqual(original[retainKeysDirective], retainKeysInPatch)) {
        throw bad(`${goV(original[retainKeysDirective])} and ${goV(retainKeysInPatch)} are not deep equal: this may happen when calculating the 3-way diff patch`);
      }
    } else original[retainKeysDirective] = retainKeysInPatch;
    return;
  }
  if (!Array.isArray(retainKeysInPatch)) throw errBadPatchFormatForRetainKeys();
  const keep = (k: string): boolean => retainKeysInPatch.some((v) => goEq(v, k));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListDirectivePrefix) || k.startsWith(setElementOrderDirectivePrefix)) continue;
    if (!keep(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep(k)) delete original[k];
}

function mergePatchIntoOriginal(original: JSONMap, patch: JSONMap, schema: PatchSchema, mo: MergeOptions): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderDirectivePrefix)) continue;
    if (!Object.hasOwn(patch, key)) continue;
    const setElementOrderInPatch = patch[key];
    if (!mo.mergeParallelList) {
      if (Object.hasOwn(original, key)) {
        if (!deepEqual(original[key], setElementOrderInPatch)) throw errBadPatchFormatForSetElementOrderList();
      } else original[key] = setElementOrderInPatch;
    }
    delete patch[key];
    if (!Array.isArray(setElementOrderInPatch)) throw errBadArgType(SLICE, setElementOrderInPatch);
    const order = setElementOrderInPatch;
    const originalKey = extractKey(key, setElementOrderDirectivePrefix);
    const foundOriginal = Object.hasOwn(original, originalKey);
    const foundPatch = Object.hasOwn(patch, originalKey);
    const originalList = original[originalKey];
    const patchList = patch[originalKey];
    let originalFieldValue: unknown[] = [];
    let patchFieldValue: unknown[] = [];
    if (foundOriginal) {
      if (!Array.isArray(originalList)) throw errBadArgType(SLICE, originalList);
      originalFieldValue = originalList;
    }
    if (foundPatch) {
      if (!Array.isArray(patchList)) throw errBadArgType(SLICE, patchList);
      patchFieldValue = patchList;
    }
    const sub = lookup(schema, originalKey, true);
    const [, patchStrategy] = extractRetainKeysPatchStrategy(sub.meta.patchStrategies);
    // Go passes the nil slice when the patch has no list: validation then has nothing to check.
    validatePatchWithSetOrderList(foundPatch ? patchFieldValue : [], order, sub.meta.patchMergeKey);
    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalFieldValue;
    else if (!foundOriginal && foundPatch) {
      const [v, keep] = removeDirectives(patchFieldValue);
      if (!keep) continue;
      merged = v as unknown[];
    } else if (foundOriginal && foundPatch) {
      // Go then orders by the original list's view, which its in-place slice edits have changed.
      const r = mergeSliceHandlerView(originalList, patchList, sub.schema, patchStrategy, sub.meta.patchMergeKey, false, mo);
      merged = r.merged;
      originalFieldValue = r.serverView;
    } else continue;
    const mk = sub.meta.patchMergeKey;
    const [patchItems, serverOnlyItems] = mk === "" ? partitionPrimitivesByPresentInList(merged, order) : partitionMapsByPresentInList(merged, order, mk);
    const kind = sliceElementType(originalFieldValue, patchFieldValue);
    original[originalKey] = normalizeElementOrder(patchItems, serverOnlyItems, order, originalFieldValue, mk, kind);
    delete patch[originalKey];
  }
}

function partitionPrimitivesByPresentInList(original: unknown[], partitionBy: unknown[]): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of original) {
    if (partitionBy.some((p) => goEq(p, v))) patch.push(v);
    else serverOnly.push(v);
  }
  return [patch, serverOnly];
}

function partitionMapsByPresentInList(original: unknown[], partitionBy: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of original) {
    if (!isMap(v)) throw errBadArgType(MAP, v);
    if (!Object.hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    if (findMapInSliceBasedOnKeyValue(partitionBy, mergeKey, v[mergeKey]) === undefined) serverOnly.push(v);
    else patch.push(v);
  }
  return [patch, serverOnly];
}

function removeDirectives(obj: unknown): [unknown, boolean] {
  if (obj === null || obj === undefined) return [obj, true];
  if (isMap(obj)) {
    if (Object.hasOwn(obj, directiveMarker)) return [null, false];
    for (const k of Object.keys(obj)) {
      const [v, keep] = removeDirectives(obj[k]);
      if (keep) obj[k] = v;
      else delete obj[k];
    }
    return [obj, true];
  }
  if (Array.isArray(obj)) {
    const res: unknown[] = [];
    for (const v of obj) {
      const [nv, keep] = removeDirectives(v);
      if (keep) res.push(nv);
    }
    return [res, true];
  }
  return [obj, true];
}

function mergeMap(original: JSONMap | null, patch: JSONMap, schema: PatchSchema, mo: MergeOptions): JSONMap {
  if (Object.hasOwn(patch, directiveMarker)) return handleDirectiveInMergeMap(patch[directiveMarker], patch);
  const orig: JSONMap = original ?? {};
  applyRetainKeysDirective(orig, patch, mo);
  mergePatchIntoOriginal(orig, patch, schema, mo);
  for (let [k, patchV] of Object.entries(patch)) {
    if (!Object.hasOwn(patch, k)) continue;
    let isDeleteList = false;
    if (k.startsWith(deleteFromPrimitiveListDirectivePrefix)) {
      if (!mo.mergeParallelList) {
        orig[k] = patchV;
        continue;
      }
      isDeleteList = true;
      k = extractKey(k, deleteFromPrimitiveListDirectivePrefix);
    }
    if (patchV === null) {
      delete orig[k];
      if (mo.ignoreUnmatchedNulls) continue;
    }
    if (!Object.hasOwn(orig, k) || goType(orig[k]) !== goType(patchV)) {
      if (!isDeleteList) {
        if (mo.ignoreUnmatchedNulls) discardNullValuesFromPatch(patchV);
        const [v, keep] = removeDirectives(patchV);
        if (keep) orig[k] = v;
        else delete orig[k];
      }
      continue;
    }
    const ov = orig[k];
    if (isMap(ov)) {
      const sub = lookup(schema, k, false);
      const [, strategy] = extractRetainKeysPatchStrategy(sub.meta.patchStrategies);
      orig[k] = mergeMapHandler(ov, patchV, sub.schema, strategy, mo);
    } else if (Array.isArray(ov)) {
      const sub = lookup(schema, k, true);
      const [, strategy] = extractRetainKeysPatchStrategy(sub.meta.patchStrategies);
      orig[k] = mergeSliceHandler(ov, patchV, sub.schema, strategy, sub.meta.patchMergeKey, isDeleteList, mo);
    } else {
      const [v, keep] = removeDirectives(patchV);
      if (keep) orig[k] = v;
      else delete orig[k];
    }
  }
  return orig;
}

function discardNullValuesFromPatch(v: unknown): void {
  if (isMap(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else discardNullValuesFromPatch(v[k]);
    }
  } else if (Array.isArray(v)) for (const x of v) discardNullValuesFromPatch(x);
}

function mergeMapHandler(original: unknown, patch: unknown, schema: PatchSchema, strategy: string, mo: MergeOptions): JSONMap {
  if (!isMap(original)) throw errBadArgType(MAP, original);
  if (!isMap(patch)) throw errBadArgType(MAP, patch);
  if (strategy !== replaceDirective) return mergeMap(original, patch, schema, mo);
  return patch;
}

function mergeSliceHandler(original: unknown, patch: unknown, schema: PatchSchema, strategy: string, mergeKey: string, isDeleteList: boolean, mo: MergeOptions): unknown[] {
  return mergeSliceHandlerView(original, patch, schema, strategy, mergeKey, isDeleteList, mo).merged;
}

/** mergeSliceHandler, also returning what Go's in-place slice edits leave in the original list's view. */
function mergeSliceHandlerView(
  original: unknown,
  patch: unknown,
  schema: PatchSchema,
  strategy: string,
  mergeKey: string,
  isDeleteList: boolean,
  mo: MergeOptions,
): { merged: unknown[]; serverView: unknown[] } {
  if (!Array.isArray(original)) throw errBadArgType(SLICE, original);
  if (!Array.isArray(patch)) throw errBadArgType(SLICE, patch);
  if (strategy === mergeDirective || isDeleteList) return mergeSlice(original, patch, schema, mergeKey, mo, isDeleteList);
  return { merged: patch, serverView: original };
}

/**
 * A Go slice: a backing array (its length is the capacity) and a length. strategicpatch edits
 * slices in place (append within capacity, deletion by shifting), and later reads the original
 * list's old view for ordering; this reproduces what that view then holds. Lists decoded from JSON
 * have the capacity Go's decoder leaves (appending one element at a time: the next power of two).
 */
interface GoSlice {
  b: unknown[];
  len: number;
}

function jsonSlice(arr: readonly unknown[]): GoSlice {
  let cap = arr.length;
  if (cap > 0 && cap <= 512) cap = 2 ** Math.ceil(Math.log2(cap));
  const b = [...arr];
  while (b.length < cap) b.push(undefined);
  return { b, len: arr.length };
}

function view(s: GoSlice): unknown[] {
  return s.b.slice(0, s.len);
}

function goAppend(s: GoSlice, vals: readonly unknown[]): GoSlice {
  if (s.len + vals.length <= s.b.length) {
    for (let i = 0; i < vals.length; i++) s.b[s.len + i] = vals[i];
    return { b: s.b, len: s.len + vals.length };
  }
  const b = [...view(s), ...vals];
  return { b, len: b.length };
}

function mergeSlice(originalList: unknown[], patch: unknown[], schema: PatchSchema, mergeKey: string, mo: MergeOptions, isDeleteList: boolean): { merged: unknown[]; serverView: unknown[] } {
  if (originalList.length === 0 && patch.length === 0) return { merged: originalList, serverView: originalList };
  const kind = sliceElementType(originalList, patch);
  const backing = jsonSlice(originalList);
  let original: GoSlice = backing;
  let merged: unknown[];
  if (kind !== "map") {
    if (mo.mergeParallelList && isDeleteList) return { merged: deleteFromSlice(originalList, patch), serverView: originalList };
    const both = goAppend(original, patch);
    const deduped = deduplicateScalarsSlice(both);
    merged = view(deduped);
  } else {
    if (mergeKey === "") throw bad(`cannot merge lists without merge key for ${schema.name()}`);
    [original, patch] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = view(mergeSliceWithoutSpecialElements(original, patch, mergeKey, schema, mo));
  }
  const [patchItems, serverOnlyItems] = mergeKey === "" ? partitionPrimitivesByPresentInList(merged, patch) : partitionMapsByPresentInList(merged, patch, mergeKey);
  const result = normalizeElementOrder(patchItems, serverOnlyItems, patch, view(original), mergeKey, kind);
  return { merged: result, serverView: backing.b.slice(0, originalList.length) };
}

/** deduplicateScalars on a Go slice: removes duplicates by moving the last element in, in place. */
function deduplicateScalarsSlice(s: GoSlice): GoSlice {
  let length = s.len - 1;
  const b = s.b;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goEq(b[i], b[j])) {
        b[j] = b[length];
        length--;
        j--;
      }
    }
  }
  return { b, len: Math.max(length + 1, 0) };
}

function mergeSliceWithSpecialElements(original: GoSlice, patch: unknown[], mergeKey: string): [GoSlice, unknown[]] {
  let without: GoSlice = { b: [], len: 0 };
  let replace = false;
  for (const v of patch) {
    const typed = v as JSONMap;
    if (!Object.hasOwn(typed, directiveMarker)) {
      without = goAppend(without, [v]);
      continue;
    }
    const patchType = typed[directiveMarker];
    if (patchType === deleteDirective) {
      if (!Object.hasOwn(typed, mergeKey)) throw errNoMergeKey(typed, mergeKey);
      original = deleteMatchingEntries(original, mergeKey, typed[mergeKey]);
    } else if (patchType === replaceDirective) replace = true;
    else if (patchType === mergeDirective) throw bad("merging lists cannot yet be specified in the patch");
    else throw errBadPatchType(patchType, typed);
  }
  if (replace) return [without, []];
  return [original, view(without)];
}

function deleteMatchingEntries(original: GoSlice, mergeKey: string, mergeValue: unknown): GoSlice {
  for (;;) {
    const found = findMapInSliceBasedOnKeyValue(view(original), mergeKey, mergeValue);
    if (found === undefined) break;
    // append(original[:i], original[i+1:]...): shift left in place.
    const b = original.b;
    for (let k = found[1]; k < original.len - 1; k++) b[k] = b[k + 1];
    original = { b, len: original.len - 1 };
  }
  return original;
}

function mergeSliceWithoutSpecialElements(original: GoSlice, patch: unknown[], mergeKey: string, schema: PatchSchema, mo: MergeOptions): GoSlice {
  for (const v of patch) {
    const typed = v as JSONMap;
    if (!Object.hasOwn(typed, mergeKey)) throw errNoMergeKey(typed, mergeKey);
    const found = findMapInSliceBasedOnKeyValue(view(original), mergeKey, typed[mergeKey]);
    if (found !== undefined) original.b[found[1]] = mergeMap(found[0], typed, schema, mo);
    else original = goAppend(original, [v]);
  }
  return original;
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  return current.filter((v) => !toDelete.some((d) => goEq(d, v)));
}

function findMapInSliceBasedOnKeyValue(m: unknown[], key: string, value: unknown): [JSONMap, number] | undefined {
  for (let i = 0; i < m.length; i++) {
    const v = m[i];
    if (!isMap(v)) throw bad(`value for key ${i} is not a map`);
    if (Object.hasOwn(v, key) && goEq(v[key], value)) return [v, i];
  }
  return undefined;
}

function sortMergeListsByNameArray(s: unknown[], schema: PatchSchema, mergeKey: string, recurse: boolean): unknown[] {
  if (s.length === 0) return s;
  const t = sliceElementType(s);
  if (t !== "map") return sortScalars(deduplicateScalars(s));
  const out = s.map((elem) => (recurse ? sortMergeListsByNameMap(elem as JSONMap, schema) : elem));
  return goSortLE(out, (m) => goV((m as JSONMap)[mergeKey]));
}

function sortMergeListsByNameMap(s: JSONMap, schema: PatchSchema): JSONMap {
  const out: JSONMap = {};
  for (const [k, v0] of Object.entries(s)) {
    let v = v0;
    if (k === retainKeysDirective) {
      if (!Array.isArray(v)) throw errBadPatchFormatForRetainKeys();
      v = sortScalars(v);
    } else if (k.startsWith(deleteFromPrimitiveListDirectivePrefix)) {
      if (!Array.isArray(v)) throw errBadPatchFormatForPrimitiveList();
      v = sortScalars(v);
    } else if (k.startsWith(setElementOrderDirectivePrefix)) {
      if (!Array.isArray(v)) throw errBadPatchFormatForSetElementOrderList();
    } else if (k !== directiveMarker) {
      if (isMap(v)) v = sortMergeListsByNameMap(v, lookup(schema, k, false).schema);
      else if (Array.isArray(v)) {
        const sub = lookup(schema, k, true);
        const [, strategy] = extractRetainKeysPatchStrategy(sub.meta.patchStrategies);
        if (strategy === mergeDirective) v = sortMergeListsByNameArray(v, sub.schema, sub.meta.patchMergeKey, true);
      }
    }
    out[k] = v;
  }
  return out;
}

// ---- conflicts --------------------------------------------------------------------------------

/**
 * Whether two patches touch the same fields with different values (strategicpatch.MergingMapsHaveConflicts).
 */
export function mergingMapsHaveConflicts(left: JSONMap, right: JSONMap, schema: PatchSchema): boolean {
  return mergingMapFieldsHaveConflicts(left, right, schema, "", "");
}

function mergingMapFieldsHaveConflicts(left: unknown, right: unknown, schema: PatchSchema, strategy: string, mergeKey: string): boolean {
  if (isMap(left)) {
    if (!isMap(right)) return true;
    const lm = Object.hasOwn(left, directiveMarker);
    const rm = Object.hasOwn(right, directiveMarker);
    if (lm || rm) {
      if (lm !== rm) return true;
      if (!goEq(left[directiveMarker], right[directiveMarker])) return true;
    }
    if (strategy === replaceDirective) return false;
    return mapsHaveConflicts(left, right, schema);
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right)) return true;
    return slicesHaveConflicts(left, right, schema, strategy, mergeKey);
  }
  return !deepEqual(left, right);
}

function mapsHaveConflicts(left: JSONMap, right: JSONMap, schema: PatchSchema): boolean {
  for (const [key, lv] of Object.entries(left)) {
    if (key === directiveMarker || key === retainKeysDirective) continue;
    if (!Object.hasOwn(right, key)) continue;
    let sub: PatchSchema = schema;
    let meta: FieldPatchMeta = { patchStrategies: [], patchMergeKey: "" };
    let strategy = "";
    if (Array.isArray(lv) || isMap(lv)) {
      const r = lookup(schema, key, Array.isArray(lv));
      sub = r.schema;
      meta = r.meta;
      strategy = extractRetainKeysPatchStrategy(meta.patchStrategies)[1];
    } else {
      // Go passes a nil schema for scalars; it is never consulted.
      sub = schema;
    }
    if (mergingMapFieldsHaveConflicts(lv, right[key], sub, strategy, meta.patchMergeKey)) return true;
  }
  return false;
}

function slicesHaveConflicts(left: unknown[], right: unknown[], schema: PatchSchema, strategy: string, mergeKey: string): boolean {
  const elementType = sliceElementType(left, right);
  if (strategy === mergeDirective) {
    if (elementType !== "map") return false;
    const lm = sliceOfMapsToMapOfMaps(left, mergeKey);
    const rm = sliceOfMapsToMapOfMaps(right, mergeKey);
    for (const [k, lv] of lm) {
      if (rm.has(k) && mergingMapFieldsHaveConflicts(lv, rm.get(k), schema, "", "")) return true;
    }
    return false;
  }
  if (left.length !== right.length) return true;
  if (elementType !== "map") {
    // Go dedupes and sorts both lists in place: the caller's lists (the returned patch) see it.
    left = dedupeAndSortInPlace(left);
    right = dedupeAndSortInPlace(right);
  }
  for (let i = 0; i < left.length; i++) if (mergingMapFieldsHaveConflicts(left[i], right[i], schema, "", "")) return true;
  return false;
}

function dedupeAndSortInPlace(list: unknown[]): unknown[] {
  const d = deduplicateScalarsSlice({ b: list, len: list.length });
  const sorted = sortScalars(view(d));
  for (let i = 0; i < sorted.length; i++) list[i] = sorted[i];
  return sorted;
}

function sliceOfMapsToMapOfMaps(slice: unknown[], mergeKey: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const v of slice) {
    if (!isMap(v)) throw bad(`invalid element type in merging list:${goV(slice)}`);
    if (!Object.hasOwn(v, mergeKey)) throw bad(`cannot find merge key \`${mergeKey}\` in merging list element:${goV(v)}`);
    out.set(goV(v[mergeKey]), v);
  }
  return out;
}

// ---- public API -------------------------------------------------------------------------------

/** A JSON document: its text, its UTF-8 bytes, or the parsed object (a typed object such as a Deployment too). */
type Doc = string | Uint8Array | JSONMap | object;

/** The bound on the size of JSON text these functions parse (bytes); 0 disables it. */
export interface PatchLimits {
  /** Largest JSON document or patch accepted, in bytes (default 32 MiB). */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** Parses a JSON object document (text or bytes) or deep-copies a decoded one. */
export function toJSONMap(doc: Doc | null | undefined, limits: PatchLimits = {}): JSONMap {
  if (doc === null || doc === undefined) return {};
  if (isMap(doc) && !(doc instanceof Uint8Array)) return cloneJSON(doc);
  if (typeof doc !== "string" && !(doc instanceof Uint8Array)) throw new PatchError("a JSON document to patch must be an object, not an array", "BadPatch");
  const max = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = typeof doc === "string" ? doc.length : doc.byteLength;
  if (max > 0 && size > max) throw new PatchError(`JSON document of ${size} bytes is larger than the limit of ${max} bytes; raise maxBytes to accept it`, "TooLarge");
  const text = typeof doc === "string" ? doc : utf8(doc);
  if (text.trim() === "") return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (cause) {
    throw new PatchError("invalid JSON document", "BadPatch", { cause });
  }
  if (v === null) return {};
  if (!isMap(v)) throw new PatchError("invalid JSON document", "BadPatch");
  return v;
}

/**
 * Applies a strategic merge patch to a document (strategicpatch.StrategicMergeMapPatch): returns a new
 * object, the inputs are not modified. Use `unknownPatchSchema` for a type with no metadata.
 */
export function strategicMergePatch(original: Doc, patch: Doc, schema: PatchSchema, limits?: PatchLimits): JSONMap {
  return mergeMap(toJSONMap(original, limits), toJSONMap(patch, limits), schema, { mergeParallelList: true, ignoreUnmatchedNulls: true });
}

/** Merges several strategic merge patches into one (strategicpatch.MergeStrategicMergeMapPatchUsingLookupPatchMeta). */
export function mergeStrategicMergeMapPatches(schema: PatchSchema, ...patches: JSONMap[]): JSONMap {
  let merged: JSONMap = {};
  for (const p of patches) merged = mergeMap(merged, cloneJSON(p), schema, { mergeParallelList: false, ignoreUnmatchedNulls: false });
  return merged;
}

/**
 * The patch that turns `original` into `modified` (strategicpatch.CreateTwoWayMergePatch), with
 * `$setElementOrder` lists; each precondition must accept it.
 */
export function createTwoWayMergePatch(original: Doc, modified: Doc, schema: PatchSchema, ...preconditions: PreconditionFunc[]): JSONMap {
  const patch = diffMaps(toJSONMap(original), toJSONMap(modified), schema, {
    setElementOrder: true,
    ignoreChangesAndAdditions: false,
    ignoreDeletions: false,
    buildRetainKeysDirective: false,
  });
  for (const fn of preconditions) {
    if (!fn(patch)) throw new PatchError(`precondition failed for: ${goV(patch)}`, "PreconditionFailed");
  }
  return patch;
}

/**
 * kubectl apply's patch (strategicpatch.CreateThreeWayMergePatch): the changes from `current` (the
 * live object) to `modified` (the new configuration) plus the deletions of fields `original` (the
 * last-applied configuration) had and `modified` drops. Unless `overwrite`, a patch that would change
 * something changed since `original` fails with a Conflict PatchError.
 */
export function createThreeWayMergePatch(original: Doc, modified: Doc, current: Doc, schema: PatchSchema, overwrite: boolean, ...preconditions: PreconditionFunc[]): JSONMap {
  const originalMap = toJSONMap(original);
  const modifiedMap = toJSONMap(modified);
  const currentMap = toJSONMap(current);
  const none = { setElementOrder: false, ignoreChangesAndAdditions: false, ignoreDeletions: false, buildRetainKeysDirective: false };
  const deltaMap = diffMaps(currentMap, modifiedMap, schema, { ...none, ignoreDeletions: true, setElementOrder: true });
  const deletionsMap = diffMaps(originalMap, modifiedMap, schema, { ...none, setElementOrder: true, ignoreChangesAndAdditions: true });
  const patchMap = mergeMap(deletionsMap, deltaMap, schema, { mergeParallelList: false, ignoreUnmatchedNulls: false });
  for (const fn of preconditions) {
    if (!fn(patchMap)) throw new PatchError(`precondition failed for: ${goV(patchMap)}`, "PreconditionFailed");
  }
  if (!overwrite) {
    const changedMap = diffMaps(originalMap, currentMap, schema, none);
    if (mergingMapsHaveConflicts(patchMap, changedMap, schema)) {
      throw new PatchError(
        `patch:\n${JSON.stringify(patchMap)}\nconflicts with changes made from original to current:\n${JSON.stringify(changedMap)}\n`,
        "Conflict",
      );
    }
  }
  return patchMap;
}
