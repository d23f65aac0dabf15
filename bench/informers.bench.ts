/**
 * @kubets/informers throughput: initial sync and watch-event delivery through a
 * SharedIndexInformer (in-memory ListerWatcher, one synchronous handler, namespace index).
 *
 *   node --conditions=@kubets/source --import tsx bench/informers.bench.ts
 *
 * Each figure is printed beside a floor measured in the same run: the same objects put
 * into a bare Map plus a namespace Map<string, Set<string>> and handed to the same handler,
 * with none of the queueing, keying, tombstones or per-handler buffering.
 * ratio = informer objects/s ÷ floor objects/s (1.0 would be as fast as the floor).
 */
import type { ListerWatcher, Watch, WatchEvent } from "@kubets/informers";
import { NamespaceIndex, SharedIndexInformer, metaNamespaceIndexFunc } from "@kubets/informers";

interface Obj {
  metadata: { name: string; namespace: string; resourceVersion: string };
}

const N = Number(process.env["BENCH_N"] ?? 50_000);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 5);
const objects: Obj[] = Array.from({ length: N }, (_, i) => ({
  metadata: { name: `o${i}`, namespace: `ns${i % 50}`, resourceVersion: String(i + 1) },
}));

let sink = 0;
const handler = (o: Obj): void => {
  sink += o.metadata.name.length;
};

function floor(): number {
  const t0 = performance.now();
  const items = new Map<string, Obj>();
  const byNs = new Map<string, Set<string>>();
  for (const o of objects) {
    const key = `${o.metadata.namespace}/${o.metadata.name}`;
    items.set(key, o);
    let s = byNs.get(o.metadata.namespace);
    if (s === undefined) byNs.set(o.metadata.namespace, (s = new Set()));
    s.add(key);
    handler(o);
  }
  return performance.now() - t0;
}

/** A watch fed by a push function. */
function channel(): { watch: Watch<Obj>; push: (ev: WatchEvent<Obj>) => void } {
  const queue: WatchEvent<Obj>[] = [];
  let head = 0;
  let wake: (() => void) | undefined;
  let stopped = false;
  return {
    push: (ev) => {
      queue.push(ev);
      wake?.();
    },
    watch: {
      stop: () => {
        stopped = true;
        wake?.();
      },
      async *[Symbol.asyncIterator]() {
        while (!stopped) {
          if (head < queue.length) {
            const ev = queue[head] as WatchEvent<Obj>;
            head++;
            yield ev;
            continue;
          }
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
        }
      },
    },
  };
}

async function informerRound(queue: "RealFIFO" | "DeltaFIFO"): Promise<{ sync: number; events: number }> {
  let push!: (ev: WatchEvent<Obj>) => void;
  const lw: ListerWatcher<Obj> = {
    list: async () => ({ metadata: { resourceVersion: String(N) }, items: objects }),
    watch: async () => {
      const c = channel();
      push = c.push;
      return c.watch;
    },
  };
  const inf = new SharedIndexInformer<Obj>(lw, { queue, indexers: { [NamespaceIndex]: metaNamespaceIndexFunc } });
  let updates = 0;
  let allUpdated!: () => void;
  const updated = new Promise<void>((r) => (allUpdated = r));
  const reg = inf.addEventHandler({
    onAdd: handler,
    onUpdate: (_, o) => {
      handler(o);
      if (++updates === N) allUpdated();
    },
  });
  const ac = new AbortController();
  const t0 = performance.now();
  const done = inf.run(ac.signal);
  await reg.whenSynced();
  const sync = performance.now() - t0;
  while (push === undefined) await new Promise((r) => setImmediate(r));
  const t1 = performance.now();
  for (let i = 0; i < N; i++) {
    const o = objects[i] as Obj;
    push({ type: "MODIFIED", object: { metadata: { ...o.metadata, resourceVersion: String(N + i + 1) } } });
  }
  await updated;
  const events = performance.now() - t1;
  ac.abort();
  await done;
  return { sync, events };
}

function best(xs: number[]): number {
  return Math.min(...xs);
}

async function main(): Promise<void> {
  const floors: number[] = [];
  const results = new Map<string, { sync: number[]; events: number[] }>();
  for (let r = 0; r < ROUNDS; r++) {
    // Floor and subject alternate so machine noise hits both alike.
    floors.push(floor());
    for (const q of ["RealFIFO", "DeltaFIFO"] as const) {
      const x = await informerRound(q);
      const e = results.get(q) ?? { sync: [], events: [] };
      e.sync.push(x.sync);
      e.events.push(x.events);
      results.set(q, e);
    }
  }
  const f = best(floors);
  const perSec = (ms: number): number => (N / ms) * 1000;
  console.log(`objects: ${N}, rounds: ${ROUNDS} (best of)`);
  console.log(`floor  Map + namespace index + handler: ${Math.round(perSec(f)).toLocaleString("en")} objects/s`);
  for (const [q, r] of results) {
    const s = best(r.sync);
    const e = best(r.events);
    console.log(
      `${q.padEnd(9)} initial sync: ${Math.round(perSec(s)).toLocaleString("en")} objects/s (ratio ${(f / s).toFixed(3)}); ` +
        `watch events: ${Math.round(perSec(e)).toLocaleString("en")} events/s (ratio ${(f / e).toFixed(3)})`,
    );
  }
  if (sink === 42) console.log("");
}

await main();
