import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProtoReader, ProtoWriter } from "../src/protobuf/index.js";
import { DecodeError, MapProtobufCodecRegistry, decodeEnvelope, encodeEnvelope, encodeLengthDelimitedFrame } from "../src/serializer/index.js";
import type { ProtobufCodec } from "../src/serializer/index.js";
import {
  EventType,
  JSONWatchDecoder,
  ProtobufWatchDecoder,
  decodeWatchEventMessage,
  encodeJSONWatchEvent,
  encodeProtobufWatchEvent,
  encodeProtobufWatchFrame,
  encodeWatchEventMessage,
  isEventType,
  jsonWatchEvents,
  protobufWatchEvents,
  watchEventError,
} from "../src/watch/index.js";
import type { WatchEvent } from "../src/watch/index.js";

interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; resourceVersion?: string };
}

/** A toy codec: metadata { name = 1, resourceVersion = 6 } at field 1, as in ObjectMeta. */
const objCodec: ProtobufCodec<Obj> = {
  decode(raw) {
    const r = new ProtoReader(raw);
    const out: Obj = {};
    while (!r.eof()) {
      const t = r.tag();
      if (t === 0x0a) {
        const m = r.sub();
        const md: { name?: string; resourceVersion?: string } = {};
        while (!m.eof()) {
          const t2 = m.tag();
          if (t2 === 0x0a) md.name = m.string();
          else if (t2 === 0x32) md.resourceVersion = m.string();
          else m.skip(t2 & 7);
        }
        out.metadata = md;
      } else r.skip(t & 7);
    }
    return out;
  },
  encode(obj) {
    const w = new ProtoWriter();
    w.tag(1, 2).fork().tag(1, 2).string(obj.metadata?.name ?? "").tag(6, 2).string(obj.metadata?.resourceVersion ?? "").ldelim();
    return w.finish();
  },
};

/** Status { status = 2, message = 3, reason = 4, code = 6 } as in metav1.Status. */
const statusCodec: ProtobufCodec<{ status?: string; message?: string; reason?: string; code?: number }> = {
  decode(raw) {
    const r = new ProtoReader(raw);
    const out: { status?: string; message?: string; reason?: string; code?: number } = {};
    while (!r.eof()) {
      const t = r.tag();
      if (t === 0x12) out.status = r.string();
      else if (t === 0x1a) out.message = r.string();
      else if (t === 0x22) out.reason = r.string();
      else if (t === 0x30) out.code = r.int32();
      else r.skip(t & 7);
    }
    return out;
  },
  encode(s) {
    const w = new ProtoWriter();
    w.tag(2, 2).string(s.status ?? "").tag(3, 2).string(s.message ?? "").tag(4, 2).string(s.reason ?? "").tag(6, 0).int32(s.code ?? 0);
    return w.finish();
  },
};

const registry = new MapProtobufCodecRegistry().register("v1", "ConfigMap", objCodec).register("v1", "Status", statusCodec);

const events: WatchEvent<Obj>[] = [
  { type: "ADDED", object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", resourceVersion: "1" } } },
  { type: "MODIFIED", object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", resourceVersion: "2" } } },
  { type: "BOOKMARK", object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "", resourceVersion: "3" } } },
  { type: "DELETED", object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", resourceVersion: "4" } } },
  { type: "ERROR", object: { apiVersion: "v1", kind: "Status", status: "Failure", message: "too old resource version: 1 (4)", reason: "Expired", code: 410 } },
];

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

describe("event types", () => {
  it("has the five Kubernetes event types", () => {
    expect(Object.values(EventType)).toEqual(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);
    expect(isEventType("ADDED")).toBe(true);
    expect(isEventType("added")).toBe(false);
  });

  it("turns an ERROR event into a StatusError, and other events into nothing", () => {
    const err = watchEventError(events[4]!);
    expect(err?.name).toBe("StatusError");
    expect((err as { status: { code: number } }).status.code).toBe(410);
    expect(watchEventError(events[0]!)).toBeUndefined();
  });
});

describe("JSON watch stream", () => {
  const stream = concat(events.map(encodeJSONWatchEvent));

  it("writes one JSON line per event", () => {
    const text = new TextDecoder().decode(encodeJSONWatchEvent(events[0]!));
    expect(text).toBe(`${JSON.stringify({ type: "ADDED", object: events[0]!.object })}\n`);
  });

  it("decodes events from chunks of any size", async () => {
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      expect(await collect(jsonWatchEvents<Obj>(chunks(stream, size))), `chunk size ${size}`).toEqual(events);
    }
  });

  it("decodes incrementally with the push decoder", () => {
    const d = new JSONWatchDecoder<Obj>();
    const first = encodeJSONWatchEvent(events[0]!);
    expect(d.push(first.subarray(0, 10))).toEqual([]);
    expect(d.push(first.subarray(10))).toEqual([events[0]]);
    d.end();
  });

  it("rejects invalid event types, missing objects and truncated streams with DecodeError", async () => {
    const bad = (line: string) => () => new JSONWatchDecoder().push(new TextEncoder().encode(line + "\n"));
    expect(bad('{"type":"UPSERTED","object":{}}')).toThrow(/got invalid watch event type: UPSERTED/);
    expect(bad('{"type":"ADDED"}')).toThrow(/has no object/);
    expect(bad('{"type":"ADDED","object":null}')).toThrow(DecodeError);
    expect(bad("[1]")).toThrow(/not a JSON object/);
    await expect(collect(jsonWatchEvents(chunks(stream.subarray(0, stream.length - 5), 100)))).rejects.toThrow(/unexpected end of stream/);
  });
});

