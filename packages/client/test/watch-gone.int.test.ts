// A watch from a resourceVersion that etcd has compacted away: the server ends the watch with an
// ERROR event (410 Gone / Expired), which the typed watch surfaces as a StatusError. Uses a control plane of its own with the watch cache off, so that watches
// reach etcd and the compaction is visible, without disturbing the shared one. (The informer's
// relist after such a 410 is tested in packages/informers/test/relist-gone.int.test.ts.)
import { isGone, isResourceExpired } from "@kubets/apimachinery/errors";
import { startControlPlane, type ControlPlane } from "@kubets/testenv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/index.js";
import { newForConfig, type Clientset } from "../src/kubernetes/index.js";

let env: ControlPlane;
let cs: Clientset;

async function etcd(path: string, body: unknown): Promise<any> {
  const res = await fetch(`${env.etcd}${path}`, { method: "POST", body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

async function compactEtcd(): Promise<number> {
  const range = await etcd("/v3/kv/range", { key: Buffer.from("/").toString("base64") });
  const revision = Number(range.header.revision);
  await etcd("/v3/kv/compaction", { revision: String(revision), physical: true });
  return revision;
}

beforeAll(async () => {
  env = await startControlPlane({ controllerManager: false, apiServerFlags: ["--watch-cache=false"], log: () => {} });
  cs = newForConfig(await loadConfig({ explicitPath: env.kubeconfigPath }));
}, 120_000);

afterAll(async () => {
  await cs?.close();
  await env?.stop();
});

describe("watch after etcd compaction", () => {
  it("ends with a 410 StatusError when the resourceVersion was compacted", async () => {
    const cms = cs.coreV1().configMaps("default");
    const first = await cms.create({ metadata: { name: "old" }, data: { v: "0" } });
    const oldRV = first.metadata!.resourceVersion!;
    for (let i = 1; i <= 5; i++) await cms.update({ metadata: { name: "old" }, data: { v: String(i) } });
    await compactEtcd();

    const w = await cms.watch({ resourceVersion: oldRV });
    let caught: unknown;
    try {
      for await (const _ev of w) {
        // no event can arrive from a compacted revision
      }
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ name: "StatusError", code: 410 });
    expect(isGone(caught) || isResourceExpired(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/resourceVersion for the provided watch is too old|too old resource version/);
  });
});
