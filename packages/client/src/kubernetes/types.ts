/**
 * The typed clientset's vocabulary (client-go kubernetes/typed/*): the operations a typed resource
 * client offers, the options each takes, and the actions (client-go testing.Action) that a backend
 * (the REST client, or the fake's object tracker) carries out.
 */
import type {
  CreateOptions,
  DeleteOptions,
  GetOptions,
  ListOptions,
  PatchOptions,
  UpdateOptions,
} from "@kubets/apimachinery/meta/v1";
import type { ObjectWatchEvent } from "@kubets/apimachinery/watch";

/** Cancellation for one call (Go's context.Context). */
export interface CallOptions {
  signal?: AbortSignal;
}

/** A group, version and resource. */
export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/** Patch content types (types.PatchType). */
export type PatchTypeName =
  | "application/json-patch+json"
  | "application/merge-patch+json"
  | "application/strategic-merge-patch+json"
  | "application/apply-patch+yaml";

/** A patch body: text or bytes as they are, anything else is sent as JSON. */
export type PatchBody = string | Uint8Array | object;

/** Options of a server-side apply (metav1.ApplyOptions): a field manager is required. */
export interface ApplyCallOptions extends CallOptions {
  fieldManager: string;
  /** Take ownership of fields another manager owns (default false: a conflict fails with 409). */
  force?: boolean;
  dryRun?: string[];
}

/** Any part of T, at any depth: what a server-side apply sends (client-go's apply configurations). */
export type ApplyConfiguration<T> = T extends readonly (infer E)[]
  ? ReadonlyArray<ApplyConfiguration<E>>
  : T extends object
    ? { [K in keyof T]?: ApplyConfiguration<T[K]> }
    : T;

/** A list of typed objects (the `items` and list metadata of a `...List` kind). */
export interface TypedList<T> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number; selfLink?: string };
  items: T[];
}

/** One typed watch event; ERROR events never reach you (they reject the iteration with a StatusError). */
export type TypedWatchEvent<T> = ObjectWatchEvent<T>;

/** An open watch: iterate for events; stop() ends it (the iteration then completes). */
export interface TypedWatch<T> extends AsyncIterable<TypedWatchEvent<T>> {
  stop(): void;
}

/** Every operation a resource client may have; {@link ResourceClientFor} keeps the ones its verbs allow. */
export interface ResourceClient<T, L = TypedList<T>> {
  get(name: string, opts?: GetOptions & CallOptions): Promise<T>;
  list(opts?: ListOptions & CallOptions): Promise<L>;
  watch(opts?: ListOptions & CallOptions): Promise<TypedWatch<T>>;
  create(obj: T, opts?: CreateOptions & CallOptions): Promise<T>;
  update(obj: T, opts?: UpdateOptions & CallOptions): Promise<T>;
  /** A JSON, merge or strategic merge patch (or an apply patch; prefer {@link apply}). */
  patch(name: string, patchType: PatchTypeName | (string & {}), data: PatchBody, opts?: PatchOptions & CallOptions, ...subresources: string[]): Promise<T>;
  /** Server-side apply: sends the object as `application/apply-patch+yaml` (JSON is YAML). */
  apply(obj: ApplyConfiguration<T>, opts: ApplyCallOptions): Promise<T>;
  delete(name: string, opts?: DeleteOptions & CallOptions): Promise<void>;
  deleteCollection(opts?: DeleteOptions & CallOptions, listOpts?: ListOptions): Promise<void>;
}

/** Which methods each Kubernetes verb grants. */
export interface VerbMethods {
  get: "get";
  list: "list";
  watch: "watch";
  create: "create";
  update: "update";
  patch: "patch" | "apply";
  delete: "delete";
  deletecollection: "deleteCollection";
}

/** The resource client with the methods of the given verbs. */
export type ResourceClientFor<T, L, V extends keyof VerbMethods> = Pick<ResourceClient<T, L>, VerbMethods[V]>;

/** The status subresource: methods by verb. */
export interface StatusMethods<T> {
  getStatus(name: string, opts?: GetOptions & CallOptions): Promise<T>;
  updateStatus(obj: T, opts?: UpdateOptions & CallOptions): Promise<T>;
  applyStatus(obj: ApplyConfiguration<T>, opts: ApplyCallOptions): Promise<T>;
}
export interface StatusVerbs {
  get: "getStatus";
  update: "updateStatus";
  patch: "applyStatus";
}

