/**
 * An in-memory object store for fake clients (client-go testing.ObjectTracker): objects by resource,
 * namespace and name, a resourceVersion counter, generateName, label and field selectors on list, and
 * watches (with `sendInitialEvents` and the `k8s.io/initial-events-end` bookmark).
 */
import { newAlreadyExists, newBadRequest, newConflict, newNotFound, newResourceExpired } from "@kubets/apimachinery/errors";
import { parseSelector } from "@kubets/apimachinery/fields";
import { parse as parseLabels } from "@kubets/apimachinery/labels";
import type { ListOptions } from "@kubets/apimachinery/meta/v1";
import type { GroupVersionResource, TypedWatch, TypedWatchEvent } from "../kubernetes/types.js";

/** The annotation of the bookmark that ends the initial events of a watch with sendInitialEvents. */
export const InitialEventsAnnotationKey = "k8s.io/initial-events-end";

/** A stored object: the plain JSON shape of a Kubernetes object. */
export type TrackedObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
};

interface Watcher {
  gvrKey: string;
  namespace: string;
  push(ev: TypedWatchEvent<unknown>): void;
  stopped: boolean;
}

function gvrKey(gvr: GroupVersionResource): string {
  return `${gvr.group}/${gvr.version}/${gvr.resource}`;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

const NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

/** Five random characters, as the API server appends to generateName. */
function randomSuffix(): string {
  let s = "";
  for (let i = 0; i < 5; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

function fieldValue(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return "";
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return "";
  return typeof cur === "string" ? cur : String(cur);
}

/** Whether an object matches a list's label and field selectors. */
export function matchesListOptions(obj: TrackedObject, opts: ListOptions | undefined): boolean {
  if (opts?.labelSelector) {
    if (!parseLabels(opts.labelSelector).matches(obj.metadata?.labels ?? {})) return false;
  }
  if (opts?.fieldSelector) {
    const sel = parseSelector(opts.fieldSelector);
    const fields: Record<string, string> = {};
    for (const r of sel.requirements()) fields[r.field] = fieldValue(obj, r.field);
    if (!sel.matches(fields)) return false;
  }
  return true;
}

/**
 * The object tracker. Every write bumps one resourceVersion counter and stamps it on the object, so
 * optimistic concurrency works: an update whose resourceVersion is set and stale fails with Conflict.
 */
export class ObjectTracker {
  readonly #objects = new Map<string, Map<string, TrackedObject>>();
  readonly #watchers = new Set<Watcher>();
  /** Recent events, oldest first, so a watch from a resourceVersion replays what it missed (as the watch cache does). */
  readonly #history: Array<{ gvrKey: string; rv: number; event: TypedWatchEvent<unknown> }> = [];
  readonly #historyLimit: number;
  #rv = 0;

  /** `historyLimit`: how many past events a watch from a resourceVersion can replay (older ones give 410 Expired). */
  constructor(options: { historyLimit?: number } = {}) {
    this.#historyLimit = options.historyLimit ?? 10_000;
  }
  #uid = 0;

  /** The resourceVersion of the last write. */
  get resourceVersion(): string {
    return String(this.#rv);
  }

  #bucket(gvr: GroupVersionResource): Map<string, TrackedObject> {
    const k = gvrKey(gvr);
    let b = this.#objects.get(k);
    if (b === undefined) {
      b = new Map();
      this.#objects.set(k, b);
    }
    return b;
  }

  #notify(gvr: GroupVersionResource, type: "ADDED" | "MODIFIED" | "DELETED", obj: TrackedObject): void {
    const k = gvrKey(gvr);
    const ns = obj.metadata?.namespace ?? "";
    this.#history.push({ gvrKey: k, rv: Number(obj.metadata?.resourceVersion ?? this.#rv), event: { type, object: clone(obj) } });
    if (this.#history.length > this.#historyLimit) this.#history.shift();
    for (const w of this.#watchers) {
      if (w.stopped || w.gvrKey !== k) continue;
      if (w.namespace !== "" && w.namespace !== ns) continue;
      w.push({ type, object: clone(obj) });
    }
  }

  #gr(gvr: GroupVersionResource): { group: string; resource: string } {
    return { group: gvr.group, resource: gvr.resource };
  }

  /** The object, or a NotFound StatusError. */
  get(gvr: GroupVersionResource, namespace: string, name: string): TrackedObject {
    const o = this.#bucket(gvr).get(`${namespace}/${name}`);
    if (o === undefined) throw newNotFound(this.#gr(gvr), name);
    return clone(o);
  }

  /** The objects of a resource in a namespace ("" = all) that match the selectors, as a list. */
  list(gvr: GroupVersionResource, listKind: { apiVersion: string; kind: string }, namespace: string, opts?: ListOptions): TrackedObject {
    const items: TrackedObject[] = [];
    const keys = [...this.#bucket(gvr).keys()].sort();
    for (const key of keys) {
      const o = this.#bucket(gvr).get(key)!;
      if (namespace !== "" && (o.metadata?.namespace ?? "") !== namespace) continue;
      if (!matchesListOptions(o, opts)) continue;
      items.push(clone(o));
    }
    return { apiVersion: listKind.apiVersion, kind: listKind.kind, metadata: { resourceVersion: this.resourceVersion }, items };
  }

  #stamp(obj: TrackedObject, namespace: string): TrackedObject {
    const o = clone(obj);
    const meta = (o.metadata ??= {});
    if (namespace !== "") meta.namespace = namespace;
    this.#rv++;
    meta.resourceVersion = String(this.#rv);
    return o;
  }

  /** Stores a new object (generateName filled in); AlreadyExists when the name is taken. */
  create(gvr: GroupVersionResource, obj: TrackedObject, namespace: string): TrackedObject {
    const ns = namespace || (obj.metadata?.namespace ?? "");
    const meta = obj.metadata ?? {};
    if (meta.namespace && namespace && meta.namespace !== namespace) {
      throw newBadRequest(`the namespace of the provided object (${meta.namespace}) does not match the namespace sent on the request (${namespace})`);
    }
    if (meta.resourceVersion) throw newBadRequest("resourceVersion should not be set on objects to be created");
    let name = meta.name ?? "";
    const b = this.#bucket(gvr);
    if (name === "" && meta.generateName) {
      do name = `${meta.generateName}${randomSuffix()}`;
      while (b.has(`${ns}/${name}`));
    }
    if (name === "") throw newBadRequest("name or generateName is required");
    if (b.has(`${ns}/${name}`)) throw newAlreadyExists(this.#gr(gvr), name);
    const o = this.#stamp(obj, ns);
    o.metadata!.name = name;
    o.metadata!.uid ??= `00000000-0000-4000-8000-${String(++this.#uid).padStart(12, "0")}`;
    o.metadata!.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, "Z");
    b.set(`${ns}/${name}`, o);
    this.#notify(gvr, "ADDED", o);
    return clone(o);
  }

  /** Adds (or replaces) an object without checks: the seed objects of a fake clientset. */
  add(gvr: GroupVersionResource, obj: TrackedObject): TrackedObject {
    const ns = obj.metadata?.namespace ?? "";
    const name = obj.metadata?.name ?? "";
    const b = this.#bucket(gvr);
    const existed = b.has(`${ns}/${name}`);
    const o = this.#stamp(obj, ns);
    b.set(`${ns}/${name}`, o);
    this.#notify(gvr, existed ? "MODIFIED" : "ADDED", o);
    return clone(o);
  }

  /**
   * Replaces an object. A set resourceVersion must match the stored one (Conflict otherwise); with
   * `allowCreate` a missing object is created (as PUT does for some resources).
   */
  update(gvr: GroupVersionResource, obj: TrackedObject, namespace: string, allowCreate = false): TrackedObject {
    const ns = namespace || (obj.metadata?.namespace ?? "");
    const name = obj.metadata?.name ?? "";
    const b = this.#bucket(gvr);
    const old = b.get(`${ns}/${name}`);
    if (old === undefined) {
      if (allowCreate) return this.create(gvr, { ...obj, metadata: { ...obj.metadata, resourceVersion: "" } } as TrackedObject, ns);
      throw newNotFound(this.#gr(gvr), name);
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv && rv !== old.metadata?.resourceVersion) {
      throw newConflict(this.#gr(gvr), name, new Error("the object has been modified; please apply your changes to the latest version and try again"));
    }
    const o = this.#stamp(obj, ns);
    if (old.metadata?.uid !== undefined) o.metadata!.uid = old.metadata.uid;
    if (old.metadata?.creationTimestamp !== undefined) o.metadata!.creationTimestamp = old.metadata.creationTimestamp;
    b.set(`${ns}/${name}`, o);
    this.#notify(gvr, "MODIFIED", o);
    return clone(o);
  }

  /** Removes an object; NotFound when absent. A UID or resourceVersion precondition must match. */
  delete(gvr: GroupVersionResource, namespace: string, name: string, preconditions?: { uid?: string; resourceVersion?: string }): TrackedObject {
    const b = this.#bucket(gvr);
    const old = b.get(`${namespace}/${name}`);
    if (old === undefined) throw newNotFound(this.#gr(gvr), name);
    if (preconditions?.uid && preconditions.uid !== old.metadata?.uid) {
      throw newConflict(this.#gr(gvr), name, new Error(`Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${old.metadata?.uid ?? ""}`));
    }
    if (preconditions?.resourceVersion && preconditions.resourceVersion !== old.metadata?.resourceVersion) {
      throw newConflict(
        this.#gr(gvr),
        name,
        new Error(`Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${old.metadata?.resourceVersion ?? ""}`),
      );
    }
    b.delete(`${namespace}/${name}`);
    this.#rv++;
    const gone = clone(old);
    gone.metadata!.resourceVersion = String(this.#rv);
    this.#notify(gvr, "DELETED", gone);
    return gone;
  }

  /**
   * Watches a resource in a namespace ("" = all). With `sendInitialEvents` the current objects come
   * first as ADDED, then (with `allowWatchBookmarks`) a BOOKMARK annotated `k8s.io/initial-events-end`.
   * With a `resourceVersion`, the events after it are replayed first (410 Expired when too old).
   */
  watch(gvr: GroupVersionResource, kind: { apiVersion: string; kind: string }, namespace: string, opts: ListOptions = {}): TypedWatch<unknown> {
    const queue: Array<TypedWatchEvent<unknown>> = [];
    let wake: (() => void) | undefined;
    const watcher: Watcher = {
      gvrKey: gvrKey(gvr),
      namespace,
      stopped: false,
      push: (ev) => {
        if (!matchesListOptions(ev.object as TrackedObject, opts)) return;
        queue.push(ev);
        wake?.();
      },
    };
    const from = opts.resourceVersion !== undefined && /^\d+$/.test(opts.resourceVersion) ? Number(opts.resourceVersion) : 0;
    if (!opts.sendInitialEvents && from > 0) {
      // Replay what happened after `from`, like the API server's watch cache; too old is 410 Expired.
      const oldest = this.#history[0]?.rv ?? this.#rv + 1;
      if (from < oldest - 1) throw newResourceExpired(`too old resource version: ${from} (${oldest - 1})`);
      const k = gvrKey(gvr);
      for (const h of this.#history) {
        if (h.rv <= from || h.gvrKey !== k) continue;
        const ns = (h.event.object as TrackedObject).metadata?.namespace ?? "";
        if (namespace !== "" && ns !== namespace) continue;
        if (matchesListOptions(h.event.object as TrackedObject, opts)) queue.push({ type: h.event.type, object: clone(h.event.object) } as TypedWatchEvent<unknown>);
      }
    }
    if (opts.sendInitialEvents) {
      const list = this.list(gvr, kind, namespace, opts);
      for (const item of list.items as TrackedObject[]) queue.push({ type: "ADDED", object: { apiVersion: kind.apiVersion, kind: kind.kind, ...item } });
      if (opts.allowWatchBookmarks) {
        queue.push({
          type: "BOOKMARK",
          object: { apiVersion: kind.apiVersion, kind: kind.kind, metadata: { resourceVersion: this.resourceVersion, annotations: { [InitialEventsAnnotationKey]: "true" } } },
        });
      }
    }
    this.#watchers.add(watcher);
    const stop = (): void => {
      watcher.stopped = true;
      this.#watchers.delete(watcher);
      wake?.();
    };
    return {
      stop,
      async *[Symbol.asyncIterator]() {
        try {
          for (;;) {
            const ev = queue.shift();
            if (ev !== undefined) {
              yield ev;
              continue;
            }
            if (watcher.stopped) return;
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
        } finally {
          stop();
        }
      },
    };
  }

  /** Stops every open watch. */
  stopWatches(): void {
    for (const w of [...this.#watchers]) {
      w.stopped = true;
      this.#watchers.delete(w);
    }
  }
}