describe("protobuf watch stream", () => {
  const stream = concat(events.map((e) => encodeProtobufWatchEvent(e, registry)));

  it("frames a bare metav1.WatchEvent whose object.raw is a k8s\\0 envelope", () => {
    const frame = encodeProtobufWatchEvent(events[0]!, registry);
    const len = (frame[0]! << 24) | (frame[1]! << 16) | (frame[2]! << 8) | frame[3]!;
    expect(len).toBe(frame.length - 4);
    const msg = decodeWatchEventMessage(frame.subarray(4));
    expect(msg.type).toBe("ADDED");
    expect([...msg.raw.subarray(0, 4)]).toEqual([0x6b, 0x38, 0x73, 0x00]);
  });

  it("decodes events from chunks of any size", async () => {
    for (const size of [1, 2, 5, 13, 1 << 20]) {
      expect(await collect(protobufWatchEvents<Obj>(chunks(stream, size), registry)), `chunk size ${size}`).toEqual(events);
    }
  });

  it("decodes a frame split at every byte with the push decoder", () => {
    for (let cut = 0; cut <= stream.length; cut += 1) {
      const d = new ProtobufWatchDecoder<Obj>(registry);
      const got = [...d.push(stream.slice(0, cut)), ...d.push(stream.slice(cut))];
      expect(got).toEqual(events);
      d.end();
    }
  });

  it("also accepts a WatchEvent wrapped in an envelope, and a JSON object.raw", () => {
    const msg = encodeWatchEventMessage("ADDED", new TextEncoder().encode('{"apiVersion":"v1","kind":"X","spec":{}}'));
    const frame = encodeLengthDelimitedFrame(encodeEnvelope({ apiVersion: "", kind: "", raw: msg }));
    expect(new ProtobufWatchDecoder(registry).push(frame)).toEqual([{ type: "ADDED", object: { apiVersion: "v1", kind: "X", spec: {} } }]);
  });

  it("rejects oversized frames, unknown kinds and invalid types with DecodeError", () => {
    const d = new ProtobufWatchDecoder(registry, { maxFrameBytes: 16 });
    expect(() => d.push(stream)).toThrow(/maximum allowed size/);
    const unknownKind = encodeProtobufWatchFrame("ADDED", encodeEnvelope({ apiVersion: "v1", kind: "Pod", raw: new Uint8Array() }));
    expect(() => new ProtobufWatchDecoder(registry).push(unknownKind)).toThrow(/no codec registered for v1, Kind=Pod/);
    const badType = encodeProtobufWatchFrame("NOPE", encodeEnvelope({ apiVersion: "v1", kind: "ConfigMap", raw: new Uint8Array() }));
    expect(() => new ProtobufWatchDecoder(registry).push(badType)).toThrow(/invalid watch event type: NOPE/);
    const noObject = encodeProtobufWatchFrame("ADDED", new Uint8Array());
    expect(() => new ProtobufWatchDecoder(registry).push(noObject)).toThrow(/has no object/);
  });

  it("decodes the core.v1.WatchEvent golden fixture of k8s.io/api", () => {
    const pin = JSON.parse(readFileSync(join(__dirname, "../../../kubernetes.json"), "utf8")) as { stagingModules: string };
    const cache = execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" }).trim();
    const head = join(cache, "k8s.io", `api@${pin.stagingModules}`, "testdata", "HEAD");
    if (!existsSync(head)) execFileSync("go", ["mod", "download", `k8s.io/api@${pin.stagingModules}`], { cwd: "/" });
    const pb = new Uint8Array(readFileSync(join(head, "core.v1.WatchEvent.pb")));
    const json = JSON.parse(readFileSync(join(head, "core.v1.WatchEvent.json"), "utf8")) as { type: string; object: unknown };
    // The fixture is an enveloped WatchEvent whose object.raw is JSON; its type is a placeholder.
    const env = decodeEnvelope(pb);
    const msg = decodeWatchEventMessage(env.raw);
    expect(msg.type).toBe(json.type);
    expect(JSON.parse(new TextDecoder().decode(msg.raw))).toEqual(json.object);
    // Our WatchEvent encoder writes exactly Go's bytes.
    expect(encodeEnvelope({ apiVersion: "", kind: "", raw: encodeWatchEventMessage(msg.type, msg.raw) })).toEqual(pb);
    // Through the stream decoder: the object decodes, the placeholder type is rejected like client-go does.
    expect(() => new ProtobufWatchDecoder(registry).push(encodeLengthDelimitedFrame(pb))).toThrow(/invalid watch event type: typeValue/);
    const renamed = encodeEnvelope({ apiVersion: "", kind: "", raw: encodeWatchEventMessage("MODIFIED", msg.raw) });
    expect(new ProtobufWatchDecoder(registry).push(encodeLengthDelimitedFrame(renamed))).toEqual([{ type: "MODIFIED", object: json.object }]);
  });
});

