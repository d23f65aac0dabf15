/**
 * Issue 10 item 1 against the real kube-apiserver: an int64 beyond 2^53 (a Job's
 * `spec.activeDeadlineSeconds: 9007199254740993`, a custom resource's integers) reads back exactly
 * through the typed client (protobuf and JSON), the dynamic client, watches and YAML manifests,
 * and a get followed by an unchanged update never rewrites the stored value. The stored value is
 * checked in the server's own JSON bytes, not through our decoder.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job } from "@kubets/api/batch/v1";
import type { Unstructured } from "@kubets/apimachinery/runtime";
import { ProtoWriter, keepUnknownFields, unknownFieldsKey } from "@kubets/apimachinery/protobuf";
import { parseYAMLDocuments } from "@kubets/apimachinery/serializer";
import type { RestConfig } from "@kubets/client/config";
import { newForConfig as newDynamic, type DynamicClient } from "@kubets/client/dynamic";
import { newForConfig, type Clientset } from "@kubets/client/kubernetes";
import { RESTClient } from "@kubets/client/rest";
import { DEFAULT_RETRY, retryOnConflict } from "@kubets/client/util";
import { configFor, uniqueName } from "./helpers/int.js";

const PROTOBUF = "application/vnd.kubernetes.protobuf";
const BIG = 9007199254740993n; // 2^53 + 1: a double rounds it to 2^53
const ns = uniqueName("kubets-int64");
const suffix = uniqueName("i").replace(/[^a-z0-9]/g, "");
const group = `${suffix}.kubets.example.com`;
const things = { group, version: "v1", resource: "things" };
const JOBS = { group: "batch", version: "v1", resource: "jobs" };

let admin: RestConfig;
let pb: Clientset;
let json: Clientset;
let dyn: DynamicClient;
let rawBatch: RESTClient;
let rawThings: RESTClient;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Job manifest as JSON text (so that creating it does not depend on the encoder under test). */
function jobJSON(name: string): string {
  return `{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"${name}"},"spec":{"suspend":true,"activeDeadlineSeconds":9007199254740993,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"registry.example/c:1"}]}}}}`;
}

/** The object as the server stores it, in the server's own JSON bytes. */
async function storedText(client: RESTClient, resource: string, name: string): Promise<string> {
  return new TextDecoder().decode(await client.get().namespace(ns).resource(resource).name(name).doRaw());
}

beforeAll(async () => {
  admin = configFor("admin");
  pb = newForConfig({ ...admin, contentType: PROTOBUF });
  json = newForConfig({ ...admin, contentType: "application/json", acceptContentTypes: "application/json" });
  dyn = newDynamic(admin);
  rawBatch = new RESTClient({ ...admin, apiPath: "/apis", groupVersion: "batch/v1", acceptContentTypes: "application/json" });
  rawThings = new RESTClient({ ...admin, apiPath: "/apis", groupVersion: `${group}/v1`, acceptContentTypes: "application/json" });
  await json.coreV1().namespaces().create({ metadata: { name: ns } });
  await dyn.resource({ group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" }).create({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `things.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural: "things", singular: "thing", kind: "Thing", listKind: "ThingList" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  properties: {
                    n: { type: "integer", format: "int64" },
                    m: { type: "integer" },
                    list: { type: "array", items: { type: "integer" } },
                    free: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                    note: { type: "string" },
                  },
                },
              },
            },
          },
        },
      ],
    },
  });
  // Wait until the custom resource is served.
  for (let i = 0; ; i++) {
    try {
      await dyn.resource(things).namespace(ns).list();
      break;
    } catch (err) {
      if (i > 150) throw err;
      await sleep(200);
    }
  }
}, 60_000);

