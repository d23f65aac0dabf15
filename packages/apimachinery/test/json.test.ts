import { describe, expect, it } from "vitest";
import {
  ContentTypeJSON,
  ContentTypeJSONWatch,
  ContentTypeProtobuf,
  ContentTypeProtobufWatch,
  ContentTypeYAML,
  PatchType,
  StrictDecodingError,
  acceptHeader,
  formatMediaType,
  isWatchStream,
  parseMediaType,
  partialObjectMetadataAcceptHeader,
  serializerForContentType,
  tableAcceptHeader,
  decodeJSON,
  decodeJSONStrict,
  encodeJSON,
  encodeJSONBytes,
  isDecodeError,
  isStrictDecodingError,
} from "../src/serializer/index.js";
import type { DecodeError, FieldSchema } from "../src/serializer/index.js";

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    expect(isDecodeError(e)).toBe(true);
    return e as DecodeError;
  }
  throw new Error("expected a DecodeError");
}

describe("decodeJSON (fast path)", () => {
  it("decodes strings and bytes to the plain JSON shape", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "i" }] } };
    expect(decodeJSON(JSON.stringify(pod))).toEqual(pod);
    expect(decodeJSON(new TextEncoder().encode(JSON.stringify(pod)))).toEqual(pod);
  });

  it("replaces invalid UTF-8 with U+FFFD like Go", () => {
    expect(decodeJSON(new Uint8Array([0x22, 0x61, 0xff, 0x22]))).toBe("a\ufffd");
  });

  it("reports syntax errors with byte offset and path", () => {
    const e = decodeError(() => decodeJSON('{"metadata": {"name": "x", "labels": {"a": tru}}}'));
    expect(e.path).toBe("metadata.labels.a");
    expect(e.offset).toBe(46);
    expect(e.message).toMatch(/in literal true/);
    const e2 = decodeError(() => decodeJSON('{"items": [1, 2,'));
    expect(e2.message).toMatch(/unexpected end of JSON input/);
    expect(e2.path).toBe("items[2]");
    const e3 = decodeError(() => decodeJSON('{"ü": x}'));
    expect(e3.offset).toBe(7); // bytes (ü is 2), not UTF-16 units (6)
    const e4 = decodeError(() => decodeJSON("{} {}"));
    expect(e4.message).toMatch(/after top-level value/);
  });

  it("keeps integers beyond 2^53 exact, as bigints (documented)", () => {
    expect(decodeJSON("9007199254740993")).toBe(9007199254740993n);
    expect(decodeJSON("9007199254740991")).toBe(9007199254740991);
  });
});