/**
 * Bytes captured from a real kube-apiserver v1.37.2 (the testenv control plane): a watch on
 * ConfigMaps after creating "a" and "b", once with `Accept: application/vnd.kubernetes.protobuf;stream=watch`
 * and once with `Accept: application/json` (served as `application/json`, one event per line).
 * The protobuf frames are bare metav1.WatchEvent messages (`0a 05 "ADDED"` right after the length).
 */
const LIVE_PROTOBUF_WATCH_HEX =
  "000000c90a05414444454412bf010abc016b3873000a0f0a0276311209436f6e6669674d617012a0010a95010a016112001a" +
  "0764656661756c7422002a2431613732613332322d306132612d346235612d623863612d3166343365363062316661383203" +
  "3231313800420808f7958dd80610008a014b0a07756e6b6e6f776e12065570646174651a027631220808f7958dd806100032" +
  "084669656c647356313a1e0a1c7b22663a64617461223a7b222e223a7b7d2c22663a6b223a7b7d7d7d420012060a016b1201" +
  "611a002200000000c90a05414444454412bf010abc016b3873000a0f0a0276311209436f6e6669674d617012a0010a95010a" +
  "016212001a0764656661756c7422002a2430396539373665622d366466652d346165652d623738342d383064336435333831" +
  "37326632033231323800420808f7958dd80610008a014b0a07756e6b6e6f776e12065570646174651a027631220808f7958d" +
  "d806100032084669656c647356313a1e0a1c7b22663a64617461223a7b222e223a7b7d2c22663a6b223a7b7d7d7d42001206" +
  "0a016b1201621a002200";
const LIVE_JSON_WATCH_LINES = [
  "{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\",\"namespace\":\"default\",\"uid\":\"1a72a322-0a2a-4b5a-b8ca-1f43e60b1fa8\",\"resourceVersion\":\"211\",\"creationTimestamp\":\"2026-11-22T20:05:11Z\",\"managedFields\":[{\"manager\":\"unknown\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"time\":\"2026-11-22T20:05:11Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\".\":{},\"f:k\":{}}}}]},\"data\":{\"k\":\"a\"}}}",
  "{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"b\",\"namespace\":\"default\",\"uid\":\"09e976eb-6dfe-4aee-b784-80d3d538172f\",\"resourceVersion\":\"212\",\"creationTimestamp\":\"2026-11-22T20:05:11Z\",\"managedFields\":[{\"manager\":\"unknown\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"time\":\"2026-11-22T20:05:11Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\".\":{},\"f:k\":{}}}}]},\"data\":{\"k\":\"b\"}}}",
];

describe("streams captured from a real kube-apiserver", () => {
  const nameCodec: ProtobufCodec<Obj> = {
    decode: objCodec.decode,
    encode: objCodec.encode,
  };
  const live = new MapProtobufCodecRegistry().register("v1", "ConfigMap", nameCodec);
  const pb = Uint8Array.from(LIVE_PROTOBUF_WATCH_HEX.match(/../g)!.map((h) => parseInt(h, 16)));

  it("decodes the protobuf watch stream, split at every byte", () => {
    expect([...pb.subarray(4, 11)]).toEqual([0x0a, 0x05, 0x41, 0x44, 0x44, 0x45, 0x44]);
    for (let cut = 0; cut <= pb.length; cut++) {
      const d = new ProtobufWatchDecoder<Obj>(live);
      const got = [...d.push(pb.slice(0, cut)), ...d.push(pb.slice(cut))];
      d.end();
      expect(got.map((e) => `${e.type} ${e.type === "ERROR" ? "" : e.object.metadata?.name} ${e.object.kind}`)).toEqual(["ADDED a ConfigMap", "ADDED b ConfigMap"]);
    }
  });

  it("decodes the JSON watch stream to the same objects", async () => {
    const bytes = new TextEncoder().encode(LIVE_JSON_WATCH_LINES.map((l) => `${l}\n`).join(""));
    const events = await collect(jsonWatchEvents<Obj & { data: Record<string, string> }>(chunks(bytes, 17)));
    expect(events.map((e) => e.type)).toEqual(["ADDED", "ADDED"]);
    const pbEvents = new ProtobufWatchDecoder<Obj>(live).push(pb);
    for (let i = 0; i < 2; i++) {
      const j = events[i]!.object as Obj;
      const p = pbEvents[i]!.object as Obj;
      expect(p.metadata?.name).toBe(j.metadata?.name);
      expect(p.metadata?.resourceVersion).toBe(j.metadata?.resourceVersion);
    }
  });
});
