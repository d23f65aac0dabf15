// Option validation (client-go's NewLeaderElector checks and messages) and the elector's behaviour over
// the fake clientset: renew failures stop leading, onNewLeader, the record mapping, the health check.
import { describe, expect, it } from "vitest";
import { newInternalError } from "@kubets/apimachinery/errors";
import {
  JITTER_FACTOR,
  LeaseLock,
  isLeaderElectionConfigError,
  leaderElectionRecordToLeaseSpec,
  leaseSpecToLeaderElectionRecord,
  newLeaderElector,
  newLeaderHealthzAdaptor,
  runLeaderElection,
  type LeaderElectionConfig,
} from "@kubets/client/leaderelection";
import { newSimpleClientset } from "@kubets/client/testing";

function config(over: Partial<LeaderElectionConfig> = {}, identity = "me"): LeaderElectionConfig {
  const fake = newSimpleClientset();
  return {
    lock: new LeaseLock({ namespace: "ns", name: "lock", client: fake.coordinationV1(), identity }),
    leaseDuration: 3000,
    renewDeadline: 2000,
    retryPeriod: 500,
    callbacks: { onStartedLeading: () => undefined, onStoppedLeading: () => undefined },
    log: () => undefined,
    ...over,
  };
}

function invalid(c: LeaderElectionConfig): string {
  try {
    newLeaderElector(c);
  } catch (err) {
    expect(isLeaderElectionConfigError(err)).toBe(true);
    return (err as Error).message;
  }
  return "valid";
}

describe("validation", () => {
  it("accepts leaseDuration > renewDeadline > retryPeriod * JitterFactor", () => {
    expect(JITTER_FACTOR).toBe(1.2);
    expect(invalid(config())).toBe("valid");
  });

  it("rejects what client-go rejects, with its messages", () => {
    expect(invalid(config({ leaseDuration: 2000, renewDeadline: 2000 }))).toBe("leaseDuration must be greater than renewDeadline");
    expect(invalid(config({ leaseDuration: 1000, renewDeadline: 2000 }))).toBe("leaseDuration must be greater than renewDeadline");
    // 1.2 * 500 = 600: renewDeadline 600 is not enough, 601 is.
    expect(invalid(config({ renewDeadline: 600 }))).toBe("renewDeadline must be greater than retryPeriod*JitterFactor");
    expect(invalid(config({ renewDeadline: 601 }))).toBe("valid");
    expect(invalid(config({ leaseDuration: 0, renewDeadline: -1, retryPeriod: -10 }))).toBe("leaseDuration must be greater than zero");
    expect(invalid(config({ leaseDuration: 10, renewDeadline: 0, retryPeriod: -10 }))).toBe("renewDeadline must be greater than zero");
    expect(invalid(config({ leaseDuration: 10, renewDeadline: 5, retryPeriod: 0 }))).toBe("retryPeriod must be greater than zero");
    expect(invalid(config({ leaseDuration: Number.NaN }))).toBe("leaseDuration must be greater than renewDeadline");
    const noStart = config();
    expect(invalid({ ...noStart, callbacks: { onStoppedLeading: () => undefined } as never })).toBe("OnStartedLeading callback must not be nil");
    expect(invalid({ ...noStart, callbacks: { onStartedLeading: () => undefined } as never })).toBe("OnStoppedLeading callback must not be nil");
    expect(invalid({ ...noStart, lock: undefined as never })).toBe("Lock must not be nil.");
    expect(invalid(config({}, ""))).toBe("Lock identity is empty");
  });

  it("runLeaderElection throws at once on an invalid config", () => {
    expect(() => runLeaderElection(config({ retryPeriod: 0 }), new AbortController().signal)).toThrow("retryPeriod must be greater than zero");
  });
});

describe("record mapping", () => {
  it("round-trips a Lease spec", () => {
    const spec = { holderIdentity: "x", leaseDurationSeconds: 15, acquireTime: "2024-01-02T03:04:05.123456Z", renewTime: "2024-01-02T03:04:06.000001Z", leaseTransitions: 3 };
    const rec = leaseSpecToLeaderElectionRecord(spec);
    expect(rec).toEqual({ holderIdentity: "x", leaseDurationSeconds: 15, acquireTime: spec.acquireTime, renewTime: spec.renewTime, leaderTransitions: 3 });
    expect(leaderElectionRecordToLeaseSpec(rec)).toEqual(spec);
    expect(leaseSpecToLeaderElectionRecord(undefined).holderIdentity).toBe("");
  });
});

