/**
 * YAML for Kubernetes: what sigs.k8s.io/yaml does (YAML -> JSON shape with go-yaml v2, YAML 1.1
 * resolution), built on the `yaml` package's parser with our own conversion of its syntax tree.
 *
 * - Untagged plain scalars resolve like go-yaml v2: `yes`/`no`/`on`/`off`/`y`/`n` are booleans,
 *   `0x1F`/`0o17`/`017`/`0b101`/`1_000` are integers, timestamps stay strings.
 * - Map keys become strings as sigs.k8s.io/yaml makes them: `on:` is the key "true", `1:` is "1".
 *   A null key, or a map or sequence used as a key, is a DecodeError.
 * - `<<` merge keys and aliases are expanded (with an expansion budget against "billion laughs").
 * - Duplicate keys: the last one wins; in strict mode each is reported as `duplicate field "a.b"`.
 * - `.nan`/`.inf` values are a DecodeError (JSON cannot hold them; Go's YAMLToJSON fails too).
 * - Integers are numbers while they are safe integers; an int64 beyond Number.MAX_SAFE_INTEGER
 *   (2^53 - 1) is a bigint with its exact value, as the JSON decoders return it. Integers beyond
 *   int64 (uint64) are rounded to a double, as Go's JSON decoding into `interface{}` does.
 */
import { loadYAML } from "#yaml";
import type { Alias, Document, Node as YAMLNode, ParsedNode, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { goQuote } from "../errors/go-format.js";
import { DecodeError } from "./decode-error.js";
import { keyToString, resolvePlainScalar, resolveTaggedScalar } from "./go-yaml-resolve.js";
import { emitYAML } from "./yaml-emitter.js";
import type { ResolvedScalar } from "./go-yaml-resolve.js";
import { decodeUtf8Strict, encodeUtf8 } from "./web.js";
import { JSONFrameDecoder } from "./framer.js";
import { NOT_SIMPLE, parseSimpleYAML } from "./yaml-fast.js";

// The `yaml` package loads on the first document the fast path (yaml-fast.ts) leaves to it.
const isAlias = (n: unknown): n is Alias => loadYAML().isAlias(n);
const isMap = (n: unknown): n is YAMLMap => loadYAML().isMap(n);
const isScalar = (n: unknown): n is Scalar => loadYAML().isScalar(n);
const isSeq = (n: unknown): n is YAMLSeq => loadYAML().isSeq(n);

/** Options of YAML decoding: strictness and the alias expansion budget. */
export interface YAMLParseOptions {
  /** Report duplicate keys in `strictErrors` (sigs.k8s.io/yaml's YAMLToJSONStrict rejects them). */
  readonly strict?: boolean;
  /**
   * How many nodes alias expansion may produce in one document before the input is rejected
   * (default 1,000,000). Guards against exponential alias bombs.
   */
  readonly maxAliasExpansion?: number;
  /** Deepest nesting of maps and sequences accepted (default {@link MAX_YAML_DEPTH}). */
  readonly maxDepth?: number;
  /** Name used in error messages (a file name). */
  readonly source?: string;
}

/** Options of multi-document YAML decoding. */
export interface YAMLDocumentsOptions extends YAMLParseOptions {
  /**
   * Replace a document whose `kind` ends in "List" and which has an `items` array by its items,
   * as `kubectl apply -f` does. Off by default: the List is returned as one object.
   */
  readonly expandLists?: boolean;
}

/** A parse result with the strict-mode findings (empty unless `strict` was set). */
export interface YAMLStrictResult<T = unknown> {
  readonly value: T;
  /** Messages like `duplicate field "metadata.name"`, at most 100, de-duplicated. */
  readonly strictErrors: readonly string[];
}

const DEFAULT_MAX_ALIAS_EXPANSION = 1_000_000;
const MAX_STRICT_ERRORS = 100;

function toText(input: string | Uint8Array, source: string | undefined): string {
  if (typeof input === "string") return input;
  try {
    return decodeUtf8Strict(input);
  } catch (cause) {
    throw new DecodeError(`${source ? `${source}: ` : ""}YAML input is not valid UTF-8`, { cause });
  }
}

/**
 * Nesting limit. The `yaml` package composes documents recursively, and a stack overflow deep in
 * it can take the whole process down (V8 may abort while compiling a regular expression near the
 * stack limit), so nesting is measured on the concrete syntax tree, which is built iteratively,
 * before anything recursive runs. Kubernetes objects, CRD schemas included, stay far below this.
 */
export const MAX_YAML_DEPTH = 256;

const COMPOSE_OPTIONS = {
  version: "1.1",
  uniqueKeys: false,
  merge: false,
  prettyErrors: false,
  keepSourceTokens: false,
} as const;

interface CstNode {
  readonly type?: string;
  readonly offset?: number;
  readonly value?: CstNode;
  readonly items?: readonly { readonly key?: CstNode | null; readonly value?: CstNode | null }[];
}

function cstDepthExceeding(tokens: readonly CstNode[], limit: number): CstNode | undefined {
  const stack: [CstNode, number][] = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [tok, depth] = stack.pop()!;
    if (depth > limit) return tok;
    if (tok.type === "document" && tok.value) stack.push([tok.value, depth]);
    else if (tok.items) {
      for (const it of tok.items) {
        if (it.key) stack.push([it.key, depth + 1]);
        if (it.value) stack.push([it.value, depth + 1]);
      }
    }
  }
  return undefined;
}

