/**
 * Issue 10 item 1: every int64 survives decode -> object -> encode exactly, on every serializer
 * path of @kubets/apimachinery (JSON, JSON frames / watch, YAML, protobuf, raw JSON inside
 * protobuf). An integer is a number while it is a safe integer and a bigint beyond 2^53 - 1.
 */
import { describe, expect, it } from "vitest";
import {
  JSONFrameDecoder,
  decodeJSON,
  decodeJSONStrict,
  encodeJSON,
  parseJSONExact,
  parseYAML,
  parseYAMLDocuments,
  stringifyJSON,
  toYAML,
} from "../src/serializer/index.js";
import { mayHoldUnsafeInteger } from "../src/serializer/json.js";
import { ProtoReader, ProtoWriter, meta_v1, parseRawJSON, readDuration, writeDuration, writeRawJSON } from "../src/protobuf/index.js";
import { jsonWatchEvents } from "../src/watch/index.js";
import { deepCopyJSON } from "../src/runtime/index.js";

const BIG = 9007199254740993n; // 2^53 + 1: rounds to 2^53 as a double
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

const EDGE: Array<number | bigint> = [
  0,
  1,
  -1,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2n ** 53n,
  BIG,
  -BIG,
  -(2n ** 53n),
  12345678901234567n,
  INT64_MAX,
  INT64_MIN,
  INT64_MAX - 1n,
];

