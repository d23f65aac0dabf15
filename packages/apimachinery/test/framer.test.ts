import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_FRAME_BYTES,
  DecodeError,
  JSONFrameDecoder,
  LengthDelimitedFrameDecoder,
  encodeLengthDelimitedFrame,
} from "../src/serializer/index.js";

const enc = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Split bytes at the given cut points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    out.push(bytes.slice(prev, c));
    prev = c;
  }
  out.push(bytes.slice(prev));
  return out;
}

describe("LengthDelimitedFrameDecoder", () => {
  const payloads = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(300).fill(7), enc.encode("hello")];
  const stream = concat(payloads.map(encodeLengthDelimitedFrame));

  it("writes a 4-byte big-endian length", () => {
    expect([...encodeLengthDelimitedFrame(new Uint8Array(258).fill(1)).subarray(0, 4)]).toEqual([0, 0, 1, 2]);
  });

  it("decodes frames from one chunk", () => {
    const d = new LengthDelimitedFrameDecoder();
    expect(d.push(stream)).toEqual(payloads);
    d.end();
  });

  it("decodes frames split at every byte position, and byte by byte", () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new LengthDelimitedFrameDecoder();
      const got = split(stream, [cut]).flatMap((c) => d.push(c));
      expect(got, `cut at ${cut}`).toEqual(payloads);
      d.end();
    }
    const d = new LengthDelimitedFrameDecoder();
    const got: Uint8Array[] = [];
    for (const b of stream) got.push(...d.push(new Uint8Array([b])));
    expect(got).toEqual(payloads);
  });

  it("rejects an oversized length as soon as the header is complete, before buffering", () => {
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(16 * 1024 * 1024);
    const d = new LengthDelimitedFrameDecoder({ maxFrameBytes: 1024 });
    expect(d.push(new Uint8Array([0, 0]))).toEqual([]);
    let err: unknown;
    try {
      d.push(new Uint8Array([4, 1]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).message).toMatch(/longer than maximum allowed size \(1025 > 1024/);
    expect(() => new LengthDelimitedFrameDecoder().push(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toThrow(DecodeError);
    // Exactly the maximum is fine.
    const ok = new LengthDelimitedFrameDecoder({ maxFrameBytes: 3 });
    expect(ok.push(encodeLengthDelimitedFrame(new Uint8Array(3)))).toHaveLength(1);
  });

  it("reports a stream cut inside a header or a frame", () => {
    const d = new LengthDelimitedFrameDecoder();
    d.push(stream.subarray(0, 2));
    expect(() => d.end()).toThrow(/frame header/);
    const d2 = new LengthDelimitedFrameDecoder();
    d2.push(stream.subarray(0, 6));
    expect(() => d2.end()).toThrow(/frame of 3 bytes has only 2/);
  });
});

describe("JSONFrameDecoder", () => {
  const values = [{ type: "ADDED", object: { a: "x\ny", b: [1, { c: "}" }] } }, { type: "DELETED", object: { q: '"\\' } }, { u: "ü€😀" }];
  const ndjson = enc.encode(values.map((v) => JSON.stringify(v) + "\n").join(""));

  it("decodes newline-delimited values", () => {
    const d = new JSONFrameDecoder();
    expect(d.push(ndjson)).toEqual(values);
    d.end();
  });

  it("decodes values split at every byte position (including inside UTF-8 sequences)", () => {
    for (let cut = 0; cut <= ndjson.length; cut++) {
      const d = new JSONFrameDecoder();
      const got = split(ndjson, [cut]).flatMap((c) => d.push(c));
      expect(got, `cut at ${cut}`).toEqual(values);
      d.end();
    }
  });

  it("decodes values that span lines, share a line, or are pretty-printed, as Go's json.Decoder does", () => {
    const text = `${JSON.stringify(values[0], null, 2)}${JSON.stringify(values[1])}  ${JSON.stringify(values[2])}\r\n\n`;
    const bytes = enc.encode(text);
    for (let cut = 0; cut <= bytes.length; cut += 3) {
      const d = new JSONFrameDecoder();
      const got = split(bytes, [cut, Math.min(bytes.length, cut + 7)]).flatMap((c) => d.push(c));
      expect(got, `cut at ${cut}`).toEqual(values);
    }
  });

  it("handles many small chunks and large values with buffer growth", () => {
    const big = { data: "x".repeat(200_000), n: Array.from({ length: 1000 }, (_, i) => i) };
    const bytes = enc.encode(`${JSON.stringify(big)}\n${JSON.stringify(values[0])}\n`);
    const d = new JSONFrameDecoder();
    const got: unknown[] = [];
    for (let i = 0; i < bytes.length; i += 4093) got.push(...d.push(bytes.subarray(i, i + 4093)));
    expect(got).toEqual([big, values[0]]);
  });

  it("rejects invalid JSON with a DecodeError and a stream offset", () => {
    const d = new JSONFrameDecoder();
    expect(d.push(enc.encode('{"a":1}\n'))).toHaveLength(1);
    try {
      d.push(enc.encode('{"a":}\n'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).offset).toBe(8);
    }
    expect(() => new JSONFrameDecoder().push(enc.encode("]\n"))).toThrow(DecodeError);
  });

  it("rejects a value longer than maxFrameBytes without waiting for its end", () => {
    const d = new JSONFrameDecoder({ maxFrameBytes: 100 });
    d.push(enc.encode('{"a": "'));
    expect(() => d.push(enc.encode("x".repeat(200)))).toThrow(/maximum allowed size/);
    const d2 = new JSONFrameDecoder({ maxFrameBytes: 10 });
    expect(() => d2.push(enc.encode(`${JSON.stringify({ a: "0123456789" })}\n`))).toThrow(/maximum allowed size/);
  });

  it("reports a stream cut inside a value", () => {
    const d = new JSONFrameDecoder();
    d.push(ndjson.subarray(0, 10));
    expect(() => d.end()).toThrow(/unexpected end of stream/);
    const d2 = new JSONFrameDecoder();
    d2.push(enc.encode("  \n\t"));
    expect(d2.idle).toBe(true);
    d2.end();
  });
});
