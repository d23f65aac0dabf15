/**
 * @kubets/apimachinery serializers: what the envelope, the framers and the strict/YAML paths cost
 * on top of parsing the bytes.
 *
 *   node --conditions=@kubets/source --import tsx bench/serializer.bench.ts
 *
 * The floor, measured in the same run on the same bytes, is `JSON.parse(utf8Decode(bytes))` of the
 * objects (for streams: of each event's JSON line, already split). ratio = floor time ÷ kubets time
 * (1.0 = as fast as parsing the JSON alone; 0.5 = twice as slow; above 1 = cheaper than the parse).
 */
import {
  JSONFrameDecoder,
  LengthDelimitedFrameDecoder,
  MapProtobufCodecRegistry,
  decodeEnvelope,
  decodeJSON,
  decodeJSONStrict,
  encodeEnvelope,
  parseYAML,
  toYAML,
} from "../packages/apimachinery/src/serializer/index.js";
import { JSONWatchDecoder, ProtobufWatchDecoder, encodeJSONWatchEvent, encodeProtobufWatchFrame } from "../packages/apimachinery/src/watch/index.js";

const REPEATS = Number(process.env["BENCH_REPEATS"] ?? 3);
const enc = new TextEncoder();
const dec = new TextDecoder();
let sink = 0;

function pod(i: number) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `web-${i}`,
      namespace: "default",
      uid: `6d3f0c52-1b2a-4c1e-9d7f-${String(i).padStart(12, "0")}`,
      resourceVersion: String(100000 + i),
      creationTimestamp: "2026-01-02T03:04:05Z",
      labels: { app: "web", "pod-template-hash": "5d9f7c6b8d", tier: i % 2 ? "frontend" : "backend" },
      annotations: { "kubectl.kubernetes.io/restartedAt": "2026-01-02T03:04:05Z" },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d9f7c6b8d", uid: "0a1b2c3d", controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      containers: [
        {
          name: "web",
          image: "registry.example.com/web:1.27.3",
          ports: [{ containerPort: 8080, protocol: "TCP" }],
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
          env: [{ name: "MODE", value: "production" }, { name: "INDEX", value: String(i) }],
        },
      ],
      nodeName: `node-${i % 50}`,
      restartPolicy: "Always",
    },
    status: { phase: "Running", podIP: `10.0.${(i >> 8) & 255}.${i & 255}`, conditions: [{ type: "Ready", status: "True" }] },
  };
}

