import { describe, expect, it } from "vitest";
import type { Condition } from "../src/meta/v1/index.js";
import {
  findStatusCondition,
  isStatusConditionFalse,
  isStatusConditionPresentAndEqual,
  isStatusConditionTrue,
  removeStatusCondition,
  setStatusCondition,
} from "../src/meta/index.js";

const T1 = "2024-01-02T03:04:05Z";
const T2 = "2024-02-03T04:05:06Z";
const NOW = new Date("2025-06-07T08:09:10.500Z");
const now = (): Date => NOW;

function cond(type: string, status: string, extra: Partial<Condition> = {}): Condition {
  return { type, status, reason: "", message: "", lastTransitionTime: T1, ...extra };
}

// The cases of apimachinery's TestSetStatusCondition, plus the ones Go leaves implicit.
describe("setStatusCondition", () => {
  it("adds a missing condition, stamping now when no lastTransitionTime is given", () => {
    const conds: Condition[] = [cond("first", "True")];
    expect(setStatusCondition(conds, { type: "second", status: "False", reason: "Waiting" }, { now })).toBe(true);
    expect(conds[1]).toEqual({ type: "second", status: "False", reason: "Waiting", message: "", lastTransitionTime: "2025-06-07T08:09:10Z" });
    expect("observedGeneration" in conds[1]!).toBe(false);
  });

  it("keeps a given lastTransitionTime when adding", () => {
    const conds: Condition[] = [];
    setStatusCondition(conds, { type: "Ready", status: "True", reason: "Up", message: "m", observedGeneration: 3, lastTransitionTime: T2 });
    expect(conds).toEqual([{ type: "Ready", status: "True", reason: "Up", message: "m", observedGeneration: 3, lastTransitionTime: T2 }]);
  });

  it("changes lastTransitionTime only when the status changes", () => {
    const conds: Condition[] = [cond("Ready", "True", { reason: "Old", message: "old" })];
    // Same status, new reason/message: time stays.
    expect(setStatusCondition(conds, { type: "Ready", status: "True", reason: "New", message: "new", lastTransitionTime: T2 }, { now })).toBe(true);
    expect(conds[0]).toEqual(cond("Ready", "True", { reason: "New", message: "new" }));
    // New status without a time: now.
    expect(setStatusCondition(conds, { type: "Ready", status: "False", reason: "New", message: "new" }, { now })).toBe(true);
    expect(conds[0]?.lastTransitionTime).toBe("2025-06-07T08:09:10Z");
    // New status with a time: that time.
    expect(setStatusCondition(conds, { type: "Ready", status: "Unknown", reason: "New", message: "new", lastTransitionTime: T2 }, { now })).toBe(true);
    expect(conds[0]?.lastTransitionTime).toBe(T2);
    // "" is Go's zero time.
    setStatusCondition(conds, { type: "Ready", status: "True", reason: "New", message: "new", lastTransitionTime: "" }, { now });
    expect(conds[0]?.lastTransitionTime).toBe("2025-06-07T08:09:10Z");
  });

  it("reports no change when nothing differs, and tracks observedGeneration", () => {
    const conds: Condition[] = [cond("Ready", "True", { reason: "Up", observedGeneration: 2 })];
    expect(setStatusCondition(conds, { type: "Ready", status: "True", reason: "Up", message: "", observedGeneration: 2 })).toBe(false);
    expect(setStatusCondition(conds, { type: "Ready", status: "True", reason: "Up", observedGeneration: 3 })).toBe(true);
    expect(conds[0]?.observedGeneration).toBe(3);
    expect(setStatusCondition(conds, { type: "Ready", status: "True", reason: "Up" })).toBe(true);
    expect(conds[0]?.observedGeneration).toBeUndefined();
    expect(setStatusCondition(conds, { type: "Ready", status: "True", reason: "Up", observedGeneration: 0 })).toBe(false);
  });

  it("updates the array's own element, in place", () => {
    const conds: Condition[] = [cond("A", "True"), cond("B", "True")];
    const b = conds[1];
    setStatusCondition(conds, { type: "B", status: "False", reason: "r" }, { now });
    expect(conds).toHaveLength(2);
    expect(conds[1]).toBe(b);
    expect(b?.status).toBe("False");
  });

  it("does nothing for undefined (Go's nil pointer)", () => {
    expect(setStatusCondition(undefined, { type: "A", status: "True", reason: "r" })).toBe(false);
  });
});

describe("removeStatusCondition and the predicates", () => {
  it("removes every condition of the type in place", () => {
    const conds: Condition[] = [cond("A", "True"), cond("B", "False"), cond("A", "False")];
    expect(removeStatusCondition(conds, "A")).toBe(true);
    expect(conds.map((c) => c.type)).toEqual(["B"]);
    expect(removeStatusCondition(conds, "C")).toBe(false);
    expect(removeStatusCondition([], "A")).toBe(false);
    expect(removeStatusCondition(undefined, "A")).toBe(false);
  });

  it("finds and tests conditions", () => {
    const conds: Condition[] = [cond("Ready", "True"), cond("Degraded", "False"), cond("Progressing", "Unknown")];
    expect(findStatusCondition(conds, "Degraded")).toBe(conds[1]);
    expect(findStatusCondition(conds, "Nope")).toBeUndefined();
    expect(findStatusCondition(undefined, "Ready")).toBeUndefined();
    expect(isStatusConditionTrue(conds, "Ready")).toBe(true);
    expect(isStatusConditionTrue(conds, "Degraded")).toBe(false);
    expect(isStatusConditionFalse(conds, "Degraded")).toBe(true);
    expect(isStatusConditionFalse(conds, "Progressing")).toBe(false);
    expect(isStatusConditionFalse(conds, "Missing")).toBe(false);
    expect(isStatusConditionPresentAndEqual(conds, "Progressing", "Unknown")).toBe(true);
    expect(isStatusConditionPresentAndEqual(undefined, "Progressing", "Unknown")).toBe(false);
  });
});
