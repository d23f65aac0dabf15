/**
 * Short names and categories (client-go restmapper/shortcut.go, category_expansion.go): `po` -> pods,
 * `deploy` -> deployments.apps, `all` -> the resources in that category.
 */
import type { APIResourceList } from "@kubets/apimachinery/meta/v1";
import type { GroupKind, GroupResource, GroupVersionKind, GroupVersionResource } from "@kubets/apimachinery/schema";
import { groupResourceToString, tryParseGroupVersion } from "@kubets/apimachinery/schema";
import { isGroupDiscoveryFailedError } from "../discovery/errors.js";
import type { DiscoveryInterface } from "../discovery/interface.js";
import { isNoMatchError } from "./errors.js";
import type { RESTMapper, RESTMapping } from "./types.js";

interface ResourceShortcut {
  shortForm: GroupResource;
  longForm: GroupResource;
}

async function discoveredResources(client: DiscoveryInterface): Promise<APIResourceList[]> {
  try {
    return (await client.serverGroupsAndResources()).resources;
  } catch (err) {
    if (isGroupDiscoveryFailedError(err) && err.partial) return err.partial.resources;
    throw err;
  }
}

/**
 * Wraps a mapper so that resource arguments may be short names (restmapper.NewShortcutExpander). A name
 * that is already a resource or singular name is left as it is; when a short name matches resources of
 * several groups the first (highest priority) wins and `warningHandler` is told about the others.
 */
export class ShortcutExpander implements RESTMapper {
  readonly delegate: RESTMapper;
  readonly #client: DiscoveryInterface;
  readonly #warningHandler: ((message: string) => void) | undefined;

  constructor(delegate: RESTMapper, client: DiscoveryInterface, warningHandler?: (message: string) => void) {
    this.delegate = delegate;
    this.#client = client;
    this.#warningHandler = warningHandler;
  }

  async #shortcutMappings(): Promise<{ all: APIResourceList[]; shortcuts: ResourceShortcut[] }> {
    let all: APIResourceList[];
    try {
      all = await discoveredResources(this.#client);
    } catch {
      all = [];
    }
    const shortcuts: ResourceShortcut[] = [];
    for (const list of all) {
      const gv = tryParseGroupVersion(list.groupVersion);
      if (!gv) continue;
      for (const r of list.resources) {
        for (const shortName of r.shortNames ?? []) {
          shortcuts.push({ shortForm: { group: gv.group, resource: shortName }, longForm: { group: gv.group, resource: r.name } });
        }
      }
    }
    return { all, shortcuts };
  }

  /** The resource a possibly short name stands for (expandResourceShortcut). */
  async expandResourceShortcut(resource: GroupVersionResource): Promise<GroupVersionResource> {
    const { all, shortcuts } = await this.#shortcutMappings();
    for (const list of all) {
      const gv = tryParseGroupVersion(list.groupVersion);
      if (!gv) continue;
      if (resource.group.length !== 0 && resource.group !== gv.group) continue;
      for (const r of list.resources) {
        if (resource.resource === r.name || resource.resource === r.singularName) return resource;
      }
    }
    let found: GroupResource | undefined;
    const warned = new Set<string>();
    for (const item of shortcuts) {
      if (resource.group.length !== 0 && resource.group !== item.shortForm.group) continue;
      if (resource.resource !== item.shortForm.resource) continue;
      if (found) {
        if (item.longForm.group === found.group && item.longForm.resource === found.resource) continue;
        const key = groupResourceToString(item.longForm);
        if (!warned.has(key)) {
          this.#warningHandler?.(`short name ${JSON.stringify(resource.resource)} could also match lower priority resource ${key}`);
          warned.add(key);
        }
        continue;
      }
      found = item.longForm;
    }
    if (found) return { group: found.group, version: resource.version, resource: found.resource };
    if (resource.group.length === 0) return resource;
    for (const item of shortcuts) {
      if (!item.shortForm.group.startsWith(resource.group)) continue;
      if (resource.resource === item.shortForm.resource) {
        return { group: item.longForm.group, version: resource.version, resource: item.longForm.resource };
      }
    }
    return resource;
  }

