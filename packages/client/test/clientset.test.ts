import { describe, expect, it } from "vitest";
import { codecLoaders, groupVersions, LazyCodecRegistry, newForConfig } from "@kubets/client/kubernetes";

const row = (accessor: string, method: string) => groupVersions.find((g) => g.accessor === accessor)?.resources.find((r) => r[0] === method);

describe("generated clientset table", () => {
  it("names accessors and resources as client-go does, in camelCase", () => {
    const accessors = groupVersions.map((g) => g.accessor);
    for (const a of ["coreV1", "appsV1", "batchV1", "rbacV1", "networkingV1", "storageV1", "policyV1", "autoscalingV2", "internalV1alpha1", "admissionregistrationV1"]) {
      expect(accessors).toContain(a);
    }
    expect(row("coreV1", "pods")).toEqual(["pods", "pods", "Pod", 1, expect.objectContaining({ status: "", eviction: "policy/v1:Eviction", binding: "v1:Binding", log: "" })]);
    expect(row("coreV1", "configMaps")?.slice(0, 4)).toEqual(["configMaps", "configmaps", "ConfigMap", 1]);
    expect(row("coreV1", "endpoints")?.slice(0, 4)).toEqual(["endpoints", "endpoints", "Endpoints", 1]);
    expect(row("coreV1", "componentStatuses")?.slice(0, 4)).toEqual(["componentStatuses", "componentstatuses", "ComponentStatus", 0]);
    expect(row("coreV1", "nodes")?.[3]).toBe(0);
    expect(row("coreV1", "serviceAccounts")?.[4]).toEqual({ token: "authentication.k8s.io/v1:TokenRequest" });
    expect(row("appsV1", "deployments")?.[4]).toEqual({ scale: "autoscaling/v1:Scale", status: "" });
    expect(row("networkingV1", "ingressClasses")?.slice(0, 3)).toEqual(["ingressClasses", "ingressclasses", "IngressClass"]);
    expect(row("networkingV1", "networkPolicies")?.slice(0, 3)).toEqual(["networkPolicies", "networkpolicies", "NetworkPolicy"]);
    expect(row("storageV1", "csiDrivers")?.slice(0, 3)).toEqual(["csiDrivers", "csidrivers", "CSIDriver"]);
    expect(row("certificatesV1", "certificateSigningRequests")?.[4]).toEqual({ approval: "", status: "" });
  });

  it("covers the 36 group-versions kube-apiserver v1.37 serves, as the README says", () => {
    // 34 of client-go's 55 typed group-versions (the rest are no longer served) plus apiextensions.k8s.io/v1
    // and apiregistration.k8s.io/v1, which client-go keeps in separate clientsets.
    expect(groupVersions.length).toBe(36);
    const ids = groupVersions.map((g) => `${g.group === "" ? "core" : g.group}/${g.version}`);
    expect(ids).toContain("apiextensions.k8s.io/v1");
    expect(ids).toContain("apiregistration.k8s.io/v1");
    for (const gone of ["apps/v1beta1", "extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta3", "rbac.authorization.k8s.io/v1beta1"]) expect(ids).not.toContain(gone);
  });

  it("has a codec loader for every group-version of the table", () => {
    for (const g of groupVersions) expect(codecLoaders[g.group === "" ? g.version : `${g.group}/${g.version}`]).toBeTypeOf("function");
  });

  it("loads codecs of a group-version only when asked", async () => {
    const reg = new LazyCodecRegistry(codecLoaders);
    expect(reg.lookup("v1", "Status")).toBeDefined();
    expect(reg.lookup("apps/v1", "Deployment")).toBeUndefined();
    await reg.ensure("apps/v1", "no.such/v1");
    expect(reg.lookup("apps/v1", "Deployment")).toBeDefined();
    expect(reg.lookup("v1", "Pod")).toBeUndefined();
    const codec = reg.lookup("apps/v1", "Deployment")!;
    const d = { metadata: { name: "x", namespace: "y" }, spec: { replicas: 3, selector: { matchLabels: { a: "b" } }, template: {} } };
    expect(codec.decode(codec.encode(d))).toMatchObject(d);
  });

  it("accessors are built once and give typed clients bound to a namespace", async () => {
    const cs = newForConfig({ host: "https://127.0.0.1:1", tlsClientConfig: {} });
    expect(cs.coreV1()).toBe(cs.coreV1());
    const pods = cs.coreV1().pods("ns") as unknown as { namespace: string; descriptor: { resource: string } };
    expect(pods.namespace).toBe("ns");
    expect(pods.descriptor.resource).toBe("pods");
    const nodes = cs.coreV1().nodes() as unknown as { namespace: string };
    expect(nodes.namespace).toBe("");
    await expect(cs.coreV1().pods("ns").get("")).rejects.toThrow(/name is required/);
    await cs.close();
  });
});