describe("elector over the fake clientset", () => {
  it("creates the Lease, leads, and stops leading when renewals keep failing past renewDeadline", async () => {
    const fake = newSimpleClientset();
    let failUpdates = false;
    fake.prependReactor("update", "leases", () => (failUpdates ? { handled: true, error: newInternalError(new Error("etcd down")) } : { handled: false }));
    const events: string[] = [];
    let leadingSignal: AbortSignal | undefined;
    const le = newLeaderElector({
      lock: new LeaseLock({ namespace: "ns", name: "lock", client: fake.coordinationV1(), identity: "me" }),
      leaseDuration: 1000,
      renewDeadline: 400,
      retryPeriod: 100,
      log: () => undefined,
      callbacks: {
        onStartedLeading: (signal) => {
          leadingSignal = signal;
          events.push("started");
        },
        onStoppedLeading: () => {
          events.push("stopped");
        },
        onNewLeader: (id) => events.push(`new:${id}`),
      },
    });
    const health = newLeaderHealthzAdaptor(0);
    health.setLeaderElection(le);
    const stop = new AbortController();
    const done = le.run(stop.signal);
    await until(() => events.includes("started"));
    expect(le.isLeader()).toBe(true);
    expect(le.getLeader()).toBe("me");
    expect(health.check()).toBeUndefined();
    const lease = await fake.coordinationV1().leases("ns").get("lock");
    expect(lease.spec).toMatchObject({ holderIdentity: "me", leaseDurationSeconds: 1, leaseTransitions: 0 });
    // Renewals happen: the renewTime moves on.
    await until(async () => (await fake.coordinationV1().leases("ns").get("lock")).spec?.renewTime !== lease.spec?.renewTime);

    const t0 = Date.now();
    failUpdates = true;
    await done;
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(300); // it kept trying until renewDeadline (400 ms)
    expect(took).toBeLessThan(5000);
    expect(leadingSignal?.aborted).toBe(true);
    expect(events).toEqual(["new:me", "started", "stopped"]);
    expect(stop.signal.aborted).toBe(false);
  });

  it("calls onStoppedLeading (and not onStartedLeading) when cancelled before it ever leads", async () => {
    const fake = newSimpleClientset({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: "lock", namespace: "ns" },
      spec: { holderIdentity: "other", leaseDurationSeconds: 60, renewTime: "2024-01-01T00:00:00.000000Z", acquireTime: "2024-01-01T00:00:00.000000Z", leaseTransitions: 0 },
    });
    const events: string[] = [];
    const stop = new AbortController();
    const done = runLeaderElection(
      {
        lock: new LeaseLock({ namespace: "ns", name: "lock", client: fake.coordinationV1(), identity: "me" }),
        leaseDuration: 1000,
        renewDeadline: 400,
        retryPeriod: 100,
        log: () => undefined,
        callbacks: { onStartedLeading: () => void events.push("started"), onStoppedLeading: () => void events.push("stopped"), onNewLeader: (id) => events.push(`new:${id}`) },
      },
      stop.signal,
    );
    await until(() => events.includes("new:other"));
    stop.abort();
    await done;
    expect(events).toEqual(["new:other", "stopped"]);
    expect((await fake.coordinationV1().leases("ns").get("lock")).spec?.holderIdentity).toBe("other");
  });

  it("callback errors never reject run()", async () => {
    const stop = new AbortController();
    const c = config({
      leaseDuration: 1000,
      renewDeadline: 400,
      retryPeriod: 100,
      releaseOnCancel: true,
      callbacks: {
        onStartedLeading: () => {
          stop.abort();
          throw new Error("boom");
        },
        onStoppedLeading: () => Promise.reject(new Error("bang")),
      },
    });
    const logged: string[] = [];
    await newLeaderElector({ ...c, log: (_l, m) => logged.push(m) }).run(stop.signal);
    expect(logged.some((m) => m.includes("onStartedLeading failed: boom"))).toBe(true);
    expect(logged.some((m) => m.includes("onStoppedLeading failed: bang"))).toBe(true);
  });
});

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
