// testenv figures: cold build time (recorded when the cache was built), start-to-ready time from the
// cache, and the memory of etcd and kube-apiserver once ready.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ensureBinaries, readPin, startControlPlane, versionDir } from "@kubets/testenv";

function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const TARGET_MS = 15_000;
const bins = await ensureBinaries();
const buildFile = join(versionDir(readPin()), "build.json");
const cold = existsSync(buildFile) ? (JSON.parse(readFileSync(buildFile, "utf8")) as { buildMs: number }).buildMs : undefined;

const runs: number[] = [];
let mem: { etcd: number; apiserver: number; kcm: number } | undefined;
for (let i = 0; i < 3; i++) {
  const env = await startControlPlane({ binaries: bins, log: () => {} });
  runs.push(env.startupMs);
  if (i === 2) {
    await new Promise((r) => setTimeout(r, 2000));
    const p = env.pids();
    mem = { etcd: rssMiB(p["etcd"]), apiserver: rssMiB(p["kube-apiserver"]), kcm: rssMiB(p["kube-controller-manager"]) };
  }
  await env.stop();
}
runs.sort((a, b) => a - b);
const median = runs[1]!;
console.log("testenv");
console.log(`  build time recorded when the cache was filled (cold only if Go's build cache was empty${cold === undefined ? "; n/a with KUBETS_TESTENV_BIN" : ""}): ${cold === undefined ? "-" : (cold / 1000).toFixed(0) + " s"}`);
console.log(`  start to /readyz from cache, median of 3: ${(median / 1000).toFixed(2)} s  (ratio to the 15 s target: ${(median / TARGET_MS).toFixed(2)}x)`);
if (mem) {
  console.log(`  RSS once ready: etcd ${mem.etcd.toFixed(0)} MiB, kube-apiserver ${mem.apiserver.toFixed(0)} MiB, kube-controller-manager ${mem.kcm.toFixed(0)} MiB`);
}
