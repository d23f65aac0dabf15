/**
 * api/equality (k8s.io/apimachinery/pkg/api/equality): `semantic.deepEqual`, the comparison
 * controllers use to skip no-op updates, and `semantic.deepDerivative`.
 *
 * Objects here are in their JSON shape, where a Quantity and a Time are strings. Go knows them by
 * their Go type; here two strings that differ are compared as Quantities when both parse as one
 * (`"1"` equals `"1000m"`), and as points in time when both parse as RFC 3339 times
 * (`"2024-01-02T05:04:05+02:00"` equals `"2024-01-02T03:04:05Z"`). A plain string that happens to
 * parse as a Quantity (a label value `"1"` against `"1.0"`) is compared the same way: pass your own
 * {@link Equalities} when that matters. As in Go, an absent (or null) slice or map equals an
 * empty one, and `undefined` equals `null`.
 */
import { tryParseQuantity } from "../resource/quantity.js";
import { parseTime } from "../meta/v1/time.js";

/**
 * Compares two values a custom way: `true`/`false` decides, `undefined` leaves them to the
 * structural comparison. Called for every pair of values that are not identical.
 */
export type EqualityFunc = (a: unknown, b: unknown) => boolean | undefined;

/** The maximum nesting depth compared; deeper values are reported unequal. */
const MAX_DEPTH = 512;

function isPlainObject(v: unknown): v is { [key: string]: unknown } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isEmptyish(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isPlainObject(v) && Object.keys(v).every((k) => v[k] === undefined);
}

/** A set of custom comparisons layered on structural equality (Go's conversion.Equalities). */
export class Equalities {
  readonly #funcs: readonly EqualityFunc[];

  constructor(...funcs: EqualityFunc[]) {
    this.#funcs = funcs;
  }

  /** A copy with more comparisons, tried after these. */
  with(...funcs: EqualityFunc[]): Equalities {
    return new Equalities(...this.#funcs, ...funcs);
  }

  /**
   * Go's Equalities.DeepEqual: structural equality where the custom comparisons decide first, and
   * an absent value, null, an empty array and an empty object are all equal to each other.
   */
  deepEqual(a: unknown, b: unknown): boolean {
    return this.#equal(a, b, 0);
  }

  /**
   * Go's Equalities.DeepDerivative: like {@link deepEqual}, but what is unset in `a1` (absent,
   * null, `""`, an empty array or object) is ignored, so it tells whether `a2` could have been
   * derived from `a1` by a server filling in defaults. Arrays compare element by element up to
   * `a1`'s length (a longer `a1` is unequal).
   */
  deepDerivative(a1: unknown, a2: unknown): boolean {
    return this.#derive(a1, a2, 0);
  }

  #custom(a: unknown, b: unknown): boolean | undefined {
    for (const f of this.#funcs) {
      const r = f(a, b);
      if (r !== undefined) return r;
    }
    return undefined;
  }

  #equal(a: unknown, b: unknown, depth: number): boolean {
    if (a === b) return true;
    if (depth > MAX_DEPTH) return false;
    const custom = this.#custom(a, b);
    if (custom !== undefined) return custom;
    if (isEmptyish(a) && isEmptyish(b)) return true;
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (!this.#equal(a[i], b[i], depth + 1)) return false;
      return true;
    }
    if (isPlainObject(a)) {
      if (!isPlainObject(b)) return false;
      for (const k of Object.keys(a)) if (!this.#equal(a[k], b[k], depth + 1)) return false;
      for (const k of Object.keys(b)) if (!Object.hasOwn(a, k) && b[k] !== undefined && !this.#equal(undefined, b[k], depth + 1)) return false;
      return true;
    }
    if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
    return false;
  }

  #derive(a1: unknown, a2: unknown, depth: number): boolean {
    if (a1 === a2) return true;
    if (a1 === undefined || a1 === null || a1 === "") return true;
    if (depth > MAX_DEPTH) return false;
    const custom = this.#custom(a1, a2);
    if (custom !== undefined) return custom;
    if (Array.isArray(a1)) {
      if (a1.length === 0) return true;
      if (!Array.isArray(a2) || a1.length > a2.length) return false;
      for (let i = 0; i < a1.length; i++) if (!this.#derive(a1[i], a2[i], depth + 1)) return false;
      return true;
    }
    if (isPlainObject(a1)) {
      if (isEmptyish(a1)) return true;
      if (!isPlainObject(a2)) return false;
      for (const k of Object.keys(a1)) if (!this.#derive(a1[k], a2[k], depth + 1)) return false;
      return true;
    }
    return false;
  }
}

/** Two strings equal as Quantities (by numeric value), or undefined if either is not one. */
export const quantityEquality: EqualityFunc = (a, b) => {
  if (typeof a !== "string" || typeof b !== "string") return undefined;
  const qa = tryParseQuantity(a);
  if (qa === undefined) return undefined;
  const qb = tryParseQuantity(b);
  if (qb === undefined) return undefined;
  return qa.cmp(qb) === 0;
};

/** Two strings equal as RFC 3339 times (Time and MicroTime, by instant), or undefined if either is not one. */
export const timeEquality: EqualityFunc = (a, b) => {
  if (typeof a !== "string" || typeof b !== "string") return undefined;
  // Cheap shape check first: every RFC 3339 time starts with a 4-digit year and a dash.
  if (!/^\d{4}-/.test(a) || !/^\d{4}-/.test(b)) return undefined;
  try {
    const ta = parseTime(a);
    const tb = parseTime(b);
    return ta.seconds === tb.seconds && ta.nanos === tb.nanos;
  } catch {
    return undefined;
  }
};

/** Go's equality.Semantic: Quantities and Times compare by value. */
export const semantic: Equalities = new Equalities(timeEquality, quantityEquality);
