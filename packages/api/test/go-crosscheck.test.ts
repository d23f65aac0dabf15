/**
 * The Go cross-check: objects encoded by kubets decode in Go, with the real k8s.io/api types, to
 * objects equal to the originals. For every fixture of k8s.io/api's and apiextensions-apiserver's
 * testdata/HEAD, kubets decodes the JSON fixture and encodes it as protobuf (with the `k8s\0`
 * envelope) and as JSON into a temporary folder with a manifest; tools/conformance/crosscheck
 * (Go, run with `go run`) decodes both encodings and the original fixture with client-go's scheme
 * plus apiextensions and apiregistration, and compares them with apiequality.Semantic.DeepEqual.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ProtoWriter, meta_v1 } from "@kubets/apimachinery/protobuf";
import { decodeJSON, encodeEnvelope, encodeJSON } from "@kubets/apimachinery/serializer";
import { afterAll, describe, expect, it } from "vitest";
import { registrations } from "../src/index.js";

const conformanceDir = fileURLToPath(new URL("../../../tools/conformance/", import.meta.url));
const pin = JSON.parse(readFileSync(new URL("../../../kubernetes.json", import.meta.url), "utf8")) as { stagingModules: string };

function moduleDir(mod: string): string {
  const out = execFileSync("go", ["mod", "download", "-json", `${mod}@${pin.stagingModules}`], { encoding: "utf8" });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

type Write = (w: ProtoWriter, v: unknown) => void;

const writers = new Map<string, Write>();
for (const gv of registrations) {
  for (const k of gv.kinds) {
    if (k.write !== undefined) writers.set(`${gv.group === "" ? "core" : gv.group}.${gv.version}.${k.kind}`, k.write);
  }
}

// The meta/v1 kinds every group-version registers (Status, ListOptions, WatchEvent, APIGroup, ...).
const metaCodecs = meta_v1 as unknown as Record<string, unknown>;
function metaWriter(kind: string): Write | undefined {
  const write = metaCodecs[`write${kind}`];
  return typeof write === "function" ? (write as Write) : undefined;
}

interface Entry {
  name: string;
  group: string;
  version: string;
  kind: string;
  original: string;
  protobuf: string;
  json: string;
}

interface Check {
  status: "ok" | "mismatch" | "error";
  diff?: string;
  error?: string;
}

interface Report {
  total: number;
  equal: number;
  results: { name: string; gvk: string; equal: boolean; error?: string; protobuf?: Check; json?: Check; sameBytes: boolean }[];
}

/** `core.v1.Pod` -> group "", version v1, kind Pod; `apps.k8s.io.v1.X` -> group apps.k8s.io. */
function parseName(name: string): { group: string; version: string; kind: string } {
  const parts = name.split(".");
  const kind = parts.pop()!;
  const version = parts.pop()!;
  const group = parts.join(".");
  return { group: group === "core" ? "" : group, version, kind };
}

// KUBETS_CROSSCHECK_OUT=<dir> keeps the encodings and manifest there, to run the Go side by hand.
const keep = process.env["KUBETS_CROSSCHECK_OUT"];
const out = keep !== undefined && keep !== "" ? keep : mkdtempSync(join(tmpdir(), "kubets-go-crosscheck-"));
if (out === keep) mkdirSync(out, { recursive: true });
afterAll(() => {
  if (out !== keep) rmSync(out, { recursive: true, force: true });
});

/** Writes kubets' protobuf and JSON encodings of every fixture and the manifest; returns its path. */
function writeEncodings(): { manifest: string; entries: Entry[]; noCodec: string[] } {
  const dirs = [join(moduleDir("k8s.io/api"), "testdata", "HEAD"), join(moduleDir("k8s.io/apiextensions-apiserver"), "pkg", "apis", "testdata", "HEAD")];
  const where = new Map<string, string>();
  for (const d of dirs) for (const f of readdirSync(d)) if (f.endsWith(".json")) where.set(f.slice(0, -".json".length), d);
  const entries: Entry[] = [];
  const noCodec: string[] = [];
  for (const name of [...where.keys()].sort()) {
    const gvk = parseName(name);
    const write = writers.get(name) ?? metaWriter(gvk.kind);
    if (write === undefined) {
      noCodec.push(name);
      continue;
    }
    const original = join(where.get(name)!, `${name}.json`);
    const obj = decodeJSON<Record<string, unknown>>(readFileSync(original), { source: original });
    const w = new ProtoWriter();
    write(w, obj);
    // As Go's serializer: the envelope's TypeMeta is the object's own (empty for WatchEvent).
    const apiVersion = typeof obj["apiVersion"] === "string" ? obj["apiVersion"] : "";
    const kind = typeof obj["kind"] === "string" ? obj["kind"] : "";
    writeFileSync(join(out, `${name}.pb`), encodeEnvelope({ apiVersion, kind, raw: w.finish() }));
    writeFileSync(join(out, `${name}.json`), encodeJSON(obj));
    entries.push({ name, ...gvk, original, protobuf: `${name}.pb`, json: `${name}.json` });
  }
  const manifest = join(out, "manifest.json");
  writeFileSync(manifest, encodeJSON({ fixtures: entries }, { indent: 1 }));
  return { manifest, entries, noCodec };
}

describe("Go cross-check (tools/conformance/crosscheck)", () => {
  it("every fixture kubets encodes as protobuf and as JSON decodes in Go to an object equal to the original", { timeout: 300_000 }, () => {
    const { manifest, entries, noCodec } = writeEncodings();
    expect(noCodec).toEqual([]);
    expect(entries.length).toBeGreaterThan(150);
    // One `go run` per test run: it compiles (cached across runs) and checks every fixture.
    const stdout = execFileSync("go", ["run", "./crosscheck", "-manifest", manifest], {
      cwd: conformanceDir,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const report = JSON.parse(stdout) as Report;
    const failed = report.results.filter((r) => !r.equal);
    const differentBytes = report.results.filter((r) => !r.sameBytes).map((r) => r.name);
    console.log(`go cross-check: ${report.total} kinds, ${report.equal} equal (protobuf and JSON), ${report.total - differentBytes.length} protobuf byte-identical to Go's encoding`);
    for (const r of failed) {
      const why = r.error !== undefined ? [r.error] : [];
      for (const [encoding, c] of [["protobuf", r.protobuf], ["json", r.json]] as const) {
        if (c !== undefined && c.status !== "ok") why.push(`${encoding} ${c.status}: ${c.error ?? c.diff ?? ""}`);
      }
      console.log(`MISMATCH ${r.name} (${r.gvk}):\n${why.join("\n")}`);
    }
    expect(report.results.map((r) => r.name)).toEqual(entries.map((e) => e.name));
    expect(failed.map((r) => r.name)).toEqual([]);
    expect(report.equal).toBe(entries.length);
    expect(differentBytes).toEqual([]);
  });
});
