/**
 * Label selectors (k8s.io/apimachinery/pkg/labels): parsing with Go's grammar and error
 * messages, matching, and the canonical string form of Go's Selector.String().
 */
import { compareGoStrings, goJSON, goQuote } from "../errors/go-format.js";
import { goSort } from "./go-sort.js";
import { isLabelKey, isLabelValue } from "./validation.js";

export { isDNS1123Subdomain, isLabelKey, isLabelValue } from "./validation.js";

/** A selection operator (k8s.io/apimachinery/pkg/selection), with Go's string values. */
export type Operator = "!" | "=" | "==" | "in" | "!=" | "notin" | "exists" | "gt" | "lt";

/** The operators by Go name. */
export const Operators = {
  DoesNotExist: "!",
  Equals: "=",
  DoubleEquals: "==",
  In: "in",
  NotEquals: "!=",
  NotIn: "notin",
  Exists: "exists",
  GreaterThan: "gt",
  LessThan: "lt",
} as const satisfies Record<string, Operator>;

const BINARY_OPERATORS: readonly string[] = ["in", "notin", "=", "==", "!=", "gt", "lt"];
const VALID_OPERATORS: readonly string[] = [...BINARY_OPERATORS, "exists", "!"];

/** A label set: the `metadata.labels` map of an object. */
export type Labels = { readonly [key: string]: string };

/** One term of a selector: a key, an operator and its values (as given, not sorted). */
export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

/** A label selector. Implementations are immutable; `add` returns a new selector. */
export interface Selector {
  /** Whether the labels satisfy every requirement (undefined labels count as empty). */
  matches(labels: Labels | undefined): boolean;
  /** True for a selector with no requirements (which selects everything). */
  empty(): boolean;
  /** Go's canonical Selector.String(). */
  toString(): string;
  /** A new selector with the requirements added, sorted by key. */
  add(...requirements: Requirement[]): Selector;
  /** The requirements, and false for the Nothing selector (which cannot be expressed by them). */
  requirements(): { requirements: readonly Requirement[]; selectable: boolean };
  /** The value `label` must have for this selector to match, if it requires one. */
  requiresExactMatch(label: string): string | undefined;
}

/** A single field validation failure, formatted as Go's field.Error. */
export interface FieldErrorDetail {
  readonly type: "FieldValueInvalid" | "FieldValueNotSupported";
  readonly field: string;
  readonly detail: string;
  /** Go's ErrorBody(), e.g. `Invalid value: "x": must be ...`. */
  readonly body: string;
}

/** newRequirement rejected its input; `errors` lists each field error. */
export class InvalidRequirementError extends Error {
  override readonly name = "InvalidRequirementError" as const;
  readonly errors: readonly FieldErrorDetail[];
  constructor(errors: readonly FieldErrorDetail[]) {
    super(aggregateMessage(errors));
    this.errors = errors;
  }
}

/** A label selector string (or a selector-shaped map) could not be parsed. */
export class LabelSelectorParseError extends Error {
  override readonly name = "LabelSelectorParseError" as const;
  /** The input that failed to parse. */
  readonly selector: string;
  constructor(message: string, selector: string, options?: { cause?: unknown }) {
    super(message, options);
    this.selector = selector;
  }
}

function aggregateMessage(errors: readonly FieldErrorDetail[]): string {
  const seen: string[] = [];
  for (const e of errors) {
    const m = `${e.field}: ${e.body}`;
    if (!seen.includes(m)) seen.push(m);
  }
  return seen.length === 1 ? (seen[0] as string) : `[${seen.join(", ")}]`;
}

function invalid(field: string, badValue: string | readonly string[], detail: string): FieldErrorDetail {
  const v = typeof badValue === "string" ? goQuote(badValue) : goJSON(badValue);
  return { type: "FieldValueInvalid", field, detail, body: `Invalid value: ${v}: ${detail}` };
}

/** The field-path prefix Go would print for a requirement built with field.WithPath. */
function child(path: string | undefined, name: string): string {
  return path === undefined || path === "" ? name : `${path}.${name}`;
}

const INT64_RE = /^[+-]?[0-9]+$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Go's strconv.ParseInt(s, 10, 64), or undefined when it fails. */
function parseInt64(s: string): bigint | undefined {
  if (!INT64_RE.test(s)) return undefined;
  const n = BigInt(s);
  return n > INT64_MAX || n < INT64_MIN ? undefined : n;
}

