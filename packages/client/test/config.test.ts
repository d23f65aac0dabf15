import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  anonymousClientConfig,
  buildConfigFromFlags,
  ClientConfigLoader,
  type ConfigError,
  DirectClientConfig,
  inClusterConfig,
  inClusterNamespace,
  isConfigError,
  kubeConfigPrecedence,
  loadConfig,
  loadKubeConfig,
  loadNamespace,
  parseKubeConfig,
} from "@kubets/client/config";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const SECRET_TOKEN = "sekrit-token-abc123";
const SECRET_PASSWORD = "hunter2-password";
const SECRET_KEY = "-----BEGIN PRIVATE KEY-----\nTOPSECRETKEYMATERIAL\n-----END PRIVATE KEY-----\n";

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "kubets-config-"));
}

function write(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  return p;
}

function kubeconfig(opts: { cluster: string; server: string; user: string; context: string; current?: string; ns?: string; userBody?: string; clusterBody?: string }): string {
  return `apiVersion: v1
kind: Config
${opts.current !== undefined ? `current-context: ${opts.current}` : ""}
clusters:
- name: ${opts.cluster}
  cluster:
    server: ${opts.server}
${opts.clusterBody ?? ""}
users:
- name: ${opts.user}
  user:
${opts.userBody ?? `    token: ${SECRET_TOKEN}`}
contexts:
- name: ${opts.context}
  context:
    cluster: ${opts.cluster}
    user: ${opts.user}
${opts.ns ? `    namespace: ${opts.ns}` : ""}
`;
}

describe("kubeconfig parsing", () => {
  it("reads every field clientcmd reads, decoding -data fields from base64", () => {
    const cfg = parseKubeConfig(
      `apiVersion: v1
kind: Config
current-context: c1
clusters:
- name: k1
  cluster:
    server: https://example.com:6443
    certificate-authority-data: ${b64("CA-PEM")}
    tls-server-name: api.internal
    proxy-url: http://proxy:3128
    disable-compression: true
users:
- name: u1
  user:
    client-certificate-data: ${b64("CERT-PEM")}
    client-key-data: ${b64("KEY-PEM")}
    as: jane
    as-uid: "42"
    as-groups: [devs, ops]
    as-user-extra:
      scopes: [read, write]
- name: u2
  user:
    username: bob
    password: pw
- name: u3
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/plugin
      args: [--flag]
      env:
      - name: FOO
        value: bar
      interactiveMode: Never
      provideClusterInfo: true
contexts:
- name: c1
  context:
    cluster: k1
    user: u1
    namespace: team
`,
      "/etc/kube/config",
    );
    expect(cfg.currentContext).toBe("c1");
    expect(cfg.clusters["k1"]).toMatchObject({
      server: "https://example.com:6443",
      certificateAuthorityData: "CA-PEM",
      tlsServerName: "api.internal",
      proxyURL: "http://proxy:3128",
      disableCompression: true,
      locationOfOrigin: "/etc/kube/config",
    });
    expect(cfg.authInfos["u1"]).toMatchObject({
      clientCertificateData: "CERT-PEM",
      clientKeyData: "KEY-PEM",
      impersonate: "jane",
      impersonateUID: "42",
      impersonateGroups: ["devs", "ops"],
      impersonateUserExtra: { scopes: ["read", "write"] },
    });
    expect(cfg.authInfos["u2"]).toMatchObject({ username: "bob", password: "pw" });
    expect(cfg.authInfos["u3"]?.exec).toEqual({
      apiVersion: "client.authentication.k8s.io/v1",
      command: "./bin/plugin",
      args: ["--flag"],
      env: [{ name: "FOO", value: "bar" }],
      interactiveMode: "Never",
      provideClusterInfo: true,
    });
    expect(cfg.contexts["c1"]).toMatchObject({ cluster: "k1", authInfo: "u1", namespace: "team" });
  });

  it("names the file and field of bad base64 without echoing the value", () => {
    const text = kubeconfig({ cluster: "k", server: "https://x", user: "u", context: "c", userBody: `    client-key-data: "${SECRET_TOKEN}!!"` });
    let err: unknown;
    try {
      parseKubeConfig(text, "/home/me/.kube/config");
    } catch (e) {
      err = e;
    }
    expect(isConfigError(err)).toBe(true);
    const e = err as ConfigError;
    expect(e.name).toBe("ConfigError");
    expect(e.file).toBe("/home/me/.kube/config");
    expect(e.field).toBe("users[u].client-key-data");
    expect(e.message).toContain("base64");
    expect(e.message).not.toContain(SECRET_TOKEN);
  });

  it("reports a YAML syntax error with its position but never the file's text", () => {
    const text = `users:\n- name: u\n  user:\n    token: ${SECRET_TOKEN}\n   password: : ${SECRET_PASSWORD}\n  : [\n`;
    let err: unknown;
    try {
      parseKubeConfig(text, "/k/config");
    } catch (e) {
      err = e;
    }
    expect(isConfigError(err)).toBe(true);
    const all = `${(err as Error).message} ${String((err as Error).cause ?? "")} ${(err as Error).stack}`;
    expect(all).toContain("/k/config");
    expect(all).toMatch(/line \d+/);
    expect(all).not.toContain(SECRET_TOKEN);
    expect(all).not.toContain(SECRET_PASSWORD);
  });

  it("rejects a document that is not a Config", () => {
    expect(() => parseKubeConfig("kind: Pod\napiVersion: v1\n", "/p.yaml")).toThrow(/kind.*Pod/);
  });
});

