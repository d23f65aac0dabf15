// kubernetes.json is the one place the Kubernetes version is chosen. Go modules must name versions in
// their go.mod; this holds every go.mod in the repository to the pin, so a bump cannot miss one.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { readPin } from "../src/versions.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const STAGING = /^\s*(k8s\.io\/(?:api|apimachinery|client-go|apiextensions-apiserver|kube-aggregator|apiserver|component-base|code-generator))\s+(v\S+)/gm;

it("every go.mod requires the Kubernetes staging modules at the version pinned in kubernetes.json", () => {
  const pin = readPin();
  const files = execFileSync("git", ["ls-files", "*go.mod"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
  expect(files.length).toBeGreaterThan(0);
  const found: string[] = [];
  for (const f of files) {
    for (const m of readFileSync(join(root, f), "utf8").matchAll(STAGING)) {
      found.push(`${f}: ${m[1]} ${m[2]}`);
      expect(`${f}: ${m[1]} ${m[2]}`).toBe(`${f}: ${m[1]} ${pin.stagingModules}`);
    }
  }
  expect(found.length).toBeGreaterThan(0);
});
