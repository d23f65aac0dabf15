// Leader election against the real API server: two electors race for one Lease; release on cancel
// hands over quickly; a leader whose Lease is taken by someone else stops leading; leaseTransitions counts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Lease } from "@kubets/api/coordination/v1";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { LeaseLock, newLeaderElector, type LeaderElectionConfig, type LeaderElector } from "@kubets/client/leaderelection";
import { nowMicroTime } from "@kubets/apimachinery/meta/v1";
import { configFor, uniqueName } from "./helpers/int.js";

const ns = uniqueName("kubets-leaderelection");
let admin: Clientset;

async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Candidate {
  id: string;
  elector: LeaderElector;
  stop: AbortController;
  done: Promise<void>;
  log: string[];
  leading: boolean;
}

/** A candidate with its own clientset, running until stopped. */
function candidate(lease: string, id: string, overrides: Partial<LeaderElectionConfig> = {}): Candidate {
  const cs = newForConfig(configFor("admin"));
  const log: string[] = [];
  const stop = new AbortController();
  const c: Partial<Candidate> = { id, stop, log, leading: false };
  const elector = newLeaderElector({
    lock: new LeaseLock({ namespace: ns, name: lease, client: cs.coordinationV1(), identity: id }),
    leaseDuration: 2000,
    renewDeadline: 1500,
    retryPeriod: 300,
    releaseOnCancel: true,
    name: lease,
    log: () => undefined,
    callbacks: {
      onStartedLeading: async (signal) => {
        log.push("started");
        c.leading = true;
        await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
        c.leading = false;
      },
      onStoppedLeading: () => {
        log.push("stopped");
      },
      onNewLeader: (who) => log.push(`leader:${who}`),
    },
    ...overrides,
  });
  c.elector = elector;
  c.done = elector.run(stop.signal).finally(() => cs.close());
  return c as Candidate;
}

async function getLease(name: string): Promise<Lease> {
  return admin.coordinationV1().leases(ns).get(name);
}

beforeAll(async () => {
  admin = newForConfig(configFor("admin"));
  await admin.coreV1().namespaces().create({ metadata: { name: ns } });
});

afterAll(async () => {
  await admin.coreV1().namespaces().delete(ns).catch(() => undefined);
  await admin.close();
});

describe("leader election on a Lease", () => {
  it("two candidates: exactly one leads; release on cancel hands over quickly; leaseTransitions counts", async () => {
    // A long lease (10 s): a takeover within a few seconds can only come from the release.
    const long = { leaseDuration: 10_000 };
    const a = candidate("race", "a", long);
    const b = candidate("race", "b", long);
    try {
      await until(() => a.leading || b.leading, "a leader");
      // Both keep trying for a while: never both lead.
      for (let i = 0; i < 40; i++) {
        expect(a.leading && b.leading).toBe(false);
        await new Promise((r) => setTimeout(r, 25));
      }
      const [leader, other] = a.leading ? [a, b] : [b, a];
      expect(leader.elector.isLeader()).toBe(true);
      expect(other.elector.isLeader()).toBe(false);
      await until(() => other.elector.getLeader() === leader.id, "the other candidate to observe the leader");
      const first = await getLease("race");
      expect(first.spec?.holderIdentity).toBe(leader.id);
      expect(first.spec?.leaseDurationSeconds).toBe(10);
      expect(first.spec?.acquireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      const transitions = first.spec?.leaseTransitions ?? 0;

      // The leader's signal aborts: it stops its work, releases the Lease, and the other takes over
      // long before the 10 s lease would have expired on its own clock.
      const t0 = Date.now();
      leader.stop.abort();
      await leader.done;
      expect(leader.log.filter((l) => l === "started" || l === "stopped")).toEqual(["started", "stopped"]);
      expect(leader.leading).toBe(false);
      const released = await getLease("race");
      // Released (holder cleared) or already taken by the other candidate.
      expect(["", other.id]).toContain(released.spec?.holderIdentity ?? "");
      await until(() => other.leading, "the other candidate to lead", 8000);
      expect(Date.now() - t0).toBeLessThan(6000);
      const second = await getLease("race");
      expect(second.spec?.holderIdentity).toBe(other.id);
      expect(second.spec?.leaseTransitions).toBe(transitions + 1);
      await until(() => other.log.includes(`leader:${other.id}`), "onNewLeader for the new leader");
    } finally {
      a.stop.abort();
      b.stop.abort();
      await Promise.all([a.done, b.done]);
    }
    // b released too: nobody holds the Lease.
    expect((await getLease("race")).spec?.holderIdentity).toBe("");
  });

  it("a leader whose Lease another identity took over stops leading (onStoppedLeading) and returns", async () => {
    const a = candidate("taken", "a", { releaseOnCancel: false });
    try {
      await until(() => a.leading, "a to lead");
      const lease = await getLease("taken");
      const now = nowMicroTime();
      // Someone else writes the Lease (a forced takeover): a's next renewal conflicts, and the record it
      // then reads is held by "intruder" and valid for 30 s, so a cannot renew within renewDeadline.
      await admin.coordinationV1().leases(ns).update({
        ...lease,
        spec: { ...lease.spec, holderIdentity: "intruder", leaseDurationSeconds: 30, acquireTime: now, renewTime: now, leaseTransitions: (lease.spec?.leaseTransitions ?? 0) + 1 },
      });
      await a.done; // run() returns once leadership is lost
      expect(a.leading).toBe(false);
      expect(a.log).toContain("started");
      expect(a.log.at(-1)).toBe("stopped");
      expect(a.elector.isLeader()).toBe(false);
      expect(a.elector.getLeader()).toBe("intruder");
      expect(a.log).toContain("leader:intruder");
      // releaseOnCancel does not apply, and a does not overwrite the intruder.
      expect((await getLease("taken")).spec?.holderIdentity).toBe("intruder");
    } finally {
      a.stop.abort();
      await a.done;
    }
  });

  it("a candidate takes over an expired Lease (never trusts the times written in it)", async () => {
    // A Lease left by a holder that died, with a renewTime far in the future: only the local clock counts.
    const future = "2999-01-01T00:00:00.000000Z";
    await admin.coordinationV1().leases(ns).create({
      metadata: { name: "stale" },
      spec: { holderIdentity: "dead", leaseDurationSeconds: 1, acquireTime: future, renewTime: future, leaseTransitions: 4 },
    });
    const t0 = Date.now();
    const c = candidate("stale", "c");
    try {
      await until(() => c.leading, "c to take over");
      // It had to watch the record unchanged for the lease duration (1 s) first.
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
      const lease = await getLease("stale");
      expect(lease.spec?.holderIdentity).toBe("c");
      expect(lease.spec?.leaseTransitions).toBe(5);
      expect(c.log).toContain("leader:dead");
    } finally {
      c.stop.abort();
      await c.done;
    }
  });
});
