/** examples/crd-typed against a real apiserver: the committed generated client works end to end. */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientConfigLoader } from "@kubets/client/config";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { testEnv } from "@kubets/testenv/vitest";

const repo = resolve(__dirname, "../../..");
const ns = `crd-typed-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let kube: Clientset;

beforeAll(async () => {
  const env = testEnv();
  kube = newForConfig({ ...new ClientConfigLoader({ explicitPath: env.kubeconfigPath, context: env.contexts.admin }).clientConfig(), qps: -1 });
  await kube.coreV1().namespaces().create({ metadata: { name: ns } });
});

afterAll(async () => {
  await kube?.apiextensionsV1().customResourceDefinitions().delete("memcacheds.cache.kubets.dev").catch(() => undefined);
  await kube?.coreV1().namespaces().delete(ns).catch(() => undefined);
  await kube?.close();
});

describe("examples/crd-typed", () => {
  it("installs the CRD and drives a Memcached through the generated clientset and informer", async () => {
    const env = testEnv();
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number }>((done) => {
      execFile(
        process.execPath,
        ["--conditions=@kubets/source", "--import", "tsx", "examples/crd-typed/main.ts", "--namespace", ns],
        { cwd: repo, env: { ...process.env, KUBECONFIG: env.kubeconfigPath }, timeout: 60_000 },
        (err, stdout, stderr) => done({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
      );
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toEqual([
      "CRD memcacheds.cache.kubets.dev established",
      `created memcached/example (memoryMB 64, port "memcache")`,
      "informer: added example",
      "scaled example: 1 -> 3 replicas",
      "status: Running, 3 ready",
      `lister: example has 3 replicas, 1 memcached in ${ns}`,
      "applied example: memoryMB 128, replicas 3",
      "deleted memcached/example (NotFound)",
    ]);
  }, 90_000);
});
