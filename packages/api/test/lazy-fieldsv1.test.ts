// managedFields[].fieldsV1 is kept as its JSON text after a protobuf decode and parsed on first read.
// Whatever a user or a library does with the object must not be able to tell: these are the cases.
import { ProtoReader, ProtoWriter } from "@kubets/apimachinery/protobuf";
import { describe, expect, it } from "vitest";
import { registrations } from "../src/index.js";

const core = registrations.find((r) => r.group === "" && r.version === "v1")!;
const podKind = core.kinds.find((k) => k.kind === "Pod")!;
const read = (b: Uint8Array) => podKind.read!(new ProtoReader(b)) as any;
const write = (v: unknown) => {
  const w = new ProtoWriter();
  podKind.write!(w, v);
  return w.finish();
};

const fields = { "f:metadata": { "f:labels": { ".": {}, "f:app": {} } }, "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {} } } } };
const pod = {
  metadata: {
    name: "web-0",
    namespace: "default",
    labels: { app: "web" },
    managedFields: [
      { manager: "kubectl", operation: "Apply", apiVersion: "v1", time: "2026-01-02T03:04:05Z", fieldsType: "FieldsV1", fieldsV1: fields },
      { manager: "kube-controller-manager", operation: "Update", apiVersion: "v1", time: "2026-01-02T03:04:06Z", fieldsType: "FieldsV1", fieldsV1: { "f:status": {} } },
    ],
  },
  spec: { containers: [{ name: "web", image: "nginx" }] },
};
const bytes = write(pod);

describe("lazy fieldsV1 after a protobuf decode", () => {
  it("serialises, enumerates, spreads and clones exactly like the parsed value", () => {
    const a = read(bytes);
    const viaJSON = JSON.parse(JSON.stringify(pod.metadata.managedFields));
    expect(JSON.parse(JSON.stringify(a.metadata.managedFields))).toEqual(viaJSON);
    const entry = read(bytes).metadata.managedFields[0];
    expect(Object.keys(entry)).toEqual(["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1"]);
    expect({ ...read(bytes).metadata.managedFields[0] }.fieldsV1).toEqual(fields);
    expect(structuredClone(read(bytes).metadata.managedFields[1]).fieldsV1).toEqual({ "f:status": {} });
    expect(read(bytes).metadata.managedFields).toStrictEqual(viaJSON);
  });

  it("becomes a plain data property on first read, and the same object every time", () => {
    const entry = read(bytes).metadata.managedFields[0];
    const first = entry.fieldsV1;
    expect(first).toEqual(fields);
    expect(entry.fieldsV1).toBe(first);
    const d = Object.getOwnPropertyDescriptor(entry, "fieldsV1")!;
    expect(d.enumerable).toBe(true);
    expect("value" in d && d.writable).toBe(true);
  });

  it("takes assignments and deletes like any property, and re-encodes what the object now holds", () => {
    const a = read(bytes);
    a.metadata.managedFields[0].fieldsV1 = { "f:spec": {} };
    delete a.metadata.managedFields[1].fieldsV1;
    const b = read(write(a));
    expect(b.metadata.managedFields[0].fieldsV1).toEqual({ "f:spec": {} });
    expect("fieldsV1" in b.metadata.managedFields[1]).toBe(false);
  });

  it("re-encodes never-read entries byte-identically", () => {
    expect(Buffer.compare(Buffer.from(write(read(bytes))), Buffer.from(bytes))).toBe(0);
  });
});

// metadata.managedFields as a whole is kept as its wire bytes and decoded on first read (most readers
// of a watched or listed object never look at it): the same guarantees, one level up.
describe("lazy managedFields after a protobuf decode", () => {
  it("looks like the decoded array to serialisation, keys, spreads, clones and deep equality", () => {
    const a = read(bytes);
    expect(Object.keys(a.metadata)).toEqual(["name", "namespace", "labels", "managedFields"]);
    expect(JSON.parse(JSON.stringify(a.metadata))).toEqual(JSON.parse(JSON.stringify(pod.metadata)));
    expect({ ...read(bytes).metadata }.managedFields).toEqual(pod.metadata.managedFields);
    expect(structuredClone(read(bytes).metadata).managedFields[1].manager).toBe("kube-controller-manager");
    expect(read(bytes).metadata).toStrictEqual(JSON.parse(JSON.stringify(pod.metadata)));
  });

  it("is decoded once, into a plain array property, also on a frozen object", () => {
    const m = read(bytes).metadata;
    const first = m.managedFields;
    expect(Array.isArray(first)).toBe(true);
    expect(m.managedFields).toBe(first);
    expect("value" in Object.getOwnPropertyDescriptor(m, "managedFields")!).toBe(true);
    const frozen = Object.freeze(read(bytes).metadata);
    expect(frozen.managedFields).toBe(frozen.managedFields);
    expect(frozen.managedFields[0].manager).toBe("kubectl");
  });

  it("re-encodes byte-identically while unread, and what the object holds once changed", () => {
    expect(Buffer.compare(Buffer.from(write(read(bytes))), Buffer.from(bytes))).toBe(0);
    const a = read(bytes);
    a.metadata.managedFields.pop();
    expect(read(write(a)).metadata.managedFields.map((e: { manager: string }) => e.manager)).toEqual(["kubectl"]);
    const b = read(bytes);
    b.metadata.managedFields = [];
    expect("managedFields" in read(write(b)).metadata).toBe(false);
    const c = read(bytes);
    delete c.metadata.managedFields;
    expect("managedFields" in read(write(c)).metadata).toBe(false);
  });

  it("checks record lengths when decoding and reports a corrupt entry as a DecodeError on first read", () => {
    // the first managedFields record: key 138 1 (field 17, length-delimited), then its length
    const at = Buffer.from(bytes).indexOf(Buffer.from([138, 1]));
    expect(at).toBeGreaterThan(0);
    let body = at + 2; // past the record's length (a varint)
    while ((bytes[body++]! & 0x80) !== 0);
    const cut = Buffer.from(bytes);
    cut[at + 2] = 0xff; // a length varint of 127 + ... longer than what is left of metadata
    cut[at + 3] = 0x7f;
    expect(() => read(cut)).toThrow(/length/);
    const bad = Buffer.from(bytes);
    // the entry's first key (manager, field 1) turned into field 0, which no message may carry
    expect(bad[body]).toBe(0x0a);
    bad[body] = 0x02;
    const m = read(bad).metadata;
    expect(() => m.managedFields).toThrowError(expect.objectContaining({ name: "DecodeError" }));
  });
});