function validateKey(key: string, field: string): FieldErrorDetail | undefined {
  const errs = isLabelKey(key);
  return errs.length === 0 ? undefined : invalid(field, key, errs.join("; "));
}

function validateValue(key: string, value: string, field: string): FieldErrorDetail | undefined {
  const errs = isLabelValue(value);
  return errs.length === 0 ? undefined : invalid(`${field}[${key}]`, value, errs.join("; "));
}

/**
 * Go's NewRequirement: validates the key, the operator/values combination and every value.
 * Throws {@link InvalidRequirementError}. `path` prefixes field names in messages.
 */
export function newRequirement(
  key: string,
  operator: Operator,
  values: readonly string[],
  options?: { path?: string },
): Requirement {
  return buildRequirement(key, operator, values, options?.path, false);
}

/** newRequirement; the parser passes keyValid=true for keys it has already validated. */
function buildRequirement(
  key: string,
  operator: Operator,
  values: readonly string[],
  path: string | undefined,
  keyValid: boolean,
): Requirement {
  const errs: FieldErrorDetail[] = [];
  if (!keyValid) {
    const ke = validateKey(key, child(path, "key"));
    if (ke !== undefined) errs.push(ke);
  }
  const valuePath = child(path, "values");
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0) errs.push(invalid(valuePath, values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1) errs.push(invalid(valuePath, values, "exact-match compatibility requires one single value"));
      break;
    case "exists":
    case "!":
      if (values.length !== 0) errs.push(invalid(valuePath, values, "values set must be empty for exists and does not exist"));
      break;
    case "gt":
    case "lt":
      if (values.length !== 1) errs.push(invalid(valuePath, values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as string;
        if (parseInt64(v) === undefined) {
          errs.push(invalid(`${valuePath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      }
      break;
    default: {
      const detail = `supported values: ${VALID_OPERATORS.map((o) => goQuote(o)).join(", ")}`;
      errs.push({
        type: "FieldValueNotSupported",
        field: child(path, "operator"),
        detail,
        body: `Unsupported value: ${goJSON(operator)}: ${detail}`,
      });
    }
  }
  for (let i = 0; i < values.length; i++) {
    const ve = validateValue(key, values[i] as string, `${valuePath}[${i}]`);
    if (ve !== undefined) errs.push(ve);
  }
  if (errs.length > 0) throw new InvalidRequirementError(errs);
  return { key, operator, values: [...values] };
}

function hasValue(r: Requirement, v: string): boolean {
  const vs = r.values;
  for (let i = 0; i < vs.length; i++) if (vs[i] === v) return true;
  return false;
}

function lookup(ls: Labels | undefined, key: string): string | undefined {
  if (ls === undefined) return undefined;
  const v = ls[key];
  // typeof guards against inherited properties such as "constructor".
  return typeof v === "string" && Object.hasOwn(ls, key) ? v : undefined;
}

/** Go's Requirement.Matches. */
export function requirementMatches(r: Requirement, ls: Labels | undefined): boolean {
  switch (r.operator) {
    case "in":
    case "=":
    case "==": {
      const v = lookup(ls, r.key);
      return v !== undefined && hasValue(r, v);
    }
    case "notin":
    case "!=": {
      const v = lookup(ls, r.key);
      return v === undefined || !hasValue(r, v);
    }
    case "exists":
      return lookup(ls, r.key) !== undefined;
    case "!":
      return lookup(ls, r.key) === undefined;
    case "gt":
    case "lt": {
      const v = lookup(ls, r.key);
      if (v === undefined) return false;
      const lv = parseInt64(v);
      if (lv === undefined || r.values.length !== 1) return false;
      const rv = parseInt64(r.values[0] as string);
      if (rv === undefined) return false;
      return r.operator === "gt" ? lv > rv : lv < rv;
    }
    default:
      return false;
  }
}

function sortedValues(vs: readonly string[]): readonly string[] {
  for (let i = 1; i < vs.length; i++) {
    if (compareGoStrings(vs[i - 1] as string, vs[i] as string) > 0) return [...vs].sort(compareGoStrings);
  }
  return vs;
}

/** Go's Requirement.String(): `key=v`, `key in (a,b)`, `!key`, `key>3`, ... */
export function requirementToString(r: Requirement): string {
  let s: string;
  switch (r.operator) {
    case "!":
      return `!${r.key}`;
    case "exists":
      return r.key;
    case "=":
      s = `${r.key}=`;
      break;
    case "==":
      s = `${r.key}==`;
      break;
    case "!=":
      s = `${r.key}!=`;
      break;
    case "in":
      s = `${r.key} in (`;
      break;
    case "notin":
      s = `${r.key} notin (`;
      break;
    case "gt":
      s = `${r.key}>`;
      break;
    case "lt":
      s = `${r.key}<`;
      break;
    default:
      s = r.key;
  }
  s += r.values.length === 1 ? (r.values[0] as string) : sortedValues(r.values).join(",");
  if (r.operator === "in" || r.operator === "notin") s += ")";
  return s;
}

/** Go's Requirement.Equal: same key, operator and values in the same order. */
export function requirementEquals(a: Requirement, b: Requirement): boolean {
  if (a.key !== b.key || a.operator !== b.operator || a.values.length !== b.values.length) return false;
  return a.values.every((v, i) => v === b.values[i]);
}

function keyLess(a: Requirement, b: Requirement): boolean {
  return a.key !== b.key && compareGoStrings(a.key, b.key) < 0;
}

/** Sorts requirements by key in the (unstable) order of Go's sort.Sort(ByKey(...)). */
function sortByKey(reqs: Requirement[]): Requirement[] {
  return goSort(reqs, keyLess);
}

class InternalSelector implements Selector {
  readonly #reqs: readonly Requirement[];
  #str: string | undefined;
  constructor(reqs: readonly Requirement[]) {
    this.#reqs = reqs;
  }
  matches(labels: Labels | undefined): boolean {
    const reqs = this.#reqs;
    for (let i = 0; i < reqs.length; i++) {
      if (!requirementMatches(reqs[i] as Requirement, labels)) return false;
    }
    return true;
  }
  empty(): boolean {
    return this.#reqs.length === 0;
  }
  toString(): string {
    return (this.#str ??= this.#reqs.map(requirementToString).join(","));
  }
  add(...requirements: Requirement[]): Selector {
    return new InternalSelector(sortByKey([...this.#reqs, ...requirements]));
  }
  requirements(): { requirements: readonly Requirement[]; selectable: boolean } {
    return { requirements: this.#reqs, selectable: true };
  }
  requiresExactMatch(label: string): string | undefined {
    for (const r of this.#reqs) {
      if (r.key !== label) continue;
      if ((r.operator === "=" || r.operator === "==" || r.operator === "in") && r.values.length === 1) {
        return r.values[0];
      }
      return undefined;
    }
    return undefined;
  }
}

class NothingSelector implements Selector {
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
  toString(): string {
    return "";
  }
  add(): Selector {
    return this;
  }
  requirements(): { requirements: readonly Requirement[]; selectable: boolean } {
    return { requirements: [], selectable: false };
  }
  requiresExactMatch(): string | undefined {
    return undefined;
  }
}

class ValidatedSetSelector implements Selector {
  readonly #set: Labels;
  readonly #keys: readonly string[];
  constructor(set: Labels) {
    this.#set = { ...set };
    this.#keys = Object.keys(this.#set).sort(compareGoStrings);
  }
  matches(labels: Labels | undefined): boolean {
    for (const k of this.#keys) {
      const v = lookup(labels, k);
      if (v === undefined || v !== this.#set[k]) return false;
    }
    return true;
  }
  empty(): boolean {
    return this.#keys.length === 0;
  }
  toString(): string {
    return this.#keys.map((k) => `${k}=${this.#set[k] as string}`).join(",");
  }
  #full(): InternalSelector {
    return new InternalSelector(this.#keys.map((k) => ({ key: k, operator: "=" as const, values: [this.#set[k] as string] })));
  }
  add(...requirements: Requirement[]): Selector {
    return this.#full().add(...requirements);
  }
  requirements(): { requirements: readonly Requirement[]; selectable: boolean } {
    return this.#full().requirements();
  }
  requiresExactMatch(label: string): string | undefined {
    return lookup(this.#set, label);
  }
}

const EVERYTHING: Selector = new InternalSelector([]);
const NOTHING: Selector = new NothingSelector();

/** A selector that matches every label set. */
export function everything(): Selector {
  return EVERYTHING;
}
/** A selector that matches nothing. */
export function nothing(): Selector {
  return NOTHING;
}
/** Whether `s` is the Nothing selector. */
export function matchesNothing(s: Selector): boolean {
  return s === NOTHING || s instanceof NothingSelector;
}
/** An empty selector, to be extended with `add`. */
export function newSelector(): Selector {
  return new InternalSelector([]);
}

/** A selector requiring every `key=value` of the set, without validating it (Go's SelectorFromSet). */
export function selectorFromSet(set: Labels | undefined): Selector {
  return selectorFromValidatedSet(set);
}

/** Like {@link selectorFromSet}; the set is trusted to be valid. */
export function selectorFromValidatedSet(set: Labels | undefined): Selector {
  if (set === undefined) return new InternalSelector([]);
  const keys = Object.keys(set);
  if (keys.length === 0) return new InternalSelector([]);
  keys.sort(compareGoStrings);
  return new InternalSelector(keys.map((k) => ({ key: k, operator: "=" as const, values: [set[k] as string] })));
}

/** A selector from a set, validating every key and value (Go's ValidatedSelectorFromSet). */
export function validatedSelectorFromSet(set: Labels | undefined): Selector {
  if (set === undefined) return new InternalSelector([]);
  const keys = Object.keys(set).sort(compareGoStrings);
  return new InternalSelector(keys.map((k) => newRequirement(k, "=", [set[k] as string])));
}

/** The set itself as a selector (Go's ValidatedSetSelector): fast matching, same String(). */
export function validatedSetSelector(set: Labels): Selector {
  return new ValidatedSetSelector(set);
}

// ---- lexer and parser ----------------------------------------------------------

const enum Tok {
  Error,
  End,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}


// Character classes of the lexer: 1 = whitespace, 2 = special symbol.
const CHAR_CLASS = new Uint8Array(128);
for (const c of " \t\r\n") CHAR_CLASS[c.charCodeAt(0)] = 1;
for (const c of "=!(),><") CHAR_CLASS[c.charCodeAt(0)] = 2;

function specialToken(c: number): Tok {
  switch (c) {
    case 0x29: return Tok.ClosedPar;
    case 0x2c: return Tok.Comma;
    case 0x21: return Tok.DoesNotExist;
    case 0x3d: return Tok.Equals;
    case 0x3e: return Tok.GreaterThan;
    case 0x3c: return Tok.LessThan;
    default: return Tok.OpenPar;
  }
}

/**
 * Tokenizes like Go's Lexer, including its quirks: a NUL character ends the input when a
 * token is expected and is consumed (skipped) when it ends an identifier or a symbol.
 */
function lex(s: string): { toks: Tok[]; lits: string[] } {
  const toks: Tok[] = [];
  const lits: string[] = [];
  const n = s.length;
  let pos = 0;
  for (;;) {
    let ch = pos < n ? s.charCodeAt(pos++) : 0;
    while (ch < 128 && CHAR_CLASS[ch] === 1) ch = pos < n ? s.charCodeAt(pos++) : 0;
    if (ch === 0) {
      toks.push(Tok.End);
      lits.push("");
      return { toks, lits };
    }
    if (ch < 128 && CHAR_CLASS[ch] === 2) {
      // The longest run of symbols that is still a token: one symbol, or "==" / "!=".
      const start = pos - 1;
      let tok = specialToken(ch);
      let c = pos < n ? s.charCodeAt(pos++) : 0;
      if (c === 0x3d && (ch === 0x3d || ch === 0x21)) {
        tok = ch === 0x3d ? Tok.DoubleEquals : Tok.NotEquals;
        c = pos < n ? s.charCodeAt(pos++) : 0;
      }
      // Go unreads the character that ended the token, unless it read a NUL (or nothing).
      if (c !== 0) pos--;
      toks.push(tok);
      lits.push(s.slice(start, tok === Tok.DoubleEquals || tok === Tok.NotEquals ? start + 2 : start + 1));
      continue;
    }
    const start = pos - 1;
    let end: number;
    for (;;) {
      const before = pos;
      const c = pos < n ? s.charCodeAt(pos++) : 0;
      if (c === 0) {
        end = before;
        break;
      }
      if (c < 128 && CHAR_CLASS[c] !== 0) {
        pos--;
        end = pos;
        break;
      }
    }
    const lit = s.slice(start, end);
    toks.push(lit === "in" ? Tok.In : lit === "notin" ? Tok.NotIn : Tok.Identifier);
    lits.push(lit);
  }
}

const enum Ctx {
  KeyAndOperator,
  Values,
}

class Parser {
  readonly toks: Tok[];
  readonly lits: string[];
  pos = 0;
  readonly path: string | undefined;
  constructor(s: string, path: string | undefined) {
    const { toks, lits } = lex(s);
    this.toks = toks;
    this.lits = lits;
    this.path = path;
  }
  lookahead(ctx: Ctx): [Tok, string] {
    let t = this.toks[this.pos] as Tok;
    if (ctx === Ctx.Values && (t === Tok.In || t === Tok.NotIn)) t = Tok.Identifier;
    return [t, this.lits[this.pos] as string];
  }
  consume(ctx: Ctx): [Tok, string] {
    const r = this.lookahead(ctx);
    this.pos++;
    return r;
  }
}

class ParseFailure {
  constructor(
    readonly message: string,
    readonly cause?: unknown,
  ) {}
}

function parseRequirements(selector: string, path: string | undefined): Requirement[] {
  const p = new Parser(selector, path);
  const reqs: Requirement[] = [];
  for (;;) {
    const [tok, lit] = p.lookahead(Ctx.Values);
    if (tok === Tok.Identifier || tok === Tok.DoesNotExist) {
      let r: Requirement;
      try {
        r = parseRequirement(p);
      } catch (e) {
        if (e instanceof ParseFailure) {
          throw new LabelSelectorParseError(`unable to parse requirement: ${e.message}`, selector);
        }
        if (e instanceof InvalidRequirementError) {
          throw new LabelSelectorParseError(`unable to parse requirement: ${e.message}`, selector, { cause: e });
        }
        throw e;
      }
      reqs.push(r);
      const [t, l] = p.consume(Ctx.Values);
      if (t === Tok.End) break;
      if (t === Tok.Comma) {
        const [t2, l2] = p.lookahead(Ctx.Values);
        if (t2 !== Tok.Identifier && t2 !== Tok.DoesNotExist) {
          throw new LabelSelectorParseError(`found '${l2}', expected: identifier after ','`, selector);
        }
        continue;
      }
      throw new LabelSelectorParseError(`found '${l}', expected: ',' or 'end of string'`, selector);
    } else if (tok === Tok.End) {
      break;
    } else {
      throw new LabelSelectorParseError(`found '${lit}', expected: !, identifier, or 'end of string'`, selector);
    }
  }
  return sortByKey(reqs);
}

function parseRequirement(p: Parser): Requirement {
  // key and inferred operator
  let op: Operator | undefined;
  let [tok, lit] = p.consume(Ctx.Values);
  if (tok === Tok.DoesNotExist) {
    op = "!";
    [tok, lit] = p.consume(Ctx.Values);
  }
  if (tok !== Tok.Identifier) throw new ParseFailure(`found '${lit}', expected: identifier`);
  const key = lit;
  const ke = validateKey(key, p.path === undefined ? "<nil>" : p.path);
  if (ke !== undefined) throw new InvalidRequirementError([ke]);
  const [next] = p.lookahead(Ctx.Values);
  if (next === Tok.End || next === Tok.Comma) {
    if (op !== "!") op = "exists";
  }
  if (op === "exists" || op === "!") return buildRequirement(key, op, [], p.path, true);

  // operator
  const [otok, olit] = p.consume(Ctx.KeyAndOperator);
  switch (otok) {
    case Tok.In: op = "in"; break;
    case Tok.Equals: op = "="; break;
    case Tok.DoubleEquals: op = "=="; break;
    case Tok.GreaterThan: op = "gt"; break;
    case Tok.LessThan: op = "lt"; break;
    case Tok.NotIn: op = "notin"; break;
    case Tok.NotEquals: op = "!="; break;
    default:
      throw new ParseFailure(`found '${olit}', expected: ${BINARY_OPERATORS.join(", ")}`);
  }
  const values = op === "in" || op === "notin" ? parseValues(p) : parseExactValue(p);
  const list = [...values].sort(compareGoStrings);
  return buildRequirement(key, op, list, p.path, true);
}

function parseValues(p: Parser): Set<string> {
  const [tok, lit] = p.consume(Ctx.Values);
  if (tok !== Tok.OpenPar) throw new ParseFailure(`found '${lit}' expected: '('`);
  const [t2, l2] = p.lookahead(Ctx.Values);
  if (t2 === Tok.Identifier || t2 === Tok.Comma) {
    const s = parseIdentifiersList(p);
    const [t3] = p.consume(Ctx.Values);
    if (t3 !== Tok.ClosedPar) throw new ParseFailure(`found '${l2}', expected: ')'`);
    return s;
  }
  if (t2 === Tok.ClosedPar) {
    p.consume(Ctx.Values);
    return new Set([""]);
  }
  throw new ParseFailure(`found '${l2}', expected: ',', ')' or identifier`);
}

function parseIdentifiersList(p: Parser): Set<string> {
  const s = new Set<string>();
  for (;;) {
    const [tok, lit] = p.consume(Ctx.Values);
    if (tok === Tok.Identifier) {
      s.add(lit);
      const [t2, l2] = p.lookahead(Ctx.Values);
      if (t2 === Tok.Comma) continue;
      if (t2 === Tok.ClosedPar) return s;
      throw new ParseFailure(`found '${l2}', expected: ',' or ')'`);
    } else if (tok === Tok.Comma) {
      if (s.size === 0) s.add("");
      const [t2] = p.lookahead(Ctx.Values);
      if (t2 === Tok.ClosedPar) {
        s.add("");
        return s;
      }
      if (t2 === Tok.Comma) s.add("");
    } else {
      throw new ParseFailure(`found '${lit}', expected: ',', or identifier`);
    }
  }
}

function parseExactValue(p: Parser): Set<string> {
  const [t] = p.lookahead(Ctx.Values);
  if (t === Tok.End || t === Tok.Comma) return new Set([""]);
  const [tok, lit] = p.consume(Ctx.Values);
  if (tok === Tok.Identifier) return new Set([lit]);
  throw new ParseFailure(`found '${lit}', expected: identifier`);
}

/**
 * Parses a label selector string with Go's grammar:
 * `key`, `!key`, `key=v`, `key==v`, `key!=v`, `key in (a,b)`, `key notin (a,b)`, `key>1`, `key<1`,
 * joined by commas. Throws {@link LabelSelectorParseError} with Go's message.
 */
export function parse(selector: string, options?: { path?: string }): Selector {
  return new InternalSelector(parseRequirements(selector, options?.path));
}

/** Go's ParseToRequirements: the sorted requirements of a selector string. */
export function parseToRequirements(selector: string, options?: { path?: string }): Requirement[] {
  return parseRequirements(selector, options?.path);
}

// ---- label sets -----------------------------------------------------------------

/** Go's Set.String(): `k1=v1,k2=v2` sorted. */
export function setToString(set: Labels | undefined): string {
  if (set === undefined) return "";
  return Object.keys(set)
    .map((k) => `${k}=${set[k] as string}`)
    .sort(compareGoStrings)
    .join(",");
}

/** Go's FormatLabels: like {@link setToString} but `<none>` for an empty set. */
export function formatLabels(set: Labels | undefined): string {
  const s = setToString(set);
  return s === "" ? "<none>" : s;
}

/** Go's Conflicts: whether a key has different values in the two sets. */
export function conflicts(a: Labels, b: Labels): boolean {
  for (const k of Object.keys(a)) {
    const v = lookup(b, k);
    if (v !== undefined && v !== a[k]) return true;
  }
  return false;
}

/** Go's Merge: a new set with b's values overriding a's. */
export function merge(a: Labels | undefined, b: Labels | undefined): { [key: string]: string } {
  return { ...a, ...b };
}

/** Go's Equals: same keys and values. */
export function equals(a: Labels | undefined, b: Labels | undefined): boolean {
  const ka = a === undefined ? [] : Object.keys(a);
  const kb = b === undefined ? [] : Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (lookup(b, k) !== (a as Labels)[k]) return false;
  }
  return true;
}

/** Go's ConvertSelectorToLabelsMap: parses `k=v,k2=v2` (only `=`) into a validated set. */
export function convertSelectorToLabelsMap(selector: string, options?: { path?: string }): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  if (selector.length === 0) return out;
  const field = options?.path ?? "<nil>";
  for (const label of selector.split(",")) {
    const l = label.split("=");
    if (l.length !== 2) throw new LabelSelectorParseError(`invalid selector: [${l.join(" ")}]`, selector);
    const key = (l[0] as string).trim();
    const ke = validateKey(key, field);
    if (ke !== undefined) throw new LabelSelectorParseError(aggregateMessage([ke]), selector, { cause: new InvalidRequirementError([ke]) });
    const value = (l[1] as string).trim();
    const ve = validateValue(key, value, field);
    if (ve !== undefined) throw new LabelSelectorParseError(aggregateMessage([ve]), selector, { cause: new InvalidRequirementError([ve]) });
    out[key] = value;
  }
  return out;
}
