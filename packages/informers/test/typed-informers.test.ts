import { describe, expect, it } from "vitest";
import type { Pod } from "@kubets/api/core/v1";
import { isNotFound } from "@kubets/apimachinery/errors";
import { newSimpleClientset } from "@kubets/client/testing";
import { informerGroupVersions, informerKey, newSharedInformerFactory } from "../src/factory-gen/index.js";
import { until } from "./helpers.js";

const pod = (name: string, ns: string, labels: Record<string, string> = {}): Pod => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: ns, labels } });

describe("generated informer factory over the fake clientset", () => {
  it("has client-go's accessors for every informable resource", () => {
    const core = informerGroupVersions.find((g) => g.groupAccessor === "core" && g.versionAccessor === "v1");
    expect(core?.client).toBe("coreV1");
    expect(core?.resources).toContainEqual(["pods", "pods", 1]);
    expect(core?.resources).toContainEqual(["nodes", "nodes", 0]);
    // Resources that cannot be listed and watched have no informer (bindings, tokenreviews).
    expect(core?.resources.some((r) => r[1] === "bindings")).toBe(false);
    expect(informerGroupVersions.some((g) => g.groupAccessor === "authentication")).toBe(false);
    expect(informerGroupVersions.find((g) => g.client === "appsV1")?.resources.map((r) => r[0])).toContain("deployments");
    expect(informerKey("apps", "v1", "deployments")).toBe("apps/v1, Resource=deployments");
  });

  it("namespace option, add/update/delete, listers by namespace and label", async () => {
    const cs = newSimpleClientset(pod("a", "one", { app: "web" }), pod("b", "one", { app: "db" }), pod("c", "two", { app: "web" }));
    const factory = newSharedInformerFactory(cs, { namespace: "one", resyncPeriod: 0 });
    const pods = factory.core().v1().pods();
    const seen: string[] = [];
    pods.informer().addEventHandler({
      onAdd: (p) => void seen.push(`add:${p.metadata?.name ?? ""}`),
      onUpdate: (_o, p) => void seen.push(`update:${p.metadata?.name ?? ""}`),
      onDelete: (p) => void seen.push(`delete:${(p as Pod).metadata?.name ?? ""}`),
    });
    const ctl = new AbortController();
    factory.start(ctl.signal);
    await factory.waitForCacheSync(ctl.signal);
    expect(pods.lister().list().map((p) => p.metadata?.name).sort()).toEqual(["a", "b"]);
    expect(pods.lister().pods("one").list({ matches: (l) => l["app"] === "web" }).map((p) => p.metadata?.name)).toEqual(["a"]);
    expect(() => pods.lister().pods("two").get("c")).toThrow();

    await cs.coreV1().pods("one").create(pod("d", "one"));
    await cs.coreV1().pods("two").create(pod("e", "two"));
    await until(() => seen.includes("add:d"), 5000, "add d");
    const d = await cs.coreV1().pods("one").get("d");
    await cs.coreV1().pods("one").update({ ...d, metadata: { ...d.metadata, labels: { x: "1" } } });
    await until(() => seen.includes("update:d"), 5000, "update d");
    expect(pods.lister().pods("one").get("d").metadata?.labels).toEqual({ x: "1" });
    await cs.coreV1().pods("one").delete("d");
    await until(() => seen.includes("delete:d"), 5000, "delete d");
    let err: unknown;
    try {
      pods.lister().pods("one").get("d");
    } catch (e) {
      err = e;
    }
    expect(isNotFound(err)).toBe(true);
    expect(seen).not.toContain("add:e");
    // The informer listed and watched through the typed client, in the namespace.
    const lw = cs.actions().filter((a) => a.resource.resource === "pods" && (a.verb === "list" || a.verb === "watch"));
    expect(lw.length).toBeGreaterThanOrEqual(2);
    expect(lw.every((a) => a.namespace === "one")).toBe(true);
    ctl.abort();
    await factory.shutdown();
  });
});
