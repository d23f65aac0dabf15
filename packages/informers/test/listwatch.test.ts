import { describe, expect, it } from "vitest";
import type { ListWatchClient, ListWatchRequest } from "../src/index.js";
import { newListWatchFromClient, withListOptions } from "../src/index.js";

/** Records what a request builder was asked to do. */
function recordingClient() {
  const calls: Array<{ namespace?: string; resource?: string; params?: object; signal?: AbortSignal; verb: string }> = [];
  const client: ListWatchClient = {
    get(): ListWatchRequest {
      const call: (typeof calls)[number] = { verb: "" };
      calls.push(call);
      const r: ListWatchRequest = {
        namespace(ns) {
          call.namespace = ns;
          return this;
        },
        resource(res) {
          call.resource = res;
          return this;
        },
        params(p) {
          call.params = p as object;
          return this;
        },
        signal(s) {
          if (s !== undefined) call.signal = s;
          return this;
        },
        do: async <R>() => {
          call.verb = "list";
          return { metadata: { resourceVersion: "5" }, items: [] } as R;
        },
        watch: async () => {
          call.verb = "watch";
          return { stop() {}, async *[Symbol.asyncIterator]() {} };
        },
      };
      return r;
    },
  };
  return { client, calls };
}

describe("newListWatchFromClient", () => {
  it("lists and watches the resource in the namespace with the options as query parameters", async () => {
    const { client, calls } = recordingClient();
    const lw = newListWatchFromClient(client, "pods", "ns", (o) => {
      o.labelSelector = "app=web";
    });
    const signal = new AbortController().signal;
    await lw.list({ resourceVersion: "0", limit: 500, signal });
    await lw.watch({ resourceVersion: "5", allowWatchBookmarks: true, timeoutSeconds: 300, signal });
    expect(calls[0]).toEqual({ verb: "list", namespace: "ns", resource: "pods", signal, params: { resourceVersion: "0", limit: 500, labelSelector: "app=web" } });
    expect(calls[1]).toMatchObject({
      verb: "watch",
      params: { resourceVersion: "5", allowWatchBookmarks: true, timeoutSeconds: 300, watch: true, labelSelector: "app=web" },
    });
  });

  it("leaves the namespace out for all namespaces", async () => {
    const { client, calls } = recordingClient();
    await newListWatchFromClient(client, "nodes", "").list({});
    expect(calls[0]!.namespace).toBeUndefined();
  });

  it("withListOptions tweaks a copy of the options", async () => {
    const seen: object[] = [];
    const base = {
      list: async (o: object) => {
        seen.push(o);
        return { items: [] };
      },
      watch: async () => ({ stop() {}, async *[Symbol.asyncIterator]() {} }),
    };
    const lw = withListOptions(base, (o) => {
      o.fieldSelector = "spec.nodeName=n1";
    });
    const original = { resourceVersion: "0" };
    await lw.list(original);
    expect(seen[0]).toEqual({ resourceVersion: "0", fieldSelector: "spec.nodeName=n1" });
    expect(original).toEqual({ resourceVersion: "0" });
  });
});
