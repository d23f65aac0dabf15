/**
 * Fuzz-style robustness: truncated, corrupted and random inputs (seeded, reproducible) for every
 * decoder of the serializer and watch areas. Each call must return a value or throw a DecodeError;
 * nothing else may escape, and nothing may hang or allocate from an unchecked length.
 */
import { describe, expect, it } from "vitest";
import { ProtoReader, ProtoWriter } from "../src/protobuf/index.js";
import {
  JSONFrameDecoder,
  LengthDelimitedFrameDecoder,
  MapProtobufCodecRegistry,
  ProtobufSerializer,
  decodeEnvelope,
  decodeJSON,
  decodeJSONStrict,
  encodeEnvelope,
  encodeLengthDelimitedFrame,
  isDecodeError,
  parseYAML,
  parseYAMLDocuments,
  parseYAMLStrict,
  toYAML,
} from "../src/serializer/index.js";
import type { ProtobufCodec } from "../src/serializer/index.js";
import { JSONWatchDecoder, ProtobufWatchDecoder, encodeJSONWatchEvent, encodeProtobufWatchEvent } from "../src/watch/index.js";
import { prng } from "./helpers/prng.js";

/** `v` with every integer-valued number beyond 2^53 - 1 written without an exponent replaced by the bigint of its digits. */
function unsafeIntegersAsBigInt(v: unknown): unknown {
  if (typeof v === "number") return Number.isInteger(v) && !Number.isSafeInteger(v) && !/e/i.test(String(v)) ? BigInt(String(v)) : v;
  if (Array.isArray(v)) return v.map(unsafeIntegersAsBigInt);
  if (v !== null && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(o, k, { value: unsafeIntegersAsBigInt(x), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return v;
}


type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);

function randomBytes(r: Rand, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = int(r, 256);
  return b;
}

const INTERESTING = [0x00, 0x0a, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c, 0x2d, 0x23, 0x26, 0x2a, 0x21, 0x7c, 0x3e, 0x80, 0xff, 0x6b, 0x38, 0x73];

/** Truncate, flip, insert, delete or duplicate bytes. */
function mutate(r: Rand, input: Uint8Array): Uint8Array {
  let b = input.slice();
  const rounds = 1 + int(r, 4);
  for (let k = 0; k < rounds; k++) {
    const op = int(r, 6);
    const at = int(r, b.length + 1);
    if (op === 0) b = b.slice(0, at);
    else if (op === 1 && b.length > 0) { const j = Math.min(at, b.length - 1); b[j] = b[j]! ^ (1 << int(r, 8)); }
    else if (op === 2) {
      const ins = r() < 0.5 ? new Uint8Array([INTERESTING[int(r, INTERESTING.length)]!]) : randomBytes(r, 1 + int(r, 8));
      const nb = new Uint8Array(b.length + ins.length);
      nb.set(b.subarray(0, at));
      nb.set(ins, at);
      nb.set(b.subarray(at), at + ins.length);
      b = nb;
    } else if (op === 3 && b.length > 0) {
      const len = 1 + int(r, 16);
      b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + len)]);
    } else if (op === 4 && b.length > 0) {
      const len = 1 + int(r, 32);
      const piece = b.subarray(at, at + len);
      b = new Uint8Array([...b.subarray(0, at), ...piece, ...b.subarray(at)]);
    } else if (b.length > 0) {
      b[Math.min(at, b.length - 1)] = INTERESTING[int(r, INTERESTING.length)]!;
    }
  }
  return b;
}

/** Run fn; it must return or throw a DecodeError. Returns "ok" or "error". */
function check(what: string, input: Uint8Array, fn: () => unknown): "ok" | "error" {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (!isDecodeError(e)) {
      const hex = Array.from(input.subarray(0, 200), (x) => x.toString(16).padStart(2, "0")).join("");
      throw new Error(`${what}: threw ${(e as Error)?.name}: ${(e as Error)?.message} for input (hex, first 200 bytes) ${hex}`, { cause: e });
    }
    return "error";
  }
}

function split(r: Rand, b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < b.length) {
    const n = 1 + int(r, 64);
    out.push(b.subarray(i, i + n));
    i += n;
  }
  return out;
}

const enc = new TextEncoder();

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-0", namespace: "default", labels: { app: "web", "x/y": "z" }, annotations: { note: "a \"quoted\" \\ value\n" } },
  spec: { containers: [{ name: "c", image: "nginx:1.27", ports: [{ containerPort: 80 }], args: ["--a=1", "ü€😀"] }], replicas: 3.5e-3 },
};

