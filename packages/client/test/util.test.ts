import { describe, expect, it } from "vitest";
import { newConflict, newNotFound, newResourceExpired } from "@kubets/apimachinery/errors";
import type { ListOptions } from "@kubets/apimachinery/meta/v1";
import { DEFAULT_RETRY, ListPager, TokenBucketRateLimiter, onError, retryOnConflict } from "@kubets/client/util";

const gr = { group: "", resource: "configmaps" };

describe("retryOnConflict", () => {
  it("retries conflicts and returns the first success", async () => {
    let n = 0;
    const out = await retryOnConflict(DEFAULT_RETRY, async () => {
      n++;
      if (n < 3) throw newConflict(gr, "x", new Error("the object has been modified"));
      return "done";
    });
    expect(out).toBe("done");
    expect(n).toBe(3);
  });

  it("gives up after the backoff's steps with the last conflict", async () => {
    let n = 0;
    const err = await retryOnConflict(DEFAULT_RETRY, async () => {
      n++;
      throw newConflict(gr, "x", new Error(`attempt ${n}`));
    }).catch((e: unknown) => e as Error);
    expect(n).toBe(5);
    expect(err.message).toContain("attempt 5");
  });

  it("does not retry other errors", async () => {
    let n = 0;
    await expect(
      retryOnConflict(DEFAULT_RETRY, async () => {
        n++;
        throw newNotFound(gr, "x");
      }),
    ).rejects.toMatchObject({ reason: "NotFound" });
    expect(n).toBe(1);
    await expect(onError({ steps: 3, duration: 1, factor: 1, jitter: 0 }, () => true, async () => Promise.reject(new Error("e")))).rejects.toThrow("e");
  });
});

interface Item {
  n: number;
}

/** An in-memory "server" listing 0..total-1 with limit/continue, whose continue tokens can expire. */
function fakeServer(total: number, opts: { expireAfterPage?: number } = {}) {
  const calls: ListOptions[] = [];
  const fn = async (o: ListOptions) => {
    calls.push({ ...o });
    const start = o.continue ? Number(o.continue) : 0;
    if (o.continue && opts.expireAfterPage !== undefined && calls.length > opts.expireAfterPage) throw newResourceExpired("continue token too old");
    const end = o.limit ? Math.min(total, start + o.limit) : total;
    const items = Array.from({ length: end - start }, (_, i) => ({ n: start + i }));
    return { metadata: { resourceVersion: "42", ...(end < total ? { continue: String(end), remainingItemCount: total - end } : {}) }, items };
  };
  return { calls, fn };
}

describe("ListPager", () => {
  it("merges pages with limit/continue and drops resourceVersion after the first page", async () => {
    const s = fakeServer(1234);
    const { list, paginated } = await new ListPager<Item>(s.fn, { pageSize: 500 }).list({ resourceVersion: "0", labelSelector: "a=b" });
    expect(paginated).toBe(true);
    expect(list.items.map((i) => i.n)).toEqual(Array.from({ length: 1234 }, (_, i) => i));
    expect(list.metadata).toEqual({ resourceVersion: "42" });
    expect(s.calls).toEqual([
      { resourceVersion: "0", labelSelector: "a=b", limit: 500 },
      { labelSelector: "a=b", limit: 500, continue: "500" },
      { labelSelector: "a=b", limit: 500, continue: "1000" },
    ]);
  });

  it("returns a single page as is", async () => {
    const s = fakeServer(3);
    const { list, paginated } = await new ListPager<Item>(s.fn).list();
    expect(paginated).toBe(false);
    expect(list.items).toHaveLength(3);
  });

  it("falls back to a full list at the requested resourceVersion when the continue token expires", async () => {
    const s = fakeServer(25, { expireAfterPage: 2 });
    const pager = new ListPager<Item>(s.fn, { pageSize: 10 });
    const { list } = await pager.list({ resourceVersion: "7", resourceVersionMatch: "NotOlderThan" });
    expect(list.items).toHaveLength(25);
    expect(s.calls.at(-1)).toEqual({ resourceVersion: "7", resourceVersionMatch: "NotOlderThan" });

    const s2 = fakeServer(25, { expireAfterPage: 2 });
    const seen: Array<[number, boolean]> = [];
    for await (const { page, restarted } of new ListPager<Item>(s2.fn, { pageSize: 10 }).pages()) seen.push([page.items.length, restarted]);
    expect(seen).toEqual([
      [10, false],
      [10, false],
      [25, true],
    ]);
  });

  it("surfaces the expiry when fallback is off, and on the first page", async () => {
    const s = fakeServer(25, { expireAfterPage: 1 });
    await expect(new ListPager<Item>(s.fn, { pageSize: 10, fullListIfExpired: false }).list()).rejects.toMatchObject({ reason: "Expired" });
    const items: number[] = [];
    const s2 = fakeServer(25, { expireAfterPage: 2 });
    await expect(new ListPager<Item>(s2.fn, { pageSize: 10 }).eachListItem({}, (i) => void items.push(i.n))).rejects.toMatchObject({ reason: "Expired" });
    expect(items).toHaveLength(20);
  });
});

describe("TokenBucketRateLimiter", () => {
  it("allows a burst, then spaces requests at qps", async () => {
    let now = 0;
    const slept: number[] = [];
    const rl = new TokenBucketRateLimiter(5, 10, {
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
    for (let i = 0; i < 10; i++) await rl.wait();
    expect(slept).toEqual([]);
    await rl.wait();
    await rl.wait();
    expect(slept.map((ms) => Math.round(ms))).toEqual([200, 200]);
    expect(rl.tryAccept()).toBe(false);
    now += 1000;
    expect(rl.tryAccept()).toBe(true);
  });

  it("gives the token back when a wait is aborted", async () => {
    let now = 0;
    const ac = new AbortController();
    const rl = new TokenBucketRateLimiter(1, 1, {
      now: () => now,
      sleep: async (_ms, signal) => {
        ac.abort(new Error("cancelled"));
        signal?.throwIfAborted();
      },
    });
    await rl.wait();
    await expect(rl.wait(ac.signal)).rejects.toThrow("cancelled");
    now += 1000;
    expect(rl.tryAccept()).toBe(true);
    expect(rl.tryAccept()).toBe(false);
  });
});