/** Best-of-N milliseconds of fn. */
function time(fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function row(label: string, ms: number, floorMs: number, units: number, unit: string): void {
  const per = (ms * 1e6) / units;
  console.log(`  ${label.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms  ${per.toFixed(0).padStart(7)} ns/${unit}  ratio ${(floorMs / ms).toFixed(3)}`);
}

// ---------------------------------------------------------------------------------------------
console.log(`10k-object list (best of ${REPEATS})`);
{
  const list = { apiVersion: "v1", kind: "PodList", metadata: { resourceVersion: "123" }, items: Array.from({ length: 10_000 }, (_, i) => pod(i)) };
  const bytes = enc.encode(JSON.stringify(list));
  console.log(`  ${(bytes.length / 1e6).toFixed(1)} MB of JSON`);
  const floor = time(() => {
    sink += (JSON.parse(dec.decode(bytes)) as { items: unknown[] }).items.length;
  });
  row("floor: JSON.parse(decode(bytes))", floor, floor, 10_000, "object");
  row("decodeJSON (fast path)", time(() => void (sink += (decodeJSON<{ items: unknown[] }>(bytes)).items.length)), floor, 10_000, "object");
  row("decodeJSONStrict (own tokenizer, duplicate check)", time(() => void (sink += decodeJSONStrict(bytes).strictErrors.length)), floor, 10_000, "object");
  // One int64 beyond 2^53 anywhere in the list: the whole body takes the exact (bigint) parser.
  const withBig = enc.encode(JSON.stringify(list).replace('"restartPolicy":"Always"', '"restartPolicy":"Always","activeDeadlineSeconds":9007199254740993'));
  row("decodeJSON, one int64 beyond 2^53 in the list (exact path)", time(() => void (sink += (decodeJSON<{ items: unknown[] }>(withBig)).items.length)), floor, 10_000, "object");

  // Envelope around the same number of bytes (raw stands in for the typed message).
  const envelope = encodeEnvelope({ apiVersion: "v1", kind: "PodList", raw: bytes });
  row("decodeEnvelope (k8s\\0 + runtime.Unknown, raw is a view)", time(() => void (sink += decodeEnvelope(envelope).raw.length)), floor, 10_000, "object");
  row("encodeEnvelope (copies raw)", time(() => void (sink += encodeEnvelope({ apiVersion: "v1", kind: "PodList", raw: bytes }).length)), floor, 10_000, "object");

  const small = { ...list, items: list.items.slice(0, 300) };
  const smallBytes = enc.encode(JSON.stringify(small));
  const yamlText = toYAML(small);
  const floorSmall = time(() => void (sink += (JSON.parse(dec.decode(smallBytes)) as { items: unknown[] }).items.length));
  console.log(`  300-object subset: ${(smallBytes.length / 1e6).toFixed(1)} MB JSON, ${(yamlText.length / 1e6).toFixed(1)} MB YAML`);
  row("floor (300): JSON.parse(decode(bytes))", floorSmall, floorSmall, 300, "object");
  row("parseYAML (300 objects, sigs.k8s.io/yaml semantics)", time(() => void (sink += (parseYAML<{ items: unknown[] }>(yamlText)).items.length)), floorSmall, 300, "object");
  row("toYAML (300 objects)", time(() => void (sink += toYAML(small).length)), floorSmall, 300, "object");
}

// ---------------------------------------------------------------------------------------------
console.log(`\n100k-event watch stream, 64 KiB chunks (best of ${REPEATS})`);
{
  const N = 100_000;
  const events = Array.from({ length: N }, (_, i) => ({ type: i % 10 === 9 ? "MODIFIED" : "ADDED", object: pod(i) }));
  const lines = events.map((e) => encodeJSONWatchEvent(e));
  const total = lines.reduce((n, l) => n + l.length, 0);
  const stream = new Uint8Array(total);
  let o = 0;
  for (const l of lines) {
    stream.set(l, o);
    o += l.length;
  }
  const CHUNK = 64 * 1024;
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < stream.length; i += CHUNK) chunks.push(stream.subarray(i, i + CHUNK));
  console.log(`  ${(stream.length / 1e6).toFixed(1)} MB of JSON events`);

  const floor = time(() => {
    for (const l of lines) sink += (JSON.parse(dec.decode(l)) as { type: string }).type.length;
  });
  row("floor: JSON.parse(decode(line)) per event, pre-split", floor, floor, N, "event");
  row("JSONFrameDecoder (framing + JSON.parse)", time(() => {
    const d = new JSONFrameDecoder();
    for (const c of chunks) sink += d.push(c).length;
    d.end();
  }), floor, N, "event");
  row("JSONWatchDecoder (framing + parse + event checks)", time(() => {
    const d = new JSONWatchDecoder();
    for (const c of chunks) sink += d.push(c).length;
    d.end();
  }), floor, N, "event");

  // Protobuf: object.raw is a k8s\0 envelope whose raw is the object's JSON bytes, decoded by a
  // codec that parses that JSON, so the figure is the floor plus framing + WatchEvent + envelope.
  const registry = new MapProtobufCodecRegistry().register("v1", "Pod", {
    decode: (raw: Uint8Array) => JSON.parse(dec.decode(raw)) as unknown,
    encode: (obj: unknown) => enc.encode(JSON.stringify(obj)),
  });
  const frames = events.map((e) => encodeProtobufWatchFrame(e.type, encodeEnvelope({ apiVersion: "v1", kind: "Pod", raw: enc.encode(JSON.stringify(e.object)) })));
  const pbTotal = frames.reduce((n, f) => n + f.length, 0);
  const pbStream = new Uint8Array(pbTotal);
  o = 0;
  for (const f of frames) {
    pbStream.set(f, o);
    o += f.length;
  }
  const pbChunks: Uint8Array[] = [];
  for (let i = 0; i < pbStream.length; i += CHUNK) pbChunks.push(pbStream.subarray(i, i + CHUNK));
  const objectBytes = events.map((e) => enc.encode(JSON.stringify(e.object)));
  const pbFloor = time(() => {
    for (const b of objectBytes) sink += (JSON.parse(dec.decode(b)) as { kind: string }).kind.length;
  });
  row("floor: JSON.parse(decode(object bytes)) per event", pbFloor, pbFloor, N, "event");
  row("LengthDelimitedFrameDecoder (framing only)", time(() => {
    const d = new LengthDelimitedFrameDecoder();
    for (const c of pbChunks) sink += d.push(c).length;
    d.end();
  }), pbFloor, N, "event");
  row("ProtobufWatchDecoder (framing + WatchEvent + envelope + codec)", time(() => {
    const d = new ProtobufWatchDecoder(registry);
    for (const c of pbChunks) sink += d.push(c).length;
    d.end();
  }), pbFloor, N, "event");
}

if (sink === 42) console.log("");
