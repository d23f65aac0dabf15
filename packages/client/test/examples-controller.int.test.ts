// Runs examples/controller against the real API server: informer + rate-limited workqueue + workers that
// write an annotation back. The controller starts without the right to patch, so its first writes are
// Forbidden and go back to the queue with backoff; once the Role allows patch, the annotations land.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigMap } from "@kubets/api/core/v1";
import type { Role } from "@kubets/api/rbac/v1";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { ANNOTATION, ConfigMapHashController, LABEL, dataHash } from "../../../examples/controller/controller.js";
import { configFor, uniqueName } from "./helpers/int.js";

const ns = uniqueName("kubets-example-controller");
let admin: Clientset;

async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function cm(name: string, data: Record<string, string>, labelled = true, annotations: Record<string, string> = {}): ConfigMap {
  return { metadata: { name, labels: labelled ? { [LABEL]: "true" } : { other: "x" }, annotations }, data };
}

async function annotationOf(name: string): Promise<string | undefined> {
  return (await admin.coreV1().configMaps(ns).get(name)).metadata?.annotations?.[ANNOTATION];
}

beforeAll(async () => {
  admin = newForConfig(configFor("admin"));
  await admin.coreV1().namespaces().create({ metadata: { name: ns } });
});

afterAll(async () => {
  await admin.coreV1().namespaces().delete(ns).catch(() => undefined);
  await admin.close();
});

describe("examples/controller against the real API server", () => {
  it("annotates labelled ConfigMaps, retries Forbidden writes with backoff, follows data changes", async () => {
    const role: Role = {
      metadata: { name: "example-controller" },
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
    };
    await admin.rbacV1().roles(ns).create(role);
    await admin.rbacV1().roleBindings(ns).create({
      metadata: { name: "example-controller" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "example-controller" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "example-controller" }],
    });
    await admin.coreV1().configMaps(ns).create(cm("a", { x: "1" }));
    await admin.coreV1().configMaps(ns).create(cm("b", { y: "2" }, true, { [ANNOTATION]: "stale" }));
    await admin.coreV1().configMaps(ns).create(cm("untouched", { z: "3" }, false));

    // The controller runs as its own user (impersonated by the admin) with only that Role's rights.
    const cs = newForConfig({ ...configFor("admin"), impersonate: { userName: "example-controller" } });
    const logs: string[] = [];
    const controller = new ConfigMapHashController(cs, { namespace: ns, workers: 2, maxRetries: 12, log: (m) => logs.push(m) });
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    try {
      // Reads work, writes are Forbidden: the keys go back to the queue with backoff.
      await until(() => controller.stats.retries >= 4, "Forbidden writes to be retried");
      expect(controller.stats.writes).toBe(0);
      expect(logs.some((l) => l.includes(`${ns}/a: configmaps "a" is forbidden`) && l.endsWith("(retrying)"))).toBe(true);
      expect(controller.queue.numRequeues(`${ns}/a`) + controller.queue.numRequeues(`${ns}/b`)).toBeGreaterThan(0);

      await admin.rbacV1().roles(ns).update({ ...role, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "patch"] }] });
      await until(async () => (await annotationOf("a")) !== undefined && (await annotationOf("b")) !== "stale", "the annotations of a and b");
      const a = await admin.coreV1().configMaps(ns).get("a");
      expect(a.metadata?.annotations?.[ANNOTATION]).toBe(dataHash(a));
      const b = await admin.coreV1().configMaps(ns).get("b");
      expect(b.metadata?.annotations?.[ANNOTATION]).toBe(dataHash(b));
      expect(controller.stats.dropped).toBe(0);

      // A ConfigMap created while it runs, and a data change, are followed.
      await admin.coreV1().configMaps(ns).create(cm("c", { w: "4" }));
      await admin.coreV1().configMaps(ns).update({ ...a, data: { x: "changed" } });
      await until(async () => (await annotationOf("c")) !== undefined, "the annotation of c");
      await until(async () => (await annotationOf("a")) === dataHash({ data: { x: "changed" } }), "a's new hash");
      // The write of the annotation itself comes back as an update event; the hash matches, nothing is written.
      await new Promise((r) => setTimeout(r, 1000));
      expect(controller.stats.writes).toBe(4);
      expect(await annotationOf("untouched")).toBeUndefined();
      expect(controller.queue.len()).toBe(0);
    } finally {
      stop.abort();
      await running;
      await cs.close();
    }
    // The queue is shut down and the workers have returned.
    expect(controller.queue.shuttingDown()).toBe(true);
  });
});
