// Behaviour of @kubets/apimachinery/patch on small hand-written cases; the Go vectors
// (packages/api/test/conformance-patch.test.ts) cover thousands more.
import { describe, expect, it } from "vitest";
import {
  applyJSONPatch,
  createThreeWayJSONMergePatch,
  createThreeWayMergePatch,
  createTwoWayMergePatch,
  isPatchConflict,
  isPatchError,
  mergePatch,
  requireKeyUnchanged,
  strategicMergePatch,
  unknownPatchSchema,
  type FieldPatchMeta,
  type PatchSchema,
} from "../src/patch/index.js";

/** A tiny schema: `containers` merges by `name`, `finalizers` merges as a set, `strategy` retains keys. */
function schema(fields: Record<string, FieldPatchMeta & { elem?: PatchSchema }>): PatchSchema {
  const s: PatchSchema = {
    lookupPatchMetadataForStruct: (key) => {
      const f = fields[key];
      return { schema: f?.elem ?? unknownPatchSchema, meta: f ?? { patchStrategies: [], patchMergeKey: "" } };
    },
    lookupPatchMetadataForSlice: (key) => s.lookupPatchMetadataForStruct(key),
    name: () => "struct",
  };
  return s;
}
const podLike = schema({
  containers: { patchStrategies: ["merge"], patchMergeKey: "name" },
  finalizers: { patchStrategies: ["merge"], patchMergeKey: "" },
  strategy: { patchStrategies: ["retainKeys"], patchMergeKey: "" },
});

describe("strategic merge patch", () => {
  const original = {
    containers: [
      { name: "a", image: "a:1" },
      { name: "b", image: "b:1" },
    ],
    finalizers: ["x", "y"],
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } },
  };

  it("merges lists by their merge key and keeps the server's other elements", () => {
    const out = strategicMergePatch(original, { containers: [{ name: "b", image: "b:2" }, { name: "c", image: "c:1" }] }, podLike);
    expect(out["containers"]).toEqual([
      { name: "a", image: "a:1" },
      { name: "b", image: "b:2" },
      { name: "c", image: "c:1" },
    ]);
  });

  it("applies $patch delete/replace, $deleteFromPrimitiveList, $retainKeys and $setElementOrder", () => {
    const out = strategicMergePatch(
      original,
      {
        containers: [{ name: "a", $patch: "delete" }],
        "$deleteFromPrimitiveList/finalizers": ["x"],
        strategy: { $retainKeys: ["type"], type: "Recreate" },
      },
      podLike,
    );
    expect(out).toEqual({ containers: [{ name: "b", image: "b:1" }], finalizers: ["y"], strategy: { type: "Recreate" } });
    const ordered = strategicMergePatch(original, { "$setElementOrder/containers": [{ name: "b" }, { name: "a" }] }, podLike);
    expect((ordered["containers"] as Array<{ name: string }>).map((c) => c.name)).toEqual(["b", "a"]);
    expect(strategicMergePatch(original, { strategy: { $patch: "replace", type: "Recreate" } }, podLike)["strategy"]).toEqual({ type: "Recreate" });
  });

  it("creates a two-way patch that turns original into modified", () => {
    const modified = { ...original, containers: [{ name: "b", image: "b:1" }], finalizers: ["y", "z"] };
    const patch = createTwoWayMergePatch(original, modified, podLike);
    expect(patch).toEqual({
      containers: [{ name: "a", $patch: "delete" }],
      "$setElementOrder/containers": [{ name: "b" }],
      finalizers: ["z"],
      "$deleteFromPrimitiveList/finalizers": ["x"],
      "$setElementOrder/finalizers": ["y", "z"],
    });
    expect(strategicMergePatch(original, patch, podLike)).toEqual(modified);
    expect(() => createTwoWayMergePatch(original, { ...original, strategy: { type: "Recreate" } }, podLike, requireKeyUnchanged("strategy"))).toThrow(/precondition failed/);
  });

  it("creates kubectl apply's three-way patch and reports conflicts unless overwriting", () => {
    const lastApplied = { replicas: 1, labels: { app: "web" } };
    const live = { replicas: 3, labels: { app: "web", team: "x" } };
    const desired = { replicas: 2, labels: { app: "web" } };
    expect(createThreeWayMergePatch(lastApplied, desired, live, unknownPatchSchema, true)).toEqual({ replicas: 2 });
    try {
      createThreeWayMergePatch(lastApplied, desired, live, unknownPatchSchema, false);
      expect.unreachable();
    } catch (err) {
      expect(isPatchConflict(err)).toBe(true);
    }
  });

  it("bounds the size of JSON text it parses", () => {
    expect(() => strategicMergePatch("{}", JSON.stringify({ a: "x".repeat(100) }), podLike, { maxBytes: 50 })).toThrow(/larger than the limit/);
  });
});

describe("JSON merge patch and JSON patch", () => {
  it("applies RFC 7386 merge patches (null deletes, arrays replace)", () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3] })).toEqual({ a: 1, b: { d: 3, e: 4 }, l: [3] });
    expect(createThreeWayJSONMergePatch({ a: 1, b: 2 }, { a: 1 }, { a: 1, b: 2, c: 3 })).toEqual({ b: null });
  });

  it("applies RFC 6902 patches with evanphx v4's rules", () => {
    const doc = { spec: { list: ["a", "b"], x: 1 } };
    expect(
      applyJSONPatch(doc, [
        { op: "add", path: "/spec/list/-", value: "c" },
        { op: "remove", path: "/spec/list/-3" },
        { op: "test", path: "/spec/x", value: 1 },
        { op: "move", from: "/spec/x", path: "/spec/y" },
      ]),
    ).toEqual({ spec: { list: ["b", "c"], y: 1 } });
    try {
      applyJSONPatch(doc, [{ op: "test", path: "/spec/x", value: 2 }]);
      expect.unreachable();
    } catch (err) {
      expect(isPatchError(err) && err.reason).toBe("TestFailed");
    }
    expect(() => applyJSONPatch(doc, JSON.stringify(Array.from({ length: 3 }, () => ({ op: "test", path: "/spec" }))), { maxOperations: 2 })).toThrow(/limit of 2/);
  });
});
