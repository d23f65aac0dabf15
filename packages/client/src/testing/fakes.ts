/**
 * Fakes of the dynamic, metadata, scale and discovery clients (client-go dynamic/fake,
 * metadata/fake, scale/fake, discovery/fake). The dynamic, metadata and scale fakes turn each call
 * into the same `Action` the typed fake records and run it through a `Fake` (reactors first, then
 * the object tracker), so that they share objects, actions and reactors with a fake clientset when
 * built from one: `newFakeDynamicClient({ clientset })`.
 */
import { newNotFound } from "@kubets/apimachinery/errors";
import type { APIGroup, APIGroupList, APIResource, APIResourceList, CreateOptions, DeleteOptions, GetOptions, Info, ListOptions, PatchOptions, UpdateOptions } from "@kubets/apimachinery/meta/v1";
import type { Unstructured, UnstructuredList } from "@kubets/apimachinery/runtime";
import type { GroupResource, GroupVersionResource } from "@kubets/apimachinery/schema";
import { groupVersions } from "../gen/kubernetes/clientset.js";
import { serverGroupsAndResources, serverPreferredNamespacedResources, serverPreferredResources } from "../discovery/helpers.js";
import type { DiscoveryCallOptions, DiscoveryInterface, GroupsAndResources } from "../discovery/interface.js";
import type { OpenAPIV3Client } from "../discovery/openapi.js";
import { completeListItems, type CallOptions, type DynamicApplyOptions, type NamespaceableResourceInterface, type PatchData, type ResourceInterface } from "../dynamic/client.js";
import { apiVersionOf, type ResourceDescriptor } from "../kubernetes/resource-client.js";
import type { Action, ActionVerb } from "../kubernetes/types.js";
import { toPartialObjectMetadata, toPartialObjectMetadataList, type MetadataNamespaceableResourceInterface, type MetadataResourceInterface } from "../metadata/client.js";
import type { Watch } from "../rest/request.js";
import type { Scale, ScaleInterface, ScalesGetter } from "../scale/client.js";
import { descriptorOf } from "../kubernetes/clientset.js";
import { newFakeClientsetFromTable, type FakeControls } from "./fake.js";
import type { TrackedObject } from "./tracker.js";

