/**
 * Field selectors (k8s.io/apimachinery/pkg/fields): `key=value`, `key==value` and
 * `key!=value` terms joined by commas, with `\`, `,` and `=` escaped in values.
 */
import { compareGoStrings } from "../errors/go-format.js";

/** A field set: field paths such as `metadata.name` mapped to their string values. */
export type Fields = { readonly [field: string]: string };

/** One term of a field selector. */
export interface Requirement {
  readonly operator: "=" | "!=";
  readonly field: string;
  readonly value: string;
}

/** Rewrites a term's field and value; returning two empty strings drops the term. */
export type TransformFunc = (field: string, value: string) => [field: string, value: string];

/** A field selector. Implementations are immutable. */
export interface Selector {
  /** Whether the fields satisfy the selector; a missing field reads as `""`. */
  matches(fields: Fields | undefined): boolean;
  /** True when the selector has no terms (it selects everything). */
  empty(): boolean;
  /** The value `field` must have for this selector to match, if it requires one. */
  requiresExactMatch(field: string): string | undefined;
  /** A new selector with every term rewritten by `fn` (terms made empty are dropped). */
  transform(fn: TransformFunc): Selector;
  /** The terms, flattened. */
  requirements(): Requirement[];
  /** Go's canonical Selector.String(), values escaped. */
  toString(): string;
}

/** A field selector string could not be parsed. */
export class FieldSelectorParseError extends Error {
  override readonly name = "FieldSelectorParseError" as const;
  readonly selector: string;
  constructor(message: string, selector: string) {
    super(message);
    this.selector = selector;
  }
}

/** A backslash in a value is not followed by `\`, `,` or `=`. */
export class InvalidEscapeSequenceError extends Error {
  override readonly name = "InvalidEscapeSequenceError" as const;
  readonly sequence: string;
  constructor(sequence: string) {
    super(`invalid field selector: invalid escape sequence: ${sequence}`);
    this.sequence = sequence;
  }
}

/** A value contains an unescaped `,` or `=`. The message prints the rune's number, as Go. */
export class UnescapedRuneError extends Error {
  override readonly name = "UnescapedRuneError" as const;
  readonly rune: string;
  constructor(rune: string) {
    super(`invalid field selector: unescaped character in value: ${rune.codePointAt(0) ?? 0}`);
    this.rune = rune;
  }
}

function get(fields: Fields | undefined, key: string): string {
  if (fields === undefined) return "";
  const v = fields[key];
  return typeof v === "string" && Object.hasOwn(fields, key) ? v : "";
}

class HasTerm implements Selector {
  constructor(
    readonly field: string,
    readonly value: string,
  ) {}
  matches(fields: Fields | undefined): boolean {
    return get(fields, this.field) === this.value;
  }
  empty(): boolean {
    return false;
  }
  requiresExactMatch(field: string): string | undefined {
    return field === this.field ? this.value : undefined;
  }
  transform(fn: TransformFunc): Selector {
    const [f, v] = fn(this.field, this.value);
    if (f.length === 0 && v.length === 0) return everything();
    return new HasTerm(f, v);
  }
  requirements(): Requirement[] {
    return [{ operator: "=", field: this.field, value: this.value }];
  }
  toString(): string {
    return `${this.field}=${escapeValue(this.value)}`;
  }
}

class NotHasTerm implements Selector {
  constructor(
    readonly field: string,
    readonly value: string,
  ) {}
  matches(fields: Fields | undefined): boolean {
    return get(fields, this.field) !== this.value;
  }
  empty(): boolean {
    return false;
  }
  requiresExactMatch(): string | undefined {
    return undefined;
  }
  transform(fn: TransformFunc): Selector {
    const [f, v] = fn(this.field, this.value);
    if (f.length === 0 && v.length === 0) return everything();
    return new NotHasTerm(f, v);
  }
  requirements(): Requirement[] {
    return [{ operator: "!=", field: this.field, value: this.value }];
  }
  toString(): string {
    return `${this.field}!=${escapeValue(this.value)}`;
  }
}

