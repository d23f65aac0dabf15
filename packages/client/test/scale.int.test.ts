import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNotFound } from "@kubets/apimachinery/errors";
import { newDiscoveryClientForConfig, newMemCacheClient, type DiscoveryClient } from "@kubets/client/discovery";
import { newForConfig as newDynamic, PatchType, type DynamicClient } from "@kubets/client/dynamic";
import { DeferredDiscoveryRESTMapper } from "@kubets/client/restmapper";
import type { ScaleClient} from "@kubets/client/scale";
import { convertToAutoscalingV1, newDiscoveryScaleKindResolver, newForConfig } from "@kubets/client/scale";
import { DEFAULT_RETRY, retryOnConflict } from "@kubets/client/util";
import { configFor, uniqueName } from "./helpers/int.js";

const DEPLOYMENTS = { group: "apps", version: "v1", resource: "deployments" };
const NAMESPACES = { group: "", version: "v1", resource: "namespaces" };
const ns = uniqueName("kubets-scale");

let dyn: DynamicClient;
let disco: DiscoveryClient;
let scales: ScaleClient;

beforeAll(async () => {
  dyn = newDynamic(configFor("admin"));
  disco = newDiscoveryClientForConfig(configFor("admin"));
  const cached = newMemCacheClient(disco);
  scales = newForConfig(configFor("admin"), new DeferredDiscoveryRESTMapper(cached), newDiscoveryScaleKindResolver(cached));
  await dyn.resource(NAMESPACES).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  await dyn.resource(DEPLOYMENTS).namespace(ns).create({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "registry.k8s.io/pause:3.10" }] } },
    },
  });
});

afterAll(async () => {
  await dyn.resource(NAMESPACES).delete(ns).catch(() => undefined);
  await Promise.all([dyn.close(), disco.close(), scales.close()]);
});

describe("scale client against the real API server", () => {
  it("gets, updates and patches the scale of a Deployment", async () => {
    const gr = { group: "apps", resource: "deployments" };
    const s = await scales.scales(ns).get(gr, "web");
    expect(s).toMatchObject({ apiVersion: "autoscaling/v1", kind: "Scale", metadata: { name: "web", namespace: ns }, spec: { replicas: 1 } });
    expect(s.status?.selector).toBe("app=web");

    // The deployment controller writes status concurrently: update the latest Scale, retrying on conflicts.
    const up = await retryOnConflict(DEFAULT_RETRY, async () => {
      const latest = await scales.scales(ns).get(gr, "web");
      return scales.scales(ns).update(gr, { ...latest, spec: { replicas: 3 } });
    });
    expect(up.spec?.replicas).toBe(3);
    const dep = await dyn.resource(DEPLOYMENTS).namespace(ns).get("web");
    expect((dep["spec"] as { replicas: number }).replicas).toBe(3);

    const patched = await scales.scales(ns).patch(DEPLOYMENTS, "web", PatchType.Merge, { spec: { replicas: 2 } });
    expect(patched.spec?.replicas).toBe(2);
    expect(((await dyn.resource(DEPLOYMENTS).namespace(ns).get("web"))["spec"] as { replicas: number }).replicas).toBe(2);

    // A stale resourceVersion conflicts like any update.
    await expect(scales.scales(ns).update(gr, { ...s, spec: { replicas: 5 } })).rejects.toMatchObject({ name: "StatusError", code: 409 });
    await expect(scales.scales(ns).get(gr, "nope")).rejects.toSatisfy(isNotFound);
    await expect(scales.scales(ns).get({ group: "", resource: "nosuchthings" }, "x")).rejects.toThrow(
      "unable to get client for nosuchthings: unable to get full preferred group-version-resource for nosuchthings",
    );
  });

  it("resolves the Scale kind of a resource from discovery", async () => {
    const r = newDiscoveryScaleKindResolver(disco);
    expect(await r.scaleForResource(DEPLOYMENTS)).toEqual({ group: "autoscaling", version: "v1", kind: "Scale" });
    await expect(r.scaleForResource({ group: "", version: "v1", resource: "configmaps" })).rejects.toThrow("could not find scale subresource for /v1, Resource=configmaps");
  });
});

describe("Scale conversion", () => {
  it("converts the older Scale versions to autoscaling/v1", () => {
    expect(
      convertToAutoscalingV1({
        apiVersion: "apps/v1beta2",
        kind: "Scale",
        metadata: { name: "x" },
        spec: { replicas: 2 },
        status: { replicas: 1, selector: { b: "2", a: "1" } },
      }),
    ).toEqual({ apiVersion: "autoscaling/v1", kind: "Scale", metadata: { name: "x" }, spec: { replicas: 2 }, status: { replicas: 1, selector: "a=1,b=2" } });
    expect(
      convertToAutoscalingV1({ apiVersion: "extensions/v1beta1", kind: "Scale", spec: {}, status: { replicas: 0, selector: { a: "1" }, targetSelector: "a in (1)" } }).status,
    ).toEqual({ replicas: 0, selector: "a in (1)" });
    expect(() => convertToAutoscalingV1({ apiVersion: "v1", kind: "Pod" })).toThrow("not convertible to autoscaling Scale");
  });
});
