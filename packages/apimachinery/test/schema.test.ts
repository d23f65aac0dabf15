import { describe, expect, it } from "vitest";
import {
  fromAPIVersionAndKind,
  groupKindToString,
  groupResourceToString,
  groupVersionEquals,
  groupVersionKindEquals,
  groupVersionKindToString,
  groupVersionResourceToString,
  groupVersionsIdentifier,
  groupVersionToString,
  isEmptyGroupVersion,
  kindForGroupVersionKinds,
  kindForGroupVersions,
  parseGroupKind,
  parseGroupResource,
  parseGroupVersion,
  parseKindArg,
  parseResourceArg,
  toAPIVersionAndKind,
  tryParseGroupVersion,
  withKind,
  withResource,
} from "../src/schema/index.js";

describe("parseGroupVersion", () => {
  it("parses core, grouped and empty forms as Go does", () => {
    expect(parseGroupVersion("v1")).toEqual({ group: "", version: "v1" });
    expect(parseGroupVersion("apps/v1")).toEqual({ group: "apps", version: "v1" });
    expect(parseGroupVersion("")).toEqual({ group: "", version: "" });
    expect(parseGroupVersion("/")).toEqual({ group: "", version: "" });
    expect(parseGroupVersion("apps/")).toEqual({ group: "apps", version: "" });
    expect(parseGroupVersion("/v1")).toEqual({ group: "", version: "v1" });
  });
  it("rejects more than one slash with Go's message", () => {
    expect(() => parseGroupVersion("a/b/c")).toThrowError("unexpected GroupVersion string: a/b/c");
    try {
      parseGroupVersion("a/b/c");
    } catch (e) {
      expect((e as Error).name).toBe("InvalidGroupVersionError");
    }
    expect(tryParseGroupVersion("a/b/c")).toBeUndefined();
  });
});

describe("formatting", () => {
  it("matches Go's String()", () => {
    expect(groupVersionToString({ group: "", version: "v1" })).toBe("v1");
    expect(groupVersionToString({ group: "apps", version: "v1" })).toBe("apps/v1");
    expect(groupVersionKindToString({ group: "", version: "v1", kind: "Pod" })).toBe("/v1, Kind=Pod");
    expect(groupVersionResourceToString({ group: "apps", version: "v1", resource: "deployments" })).toBe(
      "apps/v1, Resource=deployments",
    );
    expect(groupResourceToString({ group: "", resource: "pods" })).toBe("pods");
    expect(groupResourceToString({ group: "apps", resource: "deployments" })).toBe("deployments.apps");
    expect(groupKindToString({ group: "apps", kind: "Deployment" })).toBe("Deployment.apps");
    expect(groupVersionsIdentifier([{ group: "", version: "v1" }, { group: "apps", version: "v1" }])).toBe("[v1,apps/v1]");
  });
});

describe("parse args", () => {
  it("splits group kinds and resources at the first dot", () => {
    expect(parseGroupKind("Deployment.apps")).toEqual({ group: "apps", kind: "Deployment" });
    expect(parseGroupKind("Pod")).toEqual({ group: "", kind: "Pod" });
    expect(parseGroupResource("ingresses.networking.k8s.io")).toEqual({ group: "networking.k8s.io", resource: "ingresses" });
  });
  it("parseResourceArg gives a GVR only with two or more dots", () => {
    expect(parseResourceArg("pods")).toEqual({ gvr: undefined, gr: { group: "", resource: "pods" } });
    expect(parseResourceArg("deployments.apps")).toEqual({ gvr: undefined, gr: { group: "apps", resource: "deployments" } });
    expect(parseResourceArg("deployments.v1.apps")).toEqual({
      gvr: { group: "apps", version: "v1", resource: "deployments" },
      gr: { group: "v1.apps", resource: "deployments" },
    });
    expect(parseResourceArg("ingresses.v1.networking.k8s.io").gvr).toEqual({
      group: "networking.k8s.io",
      version: "v1",
      resource: "ingresses",
    });
    expect(parseKindArg("Deployment.v1.apps")).toEqual({
      gvk: { group: "apps", version: "v1", kind: "Deployment" },
      gk: { group: "v1.apps", kind: "Deployment" },
    });
  });
});

describe("conversions", () => {
  it("withKind/withResource/equality/emptiness", () => {
    const gv = { group: "apps", version: "v1" };
    expect(withKind(gv, "Deployment")).toEqual({ group: "apps", version: "v1", kind: "Deployment" });
    expect(withResource(gv, "deployments")).toEqual({ group: "apps", version: "v1", resource: "deployments" });
    expect(groupVersionEquals(gv, { group: "apps", version: "v1" })).toBe(true);
    expect(groupVersionEquals(gv, { group: "apps", version: "v2" })).toBe(false);
    expect(groupVersionKindEquals(withKind(gv, "A"), withKind(gv, "B"))).toBe(false);
    expect(isEmptyGroupVersion({ group: "", version: "" })).toBe(true);
  });
  it("apiVersion/kind round trip", () => {
    expect(toAPIVersionAndKind({ group: "", version: "", kind: "" })).toEqual({ apiVersion: "", kind: "" });
    expect(toAPIVersionAndKind({ group: "apps", version: "v1", kind: "Deployment" })).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
    });
    expect(fromAPIVersionAndKind("v1", "Pod")).toEqual({ group: "", version: "v1", kind: "Pod" });
    expect(fromAPIVersionAndKind("a/b/c", "Pod")).toEqual({ group: "", version: "", kind: "Pod" });
  });
  it("kindForGroupVersionKinds prefers exact matches, then same group", () => {
    const kinds = [
      { group: "apps", version: "v1beta1", kind: "Deployment" },
      { group: "apps", version: "v1", kind: "Deployment" },
    ];
    expect(kindForGroupVersionKinds({ group: "apps", version: "v1" }, kinds)).toEqual(kinds[1]);
    expect(kindForGroupVersionKinds({ group: "apps", version: "v2" }, kinds)).toEqual({
      group: "apps",
      version: "v2",
      kind: "Deployment",
    });
    expect(kindForGroupVersionKinds({ group: "batch", version: "v1" }, kinds)).toBeUndefined();
    expect(
      kindForGroupVersions(
        [
          { group: "apps", version: "v2" },
          { group: "apps", version: "v1" },
        ],
        kinds,
      ),
    ).toEqual(kinds[1]);
  });
});
