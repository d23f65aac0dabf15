import { describe, expect, it } from "vitest";
import { formatRatio, parseResult, ratioStats } from "../peers/protocol.js";

describe("the peer benchmark's child protocol", () => {
  it("takes the last JSON result line and ignores the rest", () => {
    const out = 'ready\n{"wallMs":1,"cpuMs":2,"count":3}\nnoise\n{"wallMs":12.5,"cpuMs":7,"count":20000,"heapBytes":1048576}\n';
    expect(parseResult(out)).toEqual({ wallMs: 12.5, cpuMs: 7, count: 20000, heapBytes: 1048576 });
  });

  it("reads the Go harness' line (encoding/json, optional fields left out)", () => {
    expect(parseResult('{"wallMs":485.2,"cpuMs":610,"count":10000,"heapBytes":108000000,"rssBytes":159000000,"peakRssBytes":160000000}\n')).toMatchObject({
      count: 10000,
      peakRssBytes: 160000000,
    });
  });

  it("throws when no line is a result, naming what it got", () => {
    expect(() => parseResult("ready\n")).toThrow(/no result line.*ready/);
    expect(() => parseResult('{"wallMs":"1","cpuMs":2,"count":3}\n{broken\n')).toThrow(/no result line/);
  });

  it("gives median, min and max of the per-round ratios", () => {
    const s = ratioStats([2, 3, 9], [1, 3, 3]);
    expect(s).toEqual({ median: 2, min: 1, max: 3 });
    expect(formatRatio(s)).toBe("2.00x [1.00-3.00]");
    expect(ratioStats([1, 2, 3, 4], [1, 1, 1, 1]).median).toBe(2.5);
    expect(formatRatio(ratioStats([], []))).toBe("-");
  });
});
