/**
 * The one generic typed resource client behind every generated `pods(namespace)`, `nodes()`, ...:
 * it turns each call into an {@link Action} and hands it to an {@link Invoker} (the REST client, or
 * the fake clientset's tracker). The generated types expose only the methods the resource's verbs
 * and subresources allow.
 */
import type {
  CreateOptions,
  DeleteOptions,
  GetOptions,
  ListOptions,
  PatchOptions,
  UpdateOptions,
} from "@kubets/apimachinery/meta/v1";
import { fromObject } from "@kubets/apimachinery/errors";
import { stringifyJSON } from "@kubets/apimachinery/serializer";
import type {
  Action,
  ApplyCallOptions,
  CallOptions,
  GroupVersionResource,
  Invoker,
  PatchBody,
  PodLogCallOptions,
  TypedList,
  TypedWatch,
  TypedWatchEvent,
} from "./types.js";

/** What the runtime knows about one resource (a row of the generated table). */
export interface ResourceDescriptor {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Subresource name -> `apiVersion:Kind` it reads and writes ("" when the resource's own kind). */
  readonly subresources: Readonly<Record<string, string>>;
}

/** `v1` or `group/version`. */
export function apiVersionOf(gv: { readonly group: string; readonly version: string }): string {
  return gv.group === "" ? gv.version : `${gv.group}/${gv.version}`;
}

type Meta = { metadata?: { name?: string; namespace?: string; managedFields?: unknown[] } };

function nameOf(obj: unknown): string {
  const n = (obj as Meta | null | undefined)?.metadata?.name;
  return typeof n === "string" ? n : "";
}

function split<O extends CallOptions>(opts: O | undefined): { options: Record<string, unknown>; signal: AbortSignal | undefined } {
  if (opts === undefined) return { options: {}, signal: undefined };
  const { signal, ...options } = opts;
  return { options, signal };
}

/** Adds apiVersion and kind when the object lacks them (protobuf and apply need them; the server accepts them). */
export function withTypeMeta<T>(obj: T, apiVersion: string, kind: string): T {
  const o = obj as { apiVersion?: string; kind?: string } | null;
  if (o === null || typeof o !== "object") return obj;
  if (o.apiVersion && o.kind) return obj;
  return { ...o, apiVersion: o.apiVersion || apiVersion, kind: o.kind || kind } as T;
}

/** Marks a watch whose ERROR events already reject its iteration (see {@link typedWatch}). @internal */
export const errorEventsChecked: unique symbol = Symbol("kubets.errorEventsChecked");

/** Wraps a watch: ERROR events reject the iteration with the StatusError their Status describes. */
export function typedWatch<T>(w: TypedWatch<unknown>): TypedWatch<T> {
  if ((w as { [errorEventsChecked]?: boolean })[errorEventsChecked] === true) return w as TypedWatch<T>;
  return {
    stop: () => w.stop(),
    // A plain iterator over the watch's (not an async generator re-yielding each event): one promise
    // hop per event fewer on the hot path of every informer.
    [Symbol.asyncIterator](): AsyncIterator<TypedWatchEvent<T>> {
      const it = (w as AsyncIterable<TypedWatchEvent<T>>)[Symbol.asyncIterator]();
      let failed = false;
      const check = (r: IteratorResult<TypedWatchEvent<T>>): IteratorResult<TypedWatchEvent<T>> => {
        if (r.done !== true && (r.value as { type: string }).type === "ERROR") {
          failed = true;
          w.stop();
          throw fromObject((r.value as { object: unknown }).object);
        }
        return r;
      };
      return {
        next: () => (failed ? Promise.resolve({ done: true, value: undefined }) : it.next().then(check)),
        return: async () => {
          w.stop();
          await it.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/** The generic typed client of one resource in one namespace ("" for cluster-scoped or all namespaces). */
export class TypedResourceClient<T = unknown, L = TypedList<T>> {
  readonly invoker: Invoker;
  readonly descriptor: ResourceDescriptor;
  readonly namespace: string;
  readonly #gvr: GroupVersionResource;
  readonly #apiVersion: string;

  constructor(invoker: Invoker, descriptor: ResourceDescriptor, namespace: string) {
    this.invoker = invoker;
    this.descriptor = descriptor;
    this.namespace = descriptor.namespaced ? namespace : "";
    this.#gvr = { group: descriptor.group, version: descriptor.version, resource: descriptor.resource };
    this.#apiVersion = apiVersionOf(descriptor);
  }

  #action(a: Omit<Action, "resource" | "kind" | "namespaced" | "namespace" | "subresource"> & { subresource?: string; namespace?: string }): Action {
    const sub = a.subresource ?? "";
    const out: Action = {
      resource: this.#gvr,
      kind: this.descriptor.kind,
      namespaced: this.descriptor.namespaced,
      namespace: this.namespace,
      ...a,
      subresource: sub,
    };
    const typed = sub === "" ? "" : this.descriptor.subresources[sub];
    if (typed) return { ...out, subresourceAPIVersion: typed.slice(0, typed.lastIndexOf(":")) };
    return out;
  }

  #typeMetaFor(sub: string): [string, string] {
    const typed = sub === "" ? "" : this.descriptor.subresources[sub];
    if (typed) {
      const i = typed.lastIndexOf(":");
      return [typed.slice(0, i), typed.slice(i + 1)];
    }
    return [this.#apiVersion, this.descriptor.kind];
  }

  #requireName(name: string, what: string): void {
    if (name === "") throw new TypeError(`${what}: the ${this.descriptor.kind} name is required (set metadata.name)`);
  }

  async get(name: string, opts?: GetOptions & CallOptions): Promise<T> {
    this.#requireName(name, "get");
    const { options, signal } = split(opts);
    return (await this.invoker.invoke(this.#action({ verb: "get", name, options, signal }))) as T;
  }

  async list(opts?: ListOptions & CallOptions): Promise<L> {
    const { options, signal } = split(opts);
    const list = (await this.invoker.invoke(this.#action({ verb: "list", name: "", options, signal }))) as { items?: unknown[] | null } | undefined;
    // Protobuf cannot tell an empty list from a missing one: always give an array, as the JSON does.
    if (list !== null && typeof list === "object" && !Array.isArray(list.items)) list.items = [];
    return list as L;
  }

  async watch(opts?: ListOptions & CallOptions): Promise<TypedWatch<T>> {
    const { options, signal } = split(opts);
    return typedWatch<T>(await this.invoker.watch(this.#action({ verb: "watch", name: "", options: { ...options, watch: true }, signal })));
  }

  async create(obj: T, opts?: CreateOptions & CallOptions): Promise<T> {
    return this.#write("create", "", "", obj, opts) as Promise<T>;
  }

  async update(obj: T, opts?: UpdateOptions & CallOptions): Promise<T> {
    const name = nameOf(obj);
    this.#requireName(name, "update");
    return this.#write("update", name, "", obj, opts) as Promise<T>;
  }

  async #write(verb: "create" | "update", name: string, subresource: string, obj: unknown, opts: CallOptions | undefined): Promise<unknown> {
    const { options, signal } = split(opts);
    const [av, kind] = this.#typeMetaFor(subresource);
    return this.invoker.invoke(this.#action({ verb, name, subresource, object: withTypeMeta(obj, av, kind), options, signal }));
  }

  async patch(name: string, patchType: string, data: PatchBody, opts?: PatchOptions & CallOptions, ...subresources: string[]): Promise<T> {
    this.#requireName(name, "patch");
    const { options, signal } = split(opts);
    const patch = typeof data === "string" || data instanceof Uint8Array ? data : stringifyJSON(data);
    return (await this.invoker.invoke(this.#action({ verb: "patch", name, subresource: subresources.join("/"), patchType, patch, options, signal }))) as T;
  }

  async #apply(obj: unknown, name: string, subresource: string, opts: ApplyCallOptions): Promise<unknown> {
    this.#requireName(name, "apply");
    const managed = (obj as Meta | null)?.metadata?.managedFields;
    if (Array.isArray(managed) && managed.length > 0) {
      throw new TypeError("apply: remove metadata.managedFields from the object (apply only the fields this manager owns)");
    }
    const { signal, force, ...rest } = opts;
    if (!rest.fieldManager) throw new TypeError("apply: fieldManager is required for server-side apply");
    const [av, kind] = this.#typeMetaFor(subresource);
    const patch = stringifyJSON(withTypeMeta(obj, av, kind));
    return this.invoker.invoke(
      this.#action({ verb: "patch", name, subresource, patchType: "application/apply-patch+yaml", patch, options: { ...rest, force: force ?? false }, signal }),
    );
  }

  async apply(obj: unknown, opts: ApplyCallOptions): Promise<T> {
    return (await this.#apply(obj, nameOf(obj), "", opts)) as T;
  }

  async delete(name: string, opts?: DeleteOptions & CallOptions): Promise<void> {
    this.#requireName(name, "delete");
    const { options, signal } = split(opts);
    await this.invoker.invoke(this.#action({ verb: "delete", name, deleteOptions: options as DeleteOptions, signal }));
  }

  async deleteCollection(opts?: DeleteOptions & CallOptions, listOpts: ListOptions = {}): Promise<void> {
    const { options, signal } = split(opts);
    await this.invoker.invoke(this.#action({ verb: "delete-collection", name: "", deleteOptions: options as DeleteOptions, listOptions: listOpts, signal }));
  }

  // ---- subresources --------------------------------------------------------------------------

  async getStatus(name: string, opts?: GetOptions & CallOptions): Promise<T> {
    this.#requireName(name, "getStatus");
    const { options, signal } = split(opts);
    return (await this.invoker.invoke(this.#action({ verb: "get", name, subresource: "status", options, signal }))) as T;
  }

  async updateStatus(obj: T, opts?: UpdateOptions & CallOptions): Promise<T> {
    const name = nameOf(obj);
    this.#requireName(name, "updateStatus");
    return (await this.#write("update", name, "status", obj, opts)) as T;
  }

  async applyStatus(obj: unknown, opts: ApplyCallOptions): Promise<T> {
    return (await this.#apply(obj, nameOf(obj), "status", opts)) as T;
  }

  async getScale(name: string, opts?: GetOptions & CallOptions): Promise<unknown> {
    this.#requireName(name, "getScale");
    const { options, signal } = split(opts);
    return this.invoker.invoke(this.#action({ verb: "get", name, subresource: "scale", options, signal }));
  }

  async updateScale(name: string, scale: unknown, opts?: UpdateOptions & CallOptions): Promise<unknown> {
    this.#requireName(name, "updateScale");
    return this.#write("update", name, "scale", scale, opts);
  }

  async applyScale(name: string, scale: unknown, opts: ApplyCallOptions): Promise<unknown> {
    return this.#apply(scale, name, "scale", opts);
  }

  async evict(eviction: unknown, opts?: CreateOptions & CallOptions): Promise<void> {
    const name = nameOf(eviction);
    this.#requireName(name, "evict");
    await this.#write("create", name, "eviction", eviction, opts);
  }

  async bind(binding: unknown, opts?: CreateOptions & CallOptions): Promise<void> {
    const name = nameOf(binding);
    this.#requireName(name, "bind");
    await this.#write("create", name, "binding", binding, opts);
  }

  async createToken(name: string, tokenRequest: unknown, opts?: CreateOptions & CallOptions): Promise<unknown> {
    this.#requireName(name, "createToken");
    return this.#write("create", name, "token", tokenRequest, opts);
  }

  async getLogs(name: string, opts?: PodLogCallOptions): Promise<string> {
    this.#requireName(name, "getLogs");
    const { options, signal } = split(opts);
    return (await this.invoker.invoke(this.#action({ verb: "get", name, subresource: "log", options, signal, raw: "text" }))) as string;
  }

  async streamLogs(name: string, opts?: PodLogCallOptions): Promise<AsyncIterable<Uint8Array> & { close(): void }> {
    this.#requireName(name, "streamLogs");
    const { options, signal } = split(opts);
    return (await this.invoker.invoke(this.#action({ verb: "get", name, subresource: "log", options, signal, raw: "stream" }))) as AsyncIterable<Uint8Array> & {
      close(): void;
    };
  }

  async updateEphemeralContainers(name: string, obj: T, opts?: UpdateOptions & CallOptions): Promise<T> {
    this.#requireName(name, "updateEphemeralContainers");
    return (await this.#write("update", name, "ephemeralcontainers", obj, opts)) as T;
  }

  async updateResize(name: string, obj: T, opts?: UpdateOptions & CallOptions): Promise<T> {
    this.#requireName(name, "updateResize");
    return (await this.#write("update", name, "resize", obj, opts)) as T;
  }

  async updateApproval(name: string, obj: T, opts?: UpdateOptions & CallOptions): Promise<T> {
    this.#requireName(name, "updateApproval");
    return (await this.#write("update", name, "approval", obj, opts)) as T;
  }

  async finalize(obj: T, opts?: UpdateOptions & CallOptions): Promise<T> {
    const name = nameOf(obj);
    this.#requireName(name, "finalize");
    return (await this.#write("update", name, "finalize", obj, opts)) as T;
  }
}