describe("loading rules", () => {
  it("splits KUBECONFIG, drops duplicates and empty entries, keeps order", () => {
    expect(kubeConfigPrecedence({ env: { KUBECONFIG: "/a::/b:/a:/c" } })).toEqual(["/a", "/b", "/c"]);
    expect(kubeConfigPrecedence({ env: { HOME: "/home/x" } })).toEqual(["/home/x/.kube/config"]);
    expect(kubeConfigPrecedence({ explicitPath: "/e", env: { KUBECONFIG: "/a" } })).toEqual(["/e"]);
  });

  it("skips missing files, first file wins per key and for current-context", () => {
    const d = tmp();
    const a = write(d, "a", kubeconfig({ cluster: "shared", server: "https://a", user: "ua", context: "ca", current: "ca" }));
    const b = write(
      d,
      "b",
      kubeconfig({ cluster: "shared", server: "https://b", user: "ub", context: "cb", current: "cb" }) ,
    );
    const { config, files } = loadKubeConfig({ env: { KUBECONFIG: [join(d, "missing"), a, b].join(":") } });
    expect(files).toEqual([a, b]);
    expect(config.currentContext).toBe("ca");
    expect(config.clusters["shared"]?.server).toBe("https://a");
    expect(Object.keys(config.contexts).sort()).toEqual(["ca", "cb"]);
    expect(Object.keys(config.authInfos).sort()).toEqual(["ua", "ub"]);
  });

  it("takes current-context from a later file when the first has none", () => {
    const d = tmp();
    const a = write(d, "a", kubeconfig({ cluster: "k", server: "https://a", user: "u", context: "ca" }));
    const b = write(d, "b", kubeconfig({ cluster: "k2", server: "https://b", user: "u2", context: "cb", current: "cb" }));
    const { config } = loadKubeConfig({ env: { KUBECONFIG: `${a}:${b}` } });
    expect(config.currentContext).toBe("cb");
  });

  it("fails on an explicit path that does not exist, naming it", () => {
    expect(() => loadKubeConfig({ explicitPath: "/nope/kubeconfig" })).toThrow(/\/nope\/kubeconfig/);
  });

  it("resolves relative paths against the file that names them", () => {
    const d = tmp();
    write(d, "sub/ca.crt", "CA");
    write(d, "sub/client.crt", "CERT");
    write(d, "sub/client.key", "KEY");
    write(d, "sub/token", `${SECRET_TOKEN}\n`);
    const p = write(
      d,
      "sub/config",
      kubeconfig({
        cluster: "k",
        server: "https://h",
        user: "u",
        context: "c",
        current: "c",
        clusterBody: "    certificate-authority: ca.crt",
        userBody: "    client-certificate: client.crt\n    client-key: ./client.key\n    tokenFile: token\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: bin/plug\n",
      }),
    );
    const { config } = loadKubeConfig({ explicitPath: p });
    expect(config.clusters["k"]?.certificateAuthority).toBe(join(d, "sub/ca.crt"));
    expect(config.authInfos["u"]?.clientCertificate).toBe(join(d, "sub/client.crt"));
    expect(config.authInfos["u"]?.clientKey).toBe(join(d, "sub/client.key"));
    expect(config.authInfos["u"]?.tokenFile).toBe(join(d, "sub/token"));
    expect(config.authInfos["u"]?.exec?.command).toBe(join(d, "sub/bin/plug"));
  });
});

