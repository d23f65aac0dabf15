/**
 * A discovery client that caches in memory (client-go discovery/cached/memory): the first call loads
 * every group version, later calls answer from memory until invalidate(). fresh() is true while the
 * cache holds data loaded since the last invalidate(), so a miss on fresh data is a real miss.
 */
import { isAPIStatus, isTooManyRequests } from "@kubets/apimachinery/errors";
import type { APIGroupList, APIResourceList, Info } from "@kubets/apimachinery/meta/v1";
import { parseGroupVersion } from "@kubets/apimachinery/schema";
import { errorCode } from "../transport/errors.js";
import { CacheNotFoundError, EmptyResponseError } from "./errors.js";
import { serverGroupsAndResources, serverPreferredNamespacedResources, serverPreferredResources } from "./helpers.js";
import type { CachedDiscoveryInterface, DiscoveryCallOptions, DiscoveryInterface, GroupsAndMaybeResources, GroupsAndResources } from "./interface.js";
import type { OpenAPIGroupVersion, OpenAPIV3Client } from "./openapi.js";

interface CacheEntry {
  resourceList: APIResourceList | undefined;
  err: Error | undefined;
}

/** Errors worth asking the server again for: cancellation, refused or reset connections, 5xx, 429. */
function isTransientError(err: unknown): boolean {
  const name = (err as { name?: unknown } | undefined)?.name;
  if (name === "AbortError" || name === "TimeoutError") return true;
  const code = errorCode(err);
  if (code === "ECONNREFUSED" || code === "ECONNRESET" || code === "ETIMEDOUT") return true;
  if (isAPIStatus(err) && (err.status.code ?? 0) >= 500) return true;
  return isTooManyRequests(err);
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export class MemCacheClient implements CachedDiscoveryInterface {
  readonly delegate: DiscoveryInterface;
  #groupToServerResources = new Map<string, CacheEntry>();
  #groupList: APIGroupList | undefined;
  #cacheValid = false;
  #receivedAggregatedDiscovery = false;
  #openapi: OpenAPIV3Client | undefined;
  #refreshing: Promise<void> | undefined;
  /** Bumped by invalidate(), so a load that started before it cannot fill the cache afterwards. */
  #generation = 0;

  constructor(delegate: DiscoveryInterface) {
    this.delegate = delegate;
  }

  async #ensure(opts: DiscoveryCallOptions): Promise<void> {
    while (!this.#cacheValid) {
      this.#refreshing ??= this.#refresh(this.#generation, opts).finally(() => {
        this.#refreshing = undefined;
      });
      await this.#refreshing;
    }
  }

  async #refresh(generation: number, opts: DiscoveryCallOptions): Promise<void> {
    if (this.delegate.groupsAndMaybeResources) {
      const r = await this.delegate.groupsAndMaybeResources(opts);
      if (r.resources !== undefined) {
        if (generation !== this.#generation) return;
        const entries = new Map<string, CacheEntry>();
        for (const [gv, list] of r.resources) entries.set(gv, { resourceList: list, err: undefined });
        for (const [gv, err] of r.failed) entries.set(gv, { resourceList: undefined, err });
        this.#groupToServerResources = entries;
        this.#groupList = r.groups;
        this.#receivedAggregatedDiscovery = true;
        this.#cacheValid = true;
        return;
      }
      await this.#loadLegacy(generation, r.groups, opts);
      return;
    }
    await this.#loadLegacy(generation, await this.delegate.serverGroups(opts), opts);
  }

  async #loadLegacy(generation: number, groups: APIGroupList, opts: DiscoveryCallOptions): Promise<void> {
    if (groups.groups.length === 0) throw new Error("couldn't get current server API group list: the server returned no groups");
    const entries = new Map<string, CacheEntry>();
    await Promise.all(
      groups.groups.flatMap((g) =>
        g.versions.map(async (v) => {
          const gv = v.groupVersion;
          try {
            entries.set(gv, { resourceList: await this.#fetchGroupVersion(gv, opts), err: undefined });
          } catch (err) {
            const e = asError(err);
            entries.set(gv, { resourceList: e instanceof EmptyResponseError ? e.partialResult : undefined, err: e });
          }
        }),
      ),
    );
    if (generation !== this.#generation) return;
    this.#groupToServerResources = entries;
    this.#groupList = groups;
    this.#cacheValid = true;
  }

  async #fetchGroupVersion(gv: string, opts: DiscoveryCallOptions): Promise<APIResourceList> {
    const r = await this.delegate.serverResourcesForGroupVersion(gv, opts);
    if (r.resources.length === 0) throw new EmptyResponseError(gv, r);
    return r;
  }

  async serverResourcesForGroupVersion(groupVersion: string, opts: DiscoveryCallOptions = {}): Promise<APIResourceList> {
    await this.#ensure(opts);
    let entry = this.#groupToServerResources.get(groupVersion);
    if (!entry) throw new CacheNotFoundError(groupVersion);
    if (entry.err !== undefined && isTransientError(entry.err)) {
      const generation = this.#generation;
      try {
        entry = { resourceList: await this.#fetchGroupVersion(groupVersion, opts), err: undefined };
      } catch (err) {
        const e = asError(err);
        entry = { resourceList: e instanceof EmptyResponseError ? e.partialResult : undefined, err: e };
      }
      if (generation === this.#generation) this.#groupToServerResources.set(groupVersion, entry);
    }
    if (entry.err !== undefined) throw entry.err;
    return entry.resourceList!;
  }

  async groupsAndMaybeResources(opts: DiscoveryCallOptions = {}): Promise<GroupsAndMaybeResources> {
    opts.signal?.throwIfAborted();
    await this.#ensure(opts);
    let resources: Map<string, APIResourceList> | undefined;
    const failed = new Map<string, Error>();
    if (this.#receivedAggregatedDiscovery && this.#groupToServerResources.size > 0) {
      resources = new Map();
      for (const [gv, entry] of this.#groupToServerResources) {
        parseGroupVersion(gv);
        if (entry.err !== undefined) failed.set(gv, entry.err);
        else if (entry.resourceList) resources.set(gv, entry.resourceList);
      }
    }
    return { groups: this.#groupList!, resources, failed };
  }

  async serverGroups(opts: DiscoveryCallOptions = {}): Promise<APIGroupList> {
    return (await this.groupsAndMaybeResources(opts)).groups;
  }

  serverGroupsAndResources(opts: DiscoveryCallOptions = {}): Promise<GroupsAndResources> {
    return serverGroupsAndResources(this, opts);
  }

  serverPreferredResources(opts: DiscoveryCallOptions = {}): Promise<APIResourceList[]> {
    return serverPreferredResources(this, opts);
  }

  serverPreferredNamespacedResources(opts: DiscoveryCallOptions = {}): Promise<APIResourceList[]> {
    return serverPreferredNamespacedResources(this, opts);
  }

  serverVersion(opts: DiscoveryCallOptions = {}): Promise<Info> {
    return this.delegate.serverVersion(opts);
  }

  /** An OpenAPI v3 client whose path listing and documents are cached until invalidate(). */
  openAPIV3(): OpenAPIV3Client {
    this.#openapi ??= cachedOpenAPIV3(this.delegate.openAPIV3());
    return this.#openapi;
  }

  fresh(): boolean {
    return this.#cacheValid;
  }

  invalidate(): void {
    this.#generation++;
    this.#cacheValid = false;
    this.#groupToServerResources = new Map();
    this.#groupList = undefined;
    this.#openapi = undefined;
    this.#receivedAggregatedDiscovery = false;
    const d = this.delegate as Partial<CachedDiscoveryInterface>;
    if (typeof d.invalidate === "function") d.invalidate();
  }

  /** The cache answers from memory; there is no separate legacy view. */
  withLegacy(): MemCacheClient {
    return this;
  }
}

function cachedOpenAPIV3(delegate: OpenAPIV3Client): OpenAPIV3Client {
  let paths: Promise<Map<string, OpenAPIGroupVersion>> | undefined;
  return {
    paths(opts = {}) {
      paths ??= delegate.paths(opts).then((m) => {
        const out = new Map<string, OpenAPIGroupVersion>();
        for (const [k, gv] of m) {
          const docs = new Map<string, Promise<Uint8Array>>();
          out.set(k, {
            serverRelativeURL: gv.serverRelativeURL,
            schema(contentType = "application/json", o = {}) {
              let doc = docs.get(contentType);
              if (!doc) {
                doc = gv.schema(contentType, o);
                docs.set(contentType, doc);
                doc.catch(() => docs.delete(contentType));
              }
              return doc;
            },
          });
        }
        return out;
      });
      paths.catch(() => {
        paths = undefined;
      });
      return paths;
    },
  };
}

/** A memory-cached discovery client (memory.NewMemCacheClient). */
export function newMemCacheClient(delegate: DiscoveryInterface): MemCacheClient {
  return new MemCacheClient(delegate);
}
