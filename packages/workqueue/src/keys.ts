/**
 * Keys for queues of Kubernetes objects, as client-go's tools/cache uses them:
 * `namespace/name`, or `name` for cluster-scoped objects.
 */

/** Thrown by {@link splitMetaNamespaceKey} for a key with more than one `/`. */
export class KeyFormatError extends Error {
  override readonly name = "KeyFormatError" as const;
  constructor(readonly key: string) {
    super(`unexpected key format: ${JSON.stringify(key)} (want "namespace/name" or "name")`);
  }
}

/** True when `err` is a {@link KeyFormatError} (checked by name, so two package copies agree). */
export function isKeyFormatError(err: unknown): err is KeyFormatError {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "KeyFormatError";
}

/** The parts of an object key. `namespace` is "" for cluster-scoped objects. */
export interface NamespacedName {
  namespace: string;
  name: string;
}

/** The object's key: `namespace/name`, or `name` when it has no namespace. */
export function metaNamespaceKeyFunc(obj: { metadata?: { namespace?: string | undefined; name?: string | undefined } | undefined }): string {
  const ns = obj.metadata?.namespace ?? "";
  const name = obj.metadata?.name ?? "";
  return ns.length > 0 ? `${ns}/${name}` : name;
}

/** Splits a key made by {@link metaNamespaceKeyFunc}. Throws {@link KeyFormatError} for `a/b/c`. */
export function splitMetaNamespaceKey(key: string): NamespacedName {
  const i = key.indexOf("/");
  if (i < 0) return { namespace: "", name: key };
  if (key.indexOf("/", i + 1) >= 0) throw new KeyFormatError(key);
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