const JSON_SAMPLES = [JSON.stringify(pod), JSON.stringify(pod, null, 2), '{"a":[1,2,{"b":null}],"c":true,"d":-1.5e10}', "[]", '"x"'].map((s) => enc.encode(s));

const YAML_SAMPLES = [
  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-0\n  labels: {app: web}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    args: [\"--a\", 'b', yes, 0x1F, ~]\n",
  "a: &x {k: 1}\nb: *x\nc:\n  <<: *x\n  d: |\n    line\n    line2\n  e: >-\n    folded\n---\n- 1\n- [2, 3]\n- {f: g}\n",
  "%YAML 1.1\n---\n!!map {? a : b, ? [c] : d}\n...\n",
  "key: \"esc \\u00e9 \\x41 \\n\"\nother: 'it''s'\nnum: 1_000\ndate: 2024-01-01\n",
].map((s) => enc.encode(s));

/** Deep nesting and alias trees: the inputs that tend to break parsers. */
const ADVERSARIAL_TEXT = [
  "[".repeat(20_000),
  "[".repeat(20_000) + "]".repeat(20_000),
  '{"a":'.repeat(12_000) + "1" + "}".repeat(12_000),
  "- ".repeat(3_000) + "x",
  "a:\n" + Array.from({ length: 2000 }, (_, i) => " ".repeat(i + 1) + "b:").join("\n"),
  "{".repeat(5_000),
  "a: &a [" + "x, ".repeat(100) + "]\nb: &b [" + "*a, ".repeat(100) + "]\nc: &c [" + "*b, ".repeat(100) + "]\nd: [" + "*c, ".repeat(100) + "]\n",
  "a: &a\n  b: *a\n",
  // Many aliases: each must be resolved in constant time, not by walking the document.
  "a: &a {k: v}\n" + Array.from({ length: 20_000 }, (_, i) => `b${i}: *a`).join("\n") + "\n",
  "a0: &a0 [x]\n" + Array.from({ length: 3_000 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}]`).join("\n") + "\n",
  "\ufeff{}",
  "\u0000",
];

describe("fuzz: JSON", () => {
  it("decodeJSON and decodeJSONStrict return or throw DecodeError on thousands of mutated and random inputs", () => {
    const r = prng(0x5eed1);
    let ok = 0;
    let err = 0;
    for (let i = 0; i < 4000; i++) {
      const input = i % 4 === 3 ? randomBytes(r, int(r, 64)) : mutate(r, JSON_SAMPLES[int(r, JSON_SAMPLES.length)]!);
      const a = check("decodeJSON", input, () => decodeJSON(input));
      const b = check("decodeJSONStrict", input, () =>
        decodeJSONStrict(input, { knownFields: { fields: { apiVersion: {}, kind: {}, metadata: {}, spec: { fields: { containers: { items: { fields: { name: {} } } } } } } } }),
      );
      // The strict parser accepts exactly what JSON.parse accepts (up to the depth limit).
      expect(b, `accept/reject agreement for ${new TextDecoder().decode(input)}`).toBe(a);
      if (a === "ok") ok++;
      else err++;
    }
    expect(ok).toBeGreaterThan(100);
    expect(err).toBeGreaterThan(1000);
  });

  it("survives adversarial nesting", () => {
    for (const t of ADVERSARIAL_TEXT) {
      const input = enc.encode(t);
      check("decodeJSON", input, () => decodeJSON(input));
      check("decodeJSONStrict", input, () => decodeJSONStrict(input));
    }
  });
});

describe("fuzz: YAML", () => {
  it("parseYAML, parseYAMLStrict and parseYAMLDocuments return or throw DecodeError", () => {
    const r = prng(0x5eed2);
    let ok = 0;
    for (let i = 0; i < 2000; i++) {
      const pick = int(r, 5);
      const input =
        pick === 4 ? randomBytes(r, int(r, 48)) : mutate(r, pick === 3 ? JSON_SAMPLES[int(r, JSON_SAMPLES.length)]! : YAML_SAMPLES[int(r, YAML_SAMPLES.length)]!);
      if (check("parseYAML", input, () => parseYAML(input)) === "ok") ok++;
      check("parseYAMLStrict", input, () => parseYAMLStrict(input));
      check("parseYAMLDocuments", input, () => parseYAMLDocuments(input, { expandLists: true }));
    }
    expect(ok).toBeGreaterThan(100);
  });

  it("survives adversarial nesting and alias trees", () => {
    for (const t of ADVERSARIAL_TEXT) {
      const input = enc.encode(t);
      check("parseYAML", input, () => parseYAML(input, { maxAliasExpansion: 100_000 }));
      check("parseYAMLDocuments", input, () => parseYAMLDocuments(input, { maxAliasExpansion: 100_000 }));
    }
  });
});

// A toy codec whose decode is a strict protobuf walk: it must also only throw DecodeError.
const walkCodec: ProtobufCodec = {
  decode(raw) {
    const reader = new ProtoReader(raw);
    let fields = 0;
    while (!reader.eof()) {
      const t = reader.tag();
      reader.skip(t & 7);
      fields++;
    }
    return { fields };
  },
  encode() {
    return new ProtoWriter().tag(1, 2).string("name").tag(2, 0).int64(42).tag(3, 1).fixed64(7).tag(4, 5).fixed32(9).finish();
  },
};
const registry = new MapProtobufCodecRegistry().register("v1", "Pod", walkCodec).register("v1", "Status", walkCodec);

describe("fuzz: protobuf envelope and reader", () => {
  const samples = [
    encodeEnvelope({ apiVersion: "v1", kind: "Pod", raw: walkCodec.encode({}) }),
    encodeEnvelope({ apiVersion: "apps/v1", kind: "Deployment", raw: randomBytes(prng(3), 300), contentType: "application/vnd.kubernetes.protobuf" }),
  ];

  it("decodeEnvelope, the serializer and ProtoReader return or throw DecodeError", () => {
    const r = prng(0x5eed3);
    const s = new ProtobufSerializer(registry);
    let ok = 0;
    for (let i = 0; i < 5000; i++) {
      const input = i % 5 === 4 ? new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...randomBytes(r, int(r, 64))]) : mutate(r, samples[int(r, samples.length)]!);
      if (check("decodeEnvelope", input, () => decodeEnvelope(input)) === "ok") ok++;
      check("ProtobufSerializer.decode", input, () => s.decode(input));
      check("ProtoReader walk", input, () => walkCodec.decode(input));
      check("ProtoReader scalars", input, () => {
        const rd = new ProtoReader(input);
        while (!rd.eof()) {
          const t = rd.tag();
          const wt = t & 7;
          if (wt === 0) rd.int64();
          else if (wt === 2) rd.string();
          else rd.skip(wt);
        }
      });
    }
    expect(ok).toBeGreaterThan(200);
  });

  it("never trusts a declared length: huge lengths fail without allocating", () => {
    // raw declared as ~4 GiB with 3 bytes present.
    const bomb = new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x12, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
    expect(check("decodeEnvelope", bomb, () => decodeEnvelope(bomb))).toBe("error");
    const varintBomb = new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x08, ...new Array<number>(20).fill(0xff)]);
    expect(check("decodeEnvelope", varintBomb, () => decodeEnvelope(varintBomb))).toBe("error");
  });
});

describe("fuzz: watch framers", () => {
  const events = [
    { type: "ADDED", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "a" } } },
    { type: "ERROR", object: { apiVersion: "v1", kind: "Status", status: "Failure", code: 410 } },
    { type: "BOOKMARK", object: { apiVersion: "v1", kind: "Pod", metadata: { resourceVersion: "12" } } },
  ];
  const jsonStream = new Uint8Array(events.flatMap((e) => [...encodeJSONWatchEvent(e)]));
  const pbStream = new Uint8Array(events.flatMap((e) => [...encodeProtobufWatchEvent(e, registry)]));

  function runDecoder(make: () => { push(c: Uint8Array): unknown[]; end(): void }, chunks: Uint8Array[]): void {
    const d = make();
    for (const c of chunks) d.push(c);
    d.end();
  }

  it("JSON frame and watch decoders return or throw DecodeError on mutated streams in random chunks", () => {
    const r = prng(0x5eed4);
    let ok = 0;
    for (let i = 0; i < 3000; i++) {
      const input = i % 6 === 5 ? randomBytes(r, int(r, 80)) : mutate(r, jsonStream);
      const chunks = split(r, input);
      if (check("JSONWatchDecoder", input, () => runDecoder(() => new JSONWatchDecoder({ maxFrameBytes: 4096 }), chunks)) === "ok") ok++;
      check("JSONFrameDecoder", input, () => runDecoder(() => new JSONFrameDecoder({ maxFrameBytes: 64 }), chunks));
    }
    expect(ok).toBeGreaterThan(50);
  });

  it("length-delimited and protobuf watch decoders return or throw DecodeError on mutated streams in random chunks", () => {
    const r = prng(0x5eed5);
    let ok = 0;
    for (let i = 0; i < 3000; i++) {
      const input = i % 6 === 5 ? randomBytes(r, int(r, 80)) : mutate(r, pbStream);
      const chunks = split(r, input);
      if (check("ProtobufWatchDecoder", input, () => runDecoder(() => new ProtobufWatchDecoder(registry), chunks)) === "ok") ok++;
      check("LengthDelimitedFrameDecoder", input, () => runDecoder(() => new LengthDelimitedFrameDecoder({ maxFrameBytes: 1 << 20 }), chunks));
    }
    expect(ok).toBeGreaterThan(50);
  });

  it("rejects oversized lengths at once, and buffers only what arrived for huge allowed lengths", () => {
    const r = prng(0x5eed6);
    for (let i = 0; i < 1000; i++) {
      const len = 16 * 1024 * 1024 + 1 + int(r, 0x7fffffff);
      const header = new Uint8Array([len >>> 24, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff]);
      const input = new Uint8Array([...header, ...randomBytes(r, int(r, 32))]);
      expect(check("oversized", input, () => new ProtobufWatchDecoder(registry).push(input))).toBe("error");
    }
    // With the limit raised to the 32-bit maximum, a 4 GiB frame is only buffered as it arrives.
    const d = new LengthDelimitedFrameDecoder({ maxFrameBytes: 0xffffffff });
    expect(d.push(new Uint8Array([0xff, 0xff, 0xff, 0xff, 1, 2, 3]))).toEqual([]);
    expect(() => d.end()).toThrow(/frame of 4294967295 bytes has only 3/);
    // A JSON value that never ends is cut off at the limit.
    const j = new JSONWatchDecoder({ maxFrameBytes: 1000 });
    j.push(enc.encode('{"type":"ADDED","object":{"a":"'));
    expect(() => {
      for (let k = 0; k < 100; k++) j.push(new Uint8Array(100).fill(0x61));
    }).toThrow(/maximum allowed size/);
  });

  it("decodes every stream it accepts to the same events whatever the chunking", () => {
    const r = prng(0x5eed7);
    const frames = encodeLengthDelimitedFrame(new Uint8Array([1, 2, 3]));
    for (let i = 0; i < 300; i++) {
      const chunksA = split(r, jsonStream);
      const a = new JSONWatchDecoder();
      const got = chunksA.flatMap((c) => a.push(c));
      expect(got).toEqual(events);
      const b = new ProtobufWatchDecoder(registry);
      expect(split(r, pbStream).flatMap((c) => b.push(c))).toHaveLength(3);
      const l = new LengthDelimitedFrameDecoder();
      expect(split(r, frames).flatMap((c) => l.push(c))).toEqual([new Uint8Array([1, 2, 3])]);
    }
  });
});

describe("fuzz: toYAML round trip", () => {
  const PALETTE = ["a", "b", "z", "0", "1", "9", " ", " ", "\n", "\t", "-", ":", "#", "'", '"', "\\", "?", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", "~", ".", "_", "+", "e", "x", "o", "y", "n", "é", "日", "😀", "\u2028", "\u0085", "\u00a0", "\r", "\u0001", "\u007f"];
  const WORDS = ["yes", "no", "on", "off", "null", "true", "~", "0x1F", "0o17", "017", "1_000", "1e3", ".5", "2024-01-02", "12:30", "---", "...", "<<", "-", ""];

  function randomString(r: Rand): string {
    if (r() < 0.2) return WORDS[int(r, WORDS.length)]!;
    const n = r() < 0.1 ? 60 + int(r, 120) : int(r, 12);
    let s = "";
    for (let i = 0; i < n; i++) s += PALETTE[int(r, PALETTE.length)]!;
    return s;
  }

  function randomValue(r: Rand, depth: number): unknown {
    const k = int(r, depth > 3 ? 6 : 9);
    switch (k) {
      case 0: return null;
      case 1: return r() < 0.5;
      case 2: return int(r, 2) ? int(r, 1e6) - 5e5 : (r() - 0.5) * 10 ** (int(r, 40) - 20);
      case 3: case 4: case 5: return randomString(r);
      case 6: return Array.from({ length: int(r, 4) }, () => randomValue(r, depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = int(r, 5); i > 0; i--) o[randomString(r)] = randomValue(r, depth + 1);
        return o;
      }
    }
  }

  it("parseYAML(toYAML(v)) deep-equals v for thousands of random JSON values", () => {
    const r = prng(0x5eed8);
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(r, 0);
      const y = toYAML(v);
      const back = check("parseYAML(toYAML)", enc.encode(y), () => parseYAML(y));
      expect(back, `value ${JSON.stringify(v)}\nyaml:\n${y}`).toBe("ok");
      // An integer-valued number beyond 2^53 - 1 is written as its shortest digits and reads back as
      // the exact bigint of those digits.
      expect(parseYAML(y), `value ${JSON.stringify(v)}\nyaml:\n${y}`).toEqual(unsafeIntegersAsBigInt(v));
    }
  });
});
