/**
 * Object keys (client-go tools/cache store.go, controller.go, delta_fifo.go): the
 * `<namespace>/<name>` key every store uses, and the tombstone handed to delete handlers
 * when the final state of a deleted object is unknown.
 */

/** Computes the store key of an object. Throws a {@link KeyError} when it cannot. */
export type KeyFunc = (obj: unknown) => string;

/** Thrown when no key can be computed for an object. */
export class KeyError extends Error {
  override readonly name = "KeyError" as const;
  readonly object: unknown;
  constructor(object: unknown, cause: unknown) {
    super(`couldn't create key for object ${describe(object)}: ${messageOf(cause)}`, { cause });
    this.object = object;
  }
}

const TOMBSTONE = Symbol.for("kubets.informers.DeletedFinalStateUnknown");

/**
 * Placed in a delete notification when the object was deleted while the watch was
 * disconnected: the informer missed the delete event and only learned of it on relist.
 * `obj` is the last state the cache knew, which may be stale (or undefined).
 */
export class DeletedFinalStateUnknown<T = unknown> {
  readonly [TOMBSTONE] = true;
  readonly key: string;
  readonly obj: T | undefined;
  constructor(key: string, obj: T | undefined) {
    this.key = key;
    this.obj = obj;
  }
}

/** True for a {@link DeletedFinalStateUnknown}, also one from another copy of this package. */
export function isDeletedFinalStateUnknown(obj: unknown): obj is DeletedFinalStateUnknown<unknown> {
  return typeof obj === "object" && obj !== null && (obj as { [TOMBSTONE]?: unknown })[TOMBSTONE] === true;
}

interface MetaLike {
  metadata?: { name?: string; namespace?: string } | undefined;
}

/** A namespace and name, as in client-go's ObjectName. */
export interface ObjectName {
  namespace: string;
  name: string;
}

/** `name` for cluster-scoped objects, `namespace/name` otherwise. */
export function objectNameToString(n: ObjectName): string {
  return n.namespace.length > 0 ? `${n.namespace}/${n.name}` : n.name;
}

/** The namespace and name of an object with metadata. Throws if it has none. */
export function objectToName(obj: unknown): ObjectName {
  if (typeof obj !== "object" || obj === null) {
    throw new Error(`object has no meta: expected an object, got ${obj === null ? "null" : typeof obj}`);
  }
  const m = (obj as MetaLike).metadata;
  if (typeof m !== "object" || m === null) {
    throw new Error("object has no meta: metadata is missing or not an object");
  }
  return { namespace: m.namespace ?? "", name: m.name ?? "" };
}

/**
 * The default key function: `namespace/name`, or `name` for cluster-scoped objects.
 * A string is taken as an already computed key (client-go's ExplicitKey).
 */
export function metaNamespaceKeyFunc(obj: unknown): string {
  if (typeof obj === "string") return obj;
  try {
    return objectNameToString(objectToName(obj));
  } catch (err) {
    throw new KeyError(obj, err);
  }
}

/** Like {@link metaNamespaceKeyFunc}, but returns the key inside a {@link DeletedFinalStateUnknown}. */
export function deletionHandlingMetaNamespaceKeyFunc(obj: unknown): string {
  if (isDeletedFinalStateUnknown(obj)) return obj.key;
  return metaNamespaceKeyFunc(obj);
}

/** Splits a key made by {@link metaNamespaceKeyFunc} into namespace and name. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split("/");
  if (parts.length === 1) return { namespace: "", name: parts[0] ?? "" };
  if (parts.length === 2) return { namespace: parts[0] ?? "", name: parts[1] ?? "" };
  throw new Error(`unexpected key format: ${JSON.stringify(key)}`);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function describe(obj: unknown): string {
  try {
    const s = JSON.stringify(obj);
    if (s === undefined) return String(obj);
    return s.length > 200 ? `${s.slice(0, 200)}...` : s;
  } catch {
    return String(obj);
  }
}
