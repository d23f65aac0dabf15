// Runs examples/crd-dynamic/main.ts as a program against the real API server (KUBECONFIG pointing at the
// test control plane) and checks its walk-through and what it leaves behind.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "@kubets/testenv/vitest";
import { isNotFound } from "@kubets/apimachinery/errors";
import * as dynamic from "@kubets/client/dynamic";
import { configFor, uniqueName } from "./helpers/int.js";

const repoRoot = join(import.meta.dirname, "../../..");
const ns = uniqueName("kubets-crd-example");
// A group of its own, so that nothing else on the shared control plane can hold a CronTab CRD.
const GROUP = `${uniqueName("s").replace(/[^a-z0-9]/g, "")}.stable.example.com`;
const CRDS = { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" };
let dyn: dynamic.DynamicClient;

function runExample(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--conditions=@kubets/source", "--import", "tsx", join(repoRoot, "examples/crd-dynamic/main.ts"), ...args],
      { cwd: repoRoot, env: { PATH: process.env["PATH"], HOME: process.env["HOME"], KUBECONFIG: testEnv().kubeconfigPath }, timeout: 90_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dyn = dynamic.newForConfig(configFor("admin"));
  await dyn.resource({ group: "", version: "v1", resource: "namespaces" }).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
});

afterAll(async () => {
  await dyn.resource(CRDS).delete(`crontabs.${GROUP}`).catch(() => undefined);
  await dyn.resource({ group: "", version: "v1", resource: "namespaces" }).delete(ns).catch(() => undefined);
  await dyn.close();
});

describe("examples/crd-dynamic", () => {
  it("installs the CronTab CRD, CRUDs CronTabs with the dynamic client, then removes the CRD", async () => {
    const first = await runExample("--namespace", ns, "--group", GROUP, "--keep");
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout.trimEnd().split("\n")).toEqual([
      `crd crontabs.${GROUP} established`,
      `kind CronTab is served as crontabs.${GROUP}/v1 (namespaced)`,
      "created nightly (uid set) and hourly",
      "listed tier=batch: hourly, nightly",
      "updated nightly replicas to 3; patched hourly cronSpec to 30 * * * *",
      "status of nightly: lastScheduleTime 2026-01-01T03:00:00Z",
      "watch saw: MODIFIED nightly, MODIFIED hourly, MODIFIED nightly, DELETED hourly, DELETED nightly",
      "nightly is gone (NotFound)",
    ]);
    // --keep left the CRD in place; the objects are gone.
    const crd = await dyn.resource(CRDS).get(`crontabs.${GROUP}`);
    expect(crd.metadata?.name).toBe(`crontabs.${GROUP}`);
    const left = await dyn.resource({ group: GROUP, version: "v1", resource: "crontabs" }).namespace(ns).list();
    expect(left.items).toEqual([]);

    // A second run finds the CRD installed already (server-side apply is idempotent) and removes it at the end.
    const second = await runExample("--namespace", ns, "--group", GROUP);
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    expect(second.stdout.trimEnd().split("\n").at(-1)).toBe(`crd crontabs.${GROUP} deleted`);
    // The CRD goes away once its finalizer has removed the stored objects.
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      gone = await dyn.resource(CRDS).get(`crontabs.${GROUP}`).then(
        () => false,
        (err: unknown) => isNotFound(err),
      );
      if (!gone) await new Promise((r) => setTimeout(r, 200));
    }
    expect(gone).toBe(true);
  });
});
