// The README's demo command runs end to end: its own control plane with simulated nodes, a Deployment going
// Running, the informer and workqueue, the sample app's listing, exec and port-forward.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { readPin } from "../src/versions.js";

it("npm run demo runs a Deployment on kwok nodes, execs into a pod and forwards a port", () => {
  const root = fileURLToPath(new URL("../../..", import.meta.url));
  const r = spawnSync(process.execPath, ["--conditions=@kubets/source", "--import", "tsx", "examples/demo.ts"], {
    cwd: root,
    encoding: "utf8",
    timeout: 150_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const out = r.stdout;
  expect(out).toContain(`Kubernetes ${readPin().kubernetes}`);
  expect(out).toContain("nodes kwok-node-0, kwok-node-1");
  expect(out.match(/^reconciled demo\/web-[a-z0-9]+-[a-z0-9]+: Running on kwok-node-\d with IP /gm)).toHaveLength(2);
  expect(out).toContain("deployment web: 2/2 ready");
  expect(out).toMatch(/========Pods========\nweb-\S+\nweb-\S+\n========Deployments========\nweb\n========Services========\nweb\n/);
  expect(out).toMatch(/^hello from web-\S+ on kwok\nLinux\nexit code 0$/m);
  expect(out).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/ -> hello from the web pod$/m);
  expect(out.trimEnd().endsWith("done")).toBe(true);
}, 180_000);