describe("client config", () => {
  it("builds a RestConfig from the current context", async () => {
    const d = tmp();
    write(d, "ca.crt", "CA-FILE");
    const p = write(
      d,
      "config",
      kubeconfig({
        cluster: "k",
        server: "https://h:6443",
        user: "u",
        context: "c",
        current: "c",
        ns: "team",
        clusterBody: "    certificate-authority: ca.crt\n    tls-server-name: api.local\n    proxy-url: http://proxy:3128",
        userBody: `    token: ${SECRET_TOKEN}\n    as: jane\n    as-groups: [g1]\n    client-certificate-data: ${b64("CERT")}\n    client-key-data: ${b64(SECRET_KEY)}`,
      }),
    );
    const cfg = await loadConfig({ explicitPath: p });
    expect(cfg).toMatchObject({
      host: "https://h:6443",
      bearerToken: SECRET_TOKEN,
      proxyURL: "http://proxy:3128",
      impersonate: { userName: "jane", groups: ["g1"] },
      tlsClientConfig: { caFile: join(d, "ca.crt"), serverName: "api.local", certData: "CERT", keyData: SECRET_KEY },
    });
    expect(await loadNamespace({ explicitPath: p })).toBe("team");
    expect(await loadNamespace({ explicitPath: p, overrides: { context: { namespace: "other" } } })).toBe("other");
  });

  it("reads tokenFile and keeps it for rotation", async () => {
    const d = tmp();
    write(d, "tok", `${SECRET_TOKEN}\n`);
    const p = write(d, "config", kubeconfig({ cluster: "k", server: "https://h", user: "u", context: "c", current: "c", userBody: "    tokenFile: tok" }));
    const cfg = await loadConfig({ explicitPath: p });
    expect(cfg.bearerToken).toBe(SECRET_TOKEN);
    expect(cfg.bearerTokenFile).toBe(join(d, "tok"));
  });

  it("applies context, cluster, user and namespace overrides", () => {
    const d = tmp();
    const a = write(d, "a", kubeconfig({ cluster: "k1", server: "https://one", user: "u1", context: "c1", current: "c1", ns: "ns1" }));
    const b = write(d, "b", kubeconfig({ cluster: "k2", server: "https://two", user: "u2", context: "c2", ns: "ns2", userBody: "    username: bob\n    password: pw" }));
    const env = { KUBECONFIG: `${a}:${b}` };
    expect(new ClientConfigLoader({ env, context: "c2" }).clientConfig()).toMatchObject({ host: "https://two", username: "bob" });
    expect(new ClientConfigLoader({ env, context: "c2" }).namespace().namespace).toBe("ns2");
    const over = new ClientConfigLoader({ env, overrides: { context: { cluster: "k2", authInfo: "u2" } } }).clientConfig();
    expect(over).toMatchObject({ host: "https://two", username: "bob" });
    expect(over.bearerToken).toBeUndefined();
    const srv = new ClientConfigLoader({ env, overrides: { clusterInfo: { server: "https://three", insecureSkipTLSVerify: true } } }).clientConfig();
    expect(srv).toMatchObject({ host: "https://three", tlsClientConfig: { insecure: true } });
    expect(() => new ClientConfigLoader({ env, overrides: { currentContext: "nope" } }).clientConfig()).toThrow(/context "nope" does not exist/);
    expect(new ClientConfigLoader({ env, overrides: { currentContext: "c2" } }).namespace().namespace).toBe("ns2");
  });

  it("defaults the namespace to 'default' when the context has none", () => {
    const d = tmp();
    const p = write(d, "config", kubeconfig({ cluster: "k", server: "https://h", user: "u", context: "c", current: "c" }));
    expect(new ClientConfigLoader({ explicitPath: p }).namespace()).toEqual({ namespace: "default", overridden: false });
  });

  it("rejects two authentication methods and a CA with insecure, naming file and field but no secret", () => {
    const d = tmp();
    const p = write(
      d,
      "config",
      kubeconfig({ cluster: "k", server: "https://h", user: "u", context: "c", current: "c", userBody: `    token: ${SECRET_TOKEN}\n    username: bob\n    password: ${SECRET_PASSWORD}` }),
    );
    let err: unknown;
    try {
      new ClientConfigLoader({ explicitPath: p }).clientConfig();
    } catch (e) {
      err = e;
    }
    expect(isConfigError(err)).toBe(true);
    expect((err as ConfigError).file).toBe(p);
    expect((err as ConfigError).message).toMatch(/more than one authentication method/);
    expect((err as ConfigError).message).not.toContain(SECRET_TOKEN);
    expect((err as ConfigError).message).not.toContain(SECRET_PASSWORD);

    const q = write(d, "config2", kubeconfig({ cluster: "k", server: "https://h", user: "u", context: "c", current: "c", clusterBody: `    insecure-skip-tls-verify: true\n    certificate-authority-data: ${b64("CA")}` }));
    expect(() => new ClientConfigLoader({ explicitPath: q }).clientConfig()).toThrow(/insecure-skip-tls-verify/);
  });

  it("names the unreadable client key file without reading secrets into the message", () => {
    const d = tmp();
    const p = write(d, "config", kubeconfig({ cluster: "k", server: "https://h", user: "u", context: "c", current: "c", userBody: `    client-certificate-data: ${b64("C")}\n    client-key: missing.key` }));
    expect(() => new ClientConfigLoader({ explicitPath: p }).clientConfig()).toThrow(
      expect.objectContaining({ name: "ConfigError", field: "users[u].client-key", file: p }),
    );
  });

  it("does not send credentials over plain http", () => {
    const cfg = new DirectClientConfig(parseKubeConfig(kubeconfig({ cluster: "k", server: "http://h:8080", user: "u", context: "c", current: "c" }))).clientConfig();
    expect(cfg.host).toBe("http://h:8080");
    expect(cfg.bearerToken).toBeUndefined();
  });

  it("hands the cluster's exec extension to the exec provider", () => {
    const text = `clusters:
- name: k
  cluster:
    server: https://h
    extensions:
    - name: client.authentication.k8s.io/exec
      extension: {audience: foo}
users:
- name: u
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1, command: plug, interactiveMode: Never}
contexts:
- name: c
  context: {cluster: k, user: u}
current-context: c
`;
    const cfg = new DirectClientConfig(parseKubeConfig(text)).clientConfig();
    expect(cfg.execProvider).toMatchObject({ command: "plug", config: { audience: "foo" } });
  });
});

