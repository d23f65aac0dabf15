/**
 * The metadata client (client-go metadata): get, list, watch, patch and delete any resource as
 * PartialObjectMetadata, asking the server through content negotiation to send only the metadata,
 * in protobuf first (as client-go does), JSON as the fallback.
 */
import type {
  DeleteOptions,
  GetOptions,
  ListOptions,
  ObjectMeta,
  PartialObjectMetadata,
  PartialObjectMetadataList,
  PatchOptions,
} from "@kubets/apimachinery/meta/v1";
import { meta_v1, ProtoReader, ProtoWriter } from "@kubets/apimachinery/protobuf";
import { DecodeError, MapProtobufCodecRegistry, stringifyJSON, type ProtobufCodec } from "@kubets/apimachinery/serializer";
import type { GroupVersionResource } from "@kubets/apimachinery/schema";
import type { RestConfig } from "../config/types.js";
import { RESTClient, type RESTClientOptions } from "../rest/client.js";
import type { PatchType, Request, Watch } from "../rest/request.js";
import {
  deleteOptionsBody,
  resourcePathSegments,
  splitCallOptions,
  validateNamespaceAndName,
  type CallOptions,
  type PatchData,
} from "../dynamic/client.js";

/** Accept header for one object's metadata (client-go's): protobuf, then JSON, falling back to the full object in JSON. */
export const ACCEPT_PARTIAL_OBJECT_METADATA =
  "application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
/** Accept header for a list's metadata (client-go's): protobuf, then JSON, falling back to the full list in JSON. */
export const ACCEPT_PARTIAL_OBJECT_METADATA_LIST =
  "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

const META_GROUP_VERSION = "meta.k8s.io/v1";

function codecOf(read: (r: ProtoReader) => object, write: (w: ProtoWriter, v: never) => void): ProtobufCodec {
  return {
    decode: (raw) => read(new ProtoReader(raw, 0, raw.length)),
    encode: (obj) => {
      const w = new ProtoWriter();
      write(w, obj as never);
      return w.finish();
    },
  };
}

/**
 * The protobuf codecs a metadata response can need: PartialObjectMetadata, PartialObjectMetadataList (its
 * items carry no TypeMeta in protobuf; they get the apiVersion and kind the JSON form has) and Status.
 */
function metadataCodecs(): MapProtobufCodecRegistry {
  const list = codecOf(meta_v1.readPartialObjectMetadataList, meta_v1.writePartialObjectMetadataList);
  return new MapProtobufCodecRegistry()
    .register(META_GROUP_VERSION, "PartialObjectMetadata", codecOf(meta_v1.readPartialObjectMetadata, meta_v1.writePartialObjectMetadata))
    .register(META_GROUP_VERSION, "PartialObjectMetadataList", {
      decode: (raw) => {
        const l = list.decode(raw) as { items?: Array<Record<string, unknown>> };
        const items = l.items ?? [];
        for (let i = 0; i < items.length; i++) {
          const it = items[i]!;
          if (it["kind"] === undefined) items[i] = { apiVersion: META_GROUP_VERSION, kind: "PartialObjectMetadata", ...it };
        }
        return l;
      },
      encode: list.encode,
    })
    .register("v1", "Status", codecOf(meta_v1.readStatus, meta_v1.writeStatus));
}

/** The operations on one resource (metadata.ResourceInterface). */
export interface MetadataResourceInterface {
  get(name: string, opts?: GetOptions & CallOptions, ...subresources: string[]): Promise<PartialObjectMetadata>;
  list(opts?: ListOptions & CallOptions): Promise<PartialObjectMetadataList>;
  watch(opts?: ListOptions & CallOptions): Promise<Watch<PartialObjectMetadata>>;
  delete(name: string, opts?: DeleteOptions & CallOptions, ...subresources: string[]): Promise<void>;
  deleteCollection(opts?: DeleteOptions & CallOptions, listOptions?: ListOptions): Promise<void>;
  patch(name: string, patchType: PatchType | string, data: PatchData, opts?: PatchOptions & CallOptions, ...subresources: string[]): Promise<PartialObjectMetadata>;
}