/** meta.UnsafeGuessKindToResource: `Widget` -> `widgets`, `Policy` -> `policies`, `Ingress` -> `ingresses`. */
export function unsafeGuessKindToResource(kind: string): string {
  const k = kind.toLowerCase();
  if (k === "") return k;
  if (k.endsWith("s")) return `${k}es`;
  if (k.endsWith("y")) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** Options of the fake dynamic client: a tracker to share and the list kinds of custom resources. */
export interface FakeDynamicOptions {
  /** Share objects, actions and reactors with this fake clientset (from newClientset / newSimpleClientset). */
  clientset?: FakeControls;
  /** List kinds of custom resources by `group/version/resource` (client-go's gvrToListKind): `{ "example.com/v1/widgets": "WidgetList" }`. */
  listKinds?: Record<string, string>;
  /** Seed objects (Unstructured with apiVersion and kind). */
  objects?: readonly object[];
  /** Without a clientset: behave like the API server (newClientset's field management) rather than newSimpleClientset. Default true. */
  fieldManaged?: boolean;
}

/** The fake dynamic client: dynamic.Interface plus the fake's controls. */
export interface FakeDynamicClient extends FakeControls {
  resource(gvr: GroupVersionResource): NamespaceableResourceInterface;
}

function splitOpts<T extends CallOptions>(opts: T | undefined): { options: Record<string, unknown>; signal: AbortSignal | undefined } {
  const { signal, ...options } = (opts ?? {}) as T;
  return { options: options as Record<string, unknown>, signal };
}

class Resources {
  constructor(
    private readonly controls: FakeControls,
    private readonly listKinds: Record<string, string>,
  ) {}

  /** The descriptor of a resource; custom resources are registered from the list kinds (or the seed objects). */
  describe(gvr: GroupVersionResource, namespaced: boolean): ResourceDescriptor {
    const idx = this.controls.resources();
    const known = idx.byGVR(gvr);
    if (known !== undefined) return known;
    const listKind = this.listKinds[`${gvr.group}/${gvr.version}/${gvr.resource}`];
    if (listKind === undefined) {
      throw new TypeError(
        `the fake dynamic client does not know the list kind of ${gvr.group}/${gvr.version}/${gvr.resource}: pass it in listKinds ({ "${gvr.group}/${gvr.version}/${gvr.resource}": "<Kind>List" }), as client-go's NewSimpleDynamicClientWithCustomListKinds needs`,
      );
    }
    const d: ResourceDescriptor = { group: gvr.group, version: gvr.version, resource: gvr.resource, kind: listKind.replace(/List$/, ""), namespaced, subresources: {} };
    idx.add(d);
    return d;
  }

  /** Registers the resource of a seed object; returns its descriptor. */
  forObject(o: TrackedObject): ResourceDescriptor {
    const idx = this.controls.resources();
    const known = idx.byKind(o.apiVersion ?? "", o.kind ?? "");
    if (known !== undefined) return known;
    const [group, version] = (o.apiVersion ?? "").includes("/") ? (o.apiVersion ?? "").split("/") : ["", o.apiVersion ?? ""];
    const kind = o.kind ?? "";
    const fromList = Object.entries(this.listKinds).find(([k, v]) => v === `${kind}List` && k.startsWith(`${group ?? ""}/${version ?? ""}/`));
    const resource = fromList !== undefined ? fromList[0].split("/")[2]! : unsafeGuessKindToResource(kind);
    const d: ResourceDescriptor = { group: group ?? "", version: version ?? "", resource, kind, namespaced: (o.metadata?.namespace ?? "") !== "", subresources: {} };
    idx.add(d);
    return d;
  }
}

class FakeDynamicResource implements NamespaceableResourceInterface {
  constructor(
    private readonly controls: FakeControls,
    private readonly res: Resources,
    private readonly gvr: GroupVersionResource,
    private readonly ns: string,
  ) {}

  namespace(namespace: string): ResourceInterface {
    return new FakeDynamicResource(this.controls, this.res, this.gvr, namespace);
  }

  #action(verb: ActionVerb, fields: Partial<Action>): Action {
    const d = this.res.describe(this.gvr, this.ns !== "");
    return {
      verb,
      resource: { group: this.gvr.group, version: this.gvr.version, resource: this.gvr.resource },
      kind: d.kind,
      namespaced: d.namespaced,
      namespace: this.ns,
      name: "",
      subresource: "",
      ...fields,
    } as Action;
  }

  async #invoke(a: Action): Promise<unknown> {
    return this.controls.fake.invoke(a);
  }

  async create(obj: Unstructured, opts?: CreateOptions & CallOptions, ...subresources: string[]): Promise<Unstructured> {
    const { options, signal } = splitOpts(opts);
    return (await this.#invoke(this.#action("create", { object: obj, options, signal, subresource: subresources.join("/"), name: subresources.length > 0 ? String(obj.metadata?.name ?? "") : "" }))) as Unstructured;
  }

  async update(obj: Unstructured, opts?: UpdateOptions & CallOptions, ...subresources: string[]): Promise<Unstructured> {
    const { options, signal } = splitOpts(opts);
    return (await this.#invoke(this.#action("update", { object: obj, options, signal, subresource: subresources.join("/"), name: String(obj.metadata?.name ?? "") }))) as Unstructured;
  }

  updateStatus(obj: Unstructured, opts?: UpdateOptions & CallOptions): Promise<Unstructured> {
    return this.update(obj, opts, "status");
  }

  async delete(name: string, opts?: DeleteOptions & CallOptions, ...subresources: string[]): Promise<void> {
    const { options, signal } = splitOpts(opts);
    await this.#invoke(this.#action("delete", { name, deleteOptions: options as DeleteOptions, signal, subresource: subresources.join("/") }));
  }

  async deleteCollection(opts?: DeleteOptions & CallOptions, listOptions: ListOptions = {}): Promise<void> {
    const { options, signal } = splitOpts(opts);
    await this.#invoke(this.#action("delete-collection", { deleteOptions: options as DeleteOptions, listOptions, signal }));
  }

  async get(name: string, opts?: GetOptions & CallOptions, ...subresources: string[]): Promise<Unstructured> {
    const { options, signal } = splitOpts(opts);
    return (await this.#invoke(this.#action("get", { name, options, signal, subresource: subresources.join("/") }))) as Unstructured;
  }

  async list(opts?: ListOptions & CallOptions): Promise<UnstructuredList> {
    const { options, signal } = splitOpts(opts);
    return completeListItems((await this.#invoke(this.#action("list", { options, signal }))) as UnstructuredList);
  }

  async watch(opts?: ListOptions & CallOptions): Promise<Watch<Unstructured>> {
    const { options, signal } = splitOpts(opts);
    return (await this.controls.fake.invokeWatch(this.#action("watch", { options, signal }))) as unknown as Watch<Unstructured>;
  }

  async patch(name: string, patchType: string, data: PatchData, opts?: PatchOptions & CallOptions, ...subresources: string[]): Promise<Unstructured> {
    const { options, signal } = splitOpts(opts);
    const patch = typeof data === "string" || data instanceof Uint8Array ? data : JSON.stringify(data);
    return (await this.#invoke(this.#action("patch", { name, patchType, patch, options, signal, subresource: subresources.join("/") }))) as Unstructured;
  }

  async apply(name: string, obj: Unstructured, opts: DynamicApplyOptions, ...subresources: string[]): Promise<Unstructured> {
    const { signal, force, ...rest } = opts;
    if (!rest.fieldManager) throw new TypeError("fieldManager is required for server-side apply");
    return (await this.#invoke(
      this.#action("patch", { name, patchType: "application/apply-patch+yaml", patch: JSON.stringify(obj), options: { ...rest, force: force ?? false }, signal, subresource: subresources.join("/") }),
    )) as Unstructured;
  }

  applyStatus(name: string, obj: Unstructured, opts: DynamicApplyOptions): Promise<Unstructured> {
    return this.apply(name, obj, opts, "status");
  }
}

function controlsFor(opts: FakeDynamicOptions): FakeControls {
  return opts.clientset ?? newFakeClientsetFromTable(groupVersions, [], "built-in resource", { fieldManaged: opts.fieldManaged ?? true });
}

function delegate(c: FakeControls): FakeControls {
  return {
    fake: c.fake,
    tracker: () => c.tracker(),
    resources: () => c.resources(),
    actions: () => c.actions(),
    clearActions: () => c.clearActions(),
    prependReactor: (v, r, fn) => c.prependReactor(v, r, fn),
    addReactor: (v, r, fn) => c.addReactor(v, r, fn),
    prependWatchReactor: (r, fn) => c.prependWatchReactor(r, fn),
  };
}

/**
 * A fake dynamic client (client-go dynamic/fake). Built-in resources are known; custom resources
 * need their list kind (`listKinds`) or a seed object. With `clientset`, it shares that fake's objects.
 */
export function newFakeDynamicClient(opts: FakeDynamicOptions = {}): FakeDynamicClient {
  const controls = controlsFor(opts);
  const res = new Resources(controls, opts.listKinds ?? {});
  for (const o of opts.objects ?? []) {
    const t = o as TrackedObject;
    controls.tracker().add(res.forObject(t), structuredClone(t));
  }
  return { ...delegate(controls), resource: (gvr) => new FakeDynamicResource(controls, res, gvr, "") };
}

/** client-go's NewSimpleDynamicClient: a fake dynamic client seeded with objects. */
export function newSimpleDynamicClient(...objects: object[]): FakeDynamicClient {
  return newFakeDynamicClient({ objects });
}

/** client-go's NewSimpleDynamicClientWithCustomListKinds. */
export function newSimpleDynamicClientWithCustomListKinds(listKinds: Record<string, string>, ...objects: object[]): FakeDynamicClient {
  return newFakeDynamicClient({ listKinds, objects });
}

// ---- metadata ----------------------------------------------------------------------------------

/** The fake metadata client: metadata.Interface plus the fake's controls. */
export interface FakeMetadataClient extends FakeControls {
  resource(gvr: GroupVersionResource): MetadataNamespaceableResourceInterface;
}

class FakeMetadataResource implements MetadataNamespaceableResourceInterface {
  constructor(private readonly d: NamespaceableResourceInterface | ResourceInterface) {}
  namespace(namespace: string): MetadataResourceInterface {
    return new FakeMetadataResource((this.d as NamespaceableResourceInterface).namespace(namespace));
  }
  async get(name: string, opts?: GetOptions & CallOptions, ...subresources: string[]) {
    return toPartialObjectMetadata(await this.d.get(name, opts, ...subresources));
  }
  async list(opts?: ListOptions & CallOptions) {
    return toPartialObjectMetadataList(await this.d.list(opts));
  }
  async watch(opts?: ListOptions & CallOptions) {
    const w = await this.d.watch(opts);
    return {
      stop: () => w.stop(),
      async *[Symbol.asyncIterator]() {
        for await (const ev of w) yield ev.type === "BOOKMARK" || ev.type === "ERROR" ? ev : { ...ev, object: toPartialObjectMetadata(ev.object) };
      },
    } as unknown as Watch<ReturnType<typeof toPartialObjectMetadata>>;
  }
  delete(name: string, opts?: DeleteOptions & CallOptions, ...subresources: string[]) {
    return this.d.delete(name, opts, ...subresources);
  }
  deleteCollection(opts?: DeleteOptions & CallOptions, listOptions?: ListOptions) {
    return this.d.deleteCollection(opts, listOptions);
  }
  async patch(name: string, patchType: string, data: PatchData, opts?: PatchOptions & CallOptions, ...subresources: string[]) {
    return toPartialObjectMetadata(await this.d.patch(name, patchType, data, opts, ...subresources));
  }
}

/** A fake metadata client (client-go metadata/fake): the dynamic fake's objects, answered as PartialObjectMetadata. */
export function newFakeMetadataClient(opts: FakeDynamicOptions = {}): FakeMetadataClient {
  const dyn = newFakeDynamicClient(opts);
  return { ...delegate(dyn), resource: (gvr) => new FakeMetadataResource(dyn.resource(gvr)) };
}

/** client-go's metadata/fake NewSimpleMetadataClient. */
export function newSimpleMetadataClient(...objects: object[]): FakeMetadataClient {
  return newFakeMetadataClient({ objects });
}

// ---- scale -------------------------------------------------------------------------------------

/** The fake scale client: scale.ScalesGetter over the fake's objects, plus its controls. */
export interface FakeScaleClient extends ScalesGetter, FakeControls {}

/**
 * A fake scale client (client-go scale/fake) answering from the fake's objects: `get` reads
 * `spec.replicas`, `status.replicas` and the selector of the target, `update`/`patch` write
 * `spec.replicas`. Resources resolve to the first served version of their group.
 */
export function newFakeScaleClient(opts: FakeDynamicOptions = {}): FakeScaleClient {
  const controls = controlsFor(opts);
  const res = new Resources(controls, opts.listKinds ?? {});
  for (const o of opts.objects ?? []) controls.tracker().add(res.forObject(o as TrackedObject), structuredClone(o as TrackedObject));
  const gvrOf = (gr: GroupResource): GroupVersionResource => {
    for (const gv of groupVersions) {
      if (gv.group !== gr.group) continue;
      if (gv.resources.some((r) => descriptorOf(gv, r).resource === gr.resource)) return { group: gr.group, version: gv.version, resource: gr.resource };
    }
    throw new TypeError(`the fake scale client does not serve ${gr.resource}.${gr.group}`);
  };
  const scales = (namespace: string): ScaleInterface => {
    const act = (verb: ActionVerb, gvr: GroupVersionResource, name: string, fields: Partial<Action>): Action => {
      const d = res.describe(gvr, namespace !== "");
      return { verb, resource: gvr, kind: d.kind, namespaced: d.namespaced, namespace, name, subresource: "scale", subresourceAPIVersion: "autoscaling/v1", ...fields } as Action;
    };
    return {
      get: async (gr, name, o) => {
        const { options, signal } = splitOpts(o);
        return (await controls.fake.invoke(act("get", gvrOf(gr), name, { options, signal }))) as Scale;
      },
      update: async (gr, scale, o) => {
        const { options, signal } = splitOpts(o);
        return (await controls.fake.invoke(act("update", gvrOf(gr), scale.metadata?.name ?? "", { object: scale, options, signal }))) as Scale;
      },
      patch: async (gvr, name, patchType, data, o) => {
        const { options, signal } = splitOpts(o);
        const patch = typeof data === "string" || data instanceof Uint8Array ? data : JSON.stringify(data);
        return (await controls.fake.invoke(act("patch", gvr, name, { patchType, patch, options, signal }))) as Scale;
      },
    };
  };
  return { ...delegate(controls), scales };
}

// ---- discovery ---------------------------------------------------------------------------------

/**
 * The resource lists of every built-in group-version a default kube-apiserver serves (from
 * `@kubets/api`'s registration data: plural, kind, scope, verbs, subresources). Loaded on first use.
 */
export async function builtInResources(): Promise<APIResourceList[]> {
  const { registrations } = await import("@kubets/api");
  const served = new Set(groupVersions.map((gv) => apiVersionOf(gv)));
  const out: APIResourceList[] = [];
  for (const reg of registrations) {
    const groupVersion = apiVersionOf(reg);
    if (!served.has(groupVersion)) continue;
    const resources: APIResource[] = [];
    for (const r of reg.resources) {
      resources.push({ name: r.resource, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: [...r.verbs] });
      for (const sub of r.subresources) {
        const res: APIResource = { name: `${r.resource}/${sub.name}`, singularName: "", namespaced: r.namespaced, kind: sub.kind?.kind ?? r.kind, verbs: [...sub.verbs] };
        if (sub.kind !== undefined && (sub.kind.group !== reg.group || sub.kind.version !== reg.version)) {
          res.group = sub.kind.group;
          res.version = sub.kind.version;
        }
        resources.push(res);
      }
    }
    out.push({ kind: "APIResourceList", apiVersion: "v1", groupVersion, resources });
  }
  return out;
}

/**
 * The fake discovery client (client-go discovery/fake.FakeDiscovery): answers from `resources` (the
 * built-in group-versions by default) and `fakedServerVersion`; set either to what a test needs.
 */
export class FakeDiscovery implements DiscoveryInterface {
  /** The resource lists served; undefined means the built-in ones (builtInResources()). */
  resources: APIResourceList[] | undefined;
  fakedServerVersion: Info | undefined;

  constructor(resources?: APIResourceList[], fakedServerVersion?: Info) {
    this.resources = resources;
    this.fakedServerVersion = fakedServerVersion;
  }

  async #lists(): Promise<APIResourceList[]> {
    return (this.resources ??= await builtInResources());
  }

  async serverGroups(): Promise<APIGroupList> {
    const groups = new Map<string, APIGroup>();
    for (const rl of await this.#lists()) {
      const [group, version] = rl.groupVersion.includes("/") ? rl.groupVersion.split("/") : ["", rl.groupVersion];
      let g = groups.get(group ?? "");
      if (g === undefined) {
        g = { name: group ?? "", versions: [], preferredVersion: { groupVersion: rl.groupVersion, version: version ?? "" } };
        groups.set(group ?? "", g);
      }
      g.versions.push({ groupVersion: rl.groupVersion, version: version ?? "" });
    }
    return { kind: "APIGroupList", apiVersion: "v1", groups: [...groups.values()] };
  }

  async serverResourcesForGroupVersion(groupVersion: string): Promise<APIResourceList> {
    const rl = (await this.#lists()).find((r) => r.groupVersion === groupVersion);
    if (rl === undefined) throw newNotFound({ group: "", resource: "" }, "");
    return structuredClone(rl);
  }

  serverGroupsAndResources(opts?: DiscoveryCallOptions): Promise<GroupsAndResources> {
    return serverGroupsAndResources(this, opts);
  }

  serverPreferredResources(opts?: DiscoveryCallOptions): Promise<APIResourceList[]> {
    return serverPreferredResources(this, opts);
  }

  serverPreferredNamespacedResources(opts?: DiscoveryCallOptions): Promise<APIResourceList[]> {
    return serverPreferredNamespacedResources(this, opts);
  }

  async serverVersion(): Promise<Info> {
    return structuredClone(
      this.fakedServerVersion ?? { major: "", minor: "", gitVersion: "v0.0.0-master+$Format:%H$", gitCommit: "", gitTreeState: "", buildDate: "", goVersion: "", compiler: "", platform: "" },
    );
  }

  openAPIV3(): OpenAPIV3Client {
    throw new TypeError("the fake discovery client has no OpenAPI documents");
  }

  withLegacy(): DiscoveryInterface {
    return this;
  }
}
