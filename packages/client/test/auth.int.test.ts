import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { testEnv } from "@kubets/testenv/vitest";
import { isForbidden, isUnauthorized } from "@kubets/apimachinery/errors";
import { inClusterConfig, loadConfig, type RestConfig } from "@kubets/client/config";
import { isTransportError, RESTClient } from "@kubets/client/rest";
import { closeAll, configFor, coreClient } from "./helpers/int.js";

afterEach(closeAll);
afterAll(closeAll);

interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** Asks the server who we are (authentication.k8s.io/v1 SelfSubjectReview). */
async function whoAmI(config: RestConfig): Promise<UserInfo> {
  const c = new RESTClient({ ...config, apiPath: "/apis", groupVersion: "authentication.k8s.io/v1" });
  try {
    const r = await c.post().resource("selfsubjectreviews").body({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }).do<{ status: { userInfo: UserInfo } }>();
    return r.status.userInfo;
  } finally {
    await c.close();
  }
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "kubets-int-auth-"));
}

describe("authentication against the real API server", () => {
  it("client certificate from the kubeconfig", async () => {
    const cfg = configFor("admin");
    expect(cfg.tlsClientConfig.certData).toBeDefined();
    const me = await whoAmI(cfg);
    expect(me.groups).toContain("system:masters");
    const ns = await coreClient(cfg).get().resource("namespaces").name("default").do<{ metadata: { name: string } }>();
    expect(ns.metadata.name).toBe("default");
  });

  it("bearer token from the kubeconfig, loaded through KUBECONFIG", async () => {
    const env = testEnv();
    const cfg = await loadConfig({ env: { KUBECONFIG: `/nonexistent/config:${env.kubeconfigPath}` }, context: env.contexts.token });
    expect(cfg.bearerToken).toBe(env.adminToken);
    expect((await whoAmI(cfg)).username).toBe("kubets-admin-token");
  });

  it("token file: a rejected token is re-read from the rotated file", async () => {
    const env = testEnv();
    const file = join(tmp(), "token");
    writeFileSync(file, "not-a-valid-token\n");
    const c = coreClient({ host: env.server, tlsClientConfig: { caData: env.caPem }, bearerTokenFile: file, qps: -1 });
    const err = await c.get().resource("namespaces").do().catch((e: unknown) => e);
    expect(isUnauthorized(err)).toBe(true);
    writeFileSync(file, `${env.adminToken}\n`);
    await c.get().resource("namespaces").name("default").do();
  });

  it("exec plugin returning a token, run once for many requests", async () => {
    const env = testEnv();
    const dir = tmp();
    const count = join(dir, "count");
    const plugin = join(dir, "kubets-credential-plugin");
    writeFileSync(
      plugin,
      `#!/bin/sh
echo x >> "${count}"
info="$KUBERNETES_EXEC_INFO"
case "$info" in *'"interactive":false'*) ;; *) echo "unexpected exec info" >&2; exit 1;; esac
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$ADMIN_TOKEN"
`,
    );
    chmodSync(plugin, 0o755);
    const cfg: RestConfig = {
      host: env.server,
      tlsClientConfig: { caData: env.caPem },
      qps: -1,
      execProvider: {
        command: plugin,
        apiVersion: "client.authentication.k8s.io/v1",
        interactiveMode: "Never",
        env: [{ name: "ADMIN_TOKEN", value: env.adminToken }],
      },
    };
    const c = coreClient(cfg);
    for (let i = 0; i < 5; i++) await c.get().resource("namespaces").name("default").do();
    expect(await whoAmI(cfg)).toMatchObject({ username: "kubets-admin-token" });
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(count, "utf8").trim().split("\n")).toHaveLength(1);
  });

  it("exec plugin whose token the server rejects is run again after the 401", async () => {
    const env = testEnv();
    const dir = tmp();
    const count = join(dir, "count");
    const plugin = join(dir, "rotating-plugin");
    writeFileSync(
      plugin,
      `#!/bin/sh
echo x >> "${count}"
if [ "$(wc -l < "${count}")" -eq 1 ]; then tok=revoked-token; else tok="$ADMIN_TOKEN"; fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$tok"
`,
    );
    chmodSync(plugin, 0o755);
    const c = coreClient({
      host: env.server,
      tlsClientConfig: { caData: env.caPem },
      qps: -1,
      execProvider: { command: plugin, apiVersion: "client.authentication.k8s.io/v1", interactiveMode: "Never", env: [{ name: "ADMIN_TOKEN", value: env.adminToken }] },
    });
    const err = await c.get().resource("namespaces").name("default").do().catch((e: unknown) => e);
    expect(isUnauthorized(err)).toBe(true);
    await c.get().resource("namespaces").name("default").do();
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(count, "utf8").trim().split("\n")).toHaveLength(2);
  });

  it("exec plugin returning a client certificate", async () => {
    const env = testEnv();
    const dir = tmp();
    const plugin = join(dir, "cert-plugin.cjs");
    writeFileSync(join(dir, "cred.json"), JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1beta1", kind: "ExecCredential", status: { clientCertificateData: env.adminCertPem, clientKeyData: env.adminKeyPem } }));
    writeFileSync(plugin, `#!/usr/bin/env node\nprocess.stdout.write(require("node:fs").readFileSync(${JSON.stringify(join(dir, "cred.json"))}));\n`);
    chmodSync(plugin, 0o755);
    const cfg: RestConfig = { host: env.server, tlsClientConfig: { caData: env.caPem }, qps: -1, execProvider: { command: plugin, apiVersion: "client.authentication.k8s.io/v1beta1" } };
    expect((await whoAmI(cfg)).groups).toContain("system:masters");
  });

  it("impersonation is honoured and checked by RBAC", async () => {
    const admin = configFor("admin");
    const as: RestConfig = { ...admin, impersonate: { userName: "kubets-restricted", groups: ["system:authenticated", "team-a"], extra: { "example.com/scope": ["x"] } } };
    expect(await whoAmI(as)).toMatchObject({ username: "kubets-restricted", groups: ["system:authenticated", "team-a"], extra: { "example.com/scope": ["x"] } });
    const err = await coreClient(as).get().namespace("default").resource("configmaps").do().catch((e: unknown) => e);
    expect(isForbidden(err)).toBe(true);
    expect((err as Error).message).toContain('User "kubets-restricted" cannot list resource "configmaps"');
    // a user without the impersonate verb may not impersonate
    const restricted = configFor("restricted");
    const err2 = await coreClient({ ...restricted, impersonate: { userName: "kubets-admin-token" } }).get().resource("namespaces").do().catch((e: unknown) => e);
    expect(isForbidden(err2)).toBe(true);
    expect((err2 as Error).message).toMatch(/cannot impersonate/);
  });

  it("in-cluster config from a mounted service account", async () => {
    const env = testEnv();
    const u = new URL(env.server);
    const root = join(tmp(), "serviceaccount");
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "token"), env.adminToken);
    writeFileSync(join(root, "ca.crt"), env.caPem);
    const cfg = inClusterConfig({ root, env: { KUBERNETES_SERVICE_HOST: u.hostname, KUBERNETES_SERVICE_PORT: u.port } });
    expect((await whoAmI({ ...cfg, qps: -1 })).username).toBe("kubets-admin-token");
  });
});

