import { isResourceExpired } from "@kubets/apimachinery/errors";
import type { ListMeta, ListOptions } from "@kubets/apimachinery/meta/v1";

/** client-go's default page size (pager.defaultPageSize). */
export const DEFAULT_PAGE_SIZE = 500;

/** The shape every Kubernetes list has. */
export interface ListLike<T> {
  apiVersion?: string;
  kind?: string;
  metadata?: ListMeta;
  items: T[];
}

/** Lists one page (a `list` call of a typed or dynamic client). */
export type PageFn<L> = (options: ListOptions, signal?: AbortSignal) => Promise<L>;

/** Options of {@link ListPager}: page size and what to do when a continue token expires. */
export interface ListPagerOptions {
  /** Items per page (default 500). */
  pageSize?: number;
  /** Fall back to one full list when a continue token expires (410 Expired) after the first page (default true). */
  fullListIfExpired?: boolean;
}

/**
 * Lists in pages with limit/continue (tools/pager.ListPager). When a continue token expires mid-way it
 * falls back to a full list at the originally requested resourceVersion, as client-go does.
 */
export class ListPager<T, L extends ListLike<T> = ListLike<T>> {
  readonly pageFn: PageFn<L>;
  readonly pageSize: number;
  readonly fullListIfExpired: boolean;

  constructor(pageFn: PageFn<L>, options: ListPagerOptions = {}) {
    this.pageFn = pageFn;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.fullListIfExpired = options.fullListIfExpired ?? true;
  }

  /**
   * Yields the list page by page. After an expired continue token the rest comes as one full list, flagged
   * with `restarted: true`: the caller must drop what the earlier pages gave it.
   */
  async *pages(options: ListOptions = {}, signal?: AbortSignal): AsyncGenerator<{ page: L; restarted: boolean }> {
    const opts: ListOptions = { ...options };
    if (!opts.limit) opts.limit = this.pageSize;
    const requestedRV = options.resourceVersion;
    const requestedMatch = options.resourceVersionMatch;
    for (;;) {
      signal?.throwIfAborted();
      let page: L;
      try {
        page = await this.pageFn(opts, signal);
      } catch (err) {
        if (!isResourceExpired(err) || !this.fullListIfExpired || !opts.continue) throw err;
        const full: ListOptions = { ...options };
        delete full.limit;
        delete full.continue;
        if (requestedRV !== undefined) full.resourceVersion = requestedRV;
        else delete full.resourceVersion;
        if (requestedMatch !== undefined) full.resourceVersionMatch = requestedMatch;
        else delete full.resourceVersionMatch;
        yield { page: await this.pageFn(full, signal), restarted: true };
        return;
      }
      yield { page, restarted: false };
      const next = page.metadata?.continue;
      if (!next) return;
      opts.continue = next;
      // the server rejects resourceVersion together with continue
      delete opts.resourceVersion;
      delete opts.resourceVersionMatch;
    }
  }

  /** The whole list, merged from its pages; `paginated` tells whether more than one page was read. */
  async list(options: ListOptions = {}, signal?: AbortSignal): Promise<{ list: L; paginated: boolean }> {
    let merged: L | undefined;
    let pages = 0;
    for await (const { page, restarted } of this.pages(options, signal)) {
      pages++;
      if (restarted || merged === undefined) {
        if (!page.metadata?.continue) {
          // a single page (or the fallback full list) is returned as the server sent it
          return { list: page, paginated: pages > 1 };
        }
        merged = { ...page, metadata: { ...page.metadata }, items: [...page.items] };
      } else {
        merged.items.push(...page.items);
      }
    }
    if (!merged) throw new Error("the page function returned nothing");
    const meta: ListMeta = { ...merged.metadata };
    delete meta.continue;
    delete meta.remainingItemCount;
    merged.metadata = meta;
    return { list: merged, paginated: pages > 1 };
  }

  /**
   * Calls fn for every item, page by page, without holding the whole list (pager.EachListItem). An expired
   * continue token is an error here (items were already handed out), as in client-go.
   */
  async eachListItem(options: ListOptions, fn: (item: T) => void | Promise<void>, signal?: AbortSignal): Promise<void> {
    const strict = new ListPager<T, L>(this.pageFn, { pageSize: this.pageSize, fullListIfExpired: false });
    for await (const { page } of strict.pages(options, signal)) {
      for (const item of page.items) await fn(item);
    }
  }
}
