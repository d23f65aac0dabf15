import { describe, expect, it } from "vitest";
import { Equalities, quantityEquality, semantic, timeEquality } from "../src/equality/index.js";

describe("semantic.deepEqual", () => {
  it("compares Quantities by value wherever they are", () => {
    const a = { spec: { containers: [{ resources: { limits: { cpu: "1", memory: "1Gi" } } }] } };
    const b = { spec: { containers: [{ resources: { limits: { cpu: "1000m", memory: "1024Mi" } } }] } };
    expect(semantic.deepEqual(a, b)).toBe(true);
    expect(semantic.deepEqual({ cpu: "1" }, { cpu: "1001m" })).toBe(false);
    expect(quantityEquality("100Mi", "not-a-quantity")).toBeUndefined();
  });

  it("compares Times and MicroTimes by instant", () => {
    expect(semantic.deepEqual({ t: "2024-01-02T05:04:05+02:00" }, { t: "2024-01-02T03:04:05Z" })).toBe(true);
    expect(semantic.deepEqual({ t: "2024-01-02T03:04:05.000000Z" }, { t: "2024-01-02T03:04:05Z" })).toBe(true);
    expect(semantic.deepEqual({ t: "2024-01-02T03:04:05.000001Z" }, { t: "2024-01-02T03:04:05Z" })).toBe(false);
    expect(timeEquality("2024-01-02T03:04:05Z", "2024-01-02")).toBeUndefined();
  });

  it("treats absent, null, empty arrays and empty objects alike, as Go's nil and empty", () => {
    expect(semantic.deepEqual({ a: [] }, {})).toBe(true);
    expect(semantic.deepEqual({ labels: {} }, { labels: null })).toBe(true);
    expect(semantic.deepEqual({ a: undefined }, { a: null })).toBe(true);
    expect(semantic.deepEqual({ a: [] }, { a: [1] })).toBe(false);
    expect(semantic.deepEqual({ a: "" }, {})).toBe(false);
    expect(semantic.deepEqual({ a: 0 }, {})).toBe(false);
  });

  it("is otherwise strict structural equality", () => {
    expect(semantic.deepEqual({ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] })).toBe(true);
    expect(semantic.deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(semantic.deepEqual({ a: "web" }, { a: "api" })).toBe(false);
    expect(semantic.deepEqual({ a: true }, { a: "true" })).toBe(false);
    expect(semantic.deepEqual({ a: { b: 1 } }, { a: { b: 1, c: 2 } })).toBe(false);
    expect(semantic.deepEqual([1], { 0: 1 })).toBe(false);
  });

  it("lets callers add comparisons", () => {
    const caseless = semantic.with((a, b) => (typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : undefined));
    expect(caseless.deepEqual({ a: "Web" }, { a: "web" })).toBe(true);
    expect(new Equalities().deepEqual({ cpu: "1" }, { cpu: "1000m" })).toBe(false);
  });
});

describe("semantic.deepDerivative", () => {
  it("ignores what the first value leaves unset", () => {
    const desired = { spec: { replicas: 3, template: { spec: { containers: [{ name: "web", image: "nginx" }] } } } };
    const live = {
      spec: {
        replicas: 3,
        progressDeadlineSeconds: 600,
        template: { spec: { containers: [{ name: "web", image: "nginx", imagePullPolicy: "Always" }], restartPolicy: "Always" } },
      },
    };
    expect(semantic.deepDerivative(desired, live)).toBe(true);
    expect(semantic.deepDerivative(live, desired)).toBe(false);
    expect(semantic.deepDerivative({ spec: { replicas: 2 } }, live)).toBe(false);
    expect(semantic.deepDerivative({ a: "", b: [], c: {} }, { a: "x", b: [1], c: { d: 1 } })).toBe(true);
    expect(semantic.deepDerivative({ a: [1, 2] }, { a: [1] })).toBe(false);
    expect(semantic.deepDerivative({ cpu: "1" }, { cpu: "1000m" })).toBe(true);
  });
});
