/**
 * Issue 10 item 3: every varint and length the protobuf reader takes from the wire is checked
 * against what it must fit in, as Go's generated Unmarshal checks it (k8s.io/api generated.pb.go:
 * `shift >= 64` -> ErrIntOverflowGenerated, a negative or too large length ->
 * ErrInvalidLengthGenerated / io.ErrUnexpectedEOF), and never truncated to its low bits.
 */
import { describe, expect, it } from "vitest";
import { ProtoReader, ProtoWriter, readMessage, readRepeated, readRepeatedString } from "../src/protobuf/index.js";
import { meta_v1 } from "../src/protobuf/index.js";

const { readObjectMeta, writeObjectMeta } = meta_v1;
import { isDecodeError } from "../src/serializer/decode-error.js";

/** The minimal varint bytes of an unsigned value below 2^64 (bigint), or longer with `pad`. */
function varint(v: bigint, pad = 0): number[] {
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n || pad > 0) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  for (let i = 0; i < pad; i++) out.push(i === pad - 1 ? 0 : 0x80);
  return out;
}

/** Go's reading of a varint (generated.pb.go): 7 bits per byte, bits beyond 64 dropped, more than 10 bytes an overflow. */
function goVarint(bytes: readonly number[]): { value: bigint; len: number } | "overflow" | "eof" {
  let v = 0n;
  for (let i = 0; ; i++) {
    if (i >= 10) return "overflow";
    if (i >= bytes.length) return "eof";
    const b = bytes[i]!;
    v |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (b < 0x80) return { value: BigInt.asUintN(64, v), len: i + 1 };
  }
}
/** The value without dropping bits beyond 64 (what a length must fit in). */
function fullVarint(bytes: readonly number[]): bigint {
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) {
    v |= BigInt(bytes[i]! & 0x7f) << BigInt(7 * i);
    if (bytes[i]! < 0x80) break;
  }
  return v;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

const BOUNDARIES: bigint[] = [];
for (const p of [7n, 14n, 21n, 28n, 31n, 32n, 35n, 53n, 56n, 63n, 64n]) {
  for (const d of [-3n, -1n, 0n, 1n, 3n]) {
    const v = (1n << p) + d;
    if (v >= 0n) BOUNDARIES.push(v);
  }
}

