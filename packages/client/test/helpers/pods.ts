// Pods on the testenv's simulated node (kwok) for the exec, attach, port-forward, logs and cp tests.
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import type { Pod } from "@kubets/api/core/v1";
import type { RestConfig } from "@kubets/client/config";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { RESTClient } from "@kubets/client/rest";

export async function eventually<T>(what: string, fn: () => Promise<T | undefined>, tries = 600): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: condition not met${last ? ` (last error: ${String(last)})` : ""}`);
}

/** Creates a namespace and waits for its default ServiceAccount (pods need it). */
export async function namespaceWithServiceAccount(cs: Clientset, name: string): Promise<void> {
  await cs.coreV1().namespaces().create({ metadata: { name } });
  await eventually(`serviceaccount default in ${name}`, async () => (await cs.coreV1().serviceAccounts(name).get("default")) ?? undefined);
}

/** Creates a pod (scheduled by kube-scheduler onto the kwok node) and waits until it is Running. */
export async function runningPod(cs: Clientset, namespace: string, name: string, containers = ["main"]): Promise<Pod> {
  await cs.coreV1().pods(namespace).create({
    metadata: { name, labels: { app: name } },
    spec: { containers: containers.map((c) => ({ name: c, image: "registry.example/tools:1" })) },
  });
  return eventually(`pod ${namespace}/${name} Running`, async () => {
    const pod = await cs.coreV1().pods(namespace).get(name);
    return pod.status?.phase === "Running" ? pod : undefined;
  });
}

/** A kwok resource (kwok.x-k8s.io/v1alpha1) through the REST client. */
export async function createKwok(config: RestConfig, resource: string, namespace: string | undefined, obj: unknown): Promise<void> {
  const client = new RESTClient({ ...config, apiPath: "/apis", groupVersion: "kwok.x-k8s.io/v1alpha1" });
  try {
    const req = client.post().resource(resource).body(obj);
    if (namespace) req.namespace(namespace);
    await req.do();
  } finally {
    await client.close();
  }
}

export function clientset(config: RestConfig): Clientset {
  return newForConfig(config);
}

/** A writable that keeps everything written to it. */
export class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(chunk);
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** A writable that only hashes and counts. */
export class Hasher extends Writable {
  readonly hash = createHash("sha256");
  bytes = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb();
  }
}

/** Deterministic pseudo-random bytes (xorshift), the same for the same seed. */
export function pseudoRandom(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  for (let i = size - (size % 4); i < size; i++) out[i] = i & 0xff;
  return out;
}
