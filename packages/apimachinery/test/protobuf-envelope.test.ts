import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProtoReader, ProtoWriter } from "../src/protobuf/index.js";
import {
  DecodeError,
  MapProtobufCodecRegistry,
  PROTOBUF_MAGIC,
  ProtobufSerializer,
  decodeEnvelope,
  decodeJSON,
  decodeJSONStrict,
  encodeEnvelope,
  hasProtobufMagic,
  parseYAML,
  protobufCodecKey,
  toYAML,
} from "../src/serializer/index.js";
import type { ProtobufCodec } from "../src/serializer/index.js";

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));

/** A toy codec for a ConfigMap-like object: { metadata: { name } = 1, data: map<string,string> = 2 }. */
const configMapCodec: ProtobufCodec<{ metadata?: { name?: string }; data?: Record<string, string> }> = {
  decode(raw) {
    const r = new ProtoReader(raw);
    const out: { metadata?: { name?: string }; data?: Record<string, string> } = {};
    while (!r.eof()) {
      const t = r.tag();
      if (t === 0x0a) {
        const m = r.sub();
        const md: { name?: string } = {};
        while (!m.eof()) {
          const t2 = m.tag();
          if (t2 === 0x0a) md.name = m.string();
          else m.skip(t2 & 7);
        }
        out.metadata = md;
      } else if (t === 0x12) {
        const e = r.sub();
        let k = "";
        let v = "";
        while (!e.eof()) {
          const t2 = e.tag();
          if (t2 === 0x0a) k = e.string();
          else if (t2 === 0x12) v = e.string();
          else e.skip(t2 & 7);
        }
        (out.data ??= {})[k] = v;
      } else {
        r.skip(t & 7);
      }
    }
    return out;
  },
  encode(obj) {
    const w = new ProtoWriter();
    if (obj.metadata) w.tag(1, 2).fork().tag(1, 2).string(obj.metadata.name ?? "").ldelim();
    for (const [k, v] of Object.entries(obj.data ?? {})) w.tag(2, 2).fork().tag(1, 2).string(k).tag(2, 2).string(v).ldelim();
    return w.finish();
  },
};