  async kindFor(resource: GroupVersionResource): Promise<GroupVersionKind> {
    try {
      return await this.delegate.kindFor(await this.expandResourceShortcut(resource));
    } catch (err) {
      // The delegate may have reloaded discovery on the miss; expand again with what it now knows.
      if (isNoMatchError(err)) return this.delegate.kindFor(await this.expandResourceShortcut(resource));
      throw err;
    }
  }
  async kindsFor(resource: GroupVersionResource): Promise<GroupVersionKind[]> {
    return this.delegate.kindsFor(await this.expandResourceShortcut(resource));
  }
  async resourcesFor(resource: GroupVersionResource): Promise<GroupVersionResource[]> {
    return this.delegate.resourcesFor(await this.expandResourceShortcut(resource));
  }
  async resourceFor(resource: GroupVersionResource): Promise<GroupVersionResource> {
    return this.delegate.resourceFor(await this.expandResourceShortcut(resource));
  }
  async resourceSingularizer(resource: string): Promise<string> {
    const expanded = await this.expandResourceShortcut({ group: "", version: "", resource });
    return this.delegate.resourceSingularizer(expanded.resource);
  }
  restMapping(gk: GroupKind, ...versions: string[]): Promise<RESTMapping> {
    return this.delegate.restMapping(gk, ...versions);
  }
  restMappings(gk: GroupKind, ...versions: string[]): Promise<RESTMapping[]> {
    return this.delegate.restMappings(gk, ...versions);
  }
  reset(): void {
    this.delegate.reset?.();
  }
}

/** restmapper.NewShortcutExpander. */
export function newShortcutExpander(delegate: RESTMapper, client: DiscoveryInterface, warningHandler?: (message: string) => void): ShortcutExpander {
  return new ShortcutExpander(delegate, client, warningHandler);
}

/** Expands a category such as `all` into group resources (restmapper.CategoryExpander). */
export interface CategoryExpander {
  /** The group resources of the category and whether the category is known. */
  expand(category: string): Promise<{ resources: GroupResource[]; found: boolean }>;
}

/** A fixed table of categories (restmapper.SimpleCategoryExpander). */
export class SimpleCategoryExpander implements CategoryExpander {
  readonly expansions: ReadonlyMap<string, readonly GroupResource[]>;
  constructor(expansions: ReadonlyMap<string, readonly GroupResource[]> | Record<string, readonly GroupResource[]>) {
    this.expansions = expansions instanceof Map ? expansions : new Map(Object.entries(expansions));
  }
  async expand(category: string): Promise<{ resources: GroupResource[]; found: boolean }> {
    const r = this.expansions.get(category);
    return { resources: r ? [...r] : [], found: r !== undefined };
  }
}

/** Categories from discovery (restmapper.NewDiscoveryCategoryExpander). */
export class DiscoveryCategoryExpander implements CategoryExpander {
  readonly #client: DiscoveryInterface;
  constructor(client: DiscoveryInterface) {
    this.#client = client;
  }
  async expand(category: string): Promise<{ resources: GroupResource[]; found: boolean }> {
    let lists: APIResourceList[];
    try {
      lists = await discoveredResources(this.#client);
    } catch {
      return { resources: [], found: false };
    }
    const resources: GroupResource[] = [];
    let found = false;
    for (const list of lists) {
      const gv = tryParseGroupVersion(list.groupVersion);
      if (!gv) continue;
      for (const r of list.resources) {
        if (r.categories?.includes(category)) {
          found = true;
          for (const c of r.categories) if (c === category) resources.push({ group: gv.group, resource: r.name });
        }
      }
    }
    return { resources, found };
  }
}

/** restmapper.NewDiscoveryCategoryExpander. */
export function newDiscoveryCategoryExpander(client: DiscoveryInterface): DiscoveryCategoryExpander {
  return new DiscoveryCategoryExpander(client);
}

/** The union of several expanders, without duplicates (restmapper.UnionCategoryExpander). */
export class UnionCategoryExpander implements CategoryExpander {
  readonly expanders: readonly CategoryExpander[];
  constructor(expanders: readonly CategoryExpander[]) {
    this.expanders = expanders;
  }
  async expand(category: string): Promise<{ resources: GroupResource[]; found: boolean }> {
    const resources: GroupResource[] = [];
    let found = false;
    for (const e of this.expanders) {
      const r = await e.expand(category);
      for (const gr of r.resources) {
        if (!resources.some((x) => x.group === gr.group && x.resource === gr.resource)) resources.push(gr);
      }
      found ||= r.found;
    }
    return { resources, found };
  }
}
