/**
 * Discovery algorithms shared by the plain and the cached client (client-go discovery_client.go and
 * helper.go): groups and resources, preferred resources, filtering.
 */
import type { APIGroupList, APIResource, APIResourceList } from "@kubets/apimachinery/meta/v1";
import { groupVersionToString, type GroupVersion } from "@kubets/apimachinery/schema";
import { GroupDiscoveryFailedError, isGroupDiscoveryFailedError } from "./errors.js";
import type { DiscoveryCallOptions, DiscoveryInterface, GroupsAndResources } from "./interface.js";

/** Fetches the resources of every version of every group in parallel (fetchGroupVersionResources). */
export async function fetchGroupVersionResources(
  d: DiscoveryInterface,
  groups: APIGroupList,
  opts: DiscoveryCallOptions = {},
): Promise<{ resources: Map<string, APIResourceList>; failed: Map<string, Error> }> {
  const resources = new Map<string, APIResourceList>();
  const failed = new Map<string, Error>();
  const jobs: Promise<void>[] = [];
  for (const g of groups.groups) {
    for (const v of g.versions) {
      const gv = groupVersionToString({ group: g.name, version: v.version });
      jobs.push(
        d.serverResourcesForGroupVersion(gv, opts).then(
          (list) => {
            resources.set(gv, list);
          },
          (err: unknown) => {
            failed.set(gv, err instanceof Error ? err : new Error(String(err)));
            const partial = (err as { partialResult?: unknown }).partialResult;
            if (partial) resources.set(gv, partial as APIResourceList);
          },
        ),
      );
    }
  }
  await Promise.all(jobs);
  return { resources, failed };
}

/** discovery.ServerGroupsAndResources for any discovery client. */
export async function serverGroupsAndResources(d: DiscoveryInterface, opts: DiscoveryCallOptions = {}): Promise<GroupsAndResources> {
  opts.signal?.throwIfAborted();
  let groupList: APIGroupList;
  let byGV: Map<string, APIResourceList> | undefined;
  let failed = new Map<string, Error>();
  if (d.groupsAndMaybeResources) {
    const r = await d.groupsAndMaybeResources(opts);
    groupList = r.groups;
    byGV = r.resources;
    failed = r.failed;
  } else {
    groupList = await d.serverGroups(opts);
  }
  const groups = [...groupList.groups];
  if (byGV !== undefined) {
    const resources = [...byGV.values()];
    if (failed.size > 0) throw new GroupDiscoveryFailedError(failed, { groups, resources });
    return { groups, resources };
  }
  const fetched = await fetchGroupVersionResources(d, groupList, opts);
  const resources: APIResourceList[] = [];
  for (const g of groupList.groups) {
    for (const v of g.versions) {
      const list = fetched.resources.get(groupVersionToString({ group: g.name, version: v.version }));
      if (list) resources.push(list);
    }
  }
  if (fetched.failed.size > 0) throw new GroupDiscoveryFailedError(fetched.failed, { groups, resources });
  return { groups, resources };
}

/** discovery.ServerPreferredResources: each group resource once, in the group's preferred version when served there. */
export async function serverPreferredResources(d: DiscoveryInterface, opts: DiscoveryCallOptions = {}): Promise<APIResourceList[]> {
  opts.signal?.throwIfAborted();
  let groupList: APIGroupList;
  let byGV: Map<string, APIResourceList> | undefined;
  let failed = new Map<string, Error>();
  if (d.groupsAndMaybeResources) {
    const r = await d.groupsAndMaybeResources(opts);
    groupList = r.groups;
    byGV = r.resources;
    failed = r.failed;
  } else {
    groupList = await d.serverGroups(opts);
  }
  if (byGV === undefined) {
    const fetched = await fetchGroupVersionResources(d, groupList, opts);
    byGV = fetched.resources;
    failed = fetched.failed;
  }
  const result: APIResourceList[] = [];
  const selectedVersion = new Map<string, string>();
  const selected = new Map<string, { group: string; resource: APIResource }>();
  const blueprints = new Map<string, APIResourceList>();
  for (const g of groupList.groups) {
    for (const v of g.versions) {
      const gv = groupVersionToString({ group: g.name, version: v.version });
      const list = byGV.get(gv);
      if (!list) continue;
      const empty: APIResourceList = { kind: "APIResourceList", apiVersion: "v1", groupVersion: v.groupVersion, resources: [] };
      blueprints.set(gv, empty);
      result.push(empty);
      for (const r of list.resources) {
        if (r.name.includes("/")) continue;
        const key = `${g.name}\u0000${r.name}`;
        if (selected.has(key) && v.version !== g.preferredVersion?.version) continue;
        selectedVersion.set(key, v.version);
        selected.set(key, { group: g.name, resource: r });
      }
    }
  }
  for (const [key, { group, resource }] of selected) {
    const version = selectedVersion.get(key) ?? "";
    blueprints.get(groupVersionToString({ group, version }))?.resources.push(resource);
  }
  if (failed.size > 0) throw new GroupDiscoveryFailedError(failed, { groups: groupList.groups, resources: result });
  return result;
}