/** metadata.Getter: a resource that may be namespaced. */
export interface MetadataNamespaceableResourceInterface extends MetadataResourceInterface {
  namespace(namespace: string): MetadataResourceInterface;
}

function isLikelyObjectMetadata(meta: ObjectMeta | undefined): boolean {
  if (!meta) return false;
  return !!meta.uid || !!meta.creationTimestamp || !!meta.name || !!meta.generateName;
}

/**
 * The object as PartialObjectMetadata. A server (or aggregated API) that ignored the `as=` negotiation
 * sends the full object; then only its metadata is kept, as client-go does.
 */
export function toPartialObjectMetadata(obj: unknown): PartialObjectMetadata {
  if (typeof obj !== "object" || obj === null) throw new DecodeError("unable to decode returned object as PartialObjectMetadata: not an object");
  const o = obj as { apiVersion?: unknown; kind?: unknown; metadata?: ObjectMeta };
  if (o.apiVersion === META_GROUP_VERSION && o.kind === "PartialObjectMetadata") return o as PartialObjectMetadata;
  if (!isLikelyObjectMetadata(o.metadata)) {
    throw new DecodeError(`object does not appear to match the ObjectMeta schema: kind ${JSON.stringify(o.kind)}, apiVersion ${JSON.stringify(o.apiVersion)}`);
  }
  return { metadata: o.metadata! };
}

/** The list as PartialObjectMetadataList (falling back to the metadata of each item of a full list). */
export function toPartialObjectMetadataList(obj: unknown): PartialObjectMetadataList {
  if (typeof obj !== "object" || obj === null) throw new DecodeError("unable to decode returned object as PartialObjectMetadataList: not an object");
  const o = obj as { apiVersion?: unknown; kind?: unknown; metadata?: PartialObjectMetadataList["metadata"]; items?: unknown };
  if (o.apiVersion === META_GROUP_VERSION && o.kind === "PartialObjectMetadataList") {
    const list = o as PartialObjectMetadataList;
    if (!Array.isArray(list.items)) list.items = [];
    return list;
  }
  const items = Array.isArray(o.items) ? o.items : [];
  const out: PartialObjectMetadataList = {
    items: items.map((it: { apiVersion?: string; kind?: string; metadata?: ObjectMeta }) => {
      const p: PartialObjectMetadata = {};
      if (it?.apiVersion) p.apiVersion = it.apiVersion;
      if (it?.kind) p.kind = it.kind;
      if (it?.metadata) p.metadata = it.metadata;
      return p;
    }),
  };
  if (o.metadata) out.metadata = o.metadata;
  return out;
}

/**
 * client-go metadata.Client: any resource as PartialObjectMetadata (only apiVersion, kind and metadata),
 * fetched as the server's metadata-only representation.
 */
export class MetadataClient {
  readonly restClient: RESTClient;
  constructor(restClient: RESTClient) {
    this.restClient = restClient;
  }

  resource(resource: GroupVersionResource): MetadataNamespaceableResourceInterface {
    return new MetadataResourceClient(this.restClient, resource, "");
  }

  close(): Promise<void> {
    return this.restClient.close();
  }
}

class MetadataResourceClient implements MetadataNamespaceableResourceInterface {
  readonly #rest: RESTClient;
  readonly #resource: GroupVersionResource;
  readonly #namespace: string;

  constructor(rest: RESTClient, resource: GroupVersionResource, namespace: string) {
    this.#rest = rest;
    this.#resource = resource;
    this.#namespace = namespace;
  }

  namespace(namespace: string): MetadataResourceInterface {
    return new MetadataResourceClient(this.#rest, this.#resource, namespace);
  }

