import { describe, expect, it } from "vitest";
import {
  Scheme,
  SchemeBuilder,
  deepCopyJSON,
  eachListItem,
  fromUnstructured,
  getObjectKind,
  isList,
  isMissingKind,
  isNotRegisteredError,
  nestedBool,
  nestedField,
  nestedFieldCopy,
  nestedFloat64,
  nestedInt64,
  nestedMap,
  nestedNullCoercingStringMap,
  nestedNumberAsFloat64,
  nestedSlice,
  nestedString,
  nestedStringMap,
  nestedStringSlice,
  removeNestedField,
  setNestedField,
  setNestedStringMap,
  setNestedStringSlice,
  setObjectKind,
  toUnstructured,
} from "../src/runtime/index.js";
import type { RuntimeObject, Unstructured } from "../src/runtime/index.js";
import type { ProtoReader, ProtoWriter } from "../src/protobuf/index.js";

const apps = { group: "apps", version: "v1" };
const deploymentGVK = { group: "apps", version: "v1", kind: "Deployment" };

interface Deployment extends RuntimeObject {
  spec?: { replicas?: number };
}

describe("Object contract", () => {
  it("reads and writes apiVersion/kind as a GVK", () => {
    const o: RuntimeObject = {};
    setObjectKind(o, deploymentGVK);
    expect(o).toEqual({ apiVersion: "apps/v1", kind: "Deployment" });
    expect(getObjectKind({ apiVersion: "v1", kind: "Pod" })).toEqual({ group: "", version: "v1", kind: "Pod" });
    setObjectKind(o, { group: "", version: "", kind: "" });
    expect(o).toEqual({});
  });
});

describe("Scheme", () => {
  function newScheme(): Scheme {
    const s = new Scheme({ name: "test" });
    s.addKnownTypes(apps, {
      Deployment: {
        listKind: "DeploymentList",
        encodeProto: (d: Deployment) => new TextEncoder().encode(JSON.stringify(d)),
        decodeProto: (b) => JSON.parse(new TextDecoder().decode(b)) as Deployment,
        defaults: (d: Deployment) => {
          d.spec ??= {};
          d.spec.replicas ??= 1;
        },
      },
      DeploymentList: {},
    });
    s.addKnownTypes({ group: "apps", version: "v1beta1" }, { Deployment: {} });
    s.addUnversionedTypes({ group: "", version: "v1" }, { Status: {} });
    return s;
  }

  it("registers kinds, recognizes them and builds defaulted objects", () => {
    const s = newScheme();
    expect(s.recognizes(deploymentGVK)).toBe(true);
    expect(s.recognizes({ ...deploymentGVK, kind: "StatefulSet" })).toBe(false);
    expect(s.newObject<Deployment>(deploymentGVK)).toEqual({ apiVersion: "apps/v1", kind: "Deployment", spec: { replicas: 1 } });
    expect(s.listKindFor(deploymentGVK)).toEqual({ group: "apps", version: "v1", kind: "DeploymentList" });
    expect([...s.knownTypes(apps).keys()].sort()).toEqual(["Deployment", "DeploymentList"]);
    expect(s.allKnownTypes()).toHaveLength(4);
    const d: Deployment = { apiVersion: "apps/v1", kind: "Deployment", spec: {} };
    s.default(d);
    expect(d.spec?.replicas).toBe(1);
  });

  it("throws Go's not-registered message", () => {
    const s = newScheme();
    try {
      s.newObject({ group: "batch", version: "v1", kind: "Job" });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe('no kind "Job" is registered for version "batch/v1" in scheme "test"');
      expect(isNotRegisteredError(e)).toBe(true);
    }
  });

  it("objectKinds reads apiVersion/kind and reports unversioned kinds", () => {
    const s = newScheme();
    expect(s.objectKinds({ apiVersion: "apps/v1", kind: "Deployment" })).toEqual({ kinds: [deploymentGVK], unversioned: false });
    expect(s.objectKinds({ apiVersion: "v1", kind: "Status" }).unversioned).toBe(true);
    expect(s.isUnversioned({ apiVersion: "v1", kind: "Nope" })).toBeUndefined();
    expect(() => s.objectKinds({ apiVersion: "v1" })).toThrowError("Object 'Kind' is missing in 'unstructured object has no kind'");
    try {
      s.objectKinds({ kind: "X" });
    } catch (e) {
      expect((e as Error).name).toBe("MissingVersionError");
      expect(isMissingKind(e)).toBe(false);
    }
  });

  it("encodes and decodes with the kind's protobuf hooks", () => {
    const s = newScheme();
    const d: Deployment = { apiVersion: "apps/v1", kind: "Deployment", spec: { replicas: 3 } };
    const bytes = s.encodeProto(d);
    expect(s.decodeProto<Deployment>(deploymentGVK, bytes)).toEqual(d);
    expect(() => s.encodeProto({ apiVersion: "apps/v1", kind: "DeploymentList" })).toThrowError(/no kind "DeploymentList"/);
  });

  it("orders versions by priority, then registration", () => {
    const s = newScheme();
    expect(s.prioritizedVersionsForGroup("apps")).toEqual([apps, { group: "apps", version: "v1beta1" }]);
    s.setVersionPriority({ group: "apps", version: "v1beta1" }, apps);
    expect(s.versionsForGroupKind({ group: "apps", kind: "Deployment" })).toEqual([{ group: "apps", version: "v1beta1" }, apps]);
    expect(s.versionsForGroupKind({ group: "apps", kind: "DeploymentList" })).toEqual([apps]);
    expect(s.preferredVersionAllGroups()).toEqual([{ group: "apps", version: "v1beta1" }, { group: "", version: "v1" }]);
    expect(s.isGroupRegistered("apps")).toBe(true);
    expect(s.isVersionRegistered({ group: "apps", version: "v2" })).toBe(false);
    expect(() => s.setVersionPriority(apps, { group: "batch", version: "v1" })).toThrowError(
      "must register versions for exactly one group: apps, batch",
    );
  });

  it("rejects conflicting registrations", () => {
    const s = newScheme();
    expect(() => s.addKnownTypes(apps, { Deployment: { listKind: "Other" } })).toThrowError(/Double registration/);
    expect(() => s.addUnversionedTypes({ group: "", version: "v2" }, { Status: {} })).toThrowError(/already been registered as unversioned kind/);
    expect(() => s.addKnownTypeWithName({ group: "x", version: "", kind: "Y" })).toThrowError(/version is required/);
  });

  it("SchemeBuilder applies registrations in order", () => {
    const order: string[] = [];
    const b = new SchemeBuilder((s) => {
      order.push("a");
      s.addKnownTypes(apps, { ReplicaSet: {} });
    });
    b.register(() => order.push("b"));
    const s = new Scheme();
    b.addToScheme(s);
    expect(order).toEqual(["a", "b"]);
    expect(s.recognizes({ ...apps, kind: "ReplicaSet" })).toBe(true);
  });
});