describe("protobuf reader bounds (issue 10 item 3)", () => {
  it("rejects a field length of 2^32 + 3 instead of reading it as 3 (the ConfigMap named abc)", () => {
    // ObjectMeta { name (field 1) = "abc" } with the length varint widened to 2^32 + 3.
    const body = Uint8Array.from([0x0a, ...varint((1n << 32n) + 3n), 0x61, 0x62, 0x63]);
    const err = thrown(() => readObjectMeta(new ProtoReader(body)));
    expect(isDecodeError(err)).toBe(true);
    expect((err as Error).message).toContain("length 4294967299 does not fit in 32 bits");
    // The same bytes with the honest length decode.
    expect(readObjectMeta(new ProtoReader(Uint8Array.from([0x0a, 3, 0x61, 0x62, 0x63]))).name).toBe("abc");
  });

  it("checks lengths at and around 2^31, 2^32, 2^53 and 2^64 against what fits and what remains", () => {
    const payload = [0x61, 0x62, 0x63];
    for (const v of [0n, 1n, 2n, 3n, 4n, ...BOUNDARIES]) {
      const prefix = v < 1n << 64n ? varint(v) : varint(BigInt.asUintN(70, v));
      for (const read of [(r: ProtoReader) => r.length(), (r: ProtoReader) => r.string(), (r: ProtoReader) => r.bytes(), (r: ProtoReader) => r.sub(), (r: ProtoReader) => r.skip(2)]) {
        const r = new ProtoReader(Uint8Array.from([...prefix, ...payload]));
        const err = thrown(() => read(r));
        if (v <= 3n) expect(err, `length ${v}`).toBeUndefined();
        else {
          expect(isDecodeError(err), `length ${v}`).toBe(true);
          expect((err as Error).message).toMatch(v >= 1n << 32n ? /does not fit in 32 bits/ : /exceeds the 3 bytes left/);
        }
      }
    }
  });

  it("rejects a 10-byte length varint whose bits beyond 64 Go would drop (2^64 reads as 0 in Go)", () => {
    // 2^64: nine 0x80 bytes and 0x02. Go's `int(b&0x7F) << 63` drops the bit and reads length 0.
    const bytes = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02];
    expect(goVarint(bytes)).toEqual({ value: 0n, len: 10 });
    const err = thrown(() => new ProtoReader(Uint8Array.from(bytes)).length());
    expect(isDecodeError(err)).toBe(true);
  });

  it("rejects a non-minimal length varint only when its value does not fit", () => {
    // 3 written in 10 bytes is still 3 (Go accepts it too).
    const r = new ProtoReader(Uint8Array.from([...varint(3n, 9), 0x61, 0x62, 0x63]));
    expect(r.length()).toBe(3);
  });

  it("rejects varints longer than 10 bytes everywhere", () => {
    const eleven = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    const reads: Array<[string, (r: ProtoReader) => unknown]> = [
      ["uint32", (r) => r.uint32()],
      ["int32", (r) => r.int32()],
      ["int64", (r) => r.int64()],
      ["uint64", (r) => r.uint64()],
      ["sint64", (r) => r.sint64()],
      ["bool", (r) => r.bool()],
      ["tag", (r) => r.tag()],
      ["length", (r) => r.length()],
      ["skip varint", (r) => r.skip(0)],
    ];
    for (const [name, read] of reads) {
      const err = thrown(() => read(new ProtoReader(Uint8Array.from([...eleven, 0, 0]))));
      expect(isDecodeError(err), name).toBe(true);
      expect((err as Error).message, name).toMatch(/longer than 10 bytes/);
    }
  });

  it("rejects field keys that do not fit in 32 bits instead of truncating them to a known field", () => {
    // Key 2^32 + 10 truncates to 10 = field 1, wire type 2 (ObjectMeta.name).
    const body = Uint8Array.from([...varint((1n << 32n) + 10n), 3, 0x61, 0x62, 0x63]);
    const err = thrown(() => readObjectMeta(new ProtoReader(body)));
    expect(isDecodeError(err)).toBe(true);
    expect((err as Error).message).toContain("field key 4294967306 does not fit in 32 bits");
    // Inside a repeated run too (countRun compares multi-byte keys).
    const w = new ProtoWriter();
    w.uint32(((300 << 3) | 2) >>> 0).string("a");
    const ok = w.finish();
    const bad = Uint8Array.from([...ok, ...varint(BigInt((300 << 3) | 2) + (1n << 40n)), 1, 0x62]);
    const r = new ProtoReader(bad);
    r.tag();
    expect(isDecodeError(thrown(() => readRepeatedString(r, (300 << 3) | 2, false)))).toBe(true);
  });

  it("reads every varint as Go does, or rejects it (random fuzz against a BigInt model)", () => {
    let seed = 0x2545f491;
    const rnd = (n: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    for (let i = 0; i < 20_000; i++) {
      const len = 1 + rnd(12);
      const bytes: number[] = [];
      for (let k = 0; k < len; k++) bytes.push(k === len - 1 && rnd(4) !== 0 ? rnd(0x80) : rnd(0x100));
      const go = goVarint(bytes);
      const input = Uint8Array.from(bytes);
      const i64 = thrown(() => new ProtoReader(input).int64());
      const u64 = thrown(() => new ProtoReader(input).uint64());
      const lenErr = thrown(() => new ProtoReader(input).length());
      const tagErr = thrown(() => new ProtoReader(input).tag());
      if (go === "overflow" || go === "eof") {
        for (const e of [i64, u64, lenErr, tagErr]) expect(isDecodeError(e), bytes.join(",")).toBe(true);
        continue;
      }
      expect(i64).toBeUndefined();
      const r1 = new ProtoReader(input);
      const a = r1.int64();
      expect(BigInt(a), bytes.join(",")).toBe(BigInt.asIntN(64, go.value));
      expect(typeof a === "number" ? Number.isSafeInteger(a) : !Number.isSafeInteger(Number(a))).toBe(true);
      expect(r1.pos).toBe(go.len);
      const b = new ProtoReader(input).uint64();
      expect(BigInt(b)).toBe(go.value);
      const full = fullVarint(bytes);
      const remaining = BigInt(input.length - go.len);
      if (full >= 1n << 32n || full > remaining) expect(isDecodeError(lenErr), bytes.join(",")).toBe(true);
      else expect(new ProtoReader(input).length()).toBe(Number(full));
      if (full >= 1n << 32n || full >> 3n === 0n) expect(isDecodeError(tagErr), bytes.join(",")).toBe(true);
      else expect(new ProtoReader(input).tag()).toBe(Number(full));
    }
  });

  it("never throws anything but DecodeError on random message bodies (fuzz)", () => {
    let seed = 0x9e3779b9;
    const rnd = (n: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const w = new ProtoWriter();
    writeObjectMeta(w, {
      name: "abc",
      namespace: "default",
      labels: { a: "b" },
      generation: 7,
      creationTimestamp: "2026-01-02T03:04:05Z",
      ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: "p", uid: "u" }],
    });
    const good = w.finish();
    let decoded = 0;
    for (let i = 0; i < 5_000; i++) {
      const b = Uint8Array.from(good);
      const edits = 1 + rnd(4);
      for (let k = 0; k < edits; k++) b[rnd(b.length)] = rnd(4) === 0 ? 0xff : rnd(0x100);
      // Sometimes splice in a huge length at a random place.
      const input = rnd(3) === 0 ? Uint8Array.from([...b.subarray(0, 20), ...varint(BOUNDARIES[rnd(BOUNDARIES.length)]!), ...b.subarray(20)]) : b;
      const err = thrown(() => readObjectMeta(new ProtoReader(input)));
      if (err === undefined) decoded++;
      else expect(isDecodeError(err), String(err)).toBe(true);
    }
    expect(decoded).toBeGreaterThan(0);
  });

  it("bounds nested and repeated messages by their checked length", () => {
    // A nested message whose declared length (2^32 + 1) would truncate to 1.
    const body = Uint8Array.from([...varint((1n << 32n) + 1n), 0x08, 0x01]);
    expect(isDecodeError(thrown(() => readMessage(new ProtoReader(body), (r) => r.int32())))).toBe(true);
    const run = Uint8Array.from([...varint((1n << 32n) + 1n), 0x08]);
    expect(isDecodeError(thrown(() => readRepeated(new ProtoReader(run), 10, (r) => r.int32())))).toBe(true);
  });
});
