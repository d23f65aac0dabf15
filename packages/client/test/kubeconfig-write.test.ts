// kubeconfig writing held to kubectl: files kubets writes read back through `kubectl config view`
// as kubets meant them, files kubectl writes survive a kubets round trip byte for byte, and
// modifyConfig puts each change in the file kubectl would. With `kubectl` on PATH every comparison
// is against what it writes now; without it, against what kubectl v1.32 wrote for the same commands
// (test/fixtures/kubeconfig, rewritten with KUBETS_RECORD_KUBECTL=1; KUBETS_KUBECTL=none uses them
// even when kubectl is installed).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  addCluster,
  addContext,
  addUser,
  exportConfig,
  isConfigError,
  loadKubeConfig,
  loadKubeConfigFile,
  modifyConfig,
  newKubeConfig,
  parseKubeConfig,
  serializeKubeConfig,
  setCurrentContext,
  toV1Config,
  writeToFile,
} from "../src/config/index.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/kubeconfig/", import.meta.url));
const HAVE_KUBECTL = (() => {
  if (process.env["KUBETS_KUBECTL"] === "none") return false;
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** What kubectl produces (run now when installed, else recorded), kept as a fixture when recording. */
function fromKubectl(fixture: string, produce: () => string): string {
  if (!HAVE_KUBECTL) return readFileSync(join(FIXTURES, fixture), "utf8");
  const out = produce();
  if (process.env["KUBETS_RECORD_KUBECTL"]) {
    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(join(FIXTURES, fixture), out);
  }
  return out;
}

const PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUX\n-----END CERTIFICATE-----\n";

function kubectl(args: string[], env: Record<string, string> = {}): string {
  return execFileSync("kubectl", args, { env: { PATH: process.env["PATH"] ?? "", HOME: tmpdir(), ...env }, encoding: "utf8" });
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "kubets-kubeconfig-"));
}

/** kubectl config view --raw as JSON, with kubectl's always-written empty preferences dropped. */
function view(file: string): unknown {
  const v = JSON.parse(fromKubectl("view.json", () => kubectl(["config", "view", "--raw", "-o", "json", "--kubeconfig", file]))) as Record<string, unknown>;
  if (JSON.stringify(v["preferences"]) === "{}") delete v["preferences"];
  return v;
}

