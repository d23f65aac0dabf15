import type { GroupVersion } from "@kubets/apimachinery/schema";
import { groupVersionToString } from "@kubets/apimachinery/schema";
import type { APIGroup, APIResourceList } from "@kubets/apimachinery/meta/v1";

/** A group version the server marked "Stale" in aggregated discovery (discovery.StaleGroupVersionError). */
export class StaleGroupVersionError extends Error {
  override readonly name = "StaleGroupVersionError" as const;
  readonly groupVersion: GroupVersion;
  constructor(gv: GroupVersion) {
    super(`stale GroupVersion discovery: ${groupVersionToString(gv)}`);
    this.groupVersion = gv;
  }
}

/**
 * Some group versions could not be discovered (discovery.ErrGroupDiscoveryFailed). `groups` maps each
 * failed `group/version` to its error; `partial` holds what was discovered, as client-go returns both.
 */
export class GroupDiscoveryFailedError extends Error {
  override readonly name = "GroupDiscoveryFailedError" as const;
  readonly groups: ReadonlyMap<string, Error>;
  readonly partial: { groups: APIGroup[]; resources: APIResourceList[] } | undefined;

  constructor(groups: ReadonlyMap<string, Error>, partial?: { groups: APIGroup[]; resources: APIResourceList[] }) {
    const parts = [...groups.entries()].map(([gv, err]) => `${gv}: ${err.message}`).sort();
    super(`unable to retrieve the complete list of server APIs: ${parts.join(", ")}`);
    this.groups = groups;
    this.partial = partial;
  }
}

/** True for a GroupDiscoveryFailedError (discovery.IsGroupDiscoveryFailedError). */
export function isGroupDiscoveryFailedError(err: unknown): err is GroupDiscoveryFailedError {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "GroupDiscoveryFailedError";
}

/** A group version a cached discovery client has no entry for (memory.ErrCacheNotFound). */
export class CacheNotFoundError extends Error {
  override readonly name = "CacheNotFoundError" as const;
  readonly groupVersion: string;
  constructor(groupVersion: string) {
    super(`not found: the discovery cache has no group version ${JSON.stringify(groupVersion)}`);
    this.groupVersion = groupVersion;
  }
}

/** A group version that lists no resources (the memory cache's emptyResponseError). */
export class EmptyResponseError extends Error {
  override readonly name = "EmptyResponseError" as const;
  readonly groupVersion: string;
  /** The (empty) list the server returned. */
  readonly partialResult: APIResourceList | undefined;
  constructor(groupVersion: string, partialResult?: APIResourceList) {
    super(`received empty response for: ${groupVersion}`);
    this.groupVersion = groupVersion;
    this.partialResult = partialResult;
  }
}
