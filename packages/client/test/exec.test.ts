import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ExecAuthenticator, execAuthenticatorFor, execClusterFor } from "@kubets/client/auth";
import type { ExecConfig } from "@kubets/client/config";
import { makePKI, type TestPKI } from "./helpers/pki.js";

const V1 = "client.authentication.k8s.io/v1";
const V1BETA1 = "client.authentication.k8s.io/v1beta1";

let dir: string;
let pki: TestPKI;

/** A node plugin that records its input, and prints the credential in $OUT_FILE (or fails as told). */
function plugin(name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(p, `#!/usr/bin/env node\nconst fs = require("node:fs");\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kubets-exec-"));
  pki = makePKI();
});

function counterPlugin(expSecondsFromNow: number | null, apiVersion = V1): string {
  return plugin(
    `counter-${Math.random().toString(36).slice(2)}.cjs`,
    `const f = process.env.STATE;
let n = 0; try { n = Number(fs.readFileSync(f, "utf8")); } catch {}
n++; fs.writeFileSync(f, String(n));
fs.writeFileSync(f + ".info", process.env.KUBERNETES_EXEC_INFO);
const status = { token: "tok-" + n };
${expSecondsFromNow === null ? "" : `status.expirationTimestamp = new Date(Number(process.env.NOW_MS) + ${expSecondsFromNow * 1000}).toISOString();`}
process.stdout.write(JSON.stringify({ kind: "ExecCredential", apiVersion: "${apiVersion}", status }));`,
  );
}

describe("exec credential plugin", () => {
  it("passes KUBERNETES_EXEC_INFO, env and args, and returns the token", async () => {
    const p = plugin(
      "echo.cjs",
      `fs.writeFileSync(process.env.OUT, JSON.stringify({ info: JSON.parse(process.env.KUBERNETES_EXEC_INFO), args: process.argv.slice(2), foo: process.env.FOO }));
process.stdout.write(JSON.stringify({ kind: "ExecCredential", apiVersion: "${V1}", status: { token: "abc" } }));`,
    );
    const out = join(dir, "echo.out");
    const config: ExecConfig = {
      command: p,
      args: ["--one", "two"],
      apiVersion: V1,
      interactiveMode: "Never",
      provideClusterInfo: true,
      env: [{ name: "FOO", value: "bar" }, { name: "OUT", value: out }],
    };
    const cluster = execClusterFor({
      host: "https://10.1.2.3:6443",
      tlsClientConfig: { caData: "CA-PEM", serverName: "api" },
      execProvider: { ...config, config: { audience: "x" } },
    });
    const a = new ExecAuthenticator(config, { cluster, isTerminal: () => false });
    const creds = await a.getCredentials();
    expect(creds).toEqual({ token: "abc" });
    const seen = JSON.parse(readFileSync(out, "utf8"));
    expect(seen.args).toEqual(["--one", "two"]);
    expect(seen.foo).toBe("bar");
    expect(seen.info).toEqual({
      kind: "ExecCredential",
      apiVersion: V1,
      spec: {
        interactive: false,
        cluster: {
          server: "https://10.1.2.3:6443",
          "tls-server-name": "api",
          "certificate-authority-data": Buffer.from("CA-PEM").toString("base64"),
          config: { audience: "x" },
        },
      },
    });
  });

  it("caches until expirationTimestamp, then runs the plugin again", async () => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    const state = join(dir, `state-${Math.random()}`);
    const a = new ExecAuthenticator(
      { command: counterPlugin(60), apiVersion: V1, interactiveMode: "Never", env: [{ name: "STATE", value: state }, { name: "NOW_MS", value: String(now) }] },
      { now: () => now },
    );
    expect((await a.getCredentials()).token).toBe("tok-1");
    now += 30_000;
    expect((await a.getCredentials()).token).toBe("tok-1");
    expect(a.runs).toBe(1);
    now += 31_000;
    expect((await a.getCredentials()).token).toBe("tok-2");
    expect(a.runs).toBe(2);
  });

  it("without expiration caches until a 401, and refreshes once for concurrent callers", async () => {
    const state = join(dir, `state-${Math.random()}`);
    const a = new ExecAuthenticator({ command: counterPlugin(null, V1BETA1), apiVersion: V1BETA1, env: [{ name: "STATE", value: state }] }, { isTerminal: () => false });
    const [c1, c2] = await Promise.all([a.getCredentials(), a.getCredentials()]);
    expect(c1).toBe(c2);
    expect(a.runs).toBe(1);
    await Promise.all([a.maybeRefresh(c1), a.maybeRefresh(c1)]);
    expect(a.runs).toBe(2);
    expect((await a.getCredentials()).token).toBe("tok-2");
    // v1beta1 defaults to IfAvailable: not interactive without a terminal
    expect(JSON.parse(readFileSync(`${state}.info`, "utf8")).spec).toEqual({ interactive: false });
  });

  it("returns a client certificate and key", async () => {
    const certFile = join(dir, "c.pem");
    writeFileSync(certFile, JSON.stringify({ cert: pki.clientCertPem, key: pki.clientKeyPem }));
    const p = plugin(
      "cert.cjs",
      `const c = JSON.parse(fs.readFileSync(${JSON.stringify(certFile)}, "utf8"));
process.stdout.write(JSON.stringify({ kind: "ExecCredential", apiVersion: "${V1}", status: { clientCertificateData: c.cert, clientKeyData: c.key } }));`,
    );
    const creds = await new ExecAuthenticator({ command: p, apiVersion: V1, interactiveMode: "Never" }).getCredentials();
    expect(creds.clientCertificateData).toBe(pki.clientCertPem);
    expect(creds.clientKeyData).toBe(pki.clientKeyPem);
    expect(creds.token).toBeUndefined();
  });

  it("fails clearly, without echoing stdout, when the plugin misbehaves", async () => {
    const secret = "leaked-token-xyz";
    const cases: Array<[string, RegExp]> = [
      [`process.exit(3)`, /failed with exit code 3/],
      [`process.stdout.write("token=${secret}")`, /did not print a JSON ExecCredential/],
      [`process.stdout.write(JSON.stringify({ kind: "ExecCredential", apiVersion: "${V1BETA1}", status: { token: "${secret}" } }))`, /configured to use API version .*v1, plugin returned version .*v1beta1/],
      [`process.stdout.write(JSON.stringify({ kind: "ExecCredential", apiVersion: "${V1}" }))`, /didn't return a status/],
      [`process.stdout.write(JSON.stringify({ kind: "ExecCredential", apiVersion: "${V1}", status: { clientKeyData: "${secret}" } }))`, /only certificate or key/],
    ];
    for (const [i, [body, re]] of cases.entries()) {
      const a = new ExecAuthenticator({ command: plugin(`bad-${i}.cjs`, body), apiVersion: V1, interactiveMode: "Never" }, { stderr: "ignore" });
      const err = await a.getCredentials().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.name).toBe("ConfigError");
      expect(err?.message).toMatch(re);
      expect(err?.message).not.toContain(secret);
    }
  });

  it("names a missing executable and shows the install hint", async () => {
    const a = new ExecAuthenticator({ command: join(dir, "no-such-plugin"), apiVersion: V1, interactiveMode: "Never", installHint: "brew install my-plugin" });
    await expect(a.getCredentials()).rejects.toMatchObject({
      name: "ConfigError",
      message: expect.stringMatching(/no-such-plugin not found.*brew install my-plugin/s),
    });
  });

  it("refuses interactiveMode Always without a terminal", async () => {
    const a = new ExecAuthenticator({ command: "true", apiVersion: V1, interactiveMode: "Always" }, { isTerminal: () => false });
    await expect(a.getCredentials()).rejects.toThrow(/not a terminal/);
    expect(a.runs).toBe(0);
  });

  it("rejects unknown API versions up front", () => {
    expect(() => new ExecAuthenticator({ command: "x", apiVersion: "client.authentication.k8s.io/v9" })).toThrow(/unsupported apiVersion/);
  });

  it("shares one authenticator between equal configs", () => {
    const cfg = { host: "https://h", tlsClientConfig: {}, execProvider: { command: "p", apiVersion: V1, interactiveMode: "Never" as const } };
    expect(execAuthenticatorFor(cfg)).toBe(execAuthenticatorFor({ ...cfg }));
  });

  it("kills a plugin that hangs once its run time is up, naming the plugin and not its output", async () => {
    const secret = "half-printed-secret-token";
    const pidFile = join(dir, "hang.pid");
    const p = plugin("hang.cjs", `fs.writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); process.stdout.write('{"status":{"token":"${secret}"'); setInterval(() => {}, 1000);`);
    const a = new ExecAuthenticator({ command: p, apiVersion: V1, interactiveMode: "Never" }, { timeout: 300, stderr: "ignore" });
    const err = (await a.getCredentials().catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ name: "ConfigError", field: "exec.command" });
    expect(err.message).toContain(p);
    expect(err.message).toMatch(/did not finish within 300 ms and was killed/);
    expect(err.message).not.toContain(secret);
    const pid = Number(readFileSync(pidFile, "utf8"));
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
  });

  it("bounds the plugin through RestConfig.execTimeout, and a request's timeout covers waiting for the plugin", async () => {
    const p = plugin("hang2.cjs", `setTimeout(() => {}, 3000);`);
    const { RESTClient } = await import("@kubets/client/rest");
    const base = { host: "https://127.0.0.1:1", apiPath: "/api", groupVersion: "v1", tlsClientConfig: {}, qps: -1 };
    const c1 = new RESTClient({ ...base, execTimeout: 300, execProvider: { command: p, apiVersion: V1, interactiveMode: "Never" } });
    const err1 = await c1.get().resource("pods").do().catch((e: unknown) => e);
    expect(err1).toMatchObject({ name: "ConfigError", message: expect.stringMatching(/hang2\.cjs did not finish within 300 ms/) });
    // the plugin may run for its full minute, but the request gives up at its own timeout
    const c2 = new RESTClient({ ...base, timeout: 300, execProvider: { command: p, apiVersion: V1, interactiveMode: "Never", args: ["x"] } });
    const err2 = await c2.get().resource("pods").do().catch((e: unknown) => e);
    expect(err2).toMatchObject({ name: "TransportError", code: "ETIMEDOUT" });
    await Promise.all([c1.close(), c2.close()]);
  });
});
