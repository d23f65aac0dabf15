import { describe, expect, it } from "vitest";
import type { ObjectWithMeta, Pod } from "./fixtures-meta.js";
import {
  getAnnotations,
  getControllerOf,
  getLabels,
  getName,
  getNamespace,
  getOwnerReferences,
  getResourceVersion,
  getUID,
  hasLabel,
  isControlledBy,
  newControllerRef,
  setLabels,
  setMetaDataAnnotation,
  setMetaDataLabel,
  setName,
  setNamespace,
  setResourceVersion,
} from "../src/meta/v1/index.js";

describe("accessors", () => {
  it("return Go zero values for missing metadata", () => {
    const o: ObjectWithMeta = { apiVersion: "v1", kind: "Pod" };
    expect(getName(o)).toBe("");
    expect(getNamespace(o)).toBe("");
    expect(getUID(o)).toBe("");
    expect(getResourceVersion(o)).toBe("");
    expect(getLabels(o)).toEqual({});
    expect(getAnnotations(o)).toEqual({});
    expect(getOwnerReferences(o)).toEqual([]);
  });
  it("set in place and create metadata", () => {
    const o: Pod = { apiVersion: "v1", kind: "Pod" };
    setName(o, "p");
    setNamespace(o, "ns");
    setResourceVersion(o, "12");
    setMetaDataLabel(o, "app", "web");
    setMetaDataAnnotation(o, "a", "b");
    expect(o.metadata).toEqual({ name: "p", namespace: "ns", resourceVersion: "12", labels: { app: "web" }, annotations: { a: "b" } });
    expect(hasLabel(o, "app")).toBe(true);
    expect(hasLabel(o, "toString")).toBe(false);
    setNamespace(o, "");
    setLabels(o, undefined);
    expect(o.metadata).toEqual({ name: "p", resourceVersion: "12", annotations: { a: "b" } });
  });
});

describe("controller refs", () => {
  it("newControllerRef, getControllerOf and isControlledBy", () => {
    const owner: ObjectWithMeta = { metadata: { name: "rs", uid: "u1" } };
    const ref = newControllerRef(owner, { group: "apps", version: "v1", kind: "ReplicaSet" });
    expect(ref).toEqual({ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "u1", blockOwnerDeletion: true, controller: true });
    const pod: ObjectWithMeta = {
      metadata: { ownerReferences: [{ apiVersion: "v1", kind: "X", name: "x", uid: "u0" }, ref] },
    };
    const got = getControllerOf(pod);
    expect(got).toEqual(ref);
    expect(got).not.toBe(ref);
    expect(isControlledBy(pod, owner)).toBe(true);
    expect(isControlledBy(pod, { metadata: { uid: "u0" } })).toBe(false);
    expect(getControllerOf({ metadata: {} })).toBeUndefined();
  });
});

describe("label selector conversion", () => {
  it("labelSelectorAsSelector follows Go", async () => {
    const { labelSelectorAsSelector, formatLabelSelector, parseToLabelSelector, labelSelectorAsMap } = await import(
      "../src/meta/v1/index.js"
    );
    expect(labelSelectorAsSelector(undefined).matches({})).toBe(false);
    expect(labelSelectorAsSelector({}).matches({ a: "b" })).toBe(true);
    const s = labelSelectorAsSelector({
      matchLabels: { tier: "web", app: "x" },
      matchExpressions: [{ key: "env", operator: "NotIn", values: ["prod", "dev"] }],
    });
    expect(s.toString()).toBe("app=x,env notin (dev,prod),tier=web");
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: "a", operator: "Foo" }] })).toThrowError(
      '"Foo" is not a valid label selector operator',
    );
    expect(formatLabelSelector({})).toBe("<none>");
    expect(formatLabelSelector({ matchExpressions: [{ key: "a", operator: "Foo" }] })).toBe("<error>");
    expect(parseToLabelSelector("a=b,c in (y,x),!d")).toEqual({
      matchLabels: { a: "b" },
      matchExpressions: [
        { key: "c", operator: "In", values: ["x", "y"] },
        { key: "d", operator: "DoesNotExist", values: [] },
      ],
    });
    expect(() => parseToLabelSelector("a>1")).toThrowError('"gt" isn\'t supported in label selectors');
    expect(labelSelectorAsMap({ matchLabels: { a: "b" }, matchExpressions: [{ key: "c", operator: "In", values: ["d"] }] })).toEqual({
      a: "b",
      c: "d",
    });
  });
});
