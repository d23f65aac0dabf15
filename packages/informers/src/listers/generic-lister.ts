/**
 * Generic listers (client-go tools/cache listers.go): read-only views of an informer's
 * cache by label selector, name and namespace.
 */
import { newNotFound } from "@kubets/apimachinery/errors";
import type { Indexer } from "../cache/store.js";
import { NamespaceIndex } from "../cache/store.js";

/** Labels of an object. */
export type Labels = Readonly<Record<string, string>>;

/**
 * Decides which objects a list returns: a label selector object with `matches(labels)`
 * (apimachinery's labels.Selector fits) or a plain predicate on labels.
 */
export type LabelMatcher = { matches(labels: Labels): boolean; empty?(): boolean } | ((labels: Labels) => boolean);

/** Matches every object. */
export const everything: LabelMatcher = { matches: () => true, empty: () => true };

/** The resource a lister serves, for NotFound errors. */
export interface GroupResource {
  group: string;
  resource: string;
}

interface WithLabels {
  metadata?: { labels?: Record<string, string> | undefined; namespace?: string | undefined } | undefined;
}

const NO_LABELS: Labels = Object.freeze({});

function labelsOf(obj: unknown): Labels {
  return (obj as WithLabels | null)?.metadata?.labels ?? NO_LABELS;
}

function matcherFn(m: LabelMatcher | undefined): ((l: Labels) => boolean) | undefined {
  if (m === undefined) return undefined;
  if (typeof m === "function") return m;
  if (m.empty?.() === true) return undefined;
  return (l) => m.matches(l);
}

/** Calls `fn` for every cached object whose labels match. */
export function listAll<T>(indexer: Indexer<T>, selector: LabelMatcher | undefined, fn: (obj: T) => void): void {
  const match = matcherFn(selector);
  for (const obj of indexer.list()) {
    if (match === undefined || match(labelsOf(obj))) fn(obj);
  }
}

/**
 * Calls `fn` for every object in `namespace` whose labels match; uses the namespace index
 * when there is one, else scans. `""` means all namespaces.
 */
export function listAllByNamespace<T>(
  indexer: Indexer<T>,
  namespace: string,
  selector: LabelMatcher | undefined,
  fn: (obj: T) => void,
): void {
  if (namespace === "") {
    listAll(indexer, selector, fn);
    return;
  }
  const match = matcherFn(selector);
  let items: T[];
  if (Object.hasOwn(indexer.getIndexers(), NamespaceIndex)) {
    items = indexer.byIndex(NamespaceIndex, namespace);
  } else {
    items = indexer.list().filter((o) => ((o as WithLabels | null)?.metadata?.namespace ?? "") === namespace);
  }
  for (const obj of items) {
    if (match === undefined || match(labelsOf(obj))) fn(obj);
  }
}

/** Lists and gets objects of one resource across namespaces. */
export interface GenericLister<T> {
  /** Objects whose labels match (all objects without a selector). */
  list(selector?: LabelMatcher): T[];
  /** A cluster-scoped object by name (or `namespace/name`); throws a NotFound StatusError. */
  get(name: string): T;
  /** A view of one namespace. */
  byNamespace(namespace: string): GenericNamespaceLister<T>;
}

/** Lists and gets objects of one namespace. */
export interface GenericNamespaceLister<T> {
  list(selector?: LabelMatcher): T[];
  /** Throws a NotFound StatusError if absent. */
  get(name: string): T;
}

/** A lister over an informer's indexer. */
export function newGenericLister<T>(indexer: Indexer<T>, resource: GroupResource): GenericLister<T> {
  return {
    list(selector) {
      const out: T[] = [];
      listAll(indexer, selector, (o) => out.push(o));
      return out;
    },
    get(name) {
      const obj = indexer.getByKey(name);
      if (obj === undefined) throw newNotFound(resource, name);
      return obj;
    },
    byNamespace(namespace) {
      return newGenericNamespaceLister(indexer, resource, namespace);
    },
  };
}

/** A lister over one namespace of an informer's indexer. */
export function newGenericNamespaceLister<T>(
  indexer: Indexer<T>,
  resource: GroupResource,
  namespace: string,
): GenericNamespaceLister<T> {
  return {
    list(selector) {
      const out: T[] = [];
      listAllByNamespace(indexer, namespace, selector, (o) => out.push(o));
      return out;
    },
    get(name) {
      const obj = indexer.getByKey(namespace === "" ? name : `${namespace}/${name}`);
      if (obj === undefined) throw newNotFound(resource, name);
      return obj;
    },
  };
}