afterAll(async () => {
  await dyn.resource({ group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" }).delete(`things.${group}`).catch(() => undefined);
  await json.coreV1().namespaces().delete(ns).catch(() => undefined);
  await Promise.all([pb.close(), json.close(), dyn.close(), rawBatch.close(), rawThings.close()]);
});

describe("int64 beyond 2^53 against the real API server (issue 10 item 1)", () => {
  for (const [label, client] of [
    ["typed client, protobuf", () => pb],
    ["typed client, JSON", () => json],
  ] as const) {
    it(`${label}: reads activeDeadlineSeconds 9007199254740993 exactly and an unchanged update keeps it`, async () => {
      const name = `job-${label.includes("protobuf") ? "pb" : "json"}`;
      await rawBatch.post().namespace(ns).resource("jobs").body(jobJSON(name)).setHeader("content-type", "application/json").do();
      const jobs = client().batchV1().jobs(ns);
      const before = await storedText(rawBatch, "jobs", name);
      // Get, then an update that leaves the spec untouched (the job controller writes too: retried on conflicts).
      const updated = await retryOnConflict(DEFAULT_RETRY, async () => {
        const got = await jobs.get(name);
        expect(got.spec?.activeDeadlineSeconds).toBe(BIG);
        expect(got.spec?.template.spec?.containers[0]?.name).toBe("c");
        return jobs.update({ ...got, metadata: { ...got.metadata, labels: { touched: "yes" } } });
      });
      expect(updated.spec?.activeDeadlineSeconds).toBe(BIG);
      const after = await storedText(rawBatch, "jobs", name);
      expect(before).toContain('"activeDeadlineSeconds":9007199254740993');
      expect(after).toContain('"activeDeadlineSeconds":9007199254740993');
      // The list path, too.
      const list = await jobs.list();
      expect(list.items.find((j) => j.metadata?.name === name)?.spec?.activeDeadlineSeconds).toBe(BIG);
    });
  }

  it("typed clients write a bigint they were given, and safe values stay numbers", async () => {
    const job: Job = {
      metadata: { name: "job-created" },
      spec: { suspend: true, activeDeadlineSeconds: 9223372036854775807n, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "registry.example/c:1" }] } } },
    };
    const created = await pb.batchV1().jobs(ns).create(job);
    expect(created.spec?.activeDeadlineSeconds).toBe(9223372036854775807n);
    expect(created.spec?.backoffLimit).toBe(6); // defaulted int32: a number
    expect(typeof created.metadata?.generation).toBe("number");
    expect(await storedText(rawBatch, "jobs", "job-created")).toContain('"activeDeadlineSeconds":9223372036854775807');
    const viaJSON = await retryOnConflict(DEFAULT_RETRY, async () => {
      const cur = await json.batchV1().jobs(ns).get("job-created");
      expect(cur.spec?.activeDeadlineSeconds).toBe(9223372036854775807n);
      return json.batchV1().jobs(ns).update({ ...cur, spec: { ...cur.spec!, activeDeadlineSeconds: BIG + 2n } });
    });
    expect(viaJSON.spec?.activeDeadlineSeconds).toBe(BIG + 2n);
    expect(await storedText(rawBatch, "jobs", "job-created")).toContain('"activeDeadlineSeconds":9007199254740995');
  });

  it("dynamic client: get and an unchanged update keep the Job's value", async () => {
    await rawBatch.post().namespace(ns).resource("jobs").body(jobJSON("job-dyn")).setHeader("content-type", "application/json").do();
    const jobs = dyn.resource(JOBS).namespace(ns);
    await retryOnConflict(DEFAULT_RETRY, async () => {
      const got = await jobs.get("job-dyn");
      expect((got["spec"] as { activeDeadlineSeconds: unknown }).activeDeadlineSeconds).toBe(BIG);
      return jobs.update(got);
    });
    expect(await storedText(rawBatch, "jobs", "job-dyn")).toContain('"activeDeadlineSeconds":9007199254740993');
  });

  it("custom resource: integers beyond 2^53 anywhere in the object survive get and unchanged update (dynamic client)", async () => {
    const text = `{"apiVersion":"${group}/v1","kind":"Thing","metadata":{"name":"t1"},"spec":{"n":9007199254740993,"m":-9223372036854775808,"list":[1,9223372036854775807],"free":{"deep":[{"x":12345678901234567}]},"note":"sha256:12345678901234567890"}}`;
    await rawThings.post().namespace(ns).resource("things").body(text).setHeader("content-type", "application/json").do();
    const client = dyn.resource(things).namespace(ns);
    const got = await client.get("t1");
    expect(got["spec"]).toEqual({ n: BIG, m: -9223372036854775808n, list: [1, 9223372036854775807n], free: { deep: [{ x: 12345678901234567n }] }, note: "sha256:12345678901234567890" });
    await client.update({ ...got, metadata: { ...got.metadata, labels: { touched: "yes" } } });
    const stored = await storedText(rawThings, "things", "t1");
    expect(stored).toContain('"spec":{"free":{"deep":[{"x":12345678901234567}]},"list":[1,9223372036854775807],"m":-9223372036854775808,"n":9007199254740993,"note":"sha256:12345678901234567890"}');
    // Patch bodies are encoded exactly as well.
    await client.patch("t1", "application/merge-patch+json", { spec: { n: BIG + 1n } });
    expect(await storedText(rawThings, "things", "t1")).toContain('"n":9007199254740994');
  });

  it("watches (protobuf, JSON and dynamic) deliver the exact value", async () => {
    const name = "job-watch";
    const w1 = await pb.batchV1().jobs(ns).watch({ fieldSelector: `metadata.name=${name}` });
    const w2 = await json.batchV1().jobs(ns).watch({ fieldSelector: `metadata.name=${name}` });
    const w3 = await dyn.resource(JOBS).namespace(ns).watch({ fieldSelector: `metadata.name=${name}` });
    await rawBatch.post().namespace(ns).resource("jobs").body(jobJSON(name)).setHeader("content-type", "application/json").do();
    for (const w of [w1, w2, w3] as Array<AsyncIterable<{ type: string; object: unknown }> & { stop(): void }>) {
      for await (const ev of w) {
        expect(ev.type).toBe("ADDED");
        expect((ev.object as Job).spec?.activeDeadlineSeconds).toBe(BIG);
        break;
      }
      w.stop();
    }
  });

  it("a YAML manifest (parseYAMLDocuments) creates the exact value", async () => {
    const [job] = parseYAMLDocuments<Job>(`apiVersion: batch/v1
kind: Job
metadata:
  name: job-yaml
spec:
  suspend: true
  activeDeadlineSeconds: 9007199254740993
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: registry.example/c:1
`);
    expect(job!.spec?.activeDeadlineSeconds).toBe(BIG);
    await pb.batchV1().jobs(ns).create(job!);
    expect(await storedText(rawBatch, "jobs", "job-yaml")).toContain('"activeDeadlineSeconds":9007199254740993');
    expect((await dyn.resource(JOBS).namespace(ns).create({ ...(job as Unstructured), metadata: { name: "job-yaml-dyn" } })).metadata?.name).toBe("job-yaml-dyn");
    expect(await storedText(rawBatch, "jobs", "job-yaml-dyn")).toContain('"activeDeadlineSeconds":9007199254740993');
  });
});

