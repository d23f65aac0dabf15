/**
 * The discovery client (client-go discovery.DiscoveryClient): asks the API server which groups,
 * versions and resources it serves. It prefers aggregated discovery (apidiscovery.k8s.io/v2, one request
 * each for /api and /apis) and falls back to the legacy endpoints when the server does not serve it.
 */
import { isNotFound } from "@kubets/apimachinery/errors";
import type { APIGroup, APIGroupList, APIResourceList, APIVersions, Info } from "@kubets/apimachinery/meta/v1";
import { DecodeError, parseMediaType } from "@kubets/apimachinery/serializer";
import type { RestConfig } from "../config/types.js";
import { RESTClient, type RESTClientOptions } from "../rest/client.js";
import { type APIGroupDiscoveryList, splitGroupsAndResources } from "./aggregated.js";
import {
  serverGroupsAndResources,
  serverPreferredNamespacedResources,
  serverPreferredResources,
  withRetries,
} from "./helpers.js";
import type { DiscoveryCallOptions, DiscoveryInterface, GroupsAndMaybeResources, GroupsAndResources } from "./interface.js";
import { newOpenAPIV3Client, type OpenAPIV3Client } from "./openapi.js";

/** Accept header of the legacy discovery documents. */
export const AcceptV1 = "application/json";
/** Accept header of aggregated discovery. */
export const AcceptV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
/** Aggregated discovery without peer-aggregated resources. */
export const AcceptV2NoPeer = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;profile=nopeer";

const DEFAULT_RETRIES = 2;
/** client-go's discovery defaults: a 32 s timeout and a burst of 300. */
const DEFAULT_TIMEOUT_MS = 32_000;
const DEFAULT_BURST = 300;

function selectAcceptHeader(useLegacy: boolean, noPeer: boolean): string {
  if (useLegacy) return AcceptV1;
  const formats = `${AcceptV2},${AcceptV1}`;
  return noPeer ? `${AcceptV2NoPeer},${formats}` : formats;
}

/** True when a Content-Type names the given group, version and kind (discovery.ContentTypeIsGVK). */
export function contentTypeIsGVK(contentType: string, gvk: { group: string; version: string; kind: string }): boolean {
  const mt = parseMediaType(contentType);
  if (!mt) return false;
  return mt.mediaType === "application/json" && mt.params["g"] === gvk.group && mt.params["v"] === gvk.version && mt.params["as"] === gvk.kind;
}

const V2_GVK = { group: "apidiscovery.k8s.io", version: "v2", kind: "APIGroupDiscoveryList" };

function parseJSON<T>(body: Uint8Array, what: string): T {
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8")) as T;
  } catch (cause) {
    throw new DecodeError(`discovery: the ${what} document is not valid JSON`, { cause });
  }
}

/** The config a discovery client uses: no API path or group version, a 32 s timeout and a burst of 300 unless set. */
export function discoveryConfig(config: RestConfig): RestConfig {
  const { groupVersion: _gv, apiPath: _ap, ...rest } = config;
  return {
    ...rest,
    timeout: config.timeout && config.timeout > 0 ? config.timeout : DEFAULT_TIMEOUT_MS,
    burst: config.burst && config.burst > 0 ? config.burst : DEFAULT_BURST,
    acceptContentTypes: "application/json",
    contentType: "application/json",
  };
}

export interface DiscoveryClientOptions {
  /** Path of the core group (default `/api`). */
  legacyPrefix?: string;
  /** Only use the legacy endpoints. */
  useLegacyDiscovery?: boolean;
  /** Ask for aggregated discovery without peer-aggregated resources. */
  noPeerDiscovery?: boolean;
}

export class DiscoveryClient implements DiscoveryInterface {
  readonly restClient: RESTClient;
  readonly legacyPrefix: string;
  readonly useLegacyDiscovery: boolean;
  readonly noPeerDiscovery: boolean;

  constructor(restClient: RESTClient, options: DiscoveryClientOptions = {}) {
    this.restClient = restClient;
    this.legacyPrefix = options.legacyPrefix ?? "/api";
    this.useLegacyDiscovery = options.useLegacyDiscovery ?? false;
    this.noPeerDiscovery = options.noPeerDiscovery ?? false;
  }

  /** A copy that uses only the legacy endpoints (sharing the connection pool). */
  withLegacy(): DiscoveryClient {
    return new DiscoveryClient(this.restClient, {
      legacyPrefix: this.legacyPrefix,
      useLegacyDiscovery: true,
      noPeerDiscovery: this.noPeerDiscovery,
    });
  }

  async groupsAndMaybeResources(opts: DiscoveryCallOptions = {}): Promise<GroupsAndMaybeResources> {
    opts.signal?.throwIfAborted();
    const legacy = await this.#download("/api", true, opts);
    const apis = await this.#download("/apis", false, opts);
    const groups: APIGroupList = { ...legacy.groups, groups: [...legacy.groups.groups, ...apis.groups.groups] };
    let resources: Map<string, APIResourceList> | undefined;
    if (legacy.resources !== undefined && apis.resources !== undefined) {
      resources = new Map([...legacy.resources, ...apis.resources]);
    }
    const failed = new Map([...legacy.failed, ...apis.failed]);
    return { groups, resources, failed };
  }