function parseDocs(text: string, source: string | undefined, maxDepth: number = MAX_YAML_DEPTH): Document.Parsed[] {
  const prefix = source ? `${source}: ` : "";
  try {
    const { Composer, Parser } = loadYAML();
    const tokens = Array.from(new Parser().parse(text));
    const deep = cstDepthExceeding(tokens as unknown as CstNode[], maxDepth);
    if (deep !== undefined) {
      throw new DecodeError(`${prefix}YAML nesting deeper than ${maxDepth} levels`, deep.offset !== undefined ? { offset: deep.offset } : {});
    }
    return Array.from(new Composer(COMPOSE_OPTIONS).compose(tokens)) as Document.Parsed[];
  } catch (cause) {
    if (cause instanceof DecodeError) throw cause;
    throw new DecodeError(`${prefix}cannot parse YAML`, { cause });
  }
}

function docError(doc: { errors: readonly { message: string; pos: [number, number] }[] }, source: string | undefined) {
  const first = doc.errors[0];
  if (first === undefined) return;
  const message = first.message.split("\n")[0] ?? first.message;
  throw new DecodeError(`${source ? `${source}: ` : ""}invalid YAML: ${message}`, { offset: first.pos[0] });
}

class Converter {
  private expansions = 0;
  readonly strictErrors: string[] = [];
  private readonly seen = new Set<string>();
  private readonly aliasStack = new Set<YAMLNode>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly strict: boolean,
    private readonly maxExpansion: number,
    private readonly source: string | undefined,
    private readonly maxDepth: number,
  ) {}

  private fail(message: string, path: string, node: YAMLNode | null | undefined): never {
    const offset = node?.range?.[0];
    throw new DecodeError(`${this.source ? `${this.source}: ` : ""}${message}`, {
      ...(path !== "" ? { path } : {}),
      ...(offset !== undefined ? { offset } : {}),
    });
  }

  private strictError(message: string): void {
    if (this.strictErrors.length >= MAX_STRICT_ERRORS || this.seen.has(message)) return;
    this.seen.add(message);
    this.strictErrors.push(message);
  }

  private scalar(node: Scalar, path: string): ResolvedScalar {
    const text = typeof node.source === "string" ? node.source : String(node.value ?? "");
    if (node.tag !== undefined && node.tag !== "!") {
      const r = resolveTaggedScalar(node.tag, text);
      if (r === undefined) return { kind: "str", value: text };
      if (r.kind === "error") this.fail(r.message, path, node);
      return r;
    }
    if (node.type === "PLAIN" && node.tag === undefined) return resolvePlainScalar(text);
    return { kind: "str", value: text };
  }

  /**
   * Alias -> anchored node, for the whole document in one pass (the `yaml` package's own
   * Alias.resolve walks the document on every call, which is quadratic or worse on alias-heavy
   * input). An alias names the closest anchor before it in document order.
   */
  private aliasTargets: Map<YAMLNode, YAMLNode> | undefined;

  private buildAliasTargets(): Map<YAMLNode, YAMLNode> {
    const targets = new Map<YAMLNode, YAMLNode>();
    const anchors = new Map<string, YAMLNode>();
    loadYAML().visit(this.doc, (_key, node) => {
      if (isAlias(node)) {
        const t = anchors.get(node.source);
        if (t !== undefined) targets.set(node, t);
      } else if ((isScalar(node) || isMap(node) || isSeq(node)) && typeof node.anchor === "string" && node.anchor !== "") {
        anchors.set(node.anchor, node);
      }
    });
    return targets;
  }

  private deref(node: Alias, path: string): YAMLNode {
    this.aliasTargets ??= this.buildAliasTargets();
    const target = this.aliasTargets.get(node);
    if (target === undefined) this.fail(`unknown anchor '${node.source}' referenced`, path, node);
    return target;
  }

  convert(node: YAMLNode | null | undefined, path: string, depth: number): unknown {
    // Aliases can nest documents deeper than their text: bound the expanded depth too.
    if (depth > this.maxDepth * 2) this.fail(`YAML nesting deeper than ${this.maxDepth} levels after alias expansion`, path, node);
    if (node === null || node === undefined) return null;
    if (this.aliasStack.size > 0 && ++this.expansions > this.maxExpansion) {
      this.fail("document contains excessive aliasing", path, node);
    }
    if (isScalar(node)) {
      const r = this.scalar(node, path);
      if (r.kind === "float" && !Number.isFinite(r.value)) {
        this.fail(`unsupported value ${String(r.value)} (JSON cannot represent it)`, path, node);
      }
      // An int64 beyond 2^53 - 1 stays exact as a bigint; beyond int64 (uint64) Go's JSON reads a float64.
      if (r.kind === "int" && !r.uint64 && !Number.isSafeInteger(r.value)) return r.exact;
      return r.value;
    }
    if (isAlias(node)) {
      const target = this.deref(node, path);
      if (this.aliasStack.has(target)) this.fail("anchor is referenced from inside itself", path, node);
      this.aliasStack.add(target);
      try {
        return this.convert(target, path, depth + 1);
      } finally {
        this.aliasStack.delete(target);
      }
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        out.push(this.convert(item as YAMLNode | null, `${path}[${i}]`, depth + 1));
      });
      return out;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      this.mapInto(node, out, path, depth, true);
      return out;
    }
    this.fail("unsupported YAML node", path, node);
  }

  private mapInto(
    node: YAMLNode,
    out: Record<string, unknown>,
    path: string,
    depth: number,
    reportDuplicates: boolean,
  ): void {
    if (!isMap(node)) this.fail("map merge requires map or sequence of maps as the value", path, node);
    for (const pair of node.items) {
      const keyNode = pair.key as YAMLNode | null;
      if (keyNode !== null && isScalar(keyNode) && keyNode.type === "PLAIN" && keyNode.source === "<<" &&
        (keyNode.tag === undefined || keyNode.tag === "tag:yaml.org,2002:merge")) {
        this.merge(pair.value as YAMLNode | null, out, path, depth);
        continue;
      }
      const key = this.key(keyNode, path);
      const childPath = path === "" ? key : `${path}.${key}`;
      if (reportDuplicates && this.strict && Object.hasOwn(out, key)) {
        this.strictError(`duplicate field ${goQuote(childPath)}`);
      }
      const value = this.convert(pair.value as YAMLNode | null, childPath, depth + 1);
      if (key === "__proto__") {
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = value;
      }
    }
  }

  private merge(value: YAMLNode | null, out: Record<string, unknown>, path: string, depth: number): void {
    if (value === null) this.fail("map merge requires map or sequence of maps as the value", path, value);
    let v: YAMLNode = value;
    if (isAlias(v)) v = this.deref(v, path);
    if (isSeq(v)) {
      // Earlier maps take precedence: apply them last.
      for (let i = v.items.length - 1; i >= 0; i--) {
        let item = v.items[i] as YAMLNode | null;
        if (item !== null && isAlias(item)) item = this.deref(item, path);
        if (item === null || !isMap(item)) this.fail("map merge requires map or sequence of maps as the value", path, item);
        this.mergeOne(item, out, path, depth);
      }
      return;
    }
    this.mergeOne(v, out, path, depth);
  }

  private mergeOne(node: YAMLNode, out: Record<string, unknown>, path: string, depth: number): void {
    const converted = this.convertCounted(node, path, depth);
    if (converted === null || typeof converted !== "object" || Array.isArray(converted)) {
      this.fail("map merge requires map or sequence of maps as the value", path, node);
    }
    for (const [k, v] of Object.entries(converted)) out[k] = v;
  }

  /** Convert a merged node, counting it against the alias budget like an alias expansion. */
  private convertCounted(node: YAMLNode, path: string, depth: number): unknown {
    this.aliasStack.add(node);
    try {
      return this.convert(node, path, depth + 1);
    } finally {
      this.aliasStack.delete(node);
    }
  }

  private key(node: YAMLNode | null, path: string): string {
    let k: YAMLNode | null = node;
    if (k !== null && isAlias(k)) k = this.deref(k, path);
    if (k === null) this.fail("unsupported map key: null", path, node);
    if (isScalar(k)) {
      const r = this.scalar(k, path);
      const s = keyToString(r);
      if (s === undefined) this.fail(`unsupported map key: ${r.kind === "null" ? "null" : `${String(r.value)} (beyond int64)`}`, path, k);
      return s;
    }
    this.fail("invalid map key: a map or sequence cannot be a key", path, k);
  }
}

