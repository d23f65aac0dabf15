/** types.NamespacedName (k8s.io/apimachinery/pkg/types). */

/** A namespace and a name; the namespace is "" for cluster-scoped objects. */
export interface NamespacedName {
  readonly namespace: string;
  readonly name: string;
}

/** The separator of the string form (types.Separator). */
export const NamespacedNameSeparator = "/";

/** Thrown by parseNamespacedName for strings with more than one '/'. */
export class NamespacedNameError extends Error {
  override readonly name = "NamespacedNameError" as const;
  readonly input: string;
  constructor(input: string) {
    super(`unexpected namespaced name format: ${JSON.stringify(input)} (want "name" or "namespace/name")`);
    this.input = input;
  }
}

/** Build a NamespacedName. */
export function namespacedName(namespace: string, name: string): NamespacedName {
  return { namespace, name };
}

/** Go's `NamespacedName.String()`: always "namespace/name" (so "/name" when cluster-scoped). */
export function namespacedNameToString(n: NamespacedName): string {
  return n.namespace + NamespacedNameSeparator + n.name;
}

/** Parse "namespace/name" or "name" (cluster-scoped). Throws NamespacedNameError otherwise. */
export function parseNamespacedName(s: string): NamespacedName {
  const i = s.indexOf(NamespacedNameSeparator);
  if (i < 0) return { namespace: "", name: s };
  if (s.indexOf(NamespacedNameSeparator, i + 1) >= 0) throw new NamespacedNameError(s);
  return { namespace: s.slice(0, i), name: s.slice(i + 1) };
}
