import { describe, expect, it } from "vitest";
import {
  FakeClock,
  defaultTypedControllerRateLimiter,
  metaNamespaceKeyFunc,
  newTypedRateLimitingQueueWithConfig,
  splitMetaNamespaceKey,
} from "../src/index.js";

describe("controller worker loop (README pattern)", () => {
  it("retries failures with backoff, forgets successes, gives up after 5 requeues", async () => {
    const clock = new FakeClock();
    const queue = newTypedRateLimitingQueueWithConfig(defaultTypedControllerRateLimiter({ clock }), { clock });
    const attempts = new Map<string, number>();
    const reconciled: string[] = [];
    const gaveUp: string[] = [];

    async function reconcile(namespace: string, name: string): Promise<void> {
      const key = `${namespace}/${name}`;
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      await Promise.resolve();
      if (name === "flaky" && n < 3) throw new Error("transient");
      if (name === "broken") throw new Error("permanent");
      reconciled.push(key);
    }

    async function worker(): Promise<void> {
      for (;;) {
        const { item: key, shutdown } = await queue.get();
        if (shutdown) return;
        try {
          const { namespace, name } = splitMetaNamespaceKey(key);
          await reconcile(namespace, name);
          queue.forget(key);
        } catch {
          if (queue.numRequeues(key) < 5) queue.addRateLimited(key);
          else {
            gaveUp.push(key);
            queue.forget(key);
          }
        } finally {
          queue.done(key);
        }
      }
    }

    const workers = [worker(), worker()];
    for (const name of ["ok", "flaky", "broken"]) queue.add(metaNamespaceKeyFunc({ metadata: { namespace: "default", name } }));
    // Step time through the backoffs: 5, 10, 20, 40, 80 ms.
    for (let i = 0; i < 40; i++) {
      await new Promise<void>((r) => setImmediate(r));
      clock.step(5);
    }
    await queue.shutDownWithDrain();
    await Promise.all(workers);

    expect(reconciled.sort()).toEqual(["default/flaky", "default/ok"]);
    expect(attempts.get("default/flaky")).toBe(3);
    expect(attempts.get("default/broken")).toBe(6); // first try + 5 rate-limited retries
    expect(gaveUp).toEqual(["default/broken"]);
    expect(queue.numRequeues("default/flaky")).toBe(0);
    expect(queue.numRequeues("default/broken")).toBe(0);
  });
});