/** discovery.ServerPreferredNamespacedResources. */
export async function serverPreferredNamespacedResources(d: DiscoveryInterface, opts: DiscoveryCallOptions = {}): Promise<APIResourceList[]> {
  try {
    return filteredBy((_gv, r) => r.namespaced, await d.serverPreferredResources(opts));
  } catch (err) {
    if (isGroupDiscoveryFailedError(err) && err.partial) {
      throw new GroupDiscoveryFailedError(err.groups, {
        groups: err.partial.groups,
        resources: filteredBy((_gv, r) => r.namespaced, err.partial.resources),
      });
    }
    throw err;
  }
}

/** Keeps the resources a predicate accepts, dropping lists left empty (discovery.FilteredBy). */
export function filteredBy(pred: (groupVersion: string, r: APIResource) => boolean, lists: readonly APIResourceList[]): APIResourceList[] {
  const out: APIResourceList[] = [];
  for (const list of lists) {
    const resources = list.resources.filter((r) => pred(list.groupVersion, r));
    if (resources.length > 0) out.push({ ...list, resources });
  }
  return out;
}

/** A predicate that accepts resources supporting every one of the verbs (discovery.SupportsAllVerbs). */
export function supportsAllVerbs(verbs: readonly string[]): (groupVersion: string, r: APIResource) => boolean {
  return (_gv, r) => verbs.every((v) => r.verbs.includes(v));
}

/** The group versions of a set of resource lists (discovery.GroupVersionResources), as `group/version, Resource=...` keys. */
export function groupVersionResources(lists: readonly APIResourceList[]): { group: string; version: string; resource: string }[] {
  const out: { group: string; version: string; resource: string }[] = [];
  for (const list of lists) {
    const i = list.groupVersion.indexOf("/");
    const group = i === -1 ? "" : list.groupVersion.slice(0, i);
    const version = i === -1 ? list.groupVersion : list.groupVersion.slice(i + 1);
    for (const r of list.resources) out.push({ group, version, resource: r.name });
  }
  return out;
}

/** Retries while the error is a GroupDiscoveryFailedError (withRetries, 2 attempts by default). */
export async function withRetries<T>(maxRetries: number, signal: AbortSignal | undefined, f: () => Promise<T>): Promise<T> {
  let lastErr: unknown;
  for (let i = 0; i < maxRetries; i++) {
    try {
      return await f();
    } catch (err) {
      if (!isGroupDiscoveryFailedError(err)) throw err;
      lastErr = err;
      if (signal?.aborted) throw err;
    }
  }
  throw lastErr;
}


/**
 * Resolves when the server serves the group version (discovery.ServerSupportsVersion); a server that
 * lists no versions at all is assumed to support it, as client-go does for very old servers.
 */
export async function serverSupportsVersion(client: DiscoveryInterface, required: GroupVersion, opts: DiscoveryCallOptions = {}): Promise<void> {
  const groups = await client.serverGroups(opts);
  const versions = new Set(groups.groups.flatMap((g) => g.versions.map((v) => v.groupVersion)));
  const want = groupVersionToString(required);
  if (versions.has(want) || versions.size === 0) return;
  throw new Error(`server does not support API version ${JSON.stringify(want)}`);
}
