import { describe, expect, it } from "vitest";
import { SharedIndexInformer, SharedInformerFactory, withListOptions } from "../src/index.js";
import type { Obj } from "./helpers.js";
import { obj } from "./helpers.js";
import { FakeSource } from "./fake-source.js";

describe("SharedInformerFactory", () => {
  it("shares one informer per key, starts, syncs and shuts down all of them", async () => {
    const pods = new FakeSource();
    pods.add(obj("ns", "p"));
    const nodes = new FakeSource();
    nodes.add(obj("", "n1"));
    const factory = new SharedInformerFactory({ resyncPeriod: 30_000, customResync: { nodes: 60_000 } });
    const periods: number[] = [];
    const make = (src: FakeSource) => (resync: number) => {
      periods.push(resync);
      return new SharedIndexInformer<Obj>(src, { resyncPeriod: resync });
    };
    const p1 = factory.informerFor("pods", make(pods));
    const p2 = factory.informerFor("pods", make(pods));
    const n = factory.informerFor("nodes", make(nodes));
    expect(p1).toBe(p2);
    expect(periods).toEqual([30_000, 60_000]);

    const ac = new AbortController();
    factory.start(ac.signal);
    factory.start(ac.signal); // idempotent
    const synced = await factory.waitForCacheSync(ac.signal);
    expect(synced).toEqual(new Map([["pods", true], ["nodes", true]]));
    expect(p1.getStore().listKeys()).toEqual(["ns/p"]);
    expect(n.getStore().listKeys()).toEqual(["n1"]);
    expect(pods.listCalls).toHaveLength(1);

    await factory.shutdown();
    expect(p1.isStopped()).toBe(true);
    expect(n.isStopped()).toBe(true);
    expect(pods.live()).toHaveLength(0);
  });

  it("starts informers requested after the first start on the next start", async () => {
    const factory = new SharedInformerFactory();
    const ac = new AbortController();
    factory.start(ac.signal);
    const src = new FakeSource();
    const inf = factory.informerFor("late", () => new SharedIndexInformer<Obj>(src));
    expect(inf.hasStarted()).toBe(false);
    factory.start(ac.signal);
    expect(inf.hasStarted()).toBe(true);
    expect(await factory.waitForCacheSync(ac.signal)).toEqual(new Map([["late", true]]));
    ac.abort();
    await factory.shutdown();
  });

  it("hands namespace and list option tweaks to constructors and sets its transform", async () => {
    const factory = new SharedInformerFactory({
      namespace: "team-a",
      tweakListOptions: (o) => {
        o.labelSelector = "app=web";
      },
      transform: (o) => ({ ...(o as Obj), spec: { value: "slim" } }),
    });
    const src = new FakeSource();
    src.add(obj("team-a", "p"));
    const inf = factory.informerFor("pods", () => new SharedIndexInformer<Obj>(withListOptions(src, (o) => factory.tweakListOptions?.(o))));
    expect(factory.namespace).toBe("team-a");
    const ac = new AbortController();
    factory.start(ac.signal);
    await factory.waitForCacheSync(ac.signal);
    expect(src.listCalls[0]!.labelSelector).toBe("app=web");
    expect(inf.getStore().getByKey("team-a/p")?.spec?.value).toBe("slim");
    await factory.shutdown();
  });
});
