// A watch stream that turns bad after some good events: the good ones are delivered first (as
// client-go's decoder does), then the DecodeError, which every later push or end repeats.
import { describe, expect, it } from "vitest";
import { JSONWatchDecoder, ProtobufWatchDecoder, encodeJSONWatchEvent, encodeProtobufWatchFrame } from "../src/watch/index.js";
import { MapProtobufCodecRegistry } from "../src/serializer/index.js";

const enc = new TextEncoder();

describe("watch decoders on a stream that turns bad", () => {
  it("JSON: delivers the events before a malformed line, then fails", () => {
    const d = new JSONWatchDecoder();
    const good = encodeJSONWatchEvent({ type: "ADDED", object: { kind: "ConfigMap", metadata: { name: "a" } } });
    const chunk = new Uint8Array([...good, ...enc.encode("not json at all\n")]);
    expect(d.push(chunk).map((e) => e.type)).toEqual(["ADDED"]);
    expect(() => d.push(enc.encode("{}\n"))).toThrow(expect.objectContaining({ name: "DecodeError" }));
    expect(() => d.end()).toThrow(expect.objectContaining({ name: "DecodeError" }));
  });

  it("JSON: a malformed first line fails at once", () => {
    const d = new JSONWatchDecoder();
    expect(() => d.push(enc.encode("}{\n"))).toThrow(expect.objectContaining({ name: "DecodeError" }));
  });

  it("protobuf: delivers the frames before a corrupt one, then fails", () => {
    const registry = new MapProtobufCodecRegistry();
    const d = new ProtobufWatchDecoder(registry);
    // A RawExtension with JSON inside is allowed (fakes, JSON-only types); then a frame that is not a WatchEvent.
    const good = encodeProtobufWatchFrame("ADDED", enc.encode(JSON.stringify({ kind: "ConfigMap", metadata: { name: "a" } })));
    const bad = new Uint8Array([0, 0, 0, 3, 0x0a, 0xff, 0xff]);
    expect(d.push(new Uint8Array([...good, ...bad])).map((e) => e.type)).toEqual(["ADDED"]);
    expect(() => d.end()).toThrow(expect.objectContaining({ name: "DecodeError" }));
  });
});
