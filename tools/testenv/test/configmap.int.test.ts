// Proof that the control plane is real: raw HTTPS with undici against kube-apiserver, with each identity.
import { Agent, request } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import { testEnv } from "../src/vitest.js";

const env = testEnv();
const certAgent = new Agent({ connect: { ca: env.caPem, cert: env.adminCertPem, key: env.adminKeyPem } });
const tlsAgent = new Agent({ connect: { ca: env.caPem } });
afterAll(async () => {
  await certAgent.close();
  await tlsAgent.close();
});

interface Identity {
  name: string;
  agent: Agent;
  headers: Record<string, string>;
}
const identities: Identity[] = [
  { name: "admin client certificate", agent: certAgent, headers: {} },
  { name: "admin bearer token", agent: tlsAgent, headers: { authorization: `Bearer ${env.adminToken}` } },
];

async function call(id: Identity, method: string, path: string, body?: unknown) {
  const res = await request(`${env.server}${path}`, {
    method: method as "GET",
    dispatcher: id.agent,
    headers: { ...id.headers, accept: "application/json", ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
}

describe.each(identities)("ConfigMap CRUD as $name", (id) => {
  const name = `cm-${id.name.split(" ")[1]}-${Date.now().toString(36)}`;
  const base = "/api/v1/namespaces/default/configmaps";

  it("creates, gets, lists, updates and deletes", async () => {
    const created = await call(id, "POST", base, { apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels: { suite: "testenv" } }, data: { a: "1" } });
    expect(created.status).toBe(201);
    expect(created.body["metadata"].uid).toMatch(/^[0-9a-f-]{36}$/);

    const got = await call(id, "GET", `${base}/${name}`);
    expect(got.status).toBe(200);
    expect(got.body["data"]).toEqual({ a: "1" });

    const listed = await call(id, "GET", `${base}?labelSelector=suite%3Dtestenv`);
    expect(listed.status).toBe(200);
    expect(listed.body["kind"]).toBe("ConfigMapList");
    expect(listed.body["items"].map((i: any) => i.metadata.name)).toContain(name);

    const updated = await call(id, "PUT", `${base}/${name}`, { ...got.body, data: { a: "2", b: "3" } });
    expect(updated.status).toBe(200);
    expect(updated.body["data"]).toEqual({ a: "2", b: "3" });
    expect(updated.body["metadata"].resourceVersion).not.toBe(got.body["metadata"].resourceVersion);

    // a stale resourceVersion is a real optimistic-concurrency conflict
    const stale = await call(id, "PUT", `${base}/${name}`, { ...got.body, data: { a: "stale" } });
    expect(stale.status).toBe(409);
    expect(stale.body["reason"]).toBe("Conflict");

    const deleted = await call(id, "DELETE", `${base}/${name}`);
    expect(deleted.status).toBe(200);
    const gone = await call(id, "GET", `${base}/${name}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ kind: "Status", reason: "NotFound", code: 404 });
  });
});

describe("authorization", () => {
  it("answers 403 with a Status to the user without RBAC rights", async () => {
    const res = await call({ name: "restricted", agent: tlsAgent, headers: { authorization: `Bearer ${env.restrictedToken}` } }, "GET", "/api/v1/namespaces/default/configmaps");
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ kind: "Status", status: "Failure", reason: "Forbidden", code: 403 });
    expect(res.body["message"]).toContain('User "kubets-restricted" cannot list resource "configmaps"');
  });

  it("answers 401 to a wrong token", async () => {
    const res = await call({ name: "wrong", agent: tlsAgent, headers: { authorization: "Bearer not-a-valid-token" } }, "GET", "/api/v1/namespaces");
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
  });

  it("refuses a client that does not trust the generated CA", async () => {
    const untrusting = new Agent();
    await expect(request(`${env.server}/readyz`, { dispatcher: untrusting })).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    await untrusting.close();
  });
});

describe("controllers run (kube-controller-manager)", () => {
  const id = identities[0]!;
  it("turns a Deployment into a ReplicaSet and Pending Pods, and finishes deleting a namespace", async () => {
    const ns = `kcm-${Date.now().toString(36)}`;
    expect((await call(id, "POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
    const dep = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        // a node selector that no (kwok) node matches: kube-scheduler leaves the pods Pending
        template: { metadata: { labels: { app: "web" } }, spec: { nodeSelector: { "kubets.dev/no-such-node": "x" }, containers: [{ name: "c", image: "nginx" }] } },
      },
    };
    expect((await call(id, "POST", `/apis/apps/v1/namespaces/${ns}/deployments`, dep)).status).toBe(201);
    let pods: any[] = [];
    for (let i = 0; i < 100 && pods.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 200));
      pods = (await call(id, "GET", `/api/v1/namespaces/${ns}/pods`)).body["items"];
    }
    expect(pods).toHaveLength(2);
    expect(pods.every((p) => p.status.phase === "Pending")).toBe(true);
    const rs = (await call(id, "GET", `/apis/apps/v1/namespaces/${ns}/replicasets`)).body["items"];
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.ownerReferences[0]).toMatchObject({ kind: "Deployment", name: "web", controller: true });

    expect((await call(id, "DELETE", `/api/v1/namespaces/${ns}`)).status).toBe(200);
    let status = 200;
    for (let i = 0; i < 150 && status !== 404; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await call(id, "GET", `/api/v1/namespaces/${ns}`)).status;
    }
    expect(status).toBe(404);
  });
});

describe("version", () => {
  it("reports the Kubernetes version pinned in kubernetes.json", async () => {
    const { readPin } = await import("../src/versions.js");
    const res = await call(identities[1]!, "GET", "/version");
    expect(res.status).toBe(200);
    const pin = readPin();
    expect(res.body).toMatchObject({ gitVersion: pin.kubernetes, major: "1", minor: pin.kubernetes.split(".")[1], gitTreeState: "clean" });
  });
});
