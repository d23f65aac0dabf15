// A large protobuf list is decoded as it arrives (item by item, gzip inflated on the way): the result must
// be the object the whole-body decoder gives, over gzip and identity responses of the real API server.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ProtobufStreamDecoder } from "@kubets/apimachinery/serializer";
import { newForConfig, type Clientset, type RestInvoker } from "@kubets/client/kubernetes";
import { closeAll, configFor, coreClient, createNamespace, uniqueName } from "./helpers/int.js";

const PROTOBUF = "application/vnd.kubernetes.protobuf";
const N = 60;
let ns: string;
const clientsets: Clientset[] = [];

beforeAll(async () => {
  const admin = coreClient(configFor("admin"));
  ns = uniqueName("kubets-stream-list");
  await createNamespace(admin, ns);
  const cs = newForConfig({ ...configFor("admin"), qps: -1, contentType: PROTOBUF });
  clientsets.push(cs);
  // About 4 KB each: the list (about 250 KB) is above the server's gzip threshold and the client's 64 KiB.
  for (let i = 0; i < N; i++) {
    await cs.coreV1().configMaps(ns).create({ metadata: { name: `cm-${i}`, labels: { i: String(i) } }, data: { payload: `${i}`.repeat(4000 / String(i).length) } });
  }
});
afterAll(async () => {
  await Promise.all(clientsets.map((c) => c.close()));
  await closeAll();
});

describe("protobuf lists decoded as they arrive", () => {
  for (const disableCompression of [false, true]) {
    it(`equal the whole-body decode, ${disableCompression ? "identity" : "gzip"}`, async () => {
      const cs = newForConfig({ ...configFor("admin"), qps: -1, contentType: PROTOBUF, disableCompression });
      clientsets.push(cs);
      const cms = cs.coreV1().configMaps(ns);
      const pushes = vi.spyOn(ProtobufStreamDecoder.prototype, "push");
      let streamed;
      try {
        streamed = await cms.list();
        expect(pushes).toHaveBeenCalled();
      } finally {
        pushes.mockRestore();
      }
      const rest = (cms.invoker as RestInvoker).rest;
      const raw = await rest.get().namespace(ns).resource("configmaps").param("resourceVersion", streamed.metadata?.resourceVersion ?? "").param("resourceVersionMatch", "Exact").result();
      expect(raw.headers["content-encoding"]).toBe(disableCompression ? undefined : "gzip");
      const whole = rest.decode(raw.body, raw.contentType) as typeof streamed;
      // (The controller-manager adds kube-root-ca.crt to every namespace.)
      expect(streamed.items.length).toBeGreaterThanOrEqual(N);
      expect(streamed).toEqual(whole);
      expect(JSON.stringify(streamed)).toBe(JSON.stringify(whole));
      expect(streamed.items.map((c) => c.metadata?.name).filter((n) => n?.startsWith("cm-")).sort()).toEqual(Array.from({ length: N }, (_, i) => `cm-${i}`).sort());
    });
  }
});
