/**
 * Issue 10 item 1, fake clientset: an int64 beyond 2^53 (a bigint) is kept exactly through the
 * tracker (create, get, list, unchanged update, watch) and through JSON patches.
 */
import { describe, expect, it } from "vitest";
import type { Job } from "@kubets/api/batch/v1";
import { parseJSONExact } from "@kubets/apimachinery/serializer";
import { PatchType } from "@kubets/client/rest";
import { newSimpleClientset } from "@kubets/client/testing";

const BIG = 9007199254740993n;

function job(name: string): Job {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: "ns" },
    spec: { activeDeadlineSeconds: BIG, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "i" }] } } },
  };
}

describe("fake clientset keeps int64s exact (issue 10 item 1)", () => {
  it("create, get, list, unchanged update and watch keep a bigint", async () => {
    const cs = newSimpleClientset(job("seeded"));
    const jobs = cs.batchV1().jobs("ns");
    const w = await jobs.watch();
    expect((await jobs.get("seeded")).spec?.activeDeadlineSeconds).toBe(BIG);
    await jobs.create(job("made"));
    const got = await jobs.get("made");
    expect(got.spec?.activeDeadlineSeconds).toBe(BIG);
    await jobs.update(got);
    expect((await jobs.get("made")).spec?.activeDeadlineSeconds).toBe(BIG);
    expect((await jobs.list()).items.map((j) => j.spec?.activeDeadlineSeconds)).toEqual([BIG, BIG]);
    const seen: unknown[] = [];
    for await (const ev of w) {
      seen.push((ev.object as Job).spec?.activeDeadlineSeconds);
      if (seen.length === 2) break;
    }
    w.stop();
    expect(seen).toEqual([BIG, BIG]); // ADDED and MODIFIED of "made"
  });

  it("merge and JSON patches carry exact int64s both ways", async () => {
    const cs = newSimpleClientset(job("p"));
    const jobs = cs.batchV1().jobs("ns");
    await jobs.patch("p", PatchType.Merge, `{"spec":{"activeDeadlineSeconds":9223372036854775807}}`);
    expect((await jobs.get("p")).spec?.activeDeadlineSeconds).toBe(9223372036854775807n);
    await jobs.patch("p", PatchType.JSON, [
      { op: "test", path: "/spec/activeDeadlineSeconds", value: 9223372036854775807n },
      { op: "replace", path: "/spec/activeDeadlineSeconds", value: BIG },
    ]);
    expect((await jobs.get("p")).spec?.activeDeadlineSeconds).toBe(BIG);
    expect(parseJSONExact(`[${BIG}]`)).toEqual([BIG]);
  });
});