function convertDocument(doc: Document.Parsed, options: YAMLParseOptions): YAMLStrictResult {
  docError(doc, options.source);
  const c = new Converter(
    doc,
    options.strict === true,
    options.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION,
    options.source,
    options.maxDepth ?? MAX_YAML_DEPTH,
  );
  let value: unknown;
  try {
    value = c.convert(doc.contents as ParsedNode | null, "", 0);
  } catch (err) {
    // Very deep nesting can exhaust the JS stack before the depth limit on small stacks.
    if (err instanceof RangeError) throw new DecodeError(`${options.source ? `${options.source}: ` : ""}YAML nesting too deep`, { cause: err });
    throw err;
  }
  return { value, strictErrors: c.strictErrors };
}

/**
 * Parse one YAML document to its JSON shape (as sigs.k8s.io/yaml's YAMLToJSON then JSON.parse).
 * Like Go's yaml.Unmarshal, only the first document of a multi-document stream is read.
 * Empty input is `null`. Errors are DecodeError.
 */
export function parseYAML<T = unknown>(input: string | Uint8Array, options: YAMLParseOptions = {}): T {
  return parseYAMLStrict<T>(input, { ...options, strict: options.strict === true }).value;
}

/** parseYAML returning the strict-mode findings too (duplicate keys). */
export function parseYAMLStrict<T = unknown>(input: string | Uint8Array, options: YAMLParseOptions = {}): YAMLStrictResult<T> {
  const text = toText(input, options.source);
  // The fast path takes nesting up to 64 levels; a smaller limit is left to the full path.
  if ((options.maxDepth ?? MAX_YAML_DEPTH) >= 128) {
    const value = parseSimpleYAML(text, options.strict !== false);
    if (value !== NOT_SIMPLE) return { value: value as T, strictErrors: [] };
  }
  return parseYAMLFull<T>(text, options);
}

