// Simulated nodes of a control plane of its own: kube-scheduler places a pod on a kwok node, kwok runs it,
// and stop() leaves no process behind.
import { existsSync } from "node:fs";
import { Agent, request } from "undici";
import { expect, it } from "vitest";
import { startControlPlane } from "../src/control-plane.js";

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it("runs kube-scheduler and kwok: a pod is scheduled onto a Ready node, goes Running, and stop() kills every process", async () => {
  const env = await startControlPlane({ nodes: 2, log: () => {} });
  const agent = new Agent({ connect: { ca: env.caPem } });
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await request(`${env.server}${path}`, {
      method: method as "GET",
      dispatcher: agent,
      headers: { authorization: `Bearer ${env.adminToken}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: await res.body.json() };
  };
  const pids = env.pids();
  try {
    expect(env.nodes).toEqual(["kwok-node-0", "kwok-node-1"]);
    expect(env.kubeletPort).toBeGreaterThan(0);
    expect(existsSync(env.execDir ?? "")).toBe(true);
    for (const name of ["kwok", "kube-scheduler", "kube-controller-manager", "kube-apiserver", "etcd"]) expect(alive(pids[name])).toBe(true);
    const node = (await call("GET", "/api/v1/nodes/kwok-node-1")).body;
    expect(node.status.addresses).toContainEqual({ type: "InternalIP", address: "127.0.0.1" });
    expect(node.status.daemonEndpoints.kubeletEndpoint.Port).toBe(env.kubeletPort);
    expect(node.status.conditions.find((c: { type: string }) => c.type === "Ready").status).toBe("True");

    for (let i = 0; i < 100 && (await call("GET", "/api/v1/namespaces/default/serviceaccounts/default")).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await call("POST", "/api/v1/namespaces/default/pods", { metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "x" }] } })).status).toBe(201);
    let pod: any;
    for (let i = 0; i < 300; i++) {
      pod = (await call("GET", "/api/v1/namespaces/default/pods/p")).body;
      if (pod.status?.phase === "Running") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(pod.status.phase).toBe("Running");
    expect(env.nodes).toContain(pod.spec.nodeName);
  } finally {
    await agent.close();
    await env.stop();
  }
  for (const pid of Object.values(pids)) expect(alive(pid)).toBe(false);
  expect(existsSync(env.dir)).toBe(false);
}, 120_000);