/** The scale subresource (autoscaling/v1 Scale for the built-in workloads). */
export interface ScaleMethods<S> {
  getScale(name: string, opts?: GetOptions & CallOptions): Promise<S>;
  updateScale(name: string, scale: S, opts?: UpdateOptions & CallOptions): Promise<S>;
  applyScale(name: string, scale: ApplyConfiguration<S>, opts: ApplyCallOptions): Promise<S>;
}
export interface ScaleVerbs {
  get: "getScale";
  update: "updateScale";
  patch: "applyScale";
}

/** Options of getLogs (core/v1 PodLogOptions). */
export interface PodLogCallOptions extends CallOptions {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps?: boolean;
  tailLines?: number;
  limitBytes?: number;
  insecureSkipTLSVerifyBackend?: boolean;
  stream?: string;
}

/** The other subresources client-go's typed clients expose, one method each. */
export interface SubresourceMethods<T, S> {
  /** pods/eviction (client-go EvictV1): evicts the pod the Eviction names. */
  evict(eviction: S, opts?: CreateOptions & CallOptions): Promise<void>;
  /** pods/binding (client-go Bind). */
  bind(binding: S, opts?: CreateOptions & CallOptions): Promise<void>;
  /** serviceaccounts/token (client-go CreateToken). */
  createToken(name: string, tokenRequest: S, opts?: CreateOptions & CallOptions): Promise<S>;
  /** pods/log as text (client-go GetLogs(...).DoRaw). */
  getLogs(name: string, opts?: PodLogCallOptions): Promise<string>;
  /** pods/log as a stream of bytes (client-go GetLogs(...).Stream). */
  streamLogs(name: string, opts?: PodLogCallOptions): Promise<AsyncIterable<Uint8Array> & { close(): void }>;
  /** pods/ephemeralcontainers. */
  updateEphemeralContainers(name: string, obj: T, opts?: UpdateOptions & CallOptions): Promise<T>;
  /** pods/resize. */
  updateResize(name: string, obj: T, opts?: UpdateOptions & CallOptions): Promise<T>;
  /** certificatesigningrequests/approval. */
  updateApproval(name: string, obj: T, opts?: UpdateOptions & CallOptions): Promise<T>;
  /** namespaces/finalize. */
  finalize(obj: T, opts?: UpdateOptions & CallOptions): Promise<T>;
}

/** How a subresource maps to methods: method name by verb. */
export const SUBRESOURCE_METHODS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  status: { get: "getStatus", update: "updateStatus", patch: "applyStatus" },
  scale: { get: "getScale", update: "updateScale", patch: "applyScale" },
  eviction: { create: "evict" },
  binding: { create: "bind" },
  token: { create: "createToken" },
  log: { get: "getLogs streamLogs" },
  ephemeralcontainers: { update: "updateEphemeralContainers" },
  resize: { update: "updateResize" },
  approval: { update: "updateApproval" },
  finalize: { update: "finalize" },
};

/** The verb of an action, as client-go's testing package names them. */
export type ActionVerb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "delete-collection";

/**
 * One call of a typed client (client-go testing.Action): what the REST backend sends and what the fake
 * clientset records and hands to its reactors.
 */
export interface Action {
  readonly verb: ActionVerb;
  readonly resource: GroupVersionResource;
  /** The kind the resource serves (e.g. `Pod`). */
  readonly kind: string;
  readonly namespaced: boolean;
  /** "" for cluster-scoped resources and all-namespace calls. */
  readonly namespace: string;
  /** "" for list, watch, create (without subresource) and delete-collection. */
  readonly name: string;
  /** "" or the subresource (`status`, `scale`, ...). */
  readonly subresource: string;
  /** The body of create and update. */
  readonly object?: unknown;
  /** The patch type and body of patch. */
  readonly patchType?: string;
  readonly patch?: string | Uint8Array;
  /** The query options (GetOptions, ListOptions, CreateOptions, UpdateOptions, PatchOptions) without the signal. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** DeleteOptions of delete and delete-collection. */
  readonly deleteOptions?: DeleteOptions;
  /** ListOptions of delete-collection. */
  readonly listOptions?: ListOptions;
  /** The apiVersion of what the call sends and returns when that is another group (`autoscaling/v1` for scale). */
  readonly subresourceAPIVersion?: string;
  /** The response is raw text (pods/log). */
  readonly raw?: "text" | "stream";
  readonly signal?: AbortSignal | undefined;
}

/** Carries out actions: the REST client for a real server, the object tracker for the fake. */
export interface Invoker {
  /** Runs a non-watch action; resolves to the decoded response (undefined for delete). */
  invoke(action: Action): Promise<unknown>;
  /** Runs a watch action. */
  watch(action: Action): Promise<TypedWatch<unknown>>;
}
