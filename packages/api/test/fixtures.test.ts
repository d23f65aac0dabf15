/**
 * Every round-trip fixture of k8s.io/api (testdata/HEAD/*.{json,yaml,pb}) read from the Go module
 * cache: JSON, YAML and protobuf decode to deep-equal objects, and protobuf re-encoding is
 * byte-identical to the .pb file. Expected failures, with reasons, are in known-failures.json.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ProtoReader, ProtoWriter, meta_v1 } from "@kubets/apimachinery/protobuf";
import { parse as parseYAML } from "yaml";
import { describe, expect, it } from "vitest";
import { registrations } from "../src/index.js";
import knownFailures from "./known-failures.json" with { type: "json" };

function moduleDir(mod: string): string {
  const pin = JSON.parse(readFileSync(new URL("../../../kubernetes.json", import.meta.url), "utf8")) as { stagingModules: string };
  const out = execFileSync("go", ["mod", "download", "-json", `${mod}@${pin.stagingModules}`], { encoding: "utf8" });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

/** Splits the `k8s\0` envelope: runtime.Unknown { typeMeta { apiVersion, kind }, raw }. */
function unwrap(pb: Uint8Array): { apiVersion: string; kind: string; raw: Uint8Array } {
  expect(Array.from(pb.subarray(0, 4))).toEqual([0x6b, 0x38, 0x73, 0x00]);
  const r = new ProtoReader(pb, 4);
  let apiVersion = "";
  let kind = "";
  let raw: Uint8Array = new Uint8Array(0);
  while (!r.eof()) {
    const t = r.tag();
    if (t === 10) {
      const tm = r.sub();
      while (!tm.eof()) {
        const t2 = tm.tag();
        if (t2 === 10) apiVersion = tm.string();
        else if (t2 === 18) kind = tm.string();
        else tm.skip(t2 & 7);
      }
    } else if (t === 18) raw = r.bytes();
    else r.skip(t & 7);
  }
  return { apiVersion, kind, raw };
}

const codecs = new Map<string, { read: (r: ProtoReader) => unknown; write: (w: ProtoWriter, v: unknown) => void }>();
for (const gv of registrations) {
  for (const k of gv.kinds) {
    if (k.read !== undefined && k.write !== undefined) codecs.set(`${gv.group === "" ? "core" : gv.group}.${gv.version}.${k.kind}`, { read: k.read, write: k.write });
  }
}

// The meta/v1 kinds every group-version registers (Status, ListOptions, WatchEvent, APIGroup, ...).
const metaCodecs = meta_v1 as unknown as Record<string, unknown>;
function metaCodec(name: string): { read: (r: ProtoReader) => unknown; write: (w: ProtoWriter, v: unknown) => void } | undefined {
  const kind = name.slice(name.lastIndexOf(".") + 1);
  const read = metaCodecs[`read${kind}`];
  const write = metaCodecs[`write${kind}`];
  if (typeof read !== "function" || typeof write !== "function") return undefined;
  return { read: read as (r: ProtoReader) => unknown, write: write as (w: ProtoWriter, v: unknown) => void };
}

// k8s.io/api's fixtures and apiextensions-apiserver's (CustomResourceDefinition, ConversionReview).
const dirs = [join(moduleDir("k8s.io/api"), "testdata", "HEAD"), join(moduleDir("k8s.io/apiextensions-apiserver"), "pkg", "apis", "testdata", "HEAD")];
const where = new Map<string, string>();
for (const d of dirs) for (const f of readdirSync(d)) where.set(f.replace(/\.(json|yaml|pb)$/, ""), d);
const names = [...where.keys()].sort();
const known = new Map(Object.entries(knownFailures as Record<string, string>));

function check(name: string): string | undefined {
  const dir = where.get(name)!;
  const codec = codecs.get(name) ?? metaCodec(name);
  if (codec === undefined) return "no codec registered for this kind";
  const fromJSON = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as unknown;
  const fromYAML = parseYAML(readFileSync(join(dir, `${name}.yaml`), "utf8")) as unknown;
  const pb = new Uint8Array(readFileSync(join(dir, `${name}.pb`)));
  const env = unwrap(pb);
  const decoded = codec.read(new ProtoReader(env.raw)) as Record<string, unknown>;
  // The protobuf serializer sets TypeMeta from the envelope, as Go's does (WatchEvent has none).
  const fromPB = env.apiVersion === "" && env.kind === "" ? decoded : { apiVersion: env.apiVersion, kind: env.kind, ...decoded };
  try {
    expect(fromYAML).toStrictEqual(fromJSON);
  } catch (e) {
    return `YAML != JSON: ${String(e).slice(0, 600)}`;
  }
  try {
    expect(fromPB).toStrictEqual(fromJSON);
  } catch (e) {
    return `protobuf != JSON: ${String(e).slice(0, 600)}`;
  }
  const w = new ProtoWriter();
  codec.write(w, fromJSON);
  const again = w.finish();
  if (Buffer.compare(Buffer.from(again), Buffer.from(env.raw)) !== 0) {
    let i = 0;
    while (i < again.length && again[i] === env.raw[i]) i++;
    return `protobuf re-encoding differs at byte ${i} (${again.length} vs ${env.raw.length} bytes)`;
  }
  return undefined;
}

describe("k8s.io/api and apiextensions-apiserver testdata/HEAD fixtures", () => {
  it("decode from JSON, YAML and protobuf to the same object and re-encode byte-identically", () => {
    const failures: Record<string, string> = {};
    for (const name of names) {
      const why = check(name);
      if (why !== undefined) failures[name] = why;
    }
    const failed = Object.keys(failures);
    const perSource = dirs.map((d) => `${names.filter((n) => where.get(n) === d).length} from ${d.includes("apiextensions-apiserver") ? "apiextensions-apiserver" : "k8s.io/api"}`);
    console.log(`fixtures: ${perSource.join(", ")}; ${names.length} total, ${names.length - failed.length} passed, ${failed.length} failed (${known.size} known)`);
    for (const f of failed) if (!known.has(f)) console.log(`NEW FAILURE ${f}: ${failures[f]}`);
    expect(names.length).toBeGreaterThan(150);
    expect(failed.filter((f) => !known.has(f))).toEqual([]);
    expect([...known.keys()].filter((f) => failures[f] === undefined)).toEqual([]);
  });
});