describe("failures are typed and say what to do", () => {
  it("wrong or expired token: StatusError Unauthorized without the token in the message", async () => {
    const env = testEnv();
    const bad = "deadbeef".repeat(6);
    const err = await coreClient({ host: env.server, tlsClientConfig: { caData: env.caPem }, bearerToken: bad, qps: -1 }).get().resource("namespaces").do().catch((e: unknown) => e);
    expect(isUnauthorized(err)).toBe(true);
    expect((err as Error).name).toBe("StatusError");
    expect((err as Error).message).not.toContain(bad);
  });

  it("no credentials: the restricted user is Forbidden, anonymous is Unauthorized or Forbidden", async () => {
    const err = await coreClient(configFor("restricted")).get().resource("secrets").do().catch((e: unknown) => e);
    expect(isForbidden(err)).toBe(true);
  });

  it("wrong CA: TransportError naming the host and certificate-authority", async () => {
    const env = testEnv();
    const { makePKI } = await import("./helpers/pki.js");
    const other = makePKI().otherCaPem;
    const err = await coreClient({ host: env.server, tlsClientConfig: { caData: other }, bearerToken: env.adminToken, qps: -1 }).get().resource("namespaces").do().catch((e: unknown) => e);
    expect(isTransportError(err)).toBe(true);
    expect((err as Error).message).toContain(env.server);
    expect((err as Error).message).toContain("certificate-authority");
    expect((err as Error).message).not.toContain(env.adminToken);
  });

  it("tls-server-name picks the name the certificate is checked against", async () => {
    const env = testEnv();
    const base = { host: env.server, bearerToken: env.adminToken, qps: -1 };
    await coreClient({ ...base, tlsClientConfig: { caData: env.caPem, serverName: "kubernetes.default.svc" } }).get().resource("namespaces").name("default").do();
    const err = await coreClient({ ...base, tlsClientConfig: { caData: env.caPem, serverName: "wrong.example.com" } }).get().resource("namespaces").do().catch((e: unknown) => e);
    expect(isTransportError(err)).toBe(true);
    expect((err as Error).message).toMatch(/not valid for wrong\.example\.com.*tls-server-name/);
  });

  it("dead server: TransportError saying the connection was refused", async () => {
    const env = testEnv();
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const err = await coreClient({ host: `https://127.0.0.1:${port}`, tlsClientConfig: { caData: env.caPem }, bearerToken: env.adminToken, qps: -1 }).get().resource("namespaces").do().catch((e: unknown) => e);
    expect(isTransportError(err)).toBe(true);
    expect((err as Error).message).toMatch(/refused/);
    expect((err as Error).message).not.toContain(env.adminToken);
  });
});