/** parseYAMLStrict without the fast path (tests compare both). */
export function parseYAMLFull<T = unknown>(text: string, options: YAMLParseOptions = {}): YAMLStrictResult<T> {
  const docs = parseDocs(text, options.source, options.maxDepth);
  const first = docs[0];
  if (first === undefined) return { value: null as T, strictErrors: [] };
  return convertDocument(first, { strict: true, ...options }) as YAMLStrictResult<T>;
}

/**
 * Parse a manifest stream as kubectl reads a file (apimachinery's YAMLOrJSONDecoder): input whose
 * first non-space character is `{` is a stream of JSON objects; anything else is multi-document
 * YAML (`---` separated). Empty documents (nothing, comments only, or `null`) are skipped; a
 * `kind: List` is kept whole unless `expandLists` is set.
 */
export function parseYAMLDocuments<T = unknown>(input: string | Uint8Array, options: YAMLDocumentsOptions = {}): T[] {
  const text = toText(input, options.source);
  const values: unknown[] = [];
  if (/^\s*\{/.test(text)) {
    const frames = new JSONFrameDecoder({ maxFrameBytes: Number.MAX_SAFE_INTEGER });
    try {
      // The newline ends a last value that has none after it (the framer waits for one otherwise).
      values.push(...frames.push(encodeUtf8(text.endsWith("\n") ? text : `${text}\n`)));
      frames.end();
    } catch (cause) {
      const offset = (cause as { offset?: unknown }).offset;
      throw new DecodeError(`${options.source ? `${options.source}: ` : ""}invalid JSON`, {
        cause,
        ...(typeof offset === "number" ? { offset } : {}),
      });
    }
  } else {
    for (const doc of parseDocs(text, options.source, options.maxDepth)) {
      values.push(convertDocument(doc, { ...options, strict: false }).value);
    }
  }
  const out: T[] = [];
  for (const value of values) {
    if (value === null) continue;
    if (options.expandLists === true && isListObject(value)) {
      for (const item of value.items) out.push(item as T);
    } else {
      out.push(value as T);
    }
  }
  return out;
}

function isListObject(v: unknown): v is { kind: string; items: unknown[] } {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const o = v as { kind?: unknown; items?: unknown };
  return typeof o.kind === "string" && o.kind.endsWith("List") && Array.isArray(o.items);
}

/** Options of YAML encoding. */
export interface ToYAMLOptions {
  /** Sort map keys in go-yaml's order (default true, like sigs.k8s.io/yaml's output). */
  readonly sortKeys?: boolean;
}

/**
 * Encode a JSON-shaped value as YAML, byte for byte as sigs.k8s.io/yaml (kubectl -o yaml) writes
 * it: block style, 2-space indentation, sequences not indented under their key, keys in go-yaml's
 * order, strings quoted exactly when go-yaml quotes them (`"yes"`, `"0o17"`, `'- x'`), multi-line
 * strings as literal blocks, long strings folded at 80 columns. Two deliberate differences, both so
 * that the output reads back as the input: the string `<<` is quoted (go-yaml writes it plain, which
 * reads back as a merge key), and strings with U+0085, U+2028 or U+2029 are double-quoted with escapes.
 * `parseYAML(toYAML(x))` deep-equals `x` for every JSON value. Non-finite numbers throw a
 * RangeError; values JSON.stringify omits (undefined, functions) are omitted.
 */
export function toYAML(value: unknown, options: ToYAMLOptions = {}): string {
  return emitYAML(value === undefined ? null : value, options.sortKeys !== false);
}
