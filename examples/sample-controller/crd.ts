/**
 * The Foo CustomResourceDefinition of client-go's sample-controller (samplecontroller.k8s.io/v1alpha1),
 * with a status subresource for `availableReplicas` and `conditions`, and a helper that installs it
 * with server-side apply and waits until it is served.
 */
import type { Unstructured } from "@kubets/apimachinery/runtime";
import type { GroupVersionResource } from "@kubets/apimachinery/schema";
import { pollUntilContextTimeout } from "@kubets/apimachinery/wait";
import type { DynamicClient } from "@kubets/client/dynamic";

export const GROUP = "samplecontroller.k8s.io";
export const VERSION = "v1alpha1";
export const FOOS: GroupVersionResource = { group: GROUP, version: VERSION, resource: "foos" };
export const DEPLOYMENTS: GroupVersionResource = { group: "apps", version: "v1", resource: "deployments" };
const CRDS: GroupVersionResource = { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" };

export function fooCRD(): Unstructured {
  const condition = {
    type: "object",
    required: ["type", "status", "lastTransitionTime", "reason", "message"],
    properties: {
      type: { type: "string" },
      status: { type: "string", enum: ["True", "False", "Unknown"] },
      observedGeneration: { type: "integer", format: "int64" },
      lastTransitionTime: { type: "string", format: "date-time" },
      reason: { type: "string" },
      message: { type: "string" },
    },
  };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `foos.${GROUP}`,
      // *.k8s.io groups are protected; client-go's sample-controller marks its CRD the same way.
      annotations: { "api-approved.kubernetes.io": "unapproved, experimental-only; please get an approval from Kubernetes API reviewers if you're trying to develop a CRD in the *.k8s.io or *.kubernetes.io groups" },
    },
    spec: {
      group: GROUP,
      scope: "Namespaced",
      names: { plural: "foos", singular: "foo", kind: "Foo", listKind: "FooList" },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  required: ["deploymentName", "replicas"],
                  properties: { deploymentName: { type: "string" }, replicas: { type: "integer", minimum: 0, maximum: 10 } },
                },
                status: {
                  type: "object",
                  properties: {
                    availableReplicas: { type: "integer" },
                    conditions: { type: "array", items: condition, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"] },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}

/** Installs (or updates) the CRD and waits until Foos can be listed (bounded by `timeoutMs`). */
export async function installFooCRD(dyn: DynamicClient, timeoutMs = 60_000): Promise<void> {
  await dyn.resource(CRDS).apply(`foos.${GROUP}`, fooCRD(), { fieldManager: "sample-controller", force: true });
  await pollUntilContextTimeout(AbortSignal.timeout(timeoutMs), 200, timeoutMs, true, () =>
    dyn.resource(FOOS).list({ limit: 1 }).then(
      () => true,
      () => false,
    ),
  );
}