describe("loadConfig", () => {
  function mount(): string {
    const d = tmp();
    write(d, "sa/token", `${SECRET_TOKEN}\n`);
    write(d, "sa/ca.crt", "CA");
    write(d, "sa/namespace", "pod-ns\n");
    return join(d, "sa");
  }

  it("falls back to in-cluster when no kubeconfig exists", async () => {
    const root = mount();
    const env = { KUBECONFIG: "/does/not/exist", KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" };
    const cfg = await loadConfig({ env, inCluster: { root, env } });
    expect(cfg).toMatchObject({
      host: "https://10.0.0.1:443",
      bearerToken: SECRET_TOKEN,
      bearerTokenFile: join(root, "token"),
      tlsClientConfig: { caFile: join(root, "ca.crt") },
    });
    expect(await loadNamespace({ env, inCluster: { root, env } })).toBe("pod-ns");
    expect(inClusterNamespace({ root, env: { ...env, POD_NAMESPACE: "from-env" } })).toBe("from-env");
  });

  it("prefers a kubeconfig over in-cluster", async () => {
    const root = mount();
    const d = tmp();
    const p = write(d, "config", kubeconfig({ cluster: "k", server: "https://kc", user: "u", context: "c", current: "c" }));
    const env = { KUBECONFIG: p, KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" };
    expect((await loadConfig({ env, inCluster: { root, env } })).host).toBe("https://kc");
  });

  it("does not hide a broken kubeconfig behind in-cluster config", async () => {
    const root = mount();
    const d = tmp();
    const p = write(d, "config", kubeconfig({ cluster: "k", server: "https://kc", user: "u", context: "c", current: "typo" }));
    const env = { KUBECONFIG: p, KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" };
    await expect(loadConfig({ env, inCluster: { root, env } })).rejects.toThrow(/context "typo" was not found/);
  });

  it("brackets IPv6 service hosts", () => {
    const root = mount();
    expect(inClusterConfig({ root, env: { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" } }).host).toBe("https://[fd00::1]:443");
  });

  it("explains what to do when there is no configuration at all", async () => {
    const env = { KUBECONFIG: "/does/not/exist" };
    await expect(loadConfig({ env, inCluster: { root: "/nope", env } })).rejects.toMatchObject({
      name: "ConfigError",
      message: expect.stringMatching(/no configuration has been provided.*Fix: set KUBECONFIG/),
    });
    expect(() => inClusterConfig({ env: {} })).toThrow(/KUBERNETES_SERVICE_HOST/);
  });
});

describe("auth provider persistence", () => {
  it("writes refreshed tokens back to the file that defined the user", async () => {
    const d = tmp();
    const other = write(d, "first", kubeconfig({ cluster: "k", server: "https://h", user: "other", context: "c0" }));
    const p = write(
      d,
      "config",
      `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: k
  cluster: {server: "https://h"}
users:
- name: jane
  user:
    auth-provider:
      name: oidc
      config: {idp-issuer-url: "https://idp", client-id: kubectl, id-token: old, refresh-token: r1}
contexts:
- name: c
  context: {cluster: k, user: jane}
`,
    );
    const cfg = await loadConfig({ env: { KUBECONFIG: `${other}:${p}` } });
    expect(cfg.authProvider).toEqual({ name: "oidc", config: { "idp-issuer-url": "https://idp", "client-id": "kubectl", "id-token": "old", "refresh-token": "r1" } });
    await cfg.authConfigPersister?.({ ...cfg.authProvider!.config, "id-token": "new", "refresh-token": "r2" });
    const again = await loadConfig({ env: { KUBECONFIG: `${other}:${p}` } });
    expect(again.authProvider?.config).toMatchObject({ "id-token": "new", "refresh-token": "r2", "client-id": "kubectl" });
    expect(again.host).toBe("https://h");
  });
});

describe("helpers", () => {
  it("buildConfigFromFlags takes the kubeconfig and lets --master override the server", () => {
    const d = tmp();
    const p = write(d, "config", kubeconfig({ cluster: "k", server: "https://kc", user: "u", context: "c", current: "c" }));
    expect(buildConfigFromFlags("", p)).toMatchObject({ host: "https://kc", bearerToken: SECRET_TOKEN });
    expect(buildConfigFromFlags("https://master:6443", p)).toMatchObject({ host: "https://master:6443", bearerToken: SECRET_TOKEN });
  });

  it("anonymousClientConfig drops every credential", () => {
    const anon = anonymousClientConfig({
      host: "https://h",
      apiPath: "/api",
      tlsClientConfig: { caData: "CA", serverName: "s", certData: "C", keyData: SECRET_KEY },
      bearerToken: SECRET_TOKEN,
      username: "u",
      password: SECRET_PASSWORD,
      impersonate: { userName: "x" },
      execProvider: { command: "p", apiVersion: "client.authentication.k8s.io/v1" },
      qps: 7,
    });
    expect(anon).toEqual({ host: "https://h", apiPath: "/api", tlsClientConfig: { caData: "CA", serverName: "s" }, qps: 7 });
  });
});

describe("duplicate names", () => {
  it.each(["clusters", "users", "contexts"] as const)("refuses two %s entries of one name with a ConfigError naming the file and the name", (list) => {
    const dir = tmp();
    const entry = { clusters: "- name: dup\n  cluster:\n    server: https://a\n", users: `- name: dup\n  user:\n    token: ${SECRET_TOKEN}\n`, contexts: "- name: dup\n  context:\n    cluster: dup\n" }[list];
    const lists = { clusters: "clusters: []\n", users: "users: []\n", contexts: "contexts: []\n" };
    lists[list] = `${list}:\n${entry}${entry}`;
    const file = write(dir, "config", `apiVersion: v1\nkind: Config\n${lists.clusters}${lists.users}${lists.contexts}`);
    let err: unknown;
    try {
      loadKubeConfig({ explicitPath: file });
    } catch (e) {
      err = e;
    }
    expect(isConfigError(err)).toBe(true);
    expect(err).toMatchObject({ file, field: `${list}[dup]` });
    expect((err as Error).message).toContain(`duplicate name "dup" in ${list}`);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).not.toContain(SECRET_TOKEN);
  });
});
