// Runs examples/sample-app as a pod would: a service account with the `listresource` Role, its token from
// the TokenRequest API laid out as a service-account mount, KUBERNETES_SERVICE_HOST/PORT pointing at the
// real API server.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "@kubets/testenv/vitest";
import { isForbidden, isUnauthorized, type StatusError } from "@kubets/apimachinery/errors";
import { inClusterConfig } from "@kubets/client/config";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { listResources } from "../../../examples/sample-app/main.js";
import { configFor, uniqueName } from "./helpers/int.js";

const repoRoot = join(import.meta.dirname, "../../..");
const app = join(repoRoot, "examples/sample-app/main.ts");
const ns = uniqueName("kubets-sample-app");
const mounts: string[] = [];
let admin: Clientset;
let serviceEnv: Record<string, string>;

/** A simulated /var/run/secrets/kubernetes.io/serviceaccount. */
function mount(token: string): string {
  const dir = mkdtempSync(join(tmpdir(), "kubets-sa-"));
  mounts.push(dir);
  writeFileSync(join(dir, "token"), token);
  writeFileSync(join(dir, "ca.crt"), testEnv().caPem);
  writeFileSync(join(dir, "namespace"), ns);
  return dir;
}

async function tokenFor(serviceAccount: string): Promise<string> {
  const tr = await admin.coreV1().serviceAccounts(ns).createToken(serviceAccount, { spec: { audiences: [], expirationSeconds: 600 } });
  const token = tr.status?.token;
  if (!token) throw new Error("TokenRequest returned no token");
  return token;
}

