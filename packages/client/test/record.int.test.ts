// The core/v1 recorder against the real API server: an event lands with client-go's fields, a
// repeat is counted on the same Event through a strategic merge patch, and kubectl's field selector
// (involvedObject.name) finds it.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ConfigMap, Event } from "@kubets/api/core/v1";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { newBroadcaster } from "@kubets/client/record";
import { configFor, uniqueName } from "./helpers/int.js";

const ns = uniqueName("kubets-record");
let cs: Clientset;
let subject: ConfigMap;

async function until<T>(get: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  cs = newForConfig(configFor("admin"));
  await cs.coreV1().namespaces().create({ metadata: { name: ns } });
  subject = await cs.coreV1().configMaps(ns).create({ metadata: { name: "subject" } });
});

afterAll(async () => {
  await cs.coreV1().namespaces().delete(ns).catch(() => undefined);
  await cs.close();
});

it("writes core/v1 Events and counts repeats on the same Event", async () => {
  const broadcaster = newBroadcaster();
  broadcaster.startRecordingToSink(cs);
  const logged: string[] = [];
  broadcaster.startStructuredLogging((_m, kv) => void logged.push(`${String(kv["reason"])}:${String(kv["message"])}`));
  // A typed object from the server has no kind: tell the recorder (Go finds it through the Scheme).
  const recorder = broadcaster.newRecorder({ component: "kubets-test" }, { kind: "ConfigMap", apiVersion: "v1" });
  recorder.eventf(subject, "Normal", "Synced", "synced %s in %d ms", "subject", 12);
  const byName = async (): Promise<Event[]> =>
    (await cs.coreV1().events(ns).list({ fieldSelector: `involvedObject.name=subject` })).items.filter((e) => e.reason === "Synced");
  const first = await until(async () => (await byName())[0], "the event");
  expect(first).toMatchObject({
    type: "Normal",
    message: "synced subject in 12 ms",
    count: 1,
    source: { component: "kubets-test" },
    reportingComponent: "kubets-test",
    involvedObject: { kind: "ConfigMap", apiVersion: "v1", name: "subject", namespace: ns, uid: subject.metadata?.uid },
  });
  expect(first.firstTimestamp).toBe(first.lastTimestamp);

  recorder.eventf(subject, "Normal", "Synced", "synced %s in %d ms", "subject", 12);
  const counted = await until(async () => (await byName()).find((e) => e.count === 2), "count 2");
  expect(counted.metadata?.name).toBe(first.metadata?.name);
  expect(await byName()).toHaveLength(1);
  await broadcaster.shutdown();
  expect(logged).toEqual(["Synced:synced subject in 12 ms", "Synced:synced subject in 12 ms"]);
});
