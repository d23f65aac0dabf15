/**
 * The dynamic client (client-go dynamic): CRUD, watch, patch and server-side apply for any resource,
 * named by its GroupVersionResource, on plain JSON objects (Unstructured).
 */
import type { CreateOptions, DeleteOptions, GetOptions, ListOptions, PatchOptions, UpdateOptions } from "@kubets/apimachinery/meta/v1";
import type { Unstructured, UnstructuredList } from "@kubets/apimachinery/runtime";
import type { GroupVersionResource } from "@kubets/apimachinery/schema";
import { stringifyJSON } from "@kubets/apimachinery/serializer";
import type { RestConfig } from "../config/types.js";
import { RESTClient, type RESTClientOptions } from "../rest/client.js";
import { PatchType, type Request, type Watch } from "../rest/request.js";

/** Per-call options besides the API's own: cancellation. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Options of a server-side apply (metav1.ApplyOptions): a field manager is required. */
export interface DynamicApplyOptions extends CallOptions {
  fieldManager: string;
  /** Take ownership of conflicting fields (default false: a conflict fails with 409). */
  force?: boolean;
  dryRun?: string[];
}

/** The request body of a patch: bytes or text as they are, anything else as JSON. */
export type PatchData = string | Uint8Array | object;

/** The operations on one resource, in one namespace or cluster-wide (dynamic.ResourceInterface). */
export interface ResourceInterface {
  create(obj: Unstructured, opts?: CreateOptions & CallOptions, ...subresources: string[]): Promise<Unstructured>;
  update(obj: Unstructured, opts?: UpdateOptions & CallOptions, ...subresources: string[]): Promise<Unstructured>;
  updateStatus(obj: Unstructured, opts?: UpdateOptions & CallOptions): Promise<Unstructured>;
  delete(name: string, opts?: DeleteOptions & CallOptions, ...subresources: string[]): Promise<void>;
  deleteCollection(opts?: DeleteOptions & CallOptions, listOptions?: ListOptions): Promise<void>;
  get(name: string, opts?: GetOptions & CallOptions, ...subresources: string[]): Promise<Unstructured>;
  list(opts?: ListOptions & CallOptions): Promise<UnstructuredList>;
  watch(opts?: ListOptions & CallOptions): Promise<Watch<Unstructured>>;
  patch(name: string, patchType: PatchType | string, data: PatchData, opts?: PatchOptions & CallOptions, ...subresources: string[]): Promise<Unstructured>;
  apply(name: string, obj: Unstructured, opts: DynamicApplyOptions, ...subresources: string[]): Promise<Unstructured>;
  applyStatus(name: string, obj: Unstructured, opts: DynamicApplyOptions): Promise<Unstructured>;
}

/** A resource that may be namespaced (dynamic.NamespaceableResourceInterface). */
export interface NamespaceableResourceInterface extends ResourceInterface {
  namespace(namespace: string): ResourceInterface;
}

/** Problems with a path segment, as rest.IsValidPathSegmentName reports them. */
export function pathSegmentProblems(name: string): string[] {
  if (name === "." || name === "..") return [`may not be '${name}'`];
  const out: string[] = [];
  if (name.includes("/")) out.push("may not contain '/'");
  if (name.includes("%")) out.push("may not contain '%'");
  return out;
}

/** Throws like client-go's validateNamespaceWithOptionalName. */
export function validateNamespaceAndName(namespace: string, name?: string): void {
  const ns = pathSegmentProblems(namespace);
  if (ns.length > 0) throw new TypeError(`invalid namespace ${JSON.stringify(namespace)}: [${ns.join(" ")}]`);
  if (name !== undefined) {
    const n = pathSegmentProblems(name);
    if (n.length > 0) throw new TypeError(`invalid resource name ${JSON.stringify(name)}: [${n.join(" ")}]`);
  }
}

/** `/api/v1[/namespaces/ns]/resource[/name]` or `/apis/group/version/...` as path segments. */
export function resourcePathSegments(gvr: GroupVersionResource, namespace: string, name = ""): string[] {
  const url = gvr.group.length === 0 ? ["api"] : ["apis", gvr.group];
  url.push(gvr.version);
  if (namespace.length > 0) url.push("namespaces", namespace);
  url.push(gvr.resource);
  if (name.length > 0) url.push(name);
  return url;
}

