/**
 * The fake clientset (client-go kubernetes/fake and testing/fixture.go): the same typed interface as
 * the real clientset, backed by an {@link ObjectTracker}. Every call is recorded as an {@link Action};
 * reactors (`prependReactor(verb, resource, fn)`) can answer a call first, e.g. to inject an error.
 */
import { newBadRequest, newNotFound } from "@kubets/apimachinery/errors";
import type { ListOptions } from "@kubets/apimachinery/meta/v1";
import { groupVersions, type Clientset } from "../gen/kubernetes/clientset.js";
import { buildClientset, descriptorOf, type GroupVersionTable } from "../kubernetes/clientset.js";
import { apiVersionOf, type ResourceDescriptor } from "../kubernetes/resource-client.js";
import type { Action, GroupVersionResource, Invoker, TypedWatch } from "../kubernetes/types.js";
import { fieldManagedReaction } from "./field-managed.js";
import { applyPatch, mergePatch } from "./patch.js";
import { ObjectTracker, type TrackedObject } from "./tracker.js";

/** What a reactor decided: `handled: false` passes the action on to the next reactor. */
export interface ReactionResult {
  handled: boolean;
  /** The response (ignored for delete). */
  object?: unknown;
  /** Makes the call reject with this error (e.g. a StatusError from `@kubets/apimachinery/errors`). */
  error?: unknown;
}

/** A reactor (client-go testing.ReactionFunc); may also throw to fail the call. */
export type ReactionFunc = (action: Action) => ReactionResult | undefined | Promise<ReactionResult | undefined>;

/** A watch reactor (client-go testing.WatchReactionFunc). */
export type WatchReactionFunc = (action: Action) => { handled: boolean; watch?: TypedWatch<unknown>; error?: unknown } | undefined;

interface Reactor<F> {
  verb: string;
  resource: string;
  fn: F;
}

function covers(r: { verb: string; resource: string }, a: Action): boolean {
  return (r.verb === "*" || r.verb === a.verb) && (r.resource === "*" || r.resource === a.resource.resource);
}

/** Records actions and runs them through the reactor chains (client-go testing.Fake). */
export class Fake {
  readonly #actions: Action[] = [];
  reactionChain: Array<Reactor<ReactionFunc>> = [];
  watchReactionChain: Array<Reactor<WatchReactionFunc>> = [];

  /** The actions so far, oldest first (copies). */
  actions(): Action[] {
    return [...this.#actions];
  }

  clearActions(): void {
    this.#actions.length = 0;
  }

  /** Runs `fn` before the existing reactors for `verb` (or "*") on `resource` (or "*"). */
  prependReactor(verb: string, resource: string, fn: ReactionFunc): void {
    this.reactionChain.unshift({ verb, resource, fn });
  }

  /** Runs `fn` after the existing reactors. */
  addReactor(verb: string, resource: string, fn: ReactionFunc): void {
    this.reactionChain.push({ verb, resource, fn });
  }

  prependWatchReactor(resource: string, fn: WatchReactionFunc): void {
    this.watchReactionChain.unshift({ verb: "watch", resource, fn });
  }

  addWatchReactor(resource: string, fn: WatchReactionFunc): void {
    this.watchReactionChain.push({ verb: "watch", resource, fn });
  }

  #record(action: Action): void {
    const { signal: _signal, ...rest } = action;
    this.#actions.push(structuredClone(rest) as Action);
  }

  /** Records the action and returns what the first reactor that handles it says. */
  async invoke(action: Action): Promise<unknown> {
    this.#record(action);
    for (const r of this.reactionChain) {
      if (!covers(r, action)) continue;
      const res = await r.fn(action);
      if (res === undefined || !res.handled) continue;
      if (res.error !== undefined && res.error !== null) throw res.error;
      return res.object;
    }
    return undefined;
  }

  async invokeWatch(action: Action): Promise<TypedWatch<unknown>> {
    this.#record(action);
    for (const r of this.watchReactionChain) {
      if (!covers(r, action)) continue;
      const res = r.fn(action);
      if (res === undefined || !res.handled) continue;
      if (res.error !== undefined && res.error !== null) throw res.error;
      if (res.watch !== undefined) return res.watch;
    }
    throw newBadRequest(`no watch reactor handled the watch of ${action.resource.resource}`);
  }
}