describe("unstructured nested fields", () => {
  const obj = (): Unstructured => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", labels: { app: "web" } },
    spec: { replicas: 3, paused: false, ratio: 0.5, args: ["a", "b"], mixed: ["a", 1], nothing: null, nested: { x: { y: 1 } } },
  });

  it("reads typed values; undefined when absent or under null", () => {
    const o = obj();
    expect(nestedString(o, "metadata", "name")).toBe("web");
    expect(nestedInt64(o, "spec", "replicas")).toBe(3);
    expect(nestedBool(o, "spec", "paused")).toBe(false);
    expect(nestedFloat64(o, "spec", "ratio")).toBe(0.5);
    expect(nestedNumberAsFloat64(o, "spec", "replicas")).toBe(3);
    expect(nestedStringSlice(o, "spec", "args")).toEqual(["a", "b"]);
    expect(nestedStringMap(o, "metadata", "labels")).toEqual({ app: "web" });
    expect(nestedString(o, "metadata", "namespace")).toBeUndefined();
    expect(nestedString(o, "spec", "nothing", "deeper")).toBeUndefined();
    expect(nestedField(o, "spec", "nothing")).toBeNull();
    expect(nestedNullCoercingStringMap(o, "spec", "nothing")).toBeNull();
    expect(nestedString(o, "toString")).toBeUndefined();
  });

  it("copies where Go copies", () => {
    const o = obj();
    const m = nestedMap(o, "spec", "nested");
    (m?.["x"] as { y: number }).y = 2;
    expect(nestedInt64(o, "spec", "nested", "x", "y")).toBe(1);
    const s = nestedSlice(o, "spec", "args");
    s?.push("c");
    expect(nestedStringSlice(o, "spec", "args")).toEqual(["a", "b"]);
    expect(nestedFieldCopy(o, "spec", "nested")).not.toBe((o["spec"] as { nested: unknown }).nested);
  });

  it("throws Go's accessor errors", () => {
    const o = obj();
    expect(() => nestedString(o, "spec", "replicas")).toThrowError(".spec.replicas accessor error: 3 is of the type int64, expected string");
    expect(() => nestedInt64(o, "spec", "ratio")).toThrowError(".spec.ratio accessor error: 0.5 is of the type float64, expected int64");
    expect(() => nestedString(o, "spec", "args", "x")).toThrowError(
      ".spec.args.x accessor error: [a b] is of the type []interface {}, expected map[string]interface{}",
    );
    expect(() => nestedStringSlice(o, "spec", "mixed")).toThrowError(
      ".spec.mixed accessor error: contains non-string key in the slice: 1 is of the type int64, expected string",
    );
    expect(() => nestedStringMap(o, "spec", "nested")).toThrowError(
      '.spec.nested accessor error: contains non-string value in the map under key "x": map[y:1] is of the type map[string]interface {}, expected string',
    );
    expect(() => nestedBool(o, "spec", "nothing")).toThrowError(".spec.nothing accessor error: <nil> is of the type <nil>, expected bool");
    try {
      nestedString(o, "spec", "replicas");
    } catch (e) {
      expect((e as Error).name).toBe("UnstructuredFieldError");
    }
  });

  it("sets and removes with Go's semantics", () => {
    const o: Unstructured = { kind: "X", spec: { a: 1 } };
    setNestedField(o, { b: [1, 2] }, "spec", "c", "d");
    expect(o["spec"]).toEqual({ a: 1, c: { d: { b: [1, 2] } } });
    const v = { q: 1 };
    setNestedField(o, v, "spec", "v");
    v.q = 2;
    expect(nestedInt64(o, "spec", "v", "q")).toBe(1);
    expect(() => setNestedField(o, 1, "spec", "a", "b")).toThrowError("value cannot be set because .spec.a is not a map[string]interface{}");
    setNestedStringSlice(o, ["x"], "spec", "list");
    setNestedStringMap(o, { k: "v" }, "metadata", "labels");
    expect(nestedStringSlice(o, "spec", "list")).toEqual(["x"]);
    expect(nestedStringMap(o, "metadata", "labels")).toEqual({ k: "v" });
    removeNestedField(o, "spec", "c", "d");
    expect(nestedMap(o, "spec", "c")).toEqual({});
    removeNestedField(o, "spec", "a", "zzz");
    expect(nestedInt64(o, "spec", "a")).toBe(1);
  });
});

