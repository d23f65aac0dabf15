// readyz/livez against the real kube-apiserver: a ready server answers ok, the verbose report lists the
// checks, an excluded check disappears from it, and a server that is not there is a TransportError.
import { describe, expect, it } from "vitest";
import { checkHealth, isTransportError, livez, readyz, RESTClient } from "@kubets/client";
import { configFor } from "./helpers/int.js";

describe("API server health", () => {
  it("reports a ready and live server, from a config or a client", async () => {
    const config = configFor("admin");
    expect(await readyz(config)).toBe(true);
    const client = new RESTClient({ ...config, apiPath: "/api", groupVersion: "v1" });
    try {
      expect(await livez(client)).toBe(true);
      const verbose = await checkHealth(client, "readyz", { verbose: true });
      expect(verbose).toMatchObject({ ok: true, status: 200, endpoint: "readyz" });
      expect(verbose.text).toContain("[+]ping ok");
      expect(verbose.text).toContain("[+]etcd ok");
      expect(verbose.text).toContain("readyz check passed");
      const without = await checkHealth(client, "readyz", { verbose: true, exclude: ["etcd"] });
      expect(without.text).not.toContain("[+]etcd ok");
      expect(without.text).toContain("[+]etcd excluded: ok");
    } finally {
      await client.close();
    }
  });

  it("rejects with a TransportError when nothing answers", async () => {
    const err = await readyz({ host: "https://127.0.0.1:1", tlsClientConfig: { insecure: true } }).catch((e: unknown) => e);
    expect(isTransportError(err)).toBe(true);
  });
});
