/**
 * Summarizes V8 CPU profiles (node --cpu-prof; bench/peers.bench.ts writes them with BENCH_PROFILE_DIR):
 * self time by function and by package/module group, as a short text to commit instead of the profile.
 *
 *   node --import tsx bench/peers/profile-summary.ts <file.cpuprofile>... [--top 25]
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The group a script belongs to: a package (node_modules/x, @kubets/<pkg>/<dir>), node internals, or V8. */
export function groupOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const ours = /packages\/([^/]+)\/(?:src|dist)\/([^/]+)/.exec(url);
  if (ours) return `@kubets/${ours[1]}/${ours[2]!.replace(/\.(ts|js)$/, "")}`;
  if (url.startsWith("node:")) return url.replace(/^node:internal\/(deps\/)?/, "node:").replace(/\/.*$/, "");
  return basename(url);
}

export function summarize(p: Profile, top = 25): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const groups = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const where = f.url === "" ? "" : ` ${f.url.replace(/^.*\/(packages|node_modules)\//, "$1/")}:${f.lineNumber + 1}`;
    const fn = `${f.functionName || "(anonymous)"}${where}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    const g = groupOf(f.url, f.functionName);
    groups.set(g, (groups.get(g) ?? 0) + us);
  }
  const pct = (us: number): string => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(1).padStart(7)} ms`;
  const out = [`total sampled ${(total / 1000).toFixed(0)} ms`, "", "self time by group:"];
  for (const [g, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 15)) out.push(`  ${pct(us)}  ${g}`);
  out.push("", "self time by function:");
  for (const [f, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`  ${pct(us)}  ${f}`);
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  const args = process.argv.slice(2);
  const t = args.indexOf("--top");
  const top = t >= 0 ? Number(args.splice(t, 2)[1]) : 25;
  for (const f of args) {
    console.log(`== ${basename(f)}`);
    console.log(summarize(JSON.parse(readFileSync(f, "utf8")) as Profile, top).join("\n"));
    console.log("");
  }
}