describe("decodeJSONStrict", () => {
  const schema: FieldSchema = {
    fields: {
      apiVersion: {},
      kind: {},
      metadata: { fields: { name: {}, namespace: {}, labels: { values: {} } } },
      spec: { fields: { replicas: {}, containers: { items: { fields: { name: {}, image: {} } } } } },
    },
  };

  it("reports duplicate fields with their paths, keeping the last value", () => {
    const r = decodeJSONStrict('{"metadata": {"name": "a", "name": "b"}, "items": [{"x": 1, "x": 2}]}');
    expect(r.value).toEqual({ metadata: { name: "b" }, items: [{ x: 2 }] });
    expect(r.strictErrors).toEqual(['duplicate field "metadata.name"', 'duplicate field "items[0].x"']);
  });

  it("reports unknown fields against a schema and keeps them in the value", () => {
    const text = '{"apiVersion": "v1", "kind": "X", "metadata": {"name": "a", "labels": {"any": "thing"}, "bogus": 1}, "spec": {"foo": true, "containers": [{"name": "c", "imagee": "i"}]}}';
    const r = decodeJSONStrict<{ spec: Record<string, unknown> }>(text, { knownFields: schema });
    expect(r.strictErrors).toEqual([
      'unknown field "metadata.bogus"',
      'unknown field "spec.foo"',
      'unknown field "spec.containers[0].imagee"',
    ]);
    expect(r.value.spec["foo"]).toBe(true);
  });

  it("accepts a predicate hook", () => {
    const seen: string[] = [];
    const r = decodeJSONStrict('{"a": {"b": 1, "c": [{"d": 2}]}}', {
      knownFields: (parent, field) => {
        seen.push(`${parent}|${field}`);
        return field !== "d";
      },
    });
    expect(seen).toEqual(["|a", "a|b", "a|c", "a.c[0]|d"]);
    expect(r.strictErrors).toEqual(['unknown field "a.c[0].d"']);
  });

  it("de-duplicates findings and caps them at 100", () => {
    const items = Array.from({ length: 150 }, (_, i) => `{"k${i}": 1, "k${i}": 2}`).join(",");
    const r = decodeJSONStrict(`[${items}, {"k0": 1, "k0": 1}]`);
    expect(r.strictErrors.length).toBe(100);
    const same = decodeJSONStrict('{"a": 1, "a": 2, "a": 3}');
    expect(same.strictErrors).toEqual(['duplicate field "a"']);
  });

  it("can disable duplicate reporting", () => {
    expect(decodeJSONStrict('{"a": 1, "a": 2}', { duplicateFields: false }).strictErrors).toEqual([]);
  });

  it("decodes the same values as JSON.parse", () => {
    const samples = ['{"a": [1, -2.5e-3, 0, -0, 1E+2, true, false, null, "x\\u00e9\\n\\"\\\\/"]}', "[]", "{}", '"\\ud83d\\ude00"', " 12 ", "[[[]]]"];
    for (const s of samples) expect(decodeJSONStrict(s).value).toEqual(JSON.parse(s));
  });

  it("keeps __proto__ as a plain own property", () => {
    const v = decodeJSONStrict<Record<string, unknown>>('{"__proto__": {"polluted": 1}}').value;
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("handles integers beyond 2^53 as configured", () => {
    expect(decodeJSONStrict("[9007199254740993]").value).toEqual([9007199254740992]);
    expect(decodeJSONStrict("[9007199254740993]", { bigIntegers: "bigint" }).value).toEqual([9007199254740993n]);
    const e = decodeError(() => decodeJSONStrict('{"a": 9007199254740993}', { bigIntegers: "error" }));
    expect(e.path).toBe("a");
    expect(decodeJSONStrict("[1.5e300]", { bigIntegers: "error" }).value).toEqual([1.5e300]);
  });

  it("rejects everything JSON.parse rejects", () => {
    const bad = ["", "{", '{"a"}', '{"a":}', "[1,]", "[01]", "-", "1.", "1e", '"\\x"', '"\\u12"', '"a\nb"', "{'a':1}", "nul", "[1 2]", '{"a":1,}', "tru", "+1", ".5"];
    for (const s of bad) {
      expect(() => JSON.parse(s)).toThrow();
      decodeError(() => decodeJSONStrict(s));
      decodeError(() => decodeJSON(s));
    }
  });

  it("rejects nesting deeper than Go's 10000 levels", () => {
    const deep = "[".repeat(10_001) + "]".repeat(10_001);
    expect(decodeError(() => decodeJSONStrict(deep)).message).toMatch(/max depth/);
    const ok = "[".repeat(1_000) + "]".repeat(1_000);
    expect(() => decodeJSONStrict(ok)).not.toThrow();
  });

  it("StrictDecodingError carries the findings", () => {
    const r = decodeJSONStrict('{"a": 1, "a": 2}');
    const err = new StrictDecodingError(r.strictErrors);
    expect(isStrictDecodingError(err)).toBe(true);
    expect(err.message).toBe('strict decoding error: duplicate field "a"');
  });
});

describe("encodeJSON", () => {
  it("encodes compactly or indented, optionally HTML-escaped like Go", () => {
    expect(encodeJSON({ a: "<b>&" })).toBe('{"a":"<b>&"}');
    expect(encodeJSON({ a: "<b>&\u2028" }, { escapeHTML: true })).toBe('{"a":"\\u003cb\\u003e\\u0026\\u2028"}');
    expect(encodeJSON({ a: [1] }, { indent: 2 })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(new TextDecoder().decode(encodeJSONBytes({ é: 1 }))).toBe('{"é":1}');
  });

  it("rejects non-finite numbers and undefined", () => {
    expect(() => encodeJSON({ a: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => encodeJSON(undefined)).toThrow(TypeError);
  });

  it("writes bigints", () => {
    const out = encodeJSON({ a: 9007199254740993n });
    expect(Number(JSON.parse(out).a)).toBe(9007199254740992);
  });
});

describe("content types and Accept headers", () => {
  it("names the Kubernetes media types", () => {
    expect([ContentTypeJSON, ContentTypeYAML, ContentTypeProtobuf, ContentTypeJSONWatch, ContentTypeProtobufWatch]).toEqual([
      "application/json",
      "application/yaml",
      "application/vnd.kubernetes.protobuf",
      "application/json;stream=watch",
      "application/vnd.kubernetes.protobuf;stream=watch",
    ]);
    expect(PatchType.ApplyYAMLPatch).toBe("application/apply-patch+yaml");
    expect(PatchType.StrategicMergePatch).toBe("application/strategic-merge-patch+json");
  });

  it("builds Accept headers", () => {
    expect(acceptHeader(ContentTypeProtobuf, ContentTypeJSON)).toBe("application/vnd.kubernetes.protobuf, application/json");
    expect(acceptHeader({ mediaType: ContentTypeJSON, params: { as: "Table", v: "v1", g: "meta.k8s.io" } }, { mediaType: ContentTypeJSON, q: 0.5 })).toBe(
      "application/json;as=Table;v=v1;g=meta.k8s.io, application/json;q=0.5",
    );
    expect(tableAcceptHeader()).toBe("application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json");
    expect(partialObjectMetadataAcceptHeader(true)).toMatch(/^application\/vnd\.kubernetes\.protobuf;as=PartialObjectMetadata;v=v1;g=meta\.k8s\.io, /);
    expect(formatMediaType("text/plain", { charset: "utf 8" })).toBe('text/plain;charset="utf 8"');
    expect(() => acceptHeader({ mediaType: ContentTypeJSON, q: 2 })).toThrow(RangeError);
  });

  it("reads Content-Type headers", () => {
    expect(parseMediaType('Application/JSON; Charset="utf-8"; stream=watch')).toEqual({ mediaType: "application/json", params: { charset: "utf-8", stream: "watch" } });
    expect(parseMediaType("nonsense")).toBeUndefined();
    expect(serializerForContentType("application/vnd.kubernetes.protobuf;stream=watch")).toBe("protobuf");
    expect(serializerForContentType("application/yaml")).toBe("yaml");
    expect(serializerForContentType("text/html")).toBeUndefined();
    expect(serializerForContentType(null)).toBeUndefined();
    expect(isWatchStream(ContentTypeJSONWatch)).toBe(true);
    expect(isWatchStream(ContentTypeJSON)).toBe(false);
  });
});

describe("strict findings agree with sigs.k8s.io/json UnmarshalStrict", () => {
  // Go's output for this input, into a struct with the fields of `schema` and into a map
  // (sigs.k8s.io/json v0.0.0-20250730193827-2d320260d730, the version apimachinery v0.37.2 uses).
  const input = String.raw`{"apiVersion":"v1","kind":"X","metadata":{"name":"a","name":"b","labels":{"k":"1","k":"2"},"bogus":1},"spec":{"foo":true,"containers":[{"name":"c","imagee":"i","name":"d"}],"replicas":1,"replicas":2},"extra\n\u00e9":1}`;
  const schema: FieldSchema = {
    fields: {
      apiVersion: {},
      kind: {},
      metadata: { fields: { name: {}, labels: { values: {} } } },
      spec: { fields: { replicas: {}, containers: { items: { fields: { name: {}, image: {} } } } } },
    },
  };

  it("into a typed object", () => {
    expect(decodeJSONStrict(input, { knownFields: schema }).strictErrors).toEqual([
      'duplicate field "metadata.name"',
      'duplicate field "metadata.labels.k"',
      'unknown field "metadata.bogus"',
      'unknown field "spec.foo"',
      'unknown field "spec.containers[0].imagee"',
      'duplicate field "spec.containers[0].name"',
      'duplicate field "spec.replicas"',
      'unknown field "extra\\né"',
    ]);
  });

  it("into a map (Unstructured)", () => {
    expect(decodeJSONStrict(input).strictErrors).toEqual([
      'duplicate field "metadata.name"',
      'duplicate field "metadata.labels.k"',
      'duplicate field "spec.containers[0].name"',
      'duplicate field "spec.replicas"',
    ]);
  });
});
