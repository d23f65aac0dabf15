/**
 * Issue 10, "also check": an object read over protobuf from a server newer than the client carries
 * fields the client's types do not know. The generated codecs keep them (as wire bytes, per
 * message) and write them back after the known fields, so a read-modify-write over protobuf loses
 * nothing; JSON has no names for them, so a write over JSON drops them.
 */
import { ProtoReader, ProtoWriter, keepUnknownFields, meta_v1, unknownFields, unknownFieldsKey } from "@kubets/apimachinery/protobuf";
import { describe, expect, it } from "vitest";
import { readPod, readPodSpec, readVolume, writeContainer, writePod, writePodSpec, writePodStatus, writeVolumeSource } from "../src/gen/core/v1/protobuf.js";
import type { Pod } from "../src/gen/core/v1/types.js";

/** One field's wire bytes: key and value (varint, or length-delimited bytes). */
function field(num: number, value: number | Uint8Array | string): Uint8Array {
  const w = new ProtoWriter();
  if (typeof value === "number") w.tag(num, 0).uint64(value);
  else if (typeof value === "string") w.tag(num, 2).string(value);
  else w.tag(num, 2).bytes(value);
  return w.finish();
}
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function encode<T>(write: (w: ProtoWriter, v: T) => void, v: T): Uint8Array {
  const w = new ProtoWriter();
  write(w, v);
  return w.finish();
}

// What a newer server sends: fields 99 (Pod), 999 (PodSpec), 300 (Volume), 200 (VolumeSource, a
// new volume type: a message) and 77 (Container) that this client's codecs do not have.
const unknownPod = concat(field(99, 12345), field(100, "new-pod-field"));
const unknownSpec = field(999, "new-spec-field");
const unknownContainer = field(77, 1);
const unknownVolume = field(300, "new-volume-field");
const unknownVolumeSource = field(200, concat(field(1, "nested"), field(2, 7)));

function newerServerPod(): Uint8Array {
  const meta = encode(meta_v1.writeObjectMeta, { name: "p", namespace: "ns", generation: 3 });
  const volumeSource = concat(encode(writeVolumeSource, { emptyDir: {} }), unknownVolumeSource);
  const volume = concat(field(1, "data"), field(2, volumeSource), unknownVolume);
  const containerKnown = encode(writeContainer, { name: "c", image: "i" });
  const container = concat(containerKnown, unknownContainer);
  // A PodSpec with one volume and one container (the fields Go always writes follow, as writePodSpec writes them).
  const specKnown = encode(writePodSpec, { containers: [{ name: "c", image: "i" }], volumes: [{ name: "data", emptyDir: {} }] });
  const decodedKnown = readPodSpec(new ProtoReader(specKnown));
  expect(decodedKnown.containers[0]?.name).toBe("c");
  // Rebuild the spec with the newer server's containers and volumes in place of the known ones.
  const rest = stripFields(specKnown, [1, 2]);
  const spec = concat(field(1, volume), field(2, container), rest, unknownSpec);
  return concat(field(1, meta), field(2, spec), field(3, encode(writePodStatus, {})), unknownPod);
}

/** The message without the given fields (top level only). */
function stripFields(b: Uint8Array, nums: number[]): Uint8Array {
  const r = new ProtoReader(b);
  const keep: Uint8Array[] = [];
  while (!r.eof()) {
    const at = r.pos;
    const t = r.tag();
    r.skip(t & 7);
    if (!nums.includes(t >>> 3)) keep.push(b.subarray(at, r.pos));
  }
  return concat(...keep);
}

describe("protobuf keeps fields the client does not know (issue 10)", () => {
  it("decodes a newer server's Pod to the known fields and re-encodes it byte for byte", () => {
    const bytes = newerServerPod();
    const pod = readPod(new ProtoReader(bytes));
    // The JSON shape holds the known fields only.
    expect(JSON.parse(JSON.stringify(pod))).toMatchObject({ metadata: { name: "p", namespace: "ns", generation: 3 }, spec: { containers: [{ name: "c", image: "i" }], volumes: [{ name: "data", emptyDir: {} }] } });
    expect(Object.keys(pod)).toEqual(["metadata", "spec", "status"]);
    // Each message keeps its own unknown fields, inline-embedded VolumeSource apart from Volume.
    expect(unknownFields(pod, "k8s.io.api.core.v1.Pod")).toEqual(unknownPod);
    expect(unknownFields(pod.spec!, "k8s.io.api.core.v1.PodSpec")).toEqual(unknownSpec);
    expect(unknownFields(pod.spec!.containers[0]!, "k8s.io.api.core.v1.Container")).toEqual(unknownContainer);
    expect(unknownFields(pod.spec!.volumes![0]!, "k8s.io.api.core.v1.Volume")).toEqual(unknownVolume);
    expect(unknownFields(pod.spec!.volumes![0]!, "k8s.io.api.core.v1.VolumeSource")).toEqual(unknownVolumeSource);
    // Written back unchanged: the same bytes.
    expect(encode(writePod, pod)).toEqual(bytes);
  });

  it("keeps them through the usual read-modify-write copies (spreads) and a modified known field", () => {
    const pod = readPod(new ProtoReader(newerServerPod()));
    const changed: Pod = { ...pod, metadata: { ...pod.metadata, labels: { touched: "yes" } }, spec: { ...pod.spec!, nodeName: "n1" } };
    const again = readPod(new ProtoReader(encode(writePod, changed)));
    expect(again.metadata?.labels).toEqual({ touched: "yes" });
    expect(again.spec?.nodeName).toBe("n1");
    expect(unknownFields(again, "k8s.io.api.core.v1.Pod")).toEqual(unknownPod);
    expect(unknownFields(again.spec!, "k8s.io.api.core.v1.PodSpec")).toEqual(unknownSpec);
    expect(unknownFields(again.spec!.volumes![0]!, "k8s.io.api.core.v1.VolumeSource")).toEqual(unknownVolumeSource);
  });

  it("JSON has no names for them: JSON.stringify writes the known fields only (documented loss)", () => {
    const pod = readPod(new ProtoReader(newerServerPod()));
    const text = JSON.stringify(pod);
    expect(text).not.toContain("new-pod-field");
    expect(encode(writePod, JSON.parse(text) as Pod)).toEqual(stripUnknown(newerServerPod()));
  });

  it("does not retain the response buffer, and objects without unknown fields carry nothing", () => {
    const bytes = newerServerPod();
    const pod = readPod(new ProtoReader(bytes));
    expect(unknownFields(pod, "k8s.io.api.core.v1.Pod")!.buffer).not.toBe(bytes.buffer);
    const plain = readVolume(new ProtoReader(concat(field(1, "v"), field(2, encode(writeVolumeSource, { emptyDir: {} })))));
    expect(Object.getOwnPropertySymbols(plain)).toEqual([]);
    // Kept under Symbol.for keys, so every copy of the package agrees.
    expect(unknownFieldsKey("k8s.io.api.core.v1.Pod")).toBe(Symbol.for("kubets.protobuf.unknown:k8s.io.api.core.v1.Pod"));
    const o = {};
    keepUnknownFields(o, unknownFieldsKey("x"), Uint8Array.of(8, 1));
    expect(JSON.stringify(o)).toBe("{}");
  });
});

/** The Pod bytes as a client that drops unknown fields would write them. */
function stripUnknown(b: Uint8Array): Uint8Array {
  return encode(writePod, JSON.parse(JSON.stringify(readPod(new ProtoReader(b)))) as Pod);
}