class AndTerm implements Selector {
  constructor(readonly terms: readonly Selector[]) {}
  matches(fields: Fields | undefined): boolean {
    for (const t of this.terms) if (!t.matches(fields)) return false;
    return true;
  }
  empty(): boolean {
    return this.terms.every((t) => t.empty());
  }
  requiresExactMatch(field: string): string | undefined {
    for (const t of this.terms) {
      const v = t.requiresExactMatch(field);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  transform(fn: TransformFunc): Selector {
    const next: Selector[] = [];
    for (const t of this.terms) {
      const n = t.transform(fn);
      if (!n.empty()) next.push(n);
    }
    return new AndTerm(next);
  }
  requirements(): Requirement[] {
    return this.terms.flatMap((t) => t.requirements());
  }
  toString(): string {
    return this.terms.map((t) => t.toString()).join(",");
  }
}

class NothingSelector implements Selector {
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
  requiresExactMatch(): string | undefined {
    return undefined;
  }
  transform(): Selector {
    return this;
  }
  requirements(): Requirement[] {
    return [];
  }
  toString(): string {
    return "";
  }
}

const NOTHING: Selector = new NothingSelector();

/** A selector that matches everything. */
export function everything(): Selector {
  return new AndTerm([]);
}
/** A selector that matches nothing. */
export function nothing(): Selector {
  return NOTHING;
}
/** Whether `s` is the Nothing selector. */
export function matchesNothing(s: Selector): boolean {
  return s instanceof NothingSelector;
}

/** Go's OneTermEqualSelector: `field=value`. */
export function oneTermEqualSelector(field: string, value: string): Selector {
  return new HasTerm(field, value);
}
/** Go's OneTermNotEqualSelector: `field!=value`. */
export function oneTermNotEqualSelector(field: string, value: string): Selector {
  return new NotHasTerm(field, value);
}
/** Go's AndSelectors: all of the selectors. */
export function andSelectors(...selectors: Selector[]): Selector {
  return new AndTerm(selectors);
}

/**
 * A selector requiring each `field=value` of the set. Unlike Go (which follows map order),
 * the terms are sorted by field so that toString() is deterministic.
 */
export function selectorFromSet(set: Fields | undefined): Selector {
  if (set === undefined) return everything();
  const keys = Object.keys(set).sort(compareGoStrings);
  const items = keys.map((k) => new HasTerm(k, set[k] as string));
  return items.length === 1 ? (items[0] as Selector) : new AndTerm(items);
}

/** Go's fields.Set.String(): `k1=v1,k2=v2` sorted (values not escaped). */
export function setToString(set: Fields | undefined): string {
  if (set === undefined) return "";
  return Object.keys(set)
    .map((k) => `${k}=${set[k] as string}`)
    .sort(compareGoStrings)
    .join(",");
}

const NEEDS_ESCAPE = /[\\,=]/;

/** Escapes `\`, `,` and `=` in a field selector value. */
export function escapeValue(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  let out = "";
  for (const c of s) {
    if (c === "\\" || c === "," || c === "=") out += "\\";
    out += c;
  }
  return out;
}

/**
 * Reverses {@link escapeValue}. Throws {@link InvalidEscapeSequenceError} or
 * {@link UnescapedRuneError} with Go's messages.
 */
export function unescapeValue(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  let out = "";
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === "\\" || c === "," || c === "=") out += c;
      else throw new InvalidEscapeSequenceError(`\\${c}`);
      inSlash = false;
      continue;
    }
    if (c === "\\") inSlash = true;
    else if (c === "," || c === "=") throw new UnescapedRuneError(c);
    else out += c;
  }
  if (inSlash) throw new InvalidEscapeSequenceError("\\");
  return out;
}

function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector.charCodeAt(i);
    if (inSlash) {
      inSlash = false;
      // A backslash escapes a whole character, which may be a surrogate pair.
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < selector.length) i++;
    } else if (c === 0x5c) inSlash = true;
    else if (c === 0x2c) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

function splitTerm(term: string): [string, string, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    if (c === 0x21 && term.charCodeAt(i + 1) === 0x3d) return [term.slice(0, i), "!=", term.slice(i + 2)];
    if (c === 0x3d) {
      if (term.charCodeAt(i + 1) === 0x3d) return [term.slice(0, i), "==", term.slice(i + 2)];
      return [term.slice(0, i), "=", term.slice(i + 1)];
    }
  }
  return undefined;
}

function parseSelectorImpl(selector: string, fn: TransformFunc | undefined): Selector {
  const parts = splitTerms(selector).sort(compareGoStrings);
  const items: Selector[] = [];
  for (const part of parts) {
    if (part === "") continue;
    const t = splitTerm(part);
    if (t === undefined) {
      throw new FieldSelectorParseError(`invalid selector: '${selector}'; can't understand '${part}'`, selector);
    }
    const [lhs, op, rhs] = t;
    const value = unescapeValue(rhs);
    items.push(op === "!=" ? new NotHasTerm(lhs, value) : new HasTerm(lhs, value));
  }
  const f: TransformFunc = fn ?? ((a, b) => [a, b]);
  if (items.length === 1) return (items[0] as Selector).transform(f);
  return new AndTerm(items).transform(f);
}

/**
 * Parses a field selector with Go's rules: terms are sorted, empty terms ignored, values
 * unescaped. Throws {@link FieldSelectorParseError}, {@link InvalidEscapeSequenceError} or
 * {@link UnescapedRuneError}.
 */
export function parseSelector(selector: string): Selector {
  return parseSelectorImpl(selector, undefined);
}

/** Go's ParseAndTransformSelector: parses, then rewrites each term with `fn`. */
export function parseAndTransformSelector(selector: string, fn: TransformFunc): Selector {
  return parseSelectorImpl(selector, fn);
}
