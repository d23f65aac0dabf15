import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The upstream versions the whole project is pinned to (the repository's kubernetes.json). */
export interface KubernetesPin {
  /** k8s.io/kubernetes module version, for example "v1.37.2". */
  kubernetes: string;
  /** The matching release of the k8s.io/<staging> modules, for example "v0.37.2". */
  stagingModules: string;
  /** go.etcd.io/etcd/server/v3 version, for example "v3.7.0". */
  etcd: string;
  /** sigs.k8s.io/kwok version (simulated nodes and the kubelet's streaming endpoints), for example "v0.8.0". */
  kwok?: string;
}

/** Finds kubernetes.json: beside this package when published, else at the repository root. */
export function findPinFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "kubernetes.json");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error("kubernetes.json not found next to @kubets/testenv or in any parent folder");
}

export function readPin(file = findPinFile()): KubernetesPin {
  const raw = JSON.parse(readFileSync(file, "utf8")) as Partial<KubernetesPin>;
  for (const key of ["kubernetes", "stagingModules", "etcd"] as const) {
    if (typeof raw[key] !== "string" || !/^v\d+\.\d+\.\d+/.test(raw[key])) {
      throw new Error(`${file}: "${key}" must be a Go module version such as v1.2.3`);
    }
  }
  if (raw.kwok !== undefined && (typeof raw.kwok !== "string" || !/^v\d+\.\d+\.\d+/.test(raw.kwok))) {
    throw new Error(`${file}: "kwok" must be a Go module version such as v0.8.0`);
  }
  return raw as KubernetesPin;
}
