// The shared logger: the klog-style default, global and per-component settings, and the guarantees
// (a broken logger never breaks the caller, a later setLogger reaches loggers already handed out).
import { afterEach, describe, expect, it } from "vitest";
import { discardLogger, loggerFor, newTextLogger, setLogger, type LogFields, type Logger } from "@kubets/apimachinery/log";

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (m: string, f?: LogFields) => void lines.push(`${level} ${m} ${JSON.stringify(f ?? {})}`);
  return { lines, error: rec("error"), warn: rec("warn"), info: rec("info"), debug: rec("debug") };
}

afterEach(() => {
  setLogger(undefined);
  for (const c of ["rest", "informers", "workqueue"]) setLogger(undefined, c);
});

describe("newTextLogger", () => {
  const at = () => new Date(2026, 11, 3, 19, 30, 5, 42);

  it("writes errors and warnings in klog's text format and drops info and debug by default", () => {
    const out: string[] = [];
    const l = newTextLogger({ write: (s) => void out.push(s), now: at }, "informers");
    l.error("watch failed", { err: new Error("connection reset"), resource: "pods", count: 3 });
    l.warn("slow", { ms: 1500 });
    l.info("started");
    l.debug("detail");
    expect(out).toEqual([
      'E1203 19:30:05.042000 informers] "watch failed" err="connection reset" resource="pods" count=3\n',
      'W1203 19:30:05.042000 informers] "slow" ms=1500\n',
    ]);
  });

  it("writes down to the level asked for", () => {
    const out: string[] = [];
    const l = newTextLogger({ level: "debug", write: (s) => void out.push(s), now: at });
    l.info("a");
    l.debug("b", { big: 12n, nothing: undefined, nested: { x: [1] } });
    expect(out).toEqual(['I1203 19:30:05.042000 kubets] "a"\n', 'D1203 19:30:05.042000 kubets] "b" big=12 nothing=<undefined> nested={"x":[1]}\n']);
  });
});

describe("setLogger and loggerFor", () => {
  it("routes a component to its own logger, else the global one, and tags the component", () => {
    const global = capture();
    const informers = capture();
    const log = loggerFor("informers");
    const rest = loggerFor("rest");
    setLogger(global);
    log.error("one", { name: "x" });
    setLogger(informers, "informers"); // takes effect on a logger handed out earlier
    log.error("two");
    rest.warn("three", { code: 299 });
    expect(informers.lines).toEqual(['error two {"component":"informers"}']);
    expect(global.lines).toEqual(['error one {"component":"informers","name":"x"}', 'warn three {"component":"rest","code":299}']);
    expect(setLogger(undefined, "informers")).toBe(informers);
    log.info("four");
    expect(global.lines.at(-1)).toBe('info four {"component":"informers"}');
  });

  it("accepts console and discardLogger, and survives a logger that throws", () => {
    const asLogger: Logger = console;
    expect(typeof asLogger.debug).toBe("function");
    setLogger(discardLogger);
    loggerFor("rest").error("dropped");
    setLogger({ error: () => { throw new Error("broken"); }, warn: () => undefined, info: () => undefined, debug: () => undefined });
    expect(() => loggerFor("rest").error("still fine")).not.toThrow();
  });

  it("keeps one registry for every copy of the package (a globalThis slot)", () => {
    const global = capture();
    setLogger(global);
    const slot = (globalThis as Record<symbol, { fallback?: Logger }>)[Symbol.for("kubets.logging")];
    expect(slot?.fallback).toBe(global);
  });
});