describe("protobuf envelope", () => {
  it("encodes k8s\\0 + runtime.Unknown exactly as Go does", () => {
    const bytes = encodeEnvelope({ apiVersion: "v1", kind: "Pod", raw: new Uint8Array([1, 2, 3]) });
    // 6b387300 | 0a 09 (0a 02 "v1" 12 03 "Pod") | 12 03 010203 | 1a 00 | 22 00
    expect(bytes).toEqual(hex("6b3873000a090a0276311203506f641203010203" + "1a002200"));
    expect(hasProtobufMagic(bytes)).toBe(true);
    const env = decodeEnvelope(bytes);
    expect(env).toEqual({ apiVersion: "v1", kind: "Pod", raw: new Uint8Array([1, 2, 3]), contentEncoding: "", contentType: "" });
    expect(env.raw.buffer).toBe(bytes.buffer); // a view, not a copy
  });

  it("decodes fields in any order, skips unknown fields, last value wins", () => {
    const w = new ProtoWriter();
    w.raw(PROTOBUF_MAGIC as Uint8Array);
    w.tag(4, 2).string("application/json");
    w.tag(9, 0).uint32(7); // unknown varint field
    w.tag(2, 2).bytes(new Uint8Array([9]));
    w.tag(1, 2).fork().tag(2, 2).string("Secret").tag(7, 5).fixed32(1).tag(1, 2).string("v1").ldelim();
    w.tag(2, 2).bytes(new Uint8Array([8, 8]));
    const env = decodeEnvelope(w.finish());
    expect(env).toMatchObject({ apiVersion: "v1", kind: "Secret", contentType: "application/json", contentEncoding: "" });
    expect([...env.raw]).toEqual([8, 8]);
  });

  it("rejects empty data, a wrong magic, an empty body and truncation with DecodeError", () => {
    expect(() => decodeEnvelope(new Uint8Array())).toThrow(/empty data/);
    expect(() => decodeEnvelope(hex("7b7d"))).toThrow(/expected prefix/);
    expect(() => decodeEnvelope(hex("6b387300"))).toThrow(/empty body/);
    const good = encodeEnvelope({ apiVersion: "v1", kind: "Pod", raw: new Uint8Array(10) });
    for (let n = 5; n < good.length - 4; n++) {
      const cut = good.subarray(0, n);
      let err: unknown;
      try {
        decodeEnvelope(cut);
      } catch (e) {
        err = e;
      }
      // Cuts that end exactly on a field boundary decode (fields are optional); others must fail cleanly.
      if (err !== undefined) expect(err).toBeInstanceOf(DecodeError);
    }
    expect(() => decodeEnvelope(good.subarray(0, 8))).toThrow(DecodeError);
  });

  it("serializes objects through a codec registry keyed by apiVersion and kind", () => {
    const registry = new MapProtobufCodecRegistry().register("v1", "ConfigMap", configMapCodec);
    expect(registry.keys()).toEqual([protobufCodecKey("v1", "ConfigMap")]);
    expect(protobufCodecKey("apps/v1", "Deployment")).toBe("apps/v1, Kind=Deployment");
    const s = new ProtobufSerializer(registry);
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: "1" } };
    const bytes = s.encode(cm);
    expect(decodeEnvelope(bytes)).toMatchObject({ apiVersion: "v1", kind: "ConfigMap" });
    expect(s.decode(bytes)).toEqual(cm);
    expect(() => s.decode(encodeEnvelope({ apiVersion: "v1", kind: "Pod", raw: new Uint8Array() }))).toThrow(/no codec registered for v1, Kind=Pod/);
    expect(() => s.decode(encodeEnvelope({ apiVersion: "v1", kind: "", raw: new Uint8Array() }))).toThrow(/Kind' is missing/);
    expect(() => s.encode({ kind: "ConfigMap" })).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Golden fixtures from k8s.io/api testdata/HEAD.

function apiModuleDir(): string | undefined {
  const pin = JSON.parse(readFileSync(join(__dirname, "../../../kubernetes.json"), "utf8")) as { stagingModules: string };
  const mod = `k8s.io/api@${pin.stagingModules}`;
  try {
    const cache = execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" }).trim();
    const dir = join(cache, "k8s.io", `api@${pin.stagingModules}`);
    if (existsSync(join(dir, "testdata", "HEAD"))) return dir;
    const info = JSON.parse(execFileSync("go", ["mod", "download", "-json", mod], { encoding: "utf8", cwd: "/" })) as { Dir?: string };
    return info.Dir;
  } catch {
    return undefined;
  }
}

describe("golden fixtures (k8s.io/api testdata/HEAD)", () => {
  const dir = apiModuleDir();

  it("finds the fixtures in the Go module cache", () => {
    expect(dir, "k8s.io/api module not found: install Go and run `go mod download k8s.io/api@<stagingModules>`").toBeDefined();
  });

  it("decodes and re-encodes every .pb envelope byte-identically, and JSON agrees with YAML", () => {
    if (dir === undefined) throw new Error("k8s.io/api fixtures unavailable");
    const head = join(dir, "testdata", "HEAD");
    const names = readdirSync(head).filter((f) => f.endsWith(".pb")).map((f) => f.slice(0, -3)).sort();
    expect(names.length).toBeGreaterThan(150);
    let envelopes = 0;
    let agreements = 0;
    let yamlRoundTrips = 0;
    for (const name of names) {
      const pb = new Uint8Array(readFileSync(join(head, `${name}.pb`)));
      const jsonBytes = new Uint8Array(readFileSync(join(head, `${name}.json`)));
      const yamlText = readFileSync(join(head, `${name}.yaml`), "utf8");
      const json = decodeJSON<{ apiVersion: string; kind: string }>(jsonBytes);

      expect(hasProtobufMagic(pb), name).toBe(true);
      const env = decodeEnvelope(pb);
      // (metav1.WatchEvent has no TypeMeta: both are empty in its envelope.)
      expect({ apiVersion: env.apiVersion, kind: env.kind }, name).toEqual({ apiVersion: json.apiVersion ?? "", kind: json.kind ?? "" });
      expect(env.raw.length, name).toBeGreaterThan(0);
      expect(Buffer.from(encodeEnvelope(env)).equals(Buffer.from(pb)), `${name}.pb re-encoded`).toBe(true);
      envelopes++;

      expect(decodeJSONStrict(jsonBytes).strictErrors, name).toEqual([]);
      const yaml = parseYAML(yamlText, { source: `${name}.yaml` });
      expect(yaml, `${name}: JSON vs YAML`).toEqual(json);
      agreements++;

      // toYAML writes exactly what Go's sigs.k8s.io/yaml wrote.
      expect(toYAML(json), `${name}: toYAML vs Go's YAML`).toBe(yamlText);
      expect(parseYAML(toYAML(json)), `${name}: toYAML round trip`).toEqual(json);
      yamlRoundTrips++;
    }
    console.log(`k8s.io/api fixtures: ${envelopes} .pb envelopes decoded and re-encoded byte-identically, ${agreements} JSON/YAML pairs agree, ${yamlRoundTrips} toYAML outputs byte-identical to Go's YAML`);
    expect(envelopes).toBe(names.length);
  });
});
