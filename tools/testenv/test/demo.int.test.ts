// The README's demo command runs end to end: its own control plane, the typed clientset, the namespaces.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { readPin } from "../src/versions.js";

it("npm run demo lists the namespaces of a fresh control plane", () => {
  const root = fileURLToPath(new URL("../../..", import.meta.url));
  const r = spawnSync(process.execPath, ["--conditions=@kubets/source", "--import", "tsx", "examples/demo.ts"], {
    cwd: root,
    encoding: "utf8",
    timeout: 90_000,
  });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain(`Kubernetes ${readPin().kubernetes}, 4 namespaces:`);
  for (const ns of ["default", "kube-node-lease", "kube-public", "kube-system"]) expect(r.stdout).toMatch(new RegExp(`^${ns}\\s+Active`, "m"));
}, 120_000);
