import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { yamlDocuments } from "../src/nodes.js";
import { ensureBinaries, kubernetesWrapperGoMod, kustomizationFiles, kwokDir, stagingModules, versionDir } from "../src/provision.js";
import { readPin } from "../src/versions.js";

const goMod = `module k8s.io/kubernetes

require (
	github.com/foo/bar v1.0.0
	k8s.io/api v0.0.0
	k8s.io/client-go v0.0.0
	k8s.io/utils v0.0.0-20260108192941-914a6e750570
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/client-go => ./staging/src/k8s.io/client-go
	k8s.io/sample-controller => ./staging/src/k8s.io/sample-controller
)
`;

describe("provisioning", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("reads the pin from kubernetes.json", () => {
    const pin = readPin();
    expect(pin.kubernetes).toMatch(/^v1\.\d+\.\d+$/);
    expect(pin.stagingModules).toBe(pin.kubernetes.replace(/^v1\./, "v0."));
    expect(pin.etcd).toMatch(/^v3\.\d+\.\d+$/);
  });

  it("replaces exactly the staging modules that Kubernetes requires", () => {
    expect(stagingModules(goMod)).toEqual(["k8s.io/api", "k8s.io/client-go"]);
  });

  it("writes a wrapper go.mod that pins every staging module to its published release", () => {
    const text = kubernetesWrapperGoMod({ kubernetes: "v1.37.2", stagingModules: "v0.37.2", etcd: "v3.7.0" }, ["k8s.io/api", "k8s.io/client-go"]);
    expect(text).toContain("require k8s.io/kubernetes v1.37.2");
    expect(text).toContain("\tk8s.io/api => k8s.io/api v0.37.2\n");
    expect(text).toContain("\tk8s.io/client-go => k8s.io/client-go v0.37.2\n");
  });

  it("keeps one cache folder per pinned version", () => {
    expect(versionDir({ kubernetes: "v1.37.2", stagingModules: "v0.37.2", etcd: "v3.7.0" }, "/c")).toBe("/c/kubernetes-v1.37.2-etcd-v3.7.0");
  });

  it("uses KUBETS_TESTENV_BIN when it holds the three binaries", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubets-bin-"));
    for (const b of ["etcd", "kube-apiserver", "kube-controller-manager"]) writeFileSync(join(dir, b), "");
    process.env["KUBETS_TESTENV_BIN"] = dir;
    const bins = await ensureBinaries({ log: () => {}, nodes: false });
    expect(bins).toMatchObject({ dir, built: false, kubeApiserver: join(dir, "kube-apiserver") });
    rmSync(dir, { recursive: true });
  });

  it("names the missing binaries when KUBETS_TESTENV_BIN is incomplete", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubets-bin-"));
    writeFileSync(join(dir, "etcd"), "");
    process.env["KUBETS_TESTENV_BIN"] = dir;
    await expect(ensureBinaries({ log: () => {} })).rejects.toThrow(/lacks kube-apiserver, kube-controller-manager/);
    rmSync(dir, { recursive: true });
  });

  it("fails with a clear message when Go is missing", async () => {
    delete process.env["KUBETS_TESTENV_BIN"];
    const cache = mkdtempSync(join(tmpdir(), "kubets-cache-"));
    mkdirSync(join(cache, "empty-path"));
    process.env["PATH"] = join(cache, "empty-path");
    await expect(ensureBinaries({ cacheDir: cache, log: () => {} })).rejects.toMatchObject({
      name: "TestEnvError",
      message: expect.stringMatching(/Go is needed to build kube-apiserver and etcd.*Install Go/s),
    });
    rmSync(cache, { recursive: true });
  });

  it("fails with a clear message when the module proxy cannot be reached", async () => {
    delete process.env["KUBETS_TESTENV_BIN"];
    const cache = mkdtempSync(join(tmpdir(), "kubets-cache-"));
    process.env["GOPROXY"] = "http://127.0.0.1:9/";
    process.env["GOFLAGS"] = "-modcacherw";
    process.env["GOMODCACHE"] = join(cache, "modcache");
    process.env["GONOSUMDB"] = "*";
    process.env["GONOSUMCHECK"] = "1";
    process.env["GOSUMDB"] = "off";
    await expect(ensureBinaries({ cacheDir: cache, log: () => {} })).rejects.toMatchObject({
      name: "TestEnvError",
      message: expect.stringMatching(/module proxy could not be reached/),
    });
    rmSync(cache, { recursive: true, force: true });
  }, 60_000);
});

describe("kwok provisioning", () => {
  it("resolves the files a kustomization names, through nested folders, in order", () => {
    const files: Record<string, string> = {
      "/k/stage/fast/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../node/fast\n- ../pod/fast\n",
      "/k/stage/node/fast/kustomization.yaml": "resources:\n  - node-initialize.yaml\n",
      "/k/stage/pod/fast/kustomization.yaml": "kind: Kustomization\nresources:\n- pod-ready.yaml\n- pod-delete.yaml\nlabels: []\n",
    };
    const read = (p: string): string => {
      const f = files[p];
      if (f === undefined) throw new Error(`no ${p}`);
      return f;
    };
    expect(kustomizationFiles("/k/stage/fast", read)).toEqual([
      "/k/stage/node/fast/node-initialize.yaml",
      "/k/stage/pod/fast/pod-ready.yaml",
      "/k/stage/pod/fast/pod-delete.yaml",
    ]);
  });

  it("splits YAML streams into documents and drops empty ones", () => {
    expect(yamlDocuments("# c\n---\na: 1\n---\n\n---\nb: 2\n")).toEqual(["a: 1", "b: 2"]);
  });

  it("keeps kwok in a cache folder of its own version", () => {
    expect(kwokDir("v0.8.0", "/c")).toBe("/c/kwok-v0.8.0");
  });

  it("reads the kwok version from kubernetes.json", () => {
    expect(readPin().kwok).toMatch(/^v0\.\d+\.\d+$/);
  });

  it("names kube-scheduler, kwok and its files when KUBETS_TESTENV_BIN lacks them and nodes are asked for", async () => {
    const saved = process.env["KUBETS_TESTENV_BIN"];
    const dir = mkdtempSync(join(tmpdir(), "kubets-bin-"));
    for (const b of ["etcd", "kube-apiserver", "kube-controller-manager"]) writeFileSync(join(dir, b), "");
    process.env["KUBETS_TESTENV_BIN"] = dir;
    try {
      await expect(ensureBinaries({ log: () => {} })).rejects.toThrow(/lacks kube-scheduler, kwok, kwok-stages\.yaml, kwok-crds\.yaml/);
      const bins = await ensureBinaries({ log: () => {}, nodes: false });
      expect(bins.kwok).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env["KUBETS_TESTENV_BIN"];
      else process.env["KUBETS_TESTENV_BIN"] = saved;
      rmSync(dir, { recursive: true });
    }
  });
});
