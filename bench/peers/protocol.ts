/** What the peer benchmark's child processes (bench/clientgo, ./runner.ts) take and print. */

/** Options of one runner process (the Go harness takes the same as flags). */
export interface RunnerOptions {
  kubeconfig: string;
  context: string;
  namespace: string;
  /** The ConfigMap of `gets` and `firstget`. */
  name?: string;
  /** GETs, or events to count. */
  n?: number;
  /** resourceVersion a watch starts from. */
  rv?: string;
  /** watch: print "ready" once the watch is open (a live, server-paced stream). */
  ready?: boolean;
  /** watch: events counted before the measurement starts (JIT and caches warm), not part of `n`. */
  warm?: number;
  /** informer: the streaming list instead of list+watch. */
  watchList?: boolean;
  /** Objects the list or informer must hold. */
  expect?: number;
}

/** One measurement: the JSON line a child prints. Times in ms, memory in bytes. */
export interface RunnerResult {
  wallMs: number;
  cpuMs: number;
  count: number;
  heapBytes?: number;
  rssBytes?: number;
  peakRssBytes?: number;
  /** firstget: where the time went (import, config, get), from process start. */
  phases?: Record<string, number>;
}

/**
 * The result line of a child's stdout: the last line that is a JSON object with numeric wallMs, cpuMs
 * and count (other lines, such as "ready", are ignored). Throws when there is none.
 */
export function parseResult(stdout: string): RunnerResult {
  const lines = stdout.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (!line.startsWith("{")) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      continue;
    }
    const r = v as Partial<RunnerResult>;
    if (typeof r.wallMs === "number" && typeof r.cpuMs === "number" && typeof r.count === "number") return r as RunnerResult;
  }
  throw new Error(`no result line in the output: ${JSON.stringify(stdout.slice(-300))}`);
}

/** Median, min and max of the per-round ratios a[i] / b[i] (rounds interleaved, so each pair shares the machine's state). */
export function ratioStats(a: readonly number[], b: readonly number[]): { median: number; min: number; max: number } {
  const n = Math.min(a.length, b.length);
  if (n === 0) return { median: NaN, min: NaN, max: NaN };
  const rs = Array.from({ length: n }, (_, i) => a[i]! / b[i]!).sort((x, y) => x - y);
  const m = n >> 1;
  return { median: n % 2 ? rs[m]! : (rs[m - 1]! + rs[m]!) / 2, min: rs[0]!, max: rs[n - 1]! };
}

/** "1.23x [1.10-1.40]" */
export function formatRatio(s: { median: number; min: number; max: number }): string {
  if (!Number.isFinite(s.median)) return "-";
  return `${s.median.toFixed(2)}x [${s.min.toFixed(2)}-${s.max.toFixed(2)}]`;
}
