/** util/resourceversion (k8s.io/apimachinery/pkg/util/resourceversion). */

/** Thrown for a resourceVersion that is not a positive integer without leading zeros. */
export class InvalidResourceVersionError extends Error {
  override readonly name = "InvalidResourceVersionError" as const;
  readonly resourceVersion: string;
  constructor(rv: string) {
    super(`resource version is not well formed: ${rv}`);
    this.resourceVersion = rv;
  }
}

/** Whether `err` is the InvalidResourceVersionError of {@link compareResourceVersion}. */
export function isInvalidResourceVersionError(err: unknown): err is InvalidResourceVersionError {
  return err instanceof Error && err.name === "InvalidResourceVersionError";
}

/** True for a positive decimal integer without leading zeros, of any length. */
export function isWellFormedResourceVersion(s: string): boolean {
  if (s.length === 0 || s.charCodeAt(0) === 48) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * CompareResourceVersion: -1, 0 or 1 as `a` is older than, the same as or newer than `b`.
 * Meaningful only for two objects of the same resource. Throws InvalidResourceVersionError
 * (naming the first bad argument) unless both are well formed ("0" is not).
 */
export function compareResourceVersion(a: string, b: string): -1 | 0 | 1 {
  if (!isWellFormedResourceVersion(a)) throw new InvalidResourceVersionError(a);
  if (!isWellFormedResourceVersion(b)) throw new InvalidResourceVersionError(b);
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}
