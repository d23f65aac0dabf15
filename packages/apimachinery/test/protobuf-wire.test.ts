import { describe, expect, it } from "vitest";
import { ProtoReader, ProtoWriter, WireType } from "../src/protobuf/index.js";
import { isDecodeError } from "../src/serializer/decode-error.js";

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
function fromHex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}
function decodeError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a DecodeError");
}

describe("ProtoWriter", () => {
  it("writes varints as Go does", () => {
    const cases: Array<[number, string]> = [
      [0, "00"],
      [1, "01"],
      [127, "7f"],
      [128, "8001"],
      [300, "ac02"],
      [16384, "808001"],
      [2 ** 32 - 1, "ffffffff0f"],
    ];
    for (const [v, want] of cases) expect(hex(new ProtoWriter().uint32(v).finish())).toBe(want);
  });

  it("writes negative int32 and int64 sign-extended to ten bytes", () => {
    expect(hex(new ProtoWriter().int32(-1).finish())).toBe("ffffffffffffffffff01");
    expect(hex(new ProtoWriter().int64(-1).finish())).toBe("ffffffffffffffffff01");
    expect(hex(new ProtoWriter().int64(-2).finish())).toBe("feffffffffffffffff01");
    expect(hex(new ProtoWriter().int64(2 ** 32).finish())).toBe("8080808010");
    expect(hex(new ProtoWriter().int64(Number.MAX_SAFE_INTEGER).finish())).toBe("ffffffffffffff0f");
  });

  it("writes strings with the UTF-8 byte length", () => {
    expect(hex(new ProtoWriter().string("abc").finish())).toBe("03616263");
    expect(hex(new ProtoWriter().string("é").finish())).toBe("02c3a9");
    expect(hex(new ProtoWriter().string("").finish())).toBe("00");
    const long = "x".repeat(200);
    const out = new ProtoWriter(4).string(long).finish();
    expect(hex(out.subarray(0, 2))).toBe("c801");
    expect(out.length).toBe(202);
  });

  it("writes nested messages with minimal length prefixes", () => {
    const w = new ProtoWriter(8);
    w.tag(1, WireType.LengthDelimited).fork();
    w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.Varint).uint32(5).ldelim();
    w.tag(3, WireType.LengthDelimited).string("y".repeat(150));
    w.ldelim();
    const out = w.finish();
    // outer length = (2 + 2) + (1 + 2 + 150) = 157 -> two-byte prefix 9d01
    expect(hex(out.subarray(0, 10))).toBe("0a9d01" + "12020805" + "1a9601");
    expect(out.length).toBe(3 + 157);
    const r = new ProtoReader(out);
    expect(r.tag()).toBe((1 << 3) | 2);
    const outer = r.sub();
    expect(r.eof()).toBe(true);
    expect(outer.tag()).toBe((2 << 3) | 2);
    const inner = outer.sub();
    expect(inner.tag()).toBe(8);
    expect(inner.uint32()).toBe(5);
    expect(inner.eof()).toBe(true);
    expect(outer.tag()).toBe((3 << 3) | 2);
    expect(outer.string()).toBe("y".repeat(150));
    expect(outer.eof()).toBe(true);
  });

  it("writes doubles and bools", () => {
    expect(hex(new ProtoWriter().double(1.5).finish())).toBe("000000000000f83f");
    expect(hex(new ProtoWriter().bool(true).bool(false).finish())).toBe("0100");
  });

  it("refuses finish() with an open fork and ldelim() without a fork", () => {
    expect(() => new ProtoWriter().fork().finish()).toThrow(/unfinished fork/);
    expect(() => new ProtoWriter().ldelim()).toThrow(/without fork/);
  });
});