describe("fields the client does not know, read over protobuf and written back (issue 10)", () => {
  /**
   * What a client one version older holds after reading this Job over protobuf from a newer server:
   * `spec.activeDeadlineSeconds` (JobSpec field 3) is not a property, only wire bytes kept on the
   * spec. Written back over protobuf, the server gets the field; over JSON it cannot be written.
   */
  async function olderClientView(name: string): Promise<Job> {
    const got = await pb.batchV1().jobs(ns).get(name);
    expect(got.spec?.activeDeadlineSeconds).toBe(600);
    const { activeDeadlineSeconds, ...spec } = got.spec!;
    void activeDeadlineSeconds;
    keepUnknownFields(spec, unknownFieldsKey("k8s.io.api.batch.v1.JobSpec"), new ProtoWriter().tag(3, 0).int64(600).finish());
    return { ...got, spec, metadata: { ...got.metadata, labels: { touched: "yes" } } };
  }

  it("the default typed client and a protobuf one keep them; a client set to JSON drops them", async () => {
    const text = jobJSON("job-unknown").replace("9007199254740993", "600");
    await rawBatch.post().namespace(ns).resource("jobs").body(text).setHeader("content-type", "application/json").do();
    // Default config (no contentType): JSON bodies, except an object carrying unknown fields goes as protobuf.
    const byDefault = newForConfig(admin);
    try {
      await retryOnConflict(DEFAULT_RETRY, async () => byDefault.batchV1().jobs(ns).update(await olderClientView("job-unknown")));
    } finally {
      await byDefault.close();
    }
    const afterDefault = await storedText(rawBatch, "jobs", "job-unknown");
    expect(afterDefault).toContain('"touched":"yes"');
    expect(afterDefault).toContain('"activeDeadlineSeconds":600');
    await retryOnConflict(DEFAULT_RETRY, async () => pb.batchV1().jobs(ns).update(await olderClientView("job-unknown")));
    expect(await storedText(rawBatch, "jobs", "job-unknown")).toContain('"activeDeadlineSeconds":600');
    await retryOnConflict(DEFAULT_RETRY, async () => json.batchV1().jobs(ns).update(await olderClientView("job-unknown")));
    expect(await storedText(rawBatch, "jobs", "job-unknown")).not.toContain("activeDeadlineSeconds");
  });
});