describe("lists and conversion", () => {
  it("isList and eachListItem", () => {
    const l = { apiVersion: "v1", kind: "List", items: [{ kind: "A" }, { kind: "B" }] };
    expect(isList(l)).toBe(true);
    expect(isList({ items: {} })).toBe(false);
    const kinds: string[] = [];
    eachListItem(l, (item) => kinds.push(item.kind ?? ""));
    expect(kinds).toEqual(["A", "B"]);
    expect(() => eachListItem({ items: [1] }, () => undefined)).toThrowError(/items member is not an object/);
  });

  it("toUnstructured/fromUnstructured deep copy and drop undefined", () => {
    const typed: Deployment = { apiVersion: "apps/v1", kind: "Deployment", spec: { replicas: undefined as unknown as number } };
    const u = toUnstructured(typed);
    expect(u).toEqual({ apiVersion: "apps/v1", kind: "Deployment", spec: {} });
    expect(Object.hasOwn(u["spec"] as object, "replicas")).toBe(false);
    const back = fromUnstructured<Deployment>(u);
    expect(back).toEqual(u);
    expect(back).not.toBe(u);
    expect(() => toUnstructured({ when: new Date(0) })).toThrowError(/cannot deep copy \[object Date\]/);
    const cyc: Record<string, unknown> = {};
    cyc["self"] = cyc;
    expect(() => deepCopyJSON(cyc)).toThrowError(/cyclic/);
    expect(() => fromUnstructured({ a: 1 }, (v): v is { b: string } => typeof (v as { b?: unknown }).b === "string")).toThrowError(
      /expected shape/,
    );
  });
});

describe("Scheme.addGroupVersion", () => {
  it("registers generated kinds with protobuf read/write codecs", async () => {
    type Thing = { apiVersion?: string; kind?: string; name?: string };
    const s = new Scheme();
    s.addGroupVersion({
      group: "example.com",
      version: "v1",
      kinds: [
        {
          kind: "Thing",
          listKind: "ThingList",
          resource: "things",
          namespaced: true,
          read: (r: ProtoReader) => {
            const out: Thing = {};
            while (!r.eof()) {
              const tag = r.tag();
              if (tag >>> 3 === 1) out.name = r.string();
              else r.skip(tag & 7);
            }
            return out;
          },
          write: (w: ProtoWriter, v: unknown) => {
            const t = v as Thing;
            if (t.name !== undefined) w.uint32(10).string(t.name);
          },
        },
        { kind: "ThingList", list: true },
      ],
    });
    const gvk = { group: "example.com", version: "v1", kind: "Thing" };
    expect(s.typeInfo(gvk)).toMatchObject({ listKind: "ThingList", resource: "things", namespaced: true });
    expect(s.typeInfo({ ...gvk, kind: "ThingList" })?.list).toBe(true);
    const bytes = s.encodeProto({ apiVersion: "example.com/v1", kind: "Thing", name: "x" } as Thing);
    expect([...bytes]).toEqual([10, 1, 120]);
    expect(s.decodeProto<Thing>(gvk, bytes)).toEqual({ name: "x" });
  });
});
