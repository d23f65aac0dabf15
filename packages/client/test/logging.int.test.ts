// The client's messages go through the shared logger: a server's deprecation warning reaches the "rest"
// component through the default warning handler, once per client; the leader elector takes a logger.
import { afterEach, describe, expect, it } from "vitest";
import { setLogger, type LogFields, type Logger } from "@kubets/apimachinery/log";
import { newForConfig } from "@kubets/client/kubernetes";
import { LeaseLock, newLeaderElector } from "@kubets/client/leaderelection";
import { configFor, uniqueName } from "./helpers/int.js";

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (m: string, f?: LogFields) => void lines.push(`${level} ${m} ${JSON.stringify(f ?? {})}`);
  return { lines, error: rec("error"), warn: rec("warn"), info: rec("info"), debug: rec("debug") };
}

afterEach(() => {
  setLogger(undefined, "rest");
  setLogger(undefined, "leaderelection");
});

describe("client logging against the real API server", () => {
  it("logs the server's deprecation warning at warn level to the rest component, once per client", async () => {
    const log = capture();
    setLogger(log, "rest");
    const cs = newForConfig(configFor("admin"));
    try {
      await cs.coreV1().componentStatuses().list();
      await cs.coreV1().componentStatuses().list();
    } finally {
      await cs.close();
    }
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(/^warn v1 ComponentStatus is deprecated.* \{"component":"rest","code":299,"agent":"-"\}$/);
  });

  it("sends a leader elector's errors to its logger option", async () => {
    const log = capture();
    const cs = newForConfig(configFor("admin"));
    const stop = new AbortController();
    try {
      await newLeaderElector({
        lock: new LeaseLock({ namespace: "default", name: uniqueName("logging-lease"), client: cs.coordinationV1(), identity: "me" }),
        leaseDuration: 3000,
        renewDeadline: 2000,
        retryPeriod: 500,
        releaseOnCancel: true,
        logger: log,
        callbacks: {
          onStartedLeading: () => {
            stop.abort();
            throw new Error("boom");
          },
          onStoppedLeading: () => undefined,
        },
      }).run(stop.signal);
    } finally {
      await cs.close();
    }
    expect(log.lines.some((l) => l.startsWith("error ") && l.includes("onStartedLeading failed: boom"))).toBe(true);
    expect(log.lines.some((l) => l.startsWith("info ") && l.includes("successfully acquired lease"))).toBe(true);
  });
});