  async #download(path: string, legacy: boolean, opts: DiscoveryCallOptions): Promise<GroupsAndMaybeResources> {
    const accept = selectAcceptHeader(this.useLegacyDiscovery, this.noPeerDiscovery);
    let result;
    try {
      result = await this.restClient.get().absPath(path).setHeader("accept", accept).signal(opts.signal).result();
    } catch (err) {
      if (legacy && isNotFound(err)) {
        return { groups: { kind: "APIGroupList", apiVersion: "v1", groups: [] }, resources: new Map(), failed: new Map() };
      }
      throw err;
    }
    if (contentTypeIsGVK(result.contentType, V2_GVK)) {
      const split = splitGroupsAndResources(parseJSON<APIGroupDiscoveryList>(result.body, `aggregated ${path}`));
      return { groups: split.groups, resources: split.resources, failed: split.failed };
    }
    if (legacy) {
      const v = parseJSON<APIVersions>(result.body, path);
      const versions = (v.versions ?? []).map((ver) => ({ groupVersion: ver, version: ver }));
      const group: APIGroup = { name: "", versions };
      if (versions.length > 0) group.preferredVersion = versions[0]!;
      return { groups: { kind: "APIGroupList", apiVersion: "v1", groups: [group] }, resources: undefined, failed: new Map() };
    }
    const list = parseJSON<APIGroupList>(result.body, path);
    return { groups: { kind: "APIGroupList", apiVersion: "v1", groups: list.groups ?? [] }, resources: undefined, failed: new Map() };
  }

  async serverGroups(opts: DiscoveryCallOptions = {}): Promise<APIGroupList> {
    return (await this.groupsAndMaybeResources(opts)).groups;
  }

  async serverResourcesForGroupVersion(groupVersion: string, opts: DiscoveryCallOptions = {}): Promise<APIResourceList> {
    if (groupVersion.length === 0) throw new TypeError("groupVersion shouldn't be empty");
    const path = this.legacyPrefix.length > 0 && groupVersion === "v1" ? `${this.legacyPrefix}/${groupVersion}` : `/apis/${groupVersion}`;
    try {
      const list = await this.restClient.get().absPath(path).setHeader("accept", AcceptV1).signal(opts.signal).do<APIResourceList>();
      return { ...list, groupVersion: list.groupVersion || groupVersion, resources: list.resources ?? [] };
    } catch (err) {
      if (groupVersion === "v1" && isNotFound(err)) return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources: [] };
      throw err;
    }
  }

  serverGroupsAndResources(opts: DiscoveryCallOptions = {}): Promise<GroupsAndResources> {
    return withRetries(DEFAULT_RETRIES, opts.signal, () => serverGroupsAndResources(this, opts));
  }

  serverPreferredResources(opts: DiscoveryCallOptions = {}): Promise<APIResourceList[]> {
    return withRetries(DEFAULT_RETRIES, opts.signal, () => serverPreferredResources(this, opts));
  }

  serverPreferredNamespacedResources(opts: DiscoveryCallOptions = {}): Promise<APIResourceList[]> {
    return serverPreferredNamespacedResources(this, opts);
  }

  async serverVersion(opts: DiscoveryCallOptions = {}): Promise<Info> {
    const body = await this.restClient.get().absPath("/version").signal(opts.signal).doRaw();
    try {
      return parseJSON<Info>(body, "/version");
    } catch (cause) {
      throw new DecodeError(`unable to parse the server version: ${(cause as Error).message}`, { cause });
    }
  }

  openAPIV3(): OpenAPIV3Client {
    return newOpenAPIV3Client(this.restClient);
  }

  /** Closes the connection pool of the underlying REST client (when it owns one). */
  close(): Promise<void> {
    return this.restClient.close();
  }
}

/** A discovery client for a config (discovery.NewDiscoveryClientForConfig). */
export function newDiscoveryClientForConfig(config: RestConfig, options: DiscoveryClientOptions & RESTClientOptions = {}): DiscoveryClient {
  const { legacyPrefix, useLegacyDiscovery, noPeerDiscovery, ...restOptions } = options;
  const dopts: DiscoveryClientOptions = {};
  if (legacyPrefix !== undefined) dopts.legacyPrefix = legacyPrefix;
  if (useLegacyDiscovery !== undefined) dopts.useLegacyDiscovery = useLegacyDiscovery;
  if (noPeerDiscovery !== undefined) dopts.noPeerDiscovery = noPeerDiscovery;
  return new DiscoveryClient(new RESTClient(discoveryConfig(config), restOptions), dopts);
}

/** A discovery client on an existing REST client (discovery.NewDiscoveryClient). */
export function newDiscoveryClient(restClient: RESTClient, options: DiscoveryClientOptions = {}): DiscoveryClient {
  return new DiscoveryClient(restClient, options);
}
