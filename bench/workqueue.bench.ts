/**
 * @kubets/workqueue throughput: add + get + done cycles per second.
 *
 *   node --conditions=@kubets/source --import tsx bench/workqueue.bench.ts
 *
 * Every figure is printed beside the floor measured in the same run: a bare
 * JavaScript array used as a FIFO (push + shift of the same number of items),
 * which does no deduplication, no in-flight tracking and no awaiting.
 * ratio = queue cycles/s ÷ floor cycles/s (1.0 would be as fast as the bare array).
 */
import {
  FakeClock,
  newTyped,
  newTypedDelayingQueueWithConfig,
  newTypedItemExponentialFailureRateLimiter,
  newTypedRateLimitingQueueWithConfig,
} from "@kubets/workqueue";

const BATCH = 1000;
const keys = Array.from({ length: BATCH }, (_, i) => `namespace-${i % 37}/object-${i}`);
const MEASURE_MS = Number(process.env["BENCH_MS"] ?? 2000);

interface Result {
  name: string;
  cyclesPerSec: number;
}

/** Runs `round` (which performs `perRound` cycles) repeatedly for MEASURE_MS; returns cycles/s. */
async function measure(name: string, perRound: number, round: () => unknown): Promise<Result> {
  // Warm up so the JIT has settled.
  const warmEnd = performance.now() + MEASURE_MS / 4;
  while (performance.now() < warmEnd) await round();
  let cycles = 0;
  const start = performance.now();
  let now = start;
  while (now - start < MEASURE_MS) {
    await round();
    cycles += perRound;
    now = performance.now();
  }
  return { name, cyclesPerSec: (cycles / (now - start)) * 1000 };
}

let sink = 0;

function floorRound(): void {
  const a: string[] = [];
  for (let i = 0; i < BATCH; i++) a.push(keys[i] as string);
  for (let i = 0; i < BATCH; i++) sink += (a.shift() as string).length;
}

const BIG = 100_000;
const bigKeys = Array.from({ length: BIG }, (_, i) => `namespace-${i % 37}/object-${i}`);

async function main(): Promise<void> {
  const results: Result[] = [];
  const floor = await measure("floor: array push + shift (sync)", BATCH, floorRound);
  results.push(
    await measure("reference: array push + await Promise.resolve(shift)", BATCH, async () => {
      const a: string[] = [];
      for (let i = 0; i < BATCH; i++) a.push(keys[i] as string);
      for (let i = 0; i < BATCH; i++) sink += (await Promise.resolve(a.shift() as string)).length;
    }),
  );

  // Plain queue, 1000 distinct keys in flight per round.
  const q = newTyped();
  results.push(
    await measure("queue: add x1000, then (await get + done) x1000", BATCH, async () => {
      for (let i = 0; i < BATCH; i++) q.add(keys[i] as string);
      for (let i = 0; i < BATCH; i++) {
        const r = await q.get();
        if (!r.shutdown) q.done(r.item);
      }
    }),
  );

  // Plain queue holding 100k items: must stay O(1) per operation.
  const qb = newTyped();
  results.push(
    await measure("queue: add x100k, then (await get + done) x100k", BIG, async () => {
      for (let i = 0; i < BIG; i++) qb.add(bigKeys[i] as string);
      for (let i = 0; i < BIG; i++) {
        const r = await qb.get();
        if (!r.shutdown) qb.done(r.item);
      }
    }),
  );

  // Plain queue, one item at a time (the usual steady state of a quiet controller).
  const q1 = newTyped();
  results.push(
    await measure("queue: add + await get + done, one at a time", BATCH, async () => {
      for (let i = 0; i < BATCH; i++) {
        q1.add(keys[i] as string);
        const r = await q1.get();
        if (!r.shutdown) q1.done(r.item);
      }
    }),
  );

  // Plain queue with 64 workers waiting in get(): every add is handed to a waiter.
  {
    const qw = newTyped();
    let processed = 0;
    const workers = Array.from({ length: 64 }, async () => {
      for (;;) {
        const r = await qw.get();
        if (r.shutdown) return;
        processed++;
        qw.done(r.item);
      }
    });
    results.push(
      await measure("queue: 64 waiting workers, add x1000 per round", BATCH, async () => {
        const target = processed + BATCH;
        for (let i = 0; i < BATCH; i++) qw.add(keys[i] as string);
        while (processed < target) await new Promise<void>((r) => setImmediate(r));
      }),
    );
    qw.shutDown();
    await Promise.all(workers);
  }

  // Delaying queue: addAfter with spread delays (heap), step a fake clock, drain.
  const clock = new FakeClock();
  const dq = newTypedDelayingQueueWithConfig({ clock });
  const delays = Array.from({ length: BATCH }, (_, i) => 1 + ((i * 7919) % 1000));
  results.push(
    await measure("delaying: addAfter(random 1..1000 ms) x1000, step, get + done", BATCH, async () => {
      for (let i = 0; i < BATCH; i++) dq.addAfter(keys[i] as string, delays[i] as number);
      clock.step(1000);
      for (let i = 0; i < BATCH; i++) {
        const r = await dq.get();
        if (!r.shutdown) dq.done(r.item);
      }
    }),
  );

  // Rate-limiting queue: addRateLimited (exponential), step, get + forget + done.
  const rclock = new FakeClock();
  const rq = newTypedRateLimitingQueueWithConfig(newTypedItemExponentialFailureRateLimiter<string>(5, 1000), {
    clock: rclock,
  });
  results.push(
    await measure("rate-limiting: addRateLimited x1000, step, get + forget + done", BATCH, async () => {
      for (let i = 0; i < BATCH; i++) rq.addRateLimited(keys[i] as string);
      rclock.step(5);
      for (let i = 0; i < BATCH; i++) {
        const r = await rq.get();
        if (!r.shutdown) {
          rq.forget(r.item);
          rq.done(r.item);
        }
      }
    }),
  );

  const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M/s`;
  console.log(`@kubets/workqueue bench (node ${process.version}, ${MEASURE_MS} ms per case)`);
  console.log(`${floor.name.padEnd(68)} ${fmt(floor.cyclesPerSec).padStart(11)}  ratio 1.00 (floor)`);
  for (const r of results) {
    const ratio = r.cyclesPerSec / floor.cyclesPerSec;
    console.log(`${r.name.padEnd(68)} ${fmt(r.cyclesPerSec).padStart(11)}  ratio ${ratio.toFixed(3)}`);
  }
  const plain = results[1] as Result;
  console.log(`plain queue target >= 1 M cycles/s: ${plain.cyclesPerSec >= 1e6 ? "met" : "NOT met"}`);
  if (sink === -1) console.log(sink);
}

await main();