function expectedValue(v: number | bigint): number | bigint {
  return typeof v === "bigint" && v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

describe("JSON keeps every int64 exact (issue 10 item 1)", () => {
  it("decodes integers beyond 2^53 - 1 as bigints and safe integers as numbers", () => {
    const text = `{"spec":{"activeDeadlineSeconds":9007199254740993,"parallelism":3},"a":[1,-9223372036854775808, 9223372036854775807 ],"safe":9007199254740991,"neg":-9007199254740991}`;
    for (const v of [parseJSONExact(text), decodeJSON(text), decodeJSON(new TextEncoder().encode(text))] as Array<Record<string, any>>) {
      expect(v["spec"].activeDeadlineSeconds).toBe(BIG);
      expect(v["spec"].parallelism).toBe(3);
      expect(v["a"]).toEqual([1, INT64_MIN, INT64_MAX]);
      expect(v["safe"]).toBe(Number.MAX_SAFE_INTEGER);
      expect(v["neg"]).toBe(-Number.MAX_SAFE_INTEGER);
    }
    expect(parseJSONExact("9007199254740993")).toBe(BIG);
    expect(parseJSONExact(" -9007199254740993 ")).toBe(-BIG);
  });

  it("keeps floats as numbers, as Go reads them into float64", () => {
    expect(parseJSONExact(`{"f":12345678901234567.5,"e":12345678901234567e3,"E":1234567890123456789E-2}`)).toEqual({
      f: Number("12345678901234567.5"),
      e: Number("12345678901234567e3"),
      E: Number("1234567890123456789E-2"),
    });
  });

  it("leaves digit runs inside strings alone and keeps them on the JSON.parse path", () => {
    const strings = [
      `{"imageID":"docker.io/web@sha256:1234567890123456789012345678901234567890123456789012345678901234"}`,
      `{"a":"x12345678901234567890"}`,
      `{"a":"x-12345678901234567890"}`,
      `{"annotation":"{\\"n\\":12345678901234567890}"}`,
      `{"rv":"12345678901234567890"}`,
      `{"a":12345678901234567.5}`,
      `{"a":1234567890123456}`,
    ];
    for (const s of strings) {
      expect(mayHoldUnsafeInteger(s), s).toBe(false);
      expect(parseJSONExact(s)).toEqual(JSON.parse(s));
    }
    for (const s of [`{"a":12345678901234567}`, `{"a" : -12345678901234567}`, `[1,12345678901234567]`, `[\n 12345678901234567]`, `12345678901234567`]) {
      expect(mayHoldUnsafeInteger(s), s).toBe(true);
    }
    // A contrived string that looks like an array element costs the slow path, and is still right.
    const odd = `{"a":"x,12345678901234567890","b":9007199254740993}`;
    expect(parseJSONExact(odd)).toEqual({ a: "x,12345678901234567890", b: BIG });
    expect(parseJSONExact(`{"a":"x,12345678901234567890"}`)).toEqual({ a: "x,12345678901234567890" });
  });

  it("writes bigints with all their digits: stringifyJSON and encodeJSON, compact and indented", () => {
    for (const v of EDGE) {
      const obj = { spec: { activeDeadlineSeconds: v, list: [v, 1] }, s: "kubets-bigint-x:1" };
      const text = `{"spec":{"activeDeadlineSeconds":${v},"list":[${v},1]},"s":"kubets-bigint-x:1"}`;
      expect(stringifyJSON(obj)).toBe(text);
      expect(encodeJSON(obj)).toBe(text);
      expect(parseJSONExact(text)).toEqual({ spec: { activeDeadlineSeconds: expectedValue(v), list: [expectedValue(v), 1] }, s: "kubets-bigint-x:1" });
      const indented = stringifyJSON(obj, 2);
      expect(indented).toContain(`"activeDeadlineSeconds": ${v},\n`);
      expect(indented).toBe(encodeJSON(obj, { indent: 2 }));
      expect(parseJSONExact(indented)).toEqual(parseJSONExact(text));
    }
    expect(() => stringifyJSON({ a: 1n, b: () => 1, c: { toJSON: () => 2n } })).not.toThrow();
    expect(stringifyJSON({ c: { toJSON: () => 2n ** 60n } })).toBe(`{"c":${2n ** 60n}}`);
    // Errors other than bigints are still errors.
    const cyclic: Record<string, unknown> = { n: 1n };
    cyclic["self"] = cyclic;
    expect(() => stringifyJSON(cyclic)).toThrow(TypeError);
  });

  it("round-trips random int64s through JSON text unchanged (fuzz)", () => {
    let seed = 0x1234567;
    const rnd = (): bigint => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const hi = BigInt(seed);
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return BigInt.asIntN(64, (hi << 32n) | BigInt(seed)) >> BigInt(seed % 64);
    };
    for (let i = 0; i < 2000; i++) {
      const v = rnd();
      const text = `{"metadata":{"generation":${v}},"items":[${v},{"x":${v}}],"s":"${v}"}`;
      const obj = parseJSONExact(text);
      expect(obj).toEqual({ metadata: { generation: expectedValue(v) }, items: [expectedValue(v), { x: expectedValue(v) }], s: String(v) });
      expect(stringifyJSON(obj)).toBe(text);
      expect(toYAML(obj)).toContain(`generation: ${v}\n`);
      expect(parseYAML(toYAML(obj))).toEqual(obj);
    }
  });

  it("strict decoding keeps its lossy default and bigint option", () => {
    expect(decodeJSONStrict(`{"a":9007199254740993}`).value).toEqual({ a: 9007199254740992 });
    expect(decodeJSONStrict(`{"a":9007199254740993}`, { bigIntegers: "bigint" }).value).toEqual({ a: BIG });
  });

  it("JSON frames and JSON watch events keep int64s exact", async () => {
    const d = new JSONFrameDecoder();
    const line = `{"type":"MODIFIED","object":{"kind":"Job","spec":{"activeDeadlineSeconds":9007199254740993}}}\n`;
    expect(d.push(new TextEncoder().encode(line + line.replace("\n", "")))).toEqual([
      { type: "MODIFIED", object: { kind: "Job", spec: { activeDeadlineSeconds: BIG } } },
    ]);
    // A value spanning lines takes the structural scanner.
    expect(d.push(new TextEncoder().encode("\n{\n\"n\":\n-9223372036854775808}\n"))).toEqual([
      { type: "MODIFIED", object: { kind: "Job", spec: { activeDeadlineSeconds: BIG } } },
      { n: INT64_MIN },
    ]);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode(line.slice(0, 50));
      yield new TextEncoder().encode(line.slice(50));
    }
    const events = [];
    for await (const ev of jsonWatchEvents(chunks())) events.push(ev);
    expect((events[0]!.object as { spec: { activeDeadlineSeconds: unknown } }).spec.activeDeadlineSeconds).toBe(BIG);
  });

  it("YAML (parseYAML, parseYAMLDocuments, toYAML) keeps int64s exact", () => {
    const yaml = "apiVersion: batch/v1\nkind: Job\nspec:\n  activeDeadlineSeconds: 9007199254740993\n  list: [-9223372036854775808, 1_000]\n";
    const [doc] = parseYAMLDocuments<Record<string, any>>(yaml);
    expect(doc!["spec"].activeDeadlineSeconds).toBe(BIG);
    expect(doc!["spec"].list).toEqual([INT64_MIN, 1000]);
    expect(parseYAML<Record<string, any>>(yaml)["spec"].activeDeadlineSeconds).toBe(BIG);
    expect(toYAML(doc)).toContain("activeDeadlineSeconds: 9007199254740993\n");
    // JSON documents through the same entry point.
    const [j] = parseYAMLDocuments<Record<string, any>>(`{"spec":{"activeDeadlineSeconds":9007199254740993}}\n{"a":1}`);
    expect(j!["spec"].activeDeadlineSeconds).toBe(BIG);
    // Beyond int64 Go reads a float64; so does this.
    expect(parseYAML("a: 18446744073709551615")).toEqual({ a: Number("18446744073709551615") });
  });

  it("deep copies keep bigints", () => {
    const o = parseJSONExact(`{"a":{"b":9007199254740993}}`) as Record<string, unknown>;
    expect(deepCopyJSON(o)).toEqual({ a: { b: BIG } });
    expect(structuredClone(o)).toEqual({ a: { b: BIG } });
  });
});

