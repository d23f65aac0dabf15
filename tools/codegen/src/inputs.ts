/**
 * Where the generator's inputs come from: the Kubernetes version pinned in kubernetes.json, the Go
 * module cache (`go mod download -json`), and the committed data files of this package.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the folder that holds kubernetes.json). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "kubernetes.json")) && existsSync(join(dir, "packages"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("kubets-codegen: cannot find kubernetes.json above " + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** The codegen package folder (tools/codegen). */
export function codegenRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..");
}

export interface Pin {
  /** e.g. "v1.37.2" */
  kubernetes: string;
  /** e.g. "v0.37.2", the version of the staging modules (k8s.io/api, ...). */
  stagingModules: string;
}

export function readPin(root = repoRoot()): Pin {
  const j = JSON.parse(readFileSync(join(root, "kubernetes.json"), "utf8")) as Partial<Pin>;
  if (typeof j.kubernetes !== "string" || typeof j.stagingModules !== "string") {
    throw new Error("kubernetes.json: expected string fields kubernetes and stagingModules");
  }
  return { kubernetes: j.kubernetes, stagingModules: j.stagingModules };
}

const dirCache = new Map<string, string>();

/**
 * The folder of a Go module in the module cache, downloading it when missing.
 * KUBETS_GOMODCACHE overrides the cache root (the folder that holds k8s.io/).
 */
export function goModuleDir(module: string, version: string): string {
  const key = `${module}@${version}`;
  const hit = dirCache.get(key);
  if (hit !== undefined) return hit;
  let dir: string | undefined;
  const cacheRoot = process.env["KUBETS_GOMODCACHE"];
  if (cacheRoot !== undefined && cacheRoot !== "") {
    dir = join(cacheRoot, key);
  } else {
    try {
      const out = execFileSync("go", ["mod", "download", "-json", key], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      dir = (JSON.parse(out) as { Dir?: string }).Dir;
    } catch (err) {
      throw new Error(
        `kubets-codegen: could not locate Go module ${key}; install Go and run 'go mod download ${key}', or set KUBETS_GOMODCACHE`,
        { cause: err },
      );
    }
  }
  if (dir === undefined || !existsSync(dir)) throw new Error(`kubets-codegen: Go module ${key} not found at ${String(dir)}`);
  dirCache.set(key, dir);
  return dir;
}

export interface ModuleDirs {
  kubernetes: string;
  api: string;
  apimachinery: string;
  apiextensions: string;
  aggregator: string;
}

export function moduleDirs(pin = readPin()): ModuleDirs {
  return {
    kubernetes: goModuleDir("k8s.io/kubernetes", pin.kubernetes),
    api: goModuleDir("k8s.io/api", pin.stagingModules),
    apimachinery: goModuleDir("k8s.io/apimachinery", pin.stagingModules),
    apiextensions: goModuleDir("k8s.io/apiextensions-apiserver", pin.stagingModules),
    aggregator: goModuleDir("k8s.io/kube-aggregator", pin.stagingModules),
  };
}

/** Every `generated.proto` under a module folder (sorted), skipping testdata and vendored copies. */
export function findProtoFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.isDirectory()) {
        if (e.name === "testdata" || e.name === "vendor" || e.name === "third_party" || e.name === "test") continue;
        walk(join(d, e.name));
      } else if (e.name === "generated.proto") out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
