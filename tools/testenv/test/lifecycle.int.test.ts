// Lifecycle guarantees of a control plane of its own (not the shared one): restart on the same etcd,
// and nothing left behind after stop() or after the owning process is killed.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";
import { describe, expect, it } from "vitest";
import { startControlPlane, type ControlPlane } from "../src/control-plane.js";

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

async function call(env: ControlPlane, agent: Agent, method: string, path: string, body?: unknown) {
  const res = await request(`${env.server}${path}`, {
    method: method as "GET",
    dispatcher: agent,
    headers: { authorization: `Bearer ${env.adminToken}`, "content-type": "application/json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, body: (await res.body.json()) as any };
}

describe("control plane lifecycle", () => {
  it("keeps the data when kube-apiserver is killed and restarted on the same etcd, and stop() leaves nothing", async () => {
    const env = await startControlPlane({ controllerManager: false, log: () => {} });
    const agent = new Agent({ connect: { ca: env.caPem } });
    try {
      const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "survivor" }, data: { k: "v" } };
      expect((await call(env, agent, "POST", "/api/v1/namespaces/default/configmaps", cm)).status).toBe(201);

      const oldPid = env.pids()["kube-apiserver"];
      await env.killApiServer();
      expect(alive(oldPid)).toBe(false);
      await expect(request(`${env.server}/readyz`, { dispatcher: new Agent({ connect: { ca: env.caPem } }) })).rejects.toThrow();

      await env.startApiServer();
      expect(env.pids()["kube-apiserver"]).not.toBe(oldPid);
      const got = await call(env, agent, "GET", "/api/v1/namespaces/default/configmaps/survivor");
      expect(got.status).toBe(200);
      expect(got.body.data).toEqual({ k: "v" });
    } finally {
      await agent.close();
      const pids = Object.values(env.pids());
      await env.stop();
      expect(pids.filter(alive)).toEqual([]);
      expect(existsSync(env.dir)).toBe(false);
    }
  });

  it("leaves no processes and no temp dir behind when the owning process is SIGKILLed", async () => {
    const script = fileURLToPath(new URL("./fixtures/start-and-report.ts", import.meta.url));
    const child = spawn(process.execPath, ["--conditions=@kubets/source", "--import", "tsx", script], {
      stdio: ["ignore", "pipe", "inherit"],
      cwd: fileURLToPath(new URL("../../..", import.meta.url)),
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    const reported = await waitFor(() => out.includes("\n"), 60_000);
    expect(reported).toBe(true);
    const { dir, pids } = JSON.parse(out.split("\n")[0]!) as { dir: string; pids: number[] };
    expect(pids.length).toBe(3);
    expect(pids.every(alive)).toBe(true);
    child.kill("SIGKILL");
    expect(await waitFor(() => pids.every((p) => !alive(p)) && !existsSync(dir), 15_000)).toBe(true);
  }, 90_000);

  it("cleans up on SIGINT", async () => {
    const script = fileURLToPath(new URL("./fixtures/start-and-report.ts", import.meta.url));
    const child = spawn(process.execPath, ["--conditions=@kubets/source", "--import", "tsx", script], {
      stdio: ["ignore", "pipe", "inherit"],
      cwd: fileURLToPath(new URL("../../..", import.meta.url)),
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    expect(await waitFor(() => out.includes("\n"), 60_000)).toBe(true);
    const { dir, pids } = JSON.parse(out.split("\n")[0]!) as { dir: string; pids: number[] };
    const exited = new Promise((r) => child.on("exit", r));
    child.kill("SIGINT");
    await exited;
    expect(await waitFor(() => pids.every((p) => !alive(p)) && !existsSync(dir), 10_000)).toBe(true);
  }, 90_000);
});
