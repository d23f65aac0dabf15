import { describe, expect, it } from "vitest";
import { ProtoReader, ProtoWriter, meta_v1 } from "../src/protobuf/index.js";
import { DecodeError, MapProtobufCodecRegistry, ProtobufSerializer, ProtobufStreamDecoder, encodeEnvelope, writeUnknown } from "../src/serializer/index.js";
import type { ProtobufCodec } from "../src/serializer/index.js";

type Obj = Record<string, unknown>;

function codecOf(read: (r: ProtoReader) => unknown, write: (w: ProtoWriter, v: Obj) => void): ProtobufCodec {
  return {
    decode: (raw) => read(new ProtoReader(raw, 0, raw.length)),
    encode: (obj) => {
      const w = new ProtoWriter();
      write(w, obj as Obj);
      return w.finish();
    },
  };
}

const registry = new MapProtobufCodecRegistry()
  .register("meta.k8s.io/v1", "PartialObjectMetadataList", codecOf(meta_v1.readPartialObjectMetadataList, meta_v1.writePartialObjectMetadataList))
  .register("meta.k8s.io/v1", "PartialObjectMetadata", codecOf(meta_v1.readPartialObjectMetadata, meta_v1.writePartialObjectMetadata))
  .register("v1", "APIResourceList", codecOf(meta_v1.readAPIResourceList, meta_v1.writeAPIResourceList))
  .register("v1", "Status", codecOf(meta_v1.readStatus, meta_v1.writeStatus));
const serializer = new ProtobufSerializer(registry);

function item(i: number): Obj {
  return {
    metadata: {
      name: `pod-${i}`,
      namespace: "ns",
      uid: `uid-${i}`,
      resourceVersion: String(100 + i),
      labels: { app: i % 2 ? "web" : "api", index: String(i) },
      // Long enough that an item needs a two-byte length.
      annotations: { note: "x".repeat(100 + i * 7) },
    },
  };
}

function list(n: number): Obj {
  return {
    apiVersion: "meta.k8s.io/v1",
    kind: "PartialObjectMetadataList",
    metadata: { resourceVersion: "4242", continue: "", remainingItemCount: 3 },
    items: Array.from({ length: n }, (_, i) => item(i)),
  };
}

/** Decodes `bytes` pushed in chunks cut at `cuts` (sorted offsets). */
function streamed(bytes: Uint8Array, cuts: number[]): unknown {
  const d = new ProtobufStreamDecoder(registry);
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    // A copy per chunk, as a socket hands them out.
    d.push(bytes.slice(at, c));
    at = c;
  }
  return d.end();
}

const same = (a: unknown, b: unknown): void => {
  expect(a).toEqual(b);
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
};

describe("ProtobufStreamDecoder", () => {
  it("gives what the whole-body decoder gives, for a list cut at every byte (one and two cuts)", () => {
    const body = serializer.encode(list(3));
    const whole = serializer.decode(body);
    expect((whole as { items: unknown[] }).items).toHaveLength(3);
    same(streamed(body, []), whole);
    for (let c = 1; c < body.length; c++) same(streamed(body, [c]), whole);
    for (let c = 1; c < body.length; c += 7) for (let c2 = c + 1; c2 < body.length; c2 += 5) same(streamed(body, [c, c2]), whole);
  });

  it("byte by byte, for a list, an empty list, a non-list object and a list without the items shape", () => {
    const objects = [
      list(5),
      list(0),
      { apiVersion: "v1", kind: "Status", status: "Failure", message: "nope", reason: "NotFound", code: 404 },
      { apiVersion: "v1", kind: "APIResourceList", groupVersion: "v1", resources: [{ name: "pods", singularName: "pod", namespaced: true, kind: "Pod", verbs: ["get"] }, { name: "nodes", singularName: "node", namespaced: false, kind: "Node", verbs: ["list"] }] },
    ];
    for (const o of objects) {
      const body = serializer.encode(o as { apiVersion: string; kind: string });
      const whole = serializer.decode(body);
      same(
        streamed(
          body,
          Array.from({ length: body.length - 1 }, (_, i) => i + 1),
        ),
        whole,
      );
    }
  });

  it("decodes a list's items before the body ends, and keeps list fields it does not know", () => {
    const l = list(4);
    const raw = registry.lookup("meta.k8s.io/v1", "PartialObjectMetadataList")!.encode(l);
    // An unknown field (99, a string) after the items, as a newer server might send.
    const w = new ProtoWriter();
    w.raw(raw).tag(99, 2).string("from the future");
    const body = encodeEnvelope({ apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadataList", raw: w.finish() });
    const d = new ProtobufStreamDecoder(registry);
    d.push(body.subarray(0, Math.floor(body.length * 0.75)));
    expect(d.itemsDecoded).toBeGreaterThan(0);
    d.push(body.subarray(Math.floor(body.length * 0.75)));
    const out = d.end();
    same(out, serializer.decode(body));
    const back = serializer.encode(out as { apiVersion: string; kind: string });
    expect(Buffer.from(back).equals(Buffer.from(body))).toBe(true);
    // Unknown fields are copies, even from a Node Buffer (whose slice is a view): a kept field must not
    // keep the whole response alive.
    const fromBuffer = serializer.decode<object>(Buffer.from(body));
    const key = Object.getOwnPropertySymbols(fromBuffer)[0]!;
    const kept = (fromBuffer as Record<symbol, Uint8Array>)[key]!;
    expect(Object.getPrototypeOf(kept)).toBe(Uint8Array.prototype);
    expect(kept.buffer.byteLength).toBe(kept.length);
  });

  it("fails as the whole-body decoder does on bad input, and on a body cut short", () => {
    const body = serializer.encode(list(2));
    const end = (chunks: Uint8Array[]): unknown => {
      const d = new ProtobufStreamDecoder(registry);
      for (const c of chunks) d.push(c);
      return d.end();
    };
    expect(() => end([])).toThrow(/empty data/);
    expect(() => end([Uint8Array.from([1, 2, 3, 4, 5])])).toThrow(/does not appear to be a protobuf message/);
    expect(() => end([body.subarray(0, 2)])).toThrow(/does not appear to be a protobuf message/);
    expect(() => end([body.subarray(0, 4)])).toThrow(/empty body/);
    for (const cut of [5, 20, body.length - 30, body.length - 1]) {
      expect(() => end([body.subarray(0, cut)])).toThrow(DecodeError);
      expect(() => end([body.subarray(0, cut)])).toThrow(/cut short/);
    }
    // An item whose length runs past the end of `raw`.
    const w = new ProtoWriter();
    writeUnknown(w, { apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadataList", raw: Uint8Array.from([0x12, 0x05, 0x0a, 0x00]) });
    const bad = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), w.finish(), Buffer.from([0x0a, 0x00, 0x0a])]);
    expect(() => end([bad])).toThrow(/runs past the end/);
    // A kind without a codec: the error of the whole-body decoder.
    const unknownKind = encodeEnvelope({ apiVersion: "x/v1", kind: "WidgetList", raw: Uint8Array.from([0x12, 0x00]) });
    expect(() => end([unknownKind])).toThrow(/no codec registered for x\/v1, Kind=WidgetList/);
  });
});
