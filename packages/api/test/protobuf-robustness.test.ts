/**
 * Corrupt and truncated protobuf never escapes as anything but a DecodeError, and never hangs:
 * every k8s.io/api fixture is cut at many points and has bytes flipped, then decoded.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ProtoReader, ProtoWriter } from "@kubets/apimachinery/protobuf";
import { isDecodeError } from "@kubets/apimachinery/serializer";
import { describe, expect, it } from "vitest";
import { readConfigMap, readPod, writeConfigMap, writePod } from "../src/gen/core/v1/protobuf.js";
import type { Pod } from "../src/gen/core/v1/types.js";
import { registrations } from "../src/index.js";

function apiDir(): string {
  const pin = JSON.parse(readFileSync(new URL("../../../kubernetes.json", import.meta.url), "utf8")) as { stagingModules: string };
  const out = execFileSync("go", ["mod", "download", "-json", `k8s.io/api@${pin.stagingModules}`], { encoding: "utf8" });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

/** The message inside the `k8s\0` + runtime.Unknown envelope. */
function raw(pb: Uint8Array): Uint8Array {
  const r = new ProtoReader(pb, 4);
  while (!r.eof()) {
    const t = r.tag();
    if (t === 18) return r.bytes();
    r.skip(t & 7);
  }
  throw new Error("no raw field");
}

let seed = 7;
function rnd(n: number): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % n;
}

describe("protobuf codecs on corrupt input", () => {
  it("throw only DecodeError for truncated and bit-flipped messages of every fixture", () => {
    const dir = join(apiDir(), "testdata", "HEAD");
    const readers = new Map<string, (r: ProtoReader) => unknown>();
    for (const gv of registrations) for (const k of gv.kinds) if (k.read) readers.set(`${gv.group === "" ? "core" : gv.group}.${gv.version}.${k.kind}`, k.read);
    let cases = 0;
    let rejected = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".pb")).sort()) {
      const read = readers.get(f.slice(0, -3));
      if (read === undefined) continue;
      const body = raw(new Uint8Array(readFileSync(join(dir, f))));
      const inputs: Uint8Array[] = [];
      for (let i = 0; i < 8; i++) inputs.push(body.subarray(0, rnd(body.length)));
      for (let i = 0; i < 8; i++) {
        const b = body.slice();
        for (let j = 0; j < 3; j++) b[rnd(b.length)] = rnd(256);
        inputs.push(b);
      }
      for (const input of inputs) {
        cases++;
        try {
          read(new ProtoReader(input));
        } catch (e) {
          rejected++;
          expect(isDecodeError(e), `${f}: ${String(e)}`).toBe(true);
        }
      }
    }
    console.log(`corrupt inputs: ${cases} decoded or rejected, ${rejected} rejected with DecodeError`);
    expect(cases).toBeGreaterThan(2000);
    expect(rejected).toBeGreaterThan(cases / 4);
  });
});

describe("protobuf codecs on hand-built objects", () => {
  const pod: Pod = {
    metadata: { name: "web-0", namespace: "default", labels: { app: "web" }, creationTimestamp: "2026-01-02T03:04:05Z" },
    spec: {
      containers: [{ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80 }], resources: { limits: { cpu: "500m" } } }],
      restartPolicy: "Always",
    },
    status: { phase: "Running", conditions: [{ type: "Ready", status: "False" }], containerStatuses: [{ name: "web", ready: false, restartCount: 0, image: "nginx:1.27", imageID: "" }] },
  };
  const w = new ProtoWriter();
  writePod(w, pod);
  const back = readPod(new ProtoReader(w.finish())) as unknown as Record<string, any>;

  it("keeps the values and adds the fields Go always writes", () => {
    expect(back["metadata"]).toEqual({ name: "web-0", namespace: "default", labels: { app: "web" }, creationTimestamp: "2026-01-02T03:04:05Z" });
    const c = back["spec"].containers[0];
    expect(c).toEqual({ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80 }], resources: { limits: { cpu: "500m" } } });
    // Non-omitempty Go fields stay with their zero value, as Go's JSON writes them.
    expect(back["status"].containerStatuses[0]).toMatchObject({ name: "web", ready: false, restartCount: 0, image: "nginx:1.27", imageID: "" });
    // metav1.Time is a struct: Go's omitempty does not drop it, a zero Time is JSON null.
    expect(back["status"].conditions[0]).toEqual({ type: "Ready", status: "False", lastProbeTime: null, lastTransitionTime: null });
  });

  it("writes maps in sorted key order, so equal objects give equal bytes", () => {
    const a = new ProtoWriter();
    writePod(a, { metadata: { labels: { b: "2", a: "1", c: "3" } } });
    const b = new ProtoWriter();
    writePod(b, { metadata: { labels: { c: "3", a: "1", b: "2" } } });
    expect(Buffer.from(a.finish()).equals(Buffer.from(b.finish()))).toBe(true);
    const labels = readPod(new ProtoReader(a.finish())).metadata?.labels;
    expect(Object.keys(labels ?? {})).toEqual(["a", "b", "c"]);
  });

  it("decodes a map key __proto__ as an own property, as JSON.parse does", () => {
    const cm = JSON.parse('{"metadata":{"name":"c"},"data":{"__proto__":"x","a":"1"}}') as Parameters<typeof writeConfigMap>[1];
    const w = new ProtoWriter();
    writeConfigMap(w, cm);
    const back = readConfigMap(new ProtoReader(w.finish()));
    expect(Object.getPrototypeOf(back.data)).toBe(Object.prototype);
    expect(Object.keys(back.data ?? {})).toEqual(["__proto__", "a"]);
    expect(back.data).toStrictEqual(cm.data);
  });
});

describe("protobuf lengths that do not fit (issue 10 item 3)", () => {
  it("a ConfigMap whose name length varint is 2^32 + 3 is a DecodeError, not a ConfigMap named abc", () => {
    // ConfigMap { metadata (1) { name (1) = "abc" } } with the name's length widened to 2^32 + 3
    // (0x83 0x80 0x80 0x80 0x10: the low 32 bits are 3). Go's Unmarshal rejects these bytes.
    const name = [0x0a, 0x83, 0x80, 0x80, 0x80, 0x10, 0x61, 0x62, 0x63];
    const body = Uint8Array.from([0x0a, name.length, ...name]);
    let err: unknown;
    try {
      readConfigMap(new ProtoReader(body));
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
    expect((err as Error).message).toContain("length 4294967299 does not fit in 32 bits");
    const honest = Uint8Array.from([0x0a, 5, 0x0a, 3, 0x61, 0x62, 0x63]);
    expect(readConfigMap(new ProtoReader(honest)).metadata?.name).toBe("abc");
  });
});