  #path(req: Request, name: string, subresources: readonly string[]): Request {
    return req.absPath(...resourcePathSegments(this.#resource, this.#namespace, name), ...subresources);
  }

  async get(name: string, opts?: GetOptions & CallOptions, ...subresources: string[]): Promise<PartialObjectMetadata> {
    if (name.length === 0) throw new TypeError("name is required");
    validateNamespaceAndName(this.#namespace, name);
    const { params, signal } = splitCallOptions(opts);
    const obj = await this.#path(this.#rest.get(), name, subresources)
      .setHeader("accept", ACCEPT_PARTIAL_OBJECT_METADATA)
      .params(params)
      .signal(signal)
      .do<unknown>();
    return toPartialObjectMetadata(obj);
  }

  async list(opts?: ListOptions & CallOptions): Promise<PartialObjectMetadataList> {
    validateNamespaceAndName(this.#namespace);
    const { params, signal } = splitCallOptions(opts);
    const obj = await this.#path(this.#rest.get(), "", [])
      .setHeader("accept", ACCEPT_PARTIAL_OBJECT_METADATA_LIST)
      .params(params)
      .signal(signal)
      .do<unknown>();
    return toPartialObjectMetadataList(obj);
  }

  async watch(opts?: ListOptions & CallOptions): Promise<Watch<PartialObjectMetadata>> {
    validateNamespaceAndName(this.#namespace);
    const { params, signal } = splitCallOptions(opts);
    const req = this.#path(this.#rest.get(), "", [])
      .setHeader("accept", ACCEPT_PARTIAL_OBJECT_METADATA)
      .params({ ...params, watch: true })
      .signal(signal);
    if (params.timeoutSeconds !== undefined && params.timeoutSeconds > 0) req.timeout(params.timeoutSeconds * 1000);
    return req.watch<PartialObjectMetadata>();
  }

  async delete(name: string, opts?: DeleteOptions & CallOptions, ...subresources: string[]): Promise<void> {
    if (name.length === 0) throw new TypeError("name is required");
    validateNamespaceAndName(this.#namespace, name);
    const { params, signal } = splitCallOptions(opts);
    await this.#path(this.#rest.delete(), name, subresources)
      .setHeader("content-type", "application/json")
      .body(deleteOptionsBody(params))
      .signal(signal)
      .result();
  }

  async deleteCollection(opts?: DeleteOptions & CallOptions, listOptions: ListOptions = {}): Promise<void> {
    validateNamespaceAndName(this.#namespace);
    const { params, signal } = splitCallOptions(opts);
    await this.#path(this.#rest.delete(), "", [])
      .setHeader("content-type", "application/json")
      .body(deleteOptionsBody(params))
      .params(listOptions)
      .signal(signal)
      .result();
  }

  async patch(name: string, patchType: PatchType | string, data: PatchData, opts?: PatchOptions & CallOptions, ...subresources: string[]): Promise<PartialObjectMetadata> {
    if (name.length === 0) throw new TypeError("name is required");
    validateNamespaceAndName(this.#namespace, name);
    const { params, signal } = splitCallOptions(opts);
    const body = typeof data === "string" || data instanceof Uint8Array ? data : stringifyJSON(data);
    const obj = await this.#path(this.#rest.patch(patchType), name, subresources)
      .setHeader("accept", ACCEPT_PARTIAL_OBJECT_METADATA)
      .body(body)
      .params(params)
      .signal(signal)
      .do<unknown>();
    return toPartialObjectMetadata(obj);
  }
}

/**
 * The config the metadata client uses: JSON request bodies, no API path or group version of its own.
 * Reads ask for protobuf PartialObjectMetadata first (each request sets its own Accept header).
 */
export function metadataConfig(config: RestConfig): RestConfig {
  const { groupVersion: _gv, apiPath: _ap, ...rest } = config;
  return { ...rest, acceptContentTypes: "application/json", contentType: "application/json" };
}

/** A metadata client for a config (metadata.NewForConfig); `options.protobuf` replaces its metadata codecs. */
export function newForConfig(config: RestConfig, options: RESTClientOptions = {}): MetadataClient {
  return new MetadataClient(new RESTClient(metadataConfig(config), { protobuf: metadataCodecs(), ...options }));
}