function scaleOf(obj: TrackedObject): TrackedObject {
  const spec = (obj["spec"] ?? {}) as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const status = (obj["status"] ?? {}) as { replicas?: number };
  const meta = obj.metadata ?? {};
  const labels = spec.selector?.matchLabels ?? {};
  const selector = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]!}`)
    .join(",");
  const m: Record<string, unknown> = { name: meta.name };
  for (const k of ["namespace", "uid", "resourceVersion", "creationTimestamp"] as const) if (meta[k] !== undefined) m[k] = meta[k];
  return {
    apiVersion: "autoscaling/v1",
    kind: "Scale",
    metadata: m,
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}

/**
 * The default reactor (client-go testing.ObjectReaction): serves every verb from the tracker, with the
 * subresources the typed clients use (status, scale, eviction, binding, token, log, ...).
 */
export function objectReaction(tracker: ObjectTracker, describe: (gvr: GroupVersionResource) => ResourceDescriptor | undefined): ReactionFunc {
  return (a) => {
    const d = describe(a.resource);
    const av = apiVersionOf(a.resource);
    const hasStatus = d !== undefined && "status" in d.subresources;
    const ns = a.namespace;
    const handled = (object: unknown): ReactionResult => ({ handled: true, object });
    switch (a.verb) {
      case "get": {
        if (a.subresource === "log") {
          if (a.raw === "stream") {
            const bytes = new TextEncoder().encode("fake logs");
            return handled({ close: () => undefined, async *[Symbol.asyncIterator]() { yield bytes; } });
          }
          tracker.get(a.resource, ns, a.name);
          return handled("fake logs");
        }
        const obj = tracker.get(a.resource, ns, a.name);
        return handled(a.subresource === "scale" ? scaleOf(obj) : obj);
      }
      case "list":
        return handled(tracker.list(a.resource, { apiVersion: av, kind: `${a.kind}List` }, ns, a.options as ListOptions));
      case "create": {
        const obj = a.object as TrackedObject;
        switch (a.subresource) {
          case "":
            return handled(tracker.create(a.resource, obj, ns));
          case "eviction":
            tracker.delete(a.resource, ns, a.name);
            return handled(undefined);
          case "binding": {
            const pod = tracker.get(a.resource, ns, a.name);
            const target = (obj["target"] ?? {}) as { name?: string };
            pod["spec"] = { ...((pod["spec"] ?? {}) as object), nodeName: target.name ?? "" };
            delete pod.metadata!.resourceVersion;
            tracker.update(a.resource, pod, ns);
            return handled(undefined);
          }
          case "token": {
            tracker.get(a.resource, ns, a.name);
            const seconds = ((obj["spec"] ?? {}) as { expirationSeconds?: number }).expirationSeconds ?? 3600;
            const exp = new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");
            return handled({ ...obj, status: { token: `fake-token-${a.name}`, expirationTimestamp: exp } });
          }
          default:
            return handled(obj);
        }
      }
      case "update": {
        const obj = a.object as TrackedObject;
        if (a.subresource === "scale") {
          const cur = tracker.get(a.resource, ns, a.name);
          const replicas = ((obj["spec"] ?? {}) as { replicas?: number }).replicas ?? 0;
          cur["spec"] = { ...((cur["spec"] ?? {}) as object), replicas };
          if (obj.metadata?.resourceVersion) cur.metadata!.resourceVersion = obj.metadata.resourceVersion;
          return handled(scaleOf(tracker.update(a.resource, cur, ns)));
        }
        if (a.subresource === "status") {
          const cur = tracker.get(a.resource, ns, a.name);
          const next = { ...cur, status: obj["status"] } as TrackedObject;
          next.metadata = { ...cur.metadata, resourceVersion: obj.metadata?.resourceVersion ?? cur.metadata?.resourceVersion ?? "" };
          return handled(tracker.update(a.resource, next, ns));
        }
        if (hasStatus && a.subresource === "") {
          // Like the API server: the main resource ignores status changes.
          let cur: TrackedObject | undefined;
          try {
            cur = tracker.get(a.resource, ns, obj.metadata?.name ?? "");
          } catch {
            cur = undefined;
          }
          if (cur !== undefined) {
            const next = { ...obj } as TrackedObject;
            if (cur["status"] === undefined) delete next["status"];
            else next["status"] = cur["status"];
            return handled(tracker.update(a.resource, next, ns));
          }
        }
        return handled(tracker.update(a.resource, obj, ns));
      }
      case "patch": {
        const isApply = a.patchType === "application/apply-patch+yaml";
        let cur: TrackedObject;
        try {
          cur = tracker.get(a.resource, ns, a.name);
        } catch (err) {
          if (!isApply || a.subresource !== "") throw err;
          const created = applyPatch({}, a.patchType, a.patch ?? "{}") as TrackedObject;
          created.metadata = { ...created.metadata, name: a.name };
          return handled(tracker.create(a.resource, created, ns));
        }
        if (a.subresource === "scale") {
          const patched = applyPatch(scaleOf(cur), a.patchType ?? "", a.patch ?? "{}") as TrackedObject;
          const replicas = ((patched["spec"] ?? {}) as { replicas?: number }).replicas ?? 0;
          cur["spec"] = { ...((cur["spec"] ?? {}) as object), replicas };
          return handled(scaleOf(tracker.update(a.resource, cur, ns)));
        }
        let patched = applyPatch(cur, a.patchType ?? "", a.patch ?? "{}") as TrackedObject;
        if (hasStatus && a.subresource === "status") patched = mergePatch(cur, { status: patched["status"] ?? null }) as TrackedObject;
        else if (hasStatus && a.subresource === "" && cur["status"] !== undefined) patched = { ...patched, status: cur["status"] };
        patched.metadata = { ...patched.metadata, resourceVersion: cur.metadata?.resourceVersion ?? "" };
        return handled(tracker.update(a.resource, patched, ns));
      }
      case "delete":
        tracker.delete(a.resource, ns, a.name, a.deleteOptions?.preconditions);
        return handled(undefined);
      case "delete-collection": {
        const list = tracker.list(a.resource, { apiVersion: av, kind: `${a.kind}List` }, ns, a.listOptions);
        for (const item of list["items"] as TrackedObject[]) tracker.delete(a.resource, item.metadata?.namespace ?? "", item.metadata?.name ?? "");
        return handled(undefined);
      }
      case "watch":
        return { handled: false };
    }
  };
}

class FakeInvoker implements Invoker {
  constructor(private readonly fake: Fake) {}
  invoke(action: Action): Promise<unknown> {
    return this.fake.invoke(action);
  }
  watch(action: Action): Promise<TypedWatch<unknown>> {
    return this.fake.invokeWatch(action);
  }
}

/** What a fake clientset has besides its typed interface. */
export interface FakeControls {
  readonly fake: Fake;
  tracker(): ObjectTracker;
  /** The resources the fake serves (built in, plus those the dynamic fake registers). */
  resources(): ResourceIndex;
  actions(): Action[];
  clearActions(): void;
  prependReactor(verb: string, resource: string, fn: ReactionFunc): void;
  addReactor(verb: string, resource: string, fn: ReactionFunc): void;
  prependWatchReactor(resource: string, fn: WatchReactionFunc): void;
}

/** The fake clientset: the typed interface plus the fake's controls. */
export type FakeClientset = Clientset & FakeControls;

/** Looks up table rows by apiVersion + kind and by group/version/resource. */
export class ResourceIndex {
  readonly #byKind = new Map<string, ResourceDescriptor>();
  readonly #byGVR = new Map<string, ResourceDescriptor>();
  constructor(table: readonly GroupVersionTable[]) {
    for (const gv of table) {
      for (const row of gv.resources) {
        const d = descriptorOf(gv, row);
        this.#byGVR.set(`${d.group}/${d.version}/${d.resource}`, d);
        const k = `${apiVersionOf(d)}|${d.kind}`;
        if (!this.#byKind.has(k)) this.#byKind.set(k, d);
      }
    }
  }
  byKind(apiVersion: string, kind: string): ResourceDescriptor | undefined {
    return this.#byKind.get(`${apiVersion}|${kind}`);
  }
  byGVR(gvr: GroupVersionResource): ResourceDescriptor | undefined {
    return this.#byGVR.get(`${gvr.group}/${gvr.version}/${gvr.resource}`);
  }
  /** Serves one more resource (a custom resource of the dynamic fake). */
  add(d: ResourceDescriptor): void {
    this.#byGVR.set(`${d.group}/${d.version}/${d.resource}`, d);
    const k = `${apiVersionOf(d)}|${d.kind}`;
    if (!this.#byKind.has(k)) this.#byKind.set(k, d);
  }
}

/**
 * A fake clientset seeded with objects (client-go fake.NewSimpleClientset). Each object needs
 * `apiVersion` and `kind` to find its resource. Kept for compatibility: it records no managedFields,
 * apply is a strategic merge without conflicts, and generation and finalizers are not modelled;
 * prefer {@link newClientset}, which behaves like the API server.
 */
export function newSimpleClientset(...objects: object[]): FakeClientset {
  return newFakeClientsetFromTable(groupVersions, objects, "built-in resource") as unknown as FakeClientset;
}

/**
 * A fake clientset that behaves like the API server (client-go fake.NewClientset, a field-managed
 * object tracker): create, update and patch record managedFields per manager and move ownership,
 * server-side apply records `Apply` entries and fails with the server's 409 on conflicts unless
 * `force`, patches use the real strategic merge, JSON merge and JSON patch code with the built-in
 * types' patch metadata, `generation` counts spec changes of kinds with a status subresource, and a
 * delete of an object with finalizers sets `deletionTimestamp` until an update removes them. Seed
 * objects are stored as given. What is and is not modelled: the package README.
 */
export function newClientset(...objects: object[]): FakeClientset {
  return newFakeClientsetFromTable(groupVersions, objects, "built-in resource", { fieldManaged: true }) as unknown as FakeClientset;
}

/**
 * A fake clientset over any generated table, seeded with objects: the fake behind
 * newSimpleClientset, and behind the fakes `kubets-codegen crd` writes for custom resources.
 */
export function newFakeClientsetFromTable(
  table: readonly GroupVersionTable[],
  objects: readonly object[],
  what = "resource of this clientset",
  options: { fieldManaged?: boolean } = {},
): Record<string, unknown> & FakeControls {
  const tracker = new ObjectTracker();
  const index = new ResourceIndex(table);
  for (const o of objects) {
    const t = o as TrackedObject;
    const d = index.byKind(t.apiVersion ?? "", t.kind ?? "");
    if (d === undefined) throw new TypeError(`newSimpleClientset: no ${what} serves apiVersion ${JSON.stringify(t.apiVersion)} kind ${JSON.stringify(t.kind)}; set both on the object`);
    tracker.add(d, t);
  }
  const fake = new Fake();
  const describe = (gvr: GroupVersionResource): ResourceDescriptor | undefined => index.byGVR(gvr);
  const base = objectReaction(tracker, describe);
  fake.addReactor("*", "*", options.fieldManaged ? fieldManagedReaction(tracker, describe, base) : base);
  fake.addWatchReactor("*", (a) => {
    const d = index.byGVR(a.resource);
    if (d === undefined) throw newNotFound({ group: a.resource.group, resource: a.resource.resource }, "");
    return { handled: true, watch: tracker.watch(a.resource, { apiVersion: apiVersionOf(d), kind: d.kind }, a.namespace, a.options as ListOptions) };
  });
  const invoker = new FakeInvoker(fake);
  const cs = buildClientset(table, () => invoker, {
    close: async () => {
      tracker.stopWatches();
    },
  });
  Object.assign(cs, {
    fake,
    tracker: () => tracker,
    resources: () => index,
    actions: () => fake.actions(),
    clearActions: () => fake.clearActions(),
    prependReactor: (verb: string, resource: string, fn: ReactionFunc) => fake.prependReactor(verb, resource, fn),
    addReactor: (verb: string, resource: string, fn: ReactionFunc) => fake.addReactor(verb, resource, fn),
    prependWatchReactor: (resource: string, fn: WatchReactionFunc) => fake.prependWatchReactor(resource, fn),
  });
  return cs as Record<string, unknown> & FakeControls;
}
