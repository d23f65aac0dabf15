// Background errors of the informers go to the shared logger's "informers" component; the deprecated
// process-global setErrorHandler still takes them over while set.
import { afterEach, describe, expect, it } from "vitest";
import { setLogger, type LogFields, type Logger } from "@kubets/apimachinery/log";
import { setErrorHandler } from "../src/index.js";
import { handleError } from "../src/internal/errors.js";

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (m: string, f?: LogFields) => void lines.push(`${level} ${m} ${f?.["component"]} ${String(f?.["err"])}`);
  return { lines, error: rec("error"), warn: rec("warn"), info: rec("info"), debug: rec("debug") };
}

afterEach(() => setLogger(undefined, "informers"));

describe("informers logging", () => {
  it("logs errors nobody can return at error level, with the error as a field", () => {
    const log = capture();
    setLogger(log, "informers");
    handleError(new Error("watch ended"), "pods: failed to watch");
    expect(log.lines).toEqual(["error pods: failed to watch informers Error: watch ended"]);
  });

  it("lets a deprecated setErrorHandler take over and hands the logger back when restored", () => {
    const log = capture();
    setLogger(log, "informers");
    const got: string[] = [];
    const prev = setErrorHandler((err, message) => void got.push(`${message}: ${String(err)}`));
    handleError("x", "one");
    setErrorHandler(prev);
    handleError("y", "two");
    expect(got).toEqual(["one: x"]);
    expect(log.lines).toEqual(["error two informers y"]);
  });
});