function runApp(root: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env["PATH"], HOME: process.env["HOME"], ...serviceEnv };
    execFile(
      process.execPath,
      ["--conditions=@kubets/source", "--import", "tsx", app, "--service-account-root", root],
      { cwd: repoRoot, env, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string, tries = 100): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    last = await fn();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: condition not met; last value ${JSON.stringify(last)}`);
}

async function settle<T>(p: Promise<T>): Promise<T | unknown> {
  return p.then(
    (v) => v,
    (e: unknown) => e,
  );
}

beforeAll(async () => {
  const env = testEnv();
  const url = new URL(env.server);
  serviceEnv = { KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port };
  admin = newForConfig(configFor("admin"));
  await admin.coreV1().namespaces().create({ metadata: { name: ns } });
  await admin.coreV1().serviceAccounts(ns).create({ metadata: { name: "sample-app" } });
  await admin.rbacV1().roles(ns).create({
    metadata: { name: "listresource" },
    rules: [
      { apiGroups: [""], resources: ["pods", "services"], verbs: ["list"] },
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ["list"] },
    ],
  });
  await admin.rbacV1().roleBindings(ns).create({
    metadata: { name: "listresource" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "listresource" },
    subjects: [{ kind: "ServiceAccount", name: "sample-app", namespace: ns }],
  });
  await admin.coreV1().pods(ns).create({ metadata: { name: "nginx" }, spec: { containers: [{ name: "nginx", image: "registry.example/nginx:1" }] } });
  await admin.appsV1().deployments(ns).create({
    metadata: { name: "redis" },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "redis" } },
      template: { metadata: { labels: { app: "redis" } }, spec: { containers: [{ name: "redis", image: "registry.example/redis:7" }] } },
    },
  });
  await admin.coreV1().services(ns).create({ metadata: { name: "my-service" }, spec: { selector: { app: "redis" }, ports: [{ port: 6379 }] } });
});

afterAll(async () => {
  await admin.coreV1().namespaces().delete(ns).catch(() => undefined);
  await admin.close();
  for (const d of mounts) rmSync(d, { recursive: true, force: true });
});

describe("examples/sample-app in a simulated pod", () => {
  it("lists pods, deployments and services with the service account's token; secrets are Forbidden", async () => {
    const root = mount(await tokenFor("sample-app"));
    const cs = newForConfig(inClusterConfig({ root, env: serviceEnv }));
    try {
      // RBAC reaches the authorizer through its informers: wait until the binding is effective and the
      // Deployment's controller has made its two pods.
      const listing = await eventually(
        () => listResources(cs, ns).catch(() => undefined),
        (v) => v !== undefined && v.pods.length === 3,
        "listing",
      );
      expect(listing).toMatchObject({ deployments: ["redis"], services: ["my-service"] });

      const run = await runApp(root);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const lines = run.stdout.trimEnd().split("\n");
      expect(lines[0]).toBe("========Pods========");
      const pods = lines.slice(1, lines.indexOf("========Deployments========"));
      expect(pods).toHaveLength(3);
      expect(pods).toContain("nginx");
      expect(pods.filter((p) => p.startsWith("redis-"))).toHaveLength(2);
      expect(lines.slice(lines.indexOf("========Deployments========"))).toEqual([
        "========Deployments========",
        "redis",
        "========Services========",
        "my-service",
      ]);

      // Listing secrets is not in the Role: a StatusError with the API server's reason and message.
      const err = (await settle(cs.coreV1().secrets(ns).list())) as StatusError;
      expect(err).toBeInstanceOf(Error);
      expect(err.name).toBe("StatusError");
      expect(isForbidden(err)).toBe(true);
      expect(err.code).toBe(403);
      expect(err.message).toBe(`secrets is forbidden: User "system:serviceaccount:${ns}:sample-app" cannot list resource "secrets" in API group "" in the namespace "${ns}"`);
      expect(err.status.details).toMatchObject({ kind: "secrets" });
    } finally {
      await cs.close();
    }
  });

  it("without the Role binding's rights the app exits 1 and says which namespace it may not list", async () => {
    await admin.coreV1().serviceAccounts(ns).create({ metadata: { name: "no-rights" } });
    const root = mount(await tokenFor("no-rights"));
    const run = await runApp(root);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`may not list in namespace "${ns}" (403 Forbidden)`);
    expect(run.stderr).toContain(`User "system:serviceaccount:${ns}:no-rights" cannot list resource`);
  });

  it("a token of a deleted service account is rejected with a clear 401", async () => {
    await admin.coreV1().serviceAccounts(ns).create({ metadata: { name: "doomed" } });
    const token = await tokenFor("doomed");
    const root = mount(token);
    await admin.coreV1().serviceAccounts(ns).delete("doomed");
    const cs = newForConfig(inClusterConfig({ root, env: serviceEnv }));
    try {
      // The authenticator looks the service account up through an informer: wait for it to see the delete.
      const err = (await eventually(
        () => settle(cs.coreV1().pods(ns).list()),
        (v) => isUnauthorized(v),
        "401 after deleting the service account",
      )) as StatusError;
      expect(err.name).toBe("StatusError");
      expect(err.code).toBe(401);
      expect(err.message).toBe("Unauthorized");
      expect(err.message).not.toContain(token);
    } finally {
      await cs.close();
    }
    const run = await runApp(root);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("rejected the service account token (401 Unauthorized)");
    expect(run.stderr).not.toContain(token);

    // Recreating an account of the same name does not revive the token: it names the old account's uid.
    await admin.coreV1().serviceAccounts(ns).create({ metadata: { name: "doomed" } });
    await new Promise((r) => setTimeout(r, 1000));
    const again = await runApp(root);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("401 Unauthorized");
  });

  it("a token bound to a Secret is revoked when the Secret is deleted: a clear 401", async () => {
    await admin.coreV1().serviceAccounts(ns).create({ metadata: { name: "bound" } });
    const secret = await admin.coreV1().secrets(ns).create({ metadata: { name: "token-owner" }, stringData: { purpose: "binds a token" } });
    const tr = await admin.coreV1().serviceAccounts(ns).createToken("bound", {
      spec: { audiences: [], expirationSeconds: 600, boundObjectRef: { kind: "Secret", apiVersion: "v1", name: "token-owner", uid: secret.metadata?.uid ?? "" } },
    });
    const root = mount(tr.status?.token ?? "");
    const cs = newForConfig(inClusterConfig({ root, env: serviceEnv }));
    try {
      // Authenticated while the Secret exists (the account has no Role: Forbidden, not Unauthorized).
      const before = await settle(cs.coreV1().pods(ns).list());
      expect(isForbidden(before)).toBe(true);
      await admin.coreV1().secrets(ns).delete("token-owner");
      // The API server caches a successful token check for 10 s: the 401 comes once that entry expires.
      const err = (await eventually(
        () => settle(cs.coreV1().pods(ns).list()),
        (v) => isUnauthorized(v),
        "401 after deleting the bound Secret",
        200,
      )) as StatusError;
      expect(err.code).toBe(401);
      expect(err.reason).toBe("Unauthorized");
    } finally {
      await cs.close();
    }
  }, 60_000);
});