describe("ProtoReader", () => {
  it("round-trips every scalar type", () => {
    const w = new ProtoWriter(2);
    const ints = [0, 1, -1, 127, 128, 2 ** 31 - 1, -(2 ** 31), 2 ** 40 + 3, -(2 ** 40) - 5, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (const v of ints) w.int64(v);
    for (const v of [0, 1, -1, 2 ** 31 - 1, -(2 ** 31)]) w.int32(v);
    for (const v of [0, 1, -1, 63, -64, 2 ** 31 - 1, -(2 ** 31)]) w.sint32(v);
    for (const v of [0, -1, 2 ** 40, -(2 ** 40) - 1]) w.sint64(v);
    w.uint64(2 ** 52 + 1).double(-0.25).float(0.5).bool(true).fixed32(0xdeadbeef).fixed64(2 ** 40 + 7);
    w.string("héllo wörld, a string longer than thirty-two bytes").bytes(new Uint8Array([1, 2, 3]));
    const r = new ProtoReader(w.finish());
    for (const v of ints) expect(r.int64()).toBe(v);
    for (const v of [0, 1, -1, 2 ** 31 - 1, -(2 ** 31)]) expect(r.int32()).toBe(v);
    for (const v of [0, 1, -1, 63, -64, 2 ** 31 - 1, -(2 ** 31)]) expect(r.sint32()).toBe(v);
    for (const v of [0, -1, 2 ** 40, -(2 ** 40) - 1]) expect(r.sint64()).toBe(v);
    expect(r.uint64()).toBe(2 ** 52 + 1);
    expect(r.double()).toBe(-0.25);
    expect(r.float()).toBe(0.5);
    expect(r.bool()).toBe(true);
    expect(r.fixed32()).toBe(0xdeadbeef);
    expect(r.fixed64()).toBe(2 ** 40 + 7);
    expect(r.string()).toBe("héllo wörld, a string longer than thirty-two bytes");
    expect(Array.from(r.bytes())).toEqual([1, 2, 3]);
    expect(r.eof()).toBe(true);
  });

  it("returns bytes as a view without copying", () => {
    const buf = fromHex("03010203");
    const b = new ProtoReader(buf).bytes();
    buf[1] = 9;
    expect(b[0]).toBe(9);
  });

  it("skips every wire type", () => {
    const w = new ProtoWriter();
    w.tag(1, 0).int64(-5);
    w.tag(2, 1).fixed64(9);
    w.tag(3, 2).string("skip me");
    w.tag(4, 5).fixed32(7);
    w.tag(5, 3).tag(1, 0).uint32(1).tag(5, 4);
    w.tag(6, 0).uint32(42);
    const r = new ProtoReader(w.finish());
    for (;;) {
      const t = r.tag();
      if (t >>> 3 === 6) break;
      r.skip(t & 7);
    }
    expect(r.uint32()).toBe(42);
    expect(r.eof()).toBe(true);
  });

  it("never reads past end", () => {
    const buf = fromHex("0361626399");
    const r = new ProtoReader(buf, 0, 3);
    expect(isDecodeError(decodeError(() => r.string()))).toBe(true);
    const r2 = new ProtoReader(buf, 1, 4);
    expect(r2.uint32()).toBe(0x61);
    expect(r2.uint32()).toBe(0x62);
    expect(r2.uint32()).toBe(0x63);
    expect(r2.eof()).toBe(true);
    expect(isDecodeError(decodeError(() => r2.uint32()))).toBe(true);
  });

  it("throws DecodeError on truncated and corrupt input", () => {
    const bad: Array<[string, (r: ProtoReader) => unknown]> = [
      ["", (r) => r.tag()],
      ["80", (r) => r.uint32()],
      ["8080", (r) => r.int64()],
      ["ffffffffffffffffffff01", (r) => r.int64()],
      ["ffffffffffffffffffff01", (r) => r.uint32()],
      ["ffffffffffffffffffff01", (r) => r.skip(0)],
      ["00", (r) => r.tag()],
      ["0000", (r) => r.double()],
      ["00", (r) => r.float()],
      ["00", (r) => r.fixed32()],
      ["05616263", (r) => r.string()],
      ["ffffffff0f", (r) => r.bytes()],
      ["0a", (r) => r.skip(2)],
      ["00", (r) => r.skip(1)],
      ["00", (r) => r.skip(7)],
      ["0b", (r) => r.skip(3)],
    ];
    for (const [h, read] of bad) {
      const e = decodeError(() => read(new ProtoReader(fromHex(h))));
      expect(isDecodeError(e), `${h}: ${String(e)}`).toBe(true);
    }
  });

  it("does not allocate from a huge declared length", () => {
    // Declares 2^31 bytes but carries four: must throw before touching memory.
    const e = decodeError(() => new ProtoReader(fromHex("8080808008deadbeef")).bytes());
    expect(isDecodeError(e)).toBe(true);
    expect(String(e)).toMatch(/exceeds/);
  });

  it("rejects an invalid range", () => {
    expect(isDecodeError(decodeError(() => new ProtoReader(new Uint8Array(2), 0, 3)))).toBe(true);
  });

  it("reads invalid UTF-8 as replacement characters", () => {
    expect(new ProtoReader(fromHex("0261ff")).string()).toBe("a\uFFFD");
  });

  it("reads non-minimal varints", () => {
    expect(new ProtoReader(fromHex("8100")).uint32()).toBe(1);
    expect(new ProtoReader(fromHex("818080808000")).int64()).toBe(1);
  });
});

describe("countRun", () => {
  it("counts back-to-back occurrences of a length-delimited field, long prefixes included", async () => {
    const { countRun } = await import("../src/protobuf/index.js");
    const w = new ProtoWriter();
    for (let i = 0; i < 5; i++) w.tag(2, 2).string("x".repeat(i * 100));
    w.tag(3, 2).string("other").tag(2, 2).string("later");
    const r = new ProtoReader(w.finish());
    expect(r.tag()).toBe(18);
    const at = r.pos;
    expect(countRun(r, 18)).toBe(5);
    expect(r.pos).toBe(at);
    const w2 = new ProtoWriter();
    for (let i = 0; i < 3; i++) w2.tag(20, 2).string("abc");
    const r2 = new ProtoReader(w2.finish());
    expect(r2.tag()).toBe((20 << 3) | 2);
    expect(countRun(r2, (20 << 3) | 2)).toBe(3);
  });
});