/** Splits a call's options into query parameters and the signal. */
export function splitCallOptions<T extends CallOptions>(opts: T | undefined): { params: Omit<T, "signal">; signal: AbortSignal | undefined } {
  if (!opts) return { params: {} as Omit<T, "signal">, signal: undefined };
  const { signal, ...params } = opts;
  return { params, signal };
}

/** The body of a delete: DeleteOptions in meta/v1 (the "v1" version every group accepts). */
export function deleteOptionsBody(opts: DeleteOptions): DeleteOptions {
  return { kind: "DeleteOptions", apiVersion: "v1", ...opts };
}

/** Fills in the kind and apiVersion of list items that lack both, as client-go's unstructured list decoding does. */
export function completeListItems(list: UnstructuredList): UnstructuredList {
  if (!Array.isArray(list.items)) list.items = [];
  const kind = typeof list.kind === "string" && list.kind.endsWith("List") ? list.kind.slice(0, -4) : undefined;
  if (kind === undefined) return list;
  for (const item of list.items) {
    if (item && typeof item === "object" && !item.kind && !item.apiVersion) {
      item.kind = kind;
      if (list.apiVersion !== undefined) item.apiVersion = list.apiVersion;
    }
  }
  return list;
}

function requireName(name: string): void {
  if (name.length === 0) throw new TypeError("name is required");
}

function objectName(obj: Unstructured): string {
  const name = obj?.metadata?.name;
  return typeof name === "string" ? name : "";
}

/**
 * client-go dynamic.DynamicClient: any resource as Unstructured objects, reached by
 * GroupVersionResource; create it with `newForConfig`.
 */
export class DynamicClient {
  readonly restClient: RESTClient;

  constructor(restClient: RESTClient) {
    this.restClient = restClient;
  }

  /** The operations on one resource; call .namespace(ns) for a namespaced one. */
  resource(resource: GroupVersionResource): NamespaceableResourceInterface {
    return new DynamicResourceClient(this.restClient, resource, "");
  }

  /** Closes the connection pool (when this client owns it). */
  close(): Promise<void> {
    return this.restClient.close();
  }
}

class DynamicResourceClient implements NamespaceableResourceInterface {
  readonly #rest: RESTClient;
  readonly #resource: GroupVersionResource;
  readonly #namespace: string;

  constructor(rest: RESTClient, resource: GroupVersionResource, namespace: string) {
    this.#rest = rest;
    this.#resource = resource;
    this.#namespace = namespace;
  }

  namespace(namespace: string): ResourceInterface {
    return new DynamicResourceClient(this.#rest, this.#resource, namespace);
  }