describe("kubeconfig writing", () => {
  it("a kubeconfig kubets writes is what kubectl reads", () => {
    const c = newKubeConfig();
    addCluster(c, "prod", { server: "https://prod.example.com:6443", certificateAuthorityData: PEM, tlsServerName: "prod", extensions: { "example.com/ext": { a: 1 } } });
    addCluster(c, "dev", { server: "https://127.0.0.1:6443", insecureSkipTLSVerify: true, proxyURL: "socks5://localhost:1080" });
    addUser(c, "alice", { token: "t0ken", impersonate: "bob", impersonateGroups: ["g1", "g2"], impersonateUserExtra: { scope: ["a", "b"] } });
    addUser(c, "exec", { exec: { command: "/usr/bin/cred", args: ["--x"], env: [{ name: "K", value: "V" }], apiVersion: "client.authentication.k8s.io/v1", interactiveMode: "Never", provideClusterInfo: true } });
    addUser(c, "cert", { clientCertificateData: PEM, clientKeyData: "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n" });
    addContext(c, "prod", { cluster: "prod", authInfo: "alice", namespace: "web" });
    addContext(c, "dev", { cluster: "dev", authInfo: "exec" });
    setCurrentContext(c, "prod");
    expect(() => addCluster(c, "dev", { server: "x" })).toThrow(/Duplicate cluster: dev/);
    expect(() => setCurrentContext(c, "nope")).toThrow(/no context exists/);
    const file = join(tmp(), "nested", "config");
    writeToFile(c, file);
    expect(view(file)).toEqual(toV1Config(c));
    expect(JSON.parse(exportConfig(c))).toEqual(toV1Config(c));
    // And kubets reads its own file back to the same config.
    const back = loadKubeConfigFile(file);
    expect(serializeKubeConfig(back)).toBe(readFileSync(file, "utf8"));
    expect(back.authInfos["exec"]?.exec?.provideClusterInfo).toBe(true);
  });

  it("a file kubectl writes survives a kubets round trip byte for byte (extensions and unknown fields kept)", () => {
    const dir = tmp();
    const file = join(dir, "config");
    writeFileSync(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: c1",
        "  cluster:",
        "    server: https://1.2.3.4",
        "    extensions:",
        "    - name: example.com/ext",
        "      extension:",
        "        nested: {deep: [1, 2]}",
        "users: []",
        "contexts: []",
        "extensions:",
        "- name: top",
        "  extension: {a: b}",
        "",
      ].join("\n"),
    );
    const env = { KUBECONFIG: file };
    const written = fromKubectl("set.yaml", () => {
      kubectl(["config", "set-cluster", "c2", "--server=https://5.6.7.8", "--certificate-authority=/etc/kubets/ca.crt"], env);
      kubectl(["config", "set-credentials", "u1", "--token=abc", "--username=", "--exec-command=/bin/cred", "--exec-api-version=client.authentication.k8s.io/v1", "--exec-arg=a1", "--exec-env=E=1"], env);
      kubectl(["config", "set-context", "ctx", "--cluster=c1", "--user=u1", "--namespace=ns1"], env);
      kubectl(["config", "use-context", "ctx"], env);
      return readFileSync(file, "utf8");
    });
    expect(written).toContain("example.com/ext");
    const parsed = parseKubeConfig(written, file);
    expect(serializeKubeConfig(parsed)).toBe(written);

    // Fields clientcmd does not know (kubectl would drop them) survive too.
    const withUnknown = `${written}x-owner: team-a\n`.replace("server: https://1.2.3.4\n", "server: https://1.2.3.4\n    x-note: keep me\n");
    expect(serializeKubeConfig(parseKubeConfig(withUnknown, file))).toBe(withUnknown);
  });

  it("modifyConfig writes each change to the file the entry came from, as kubectl config set-* does", () => {
    const setup = (): { a: string; b: string; env: Record<string, string> } => {
      const d = tmp();
      const a = join(d, "a.yaml");
      const b = join(d, "b.yaml");
      writeFileSync(a, "apiVersion: v1\nkind: Config\nclusters:\n- name: ca\n  cluster:\n    server: https://a\nusers: []\ncontexts: []\ncurrent-context: \"\"\n");
      writeFileSync(
        b,
        "apiVersion: v1\nkind: Config\nclusters: []\nusers:\n- name: ub\n  user:\n    token: old\n    client-certificate: certs/ub.crt\ncontexts:\n- name: cb\n  context:\n    cluster: ca\n    user: ub\ncurrent-context: cb\n",
      );
      return { a, b, env: { KUBECONFIG: `${a}:${b}` } };
    };
    // kubectl's edits.
    const k = setup();
    const edited = fromKubectl("modify.json", () => {
      kubectl(["config", "set-credentials", "ub", "--token=new"], k.env);
      kubectl(["config", "set-cluster", "cnew", "--server=https://new"], k.env);
      kubectl(["config", "delete-context", "cb"], k.env);
      kubectl(["config", "set-context", "cn", "--cluster=cnew", "--user=ub"], k.env);
      kubectl(["config", "use-context", "cn"], k.env);
      return JSON.stringify({ a: readFileSync(k.a, "utf8"), b: readFileSync(k.b, "utf8") }, null, 2) + "\n";
    });
    const kubectlFiles = JSON.parse(edited) as { a: string; b: string };
    writeFileSync(k.a, kubectlFiles.a);
    writeFileSync(k.b, kubectlFiles.b);
    // The same edits through modifyConfig.
    const t = setup();
    const rules = { precedence: [t.a, t.b] };
    let c = loadKubeConfig(rules).config;
    c.authInfos["ub"] = { ...c.authInfos["ub"], token: "new" };
    modifyConfig(rules, c, true);
    c = loadKubeConfig(rules).config;
    addCluster(c, "cnew", { server: "https://new" });
    modifyConfig(rules, c, true);
    c = loadKubeConfig(rules).config;
    delete c.contexts["cb"];
    modifyConfig(rules, c, true);
    c = loadKubeConfig(rules).config;
    addContext(c, "cn", { cluster: "cnew", authInfo: "ub" });
    modifyConfig(rules, c, true);
    c = loadKubeConfig(rules).config;
    setCurrentContext(c, "cn");
    modifyConfig(rules, c, true);
    const norm = (f: string): unknown => {
      const v = parseKubeConfig(readFileSync(f, "utf8"), f);
      const out = toV1Config(v);
      delete out["preferences"];
      return out;
    };
    expect(norm(t.a)).toEqual(norm(k.a));
    expect(norm(t.b)).toEqual(norm(k.b));
    expect(readFileSync(t.b, "utf8")).toContain("client-certificate: certs/ub.crt");
  });

  it("writing fails with a ConfigError naming the file", () => {
    const dir = tmp();
    writeFileSync(join(dir, "file"), "");
    try {
      writeToFile(newKubeConfig(), join(dir, "file", "config"));
      expect.unreachable();
    } catch (err) {
      expect(isConfigError(err)).toBe(true);
      expect(String(err)).toContain(join(dir, "file", "config"));
    }
  });
});