describe("protobuf keeps every int64 exact (issue 10 item 1)", () => {
  it("writes and reads every int64 edge value, as a number when safe and a bigint beyond", () => {
    for (const v of EDGE) {
      const bytes = new ProtoWriter().int64(v).finish();
      const r = new ProtoReader(bytes);
      const got = r.int64();
      expect(got).toBe(expectedValue(v));
      expect(r.eof()).toBe(true);
      // A number and the bigint of the same value write the same bytes.
      expect(new ProtoWriter().int64(BigInt(v)).finish()).toEqual(bytes);
      expect(new ProtoReader(new ProtoWriter().sint64(v).finish()).sint64()).toBe(expectedValue(v));
      if (BigInt(v) >= 0n) {
        expect(new ProtoReader(new ProtoWriter().uint64(v).finish()).uint64()).toBe(expectedValue(v));
        expect(new ProtoReader(new ProtoWriter().fixed64(v).finish()).fixed64()).toBe(expectedValue(v));
      }
    }
    expect(new ProtoReader(new ProtoWriter().uint64(2n ** 64n - 1n).finish()).uint64()).toBe(2n ** 64n - 1n);
    expect(() => new ProtoWriter().int64(INT64_MAX + 1n)).toThrow(RangeError);
    expect(() => new ProtoWriter().uint64(-1n)).toThrow(RangeError);
  });

  it("ObjectMeta.generation and deletionGracePeriodSeconds round-trip exactly", () => {
    const meta = { name: "x", generation: BIG, deletionGracePeriodSeconds: INT64_MIN };
    const w = new ProtoWriter();
    meta_v1.writeObjectMeta(w, meta);
    const back = meta_v1.readObjectMeta(new ProtoReader(w.finish()));
    expect(back.generation).toBe(BIG);
    expect(back.deletionGracePeriodSeconds).toBe(INT64_MIN);
    const w2 = new ProtoWriter();
    meta_v1.writeObjectMeta(w2, back);
    expect(w2.finish()).toEqual(w.finish());
  });

  it("raw JSON inside protobuf (RawExtension, FieldsV1, CRD JSON) keeps int64s exact", () => {
    const w = new ProtoWriter();
    writeRawJSON(w, { spec: { n: BIG } });
    const r = new ProtoReader(w.finish());
    const body = r.bytes();
    expect(new TextDecoder().decode(body.subarray(2))).toBe(`{"spec":{"n":9007199254740993}}`);
    expect(parseRawJSON(body.subarray(2))).toEqual({ spec: { n: BIG } });
  });

  it("metav1.Duration beyond 2^53 ns (about 104 days) keeps every nanosecond", () => {
    const d = "2562047h47m16.854775807s"; // the largest Go duration
    const w = new ProtoWriter();
    writeDuration(w, d);
    const bytes = w.finish();
    const r = new ProtoReader(bytes);
    const n = r.length();
    r.end = r.pos + n;
    expect(readDuration(r)).toBe(d);
    const w2 = new ProtoWriter();
    writeDuration(w2, "2500h0m0.000000001s");
    const r2 = new ProtoReader(w2.finish());
    const n2 = r2.length();
    r2.end = r2.pos + n2;
    expect(readDuration(r2)).toBe("2500h0m0.000000001s");
  });
});
