// Watches of the typed clientset against the real kube-apiserver, through a proxy that cuts (FIN, RST) or
// black-holes their connections: iteration ends with the project's TransportError, never undici's or
// Node's own error. (The informer's re-watch after such cuts: packages/informers/test/cut-watch.int.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newForConfig, type Clientset } from "../src/kubernetes/index.js";
import { startCuttingProxy, type CuttingProxy } from "./helpers/hostile.js";
import { configFor, uniqueName } from "./helpers/int.js";

let proxy: CuttingProxy;
let direct: Clientset;
let viaProxy: Clientset;
let ns: string;

beforeAll(async () => {
  const config = configFor("admin");
  proxy = await startCuttingProxy(new URL(config.host).host);
  direct = newForConfig(config);
  viaProxy = newForConfig({ ...config, host: `https://${proxy.address}`, watchIdleTimeout: 1000 });
  ns = uniqueName("cut-watch");
  await direct.coreV1().namespaces().create({ metadata: { name: ns } });
});

afterAll(async () => {
  await viaProxy?.close();
  await direct?.close();
  await proxy?.close();
});

describe("a watch whose connection is cut mid-stream", () => {
  for (const how of ["reset", "end", "black hole"] as const) {
    it(`rejects with a TransportError (${how})`, async () => {
      // watch from now, so the first event is the object created below; the cut follows it
      const list = await direct.coreV1().configMaps(ns).list();
      const w = await viaProxy.coreV1().configMaps(ns).watch({ allowWatchBookmarks: true, resourceVersion: list.metadata?.resourceVersion ?? "" });
      await direct.coreV1().configMaps(ns).create({ metadata: { name: uniqueName("cm") } });
      const events: string[] = [];
      const err = await (async () => {
        for await (const ev of w) {
          events.push(ev.type);
          if (events.length === 1) {
            if (how === "black hole") proxy.blackHoleAll();
            else proxy.cutAll(how);
          }
        }
      })().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(events[0]).toBe("ADDED");
      expect(err).toMatchObject({ name: "TransportError", host: `https://${proxy.address}` });
      const code = (err as { code?: string }).code;
      if (how === "black hole") expect(code).toBe("ERR_WATCH_IDLE_TIMEOUT");
      else expect(code).toMatch(/^(ECONNRESET|UND_ERR_SOCKET|EPIPE)$/);
    });
  }
});