  #path(req: Request, name: string, subresources: readonly string[]): Request {
    return req.absPath(...resourcePathSegments(this.#resource, this.#namespace, name), ...subresources);
  }

  async create(obj: Unstructured, opts?: CreateOptions & CallOptions, ...subresources: string[]): Promise<Unstructured> {
    let name = "";
    if (subresources.length > 0) {
      name = objectName(obj);
      requireName(name);
    }
    validateNamespaceAndName(this.#namespace, name);
    const { params, signal } = splitCallOptions(opts);
    return this.#path(this.#rest.post(), name, subresources).body(obj).params(params).signal(signal).do<Unstructured>();
  }

  async update(obj: Unstructured, opts?: UpdateOptions & CallOptions, ...subresources: string[]): Promise<Unstructured> {
    const name = objectName(obj);
    requireName(name);
    validateNamespaceAndName(this.#namespace, name);
    const { params, signal } = splitCallOptions(opts);
    return this.#path(this.#rest.put(), name, subresources).body(obj).params(params).signal(signal).do<Unstructured>();
  }

  updateStatus(obj: Unstructured, opts?: UpdateOptions & CallOptions): Promise<Unstructured> {
    return this.update(obj, opts, "status");
  }

  async delete(name: string, opts?: DeleteOptions & CallOptions, ...subresources: string[]): Promise<void> {
    requireName(name);
    validateNamespaceAndName(this.#namespace, name);
    const { params, signal } = splitCallOptions(opts);
    await this.#path(this.#rest.delete(), name, subresources).body(deleteOptionsBody(params)).signal(signal).result();
  }

  async deleteCollection(opts?: DeleteOptions & CallOptions, listOptions: ListOptions = {}): Promise<void> {
    validateNamespaceAndName(this.#namespace);
    const { params, signal } = splitCallOptions(opts);
    await this.#path(this.#rest.delete(), "", []).body(deleteOptionsBody(params)).params(listOptions).signal(signal).result();
  }

  async get(name: string, opts?: GetOptions & CallOptions, ...subresources: string[]): Promise<Unstructured> {
    requireName(name);
    validateNamespaceAndName(this.#namespace, name);
    const { params, signal } = splitCallOptions(opts);
    return this.#path(this.#rest.get(), name, subresources).params(params).signal(signal).do<Unstructured>();
  }

  async list(opts?: ListOptions & CallOptions): Promise<UnstructuredList> {
    validateNamespaceAndName(this.#namespace);
    const { params, signal } = splitCallOptions(opts);
    const list = await this.#path(this.#rest.get(), "", []).params(params).signal(signal).do<UnstructuredList>();
    return completeListItems(list);
  }

  async watch(opts?: ListOptions & CallOptions): Promise<Watch<Unstructured>> {
    validateNamespaceAndName(this.#namespace);
    const { params, signal } = splitCallOptions(opts);
    return this.#path(this.#rest.get(), "", []).params({ ...params, watch: true }).signal(signal).watch<Unstructured>();
  }

  async patch(name: string, patchType: PatchType | string, data: PatchData, opts?: PatchOptions & CallOptions, ...subresources: string[]): Promise<Unstructured> {
    requireName(name);
    validateNamespaceAndName(this.#namespace, name);
    const { params, signal } = splitCallOptions(opts);
    const body = typeof data === "string" || data instanceof Uint8Array ? data : stringifyJSON(data);
    return this.#path(this.#rest.patch(patchType), name, subresources).body(body).params(params).signal(signal).do<Unstructured>();
  }

  async apply(name: string, obj: Unstructured, opts: DynamicApplyOptions, ...subresources: string[]): Promise<Unstructured> {
    requireName(name);
    validateNamespaceAndName(this.#namespace, name);
    const managed = obj?.metadata?.managedFields;
    if (Array.isArray(managed) && managed.length > 0) {
      throw new TypeError(
        "cannot apply an object with managed fields already set: remove metadata.managedFields (apply only the fields this manager owns)",
      );
    }
    const { signal, force, ...rest } = opts;
    if (!rest.fieldManager) throw new TypeError("fieldManager is required for server-side apply");
    const params = { ...rest, force: force ?? false };
    return this.#path(this.#rest.patch(PatchType.Apply), name, subresources)
      .body(stringifyJSON(obj))
      .params(params)
      .signal(signal)
      .do<Unstructured>();
  }

  applyStatus(name: string, obj: Unstructured, opts: DynamicApplyOptions): Promise<Unstructured> {
    return this.apply(name, obj, opts, "status");
  }
}

/** The config the dynamic client uses: JSON both ways, no API path or group version of its own (dynamic.ConfigFor). */
export function dynamicConfig(config: RestConfig): RestConfig {
  const { groupVersion: _gv, apiPath: _ap, ...rest } = config;
  return { ...rest, acceptContentTypes: "application/json", contentType: "application/json" };
}

/** A dynamic client for a config (dynamic.NewForConfig). */
export function newForConfig(config: RestConfig, options: RESTClientOptions = {}): DynamicClient {
  return new DynamicClient(new RESTClient(dynamicConfig(config), options));
}

/** A dynamic client on an existing REST client (dynamic.New). */
export function newDynamicClient(restClient: RESTClient): DynamicClient {
  return new DynamicClient(restClient);
}
