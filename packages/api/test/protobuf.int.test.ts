/**
 * The generated codecs against a real kube-apiserver: objects read as protobuf decode to exactly
 * what the server returns as JSON, re-encode to the server's own bytes, and objects written as
 * protobuf are accepted and stored as sent.
 */
import { randomBytes } from "node:crypto";
import { ProtoReader, ProtoWriter } from "@kubets/apimachinery/protobuf";
import { testEnv } from "@kubets/testenv/vitest";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as apiextensions from "../src/gen/apiextensions/v1/index.js";
import * as apiregistration from "../src/gen/apiregistration/v1/index.js";
import * as apps from "../src/gen/apps/v1/index.js";
import * as core from "../src/gen/core/v1/index.js";
import * as rbac from "../src/gen/rbac/v1/index.js";

const PB = "application/vnd.kubernetes.protobuf";
const ns = `kubets-api-pb-${randomBytes(3).toString("hex")}`;
let agent: Agent;
let server: string;
let token: string;

async function call(method: string, path: string, opts: { body?: Uint8Array | string; contentType?: string; accept?: string } = {}) {
  const res = await request(`${server}${path}`, {
    method: method as "GET",
    dispatcher: agent,
    headers: {
      authorization: `Bearer ${token}`,
      accept: opts.accept ?? "application/json",
      ...(opts.contentType !== undefined ? { "content-type": opts.contentType } : {}),
    },
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
  const bytes = new Uint8Array(await res.body.arrayBuffer());
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${new TextDecoder().decode(bytes)}`);
  return { bytes, contentType: String(res.headers["content-type"] ?? "") };
}

function unwrap(pb: Uint8Array): { apiVersion: string; kind: string; raw: Uint8Array } {
  expect(Array.from(pb.subarray(0, 4))).toEqual([0x6b, 0x38, 0x73, 0x00]);
  const r = new ProtoReader(pb, 4);
  let apiVersion = "";
  let kind = "";
  let raw: Uint8Array = new Uint8Array(0);
  while (!r.eof()) {
    const t = r.tag();
    if (t === 10) {
      const tm = r.sub();
      while (!tm.eof()) {
        const t2 = tm.tag();
        if (t2 === 10) apiVersion = tm.string();
        else if (t2 === 18) kind = tm.string();
        else tm.skip(t2 & 7);
      }
    } else if (t === 18) raw = r.bytes();
    else r.skip(t & 7);
  }
  return { apiVersion, kind, raw };
}

function wrap(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const w = new ProtoWriter();
  w.raw(new Uint8Array([0x6b, 0x38, 0x73, 0x00]));
  w.tag(1, 2).fork().tag(1, 2).string(apiVersion).tag(2, 2).string(kind).ldelim();
  w.tag(2, 2).bytes(raw).tag(3, 2).string("").tag(4, 2).string("");
  return w.finish();
}

/** GETs a path as JSON and as protobuf; checks decode equality and byte-identical re-encoding. */
async function roundTrip<T>(path: string, read: (r: ProtoReader) => T, write: (w: ProtoWriter, v: T) => void): Promise<T> {
  // Controllers may write between the two GETs: compare reads of the same resourceVersion.
  for (let attempt = 0; ; attempt++) {
    const pb = await call("GET", path, { accept: PB });
    expect(pb.contentType).toContain(PB);
    const env = unwrap(pb.bytes);
    const decoded = { apiVersion: env.apiVersion, kind: env.kind, ...(read(new ProtoReader(env.raw)) as object) } as { metadata?: { resourceVersion?: string } };
    const json = JSON.parse(new TextDecoder().decode((await call("GET", path)).bytes)) as { metadata?: { resourceVersion?: string } };
    if (decoded.metadata?.resourceVersion !== json.metadata?.resourceVersion && attempt < 20) continue;
    expect(decoded).toStrictEqual(json);
    const w = new ProtoWriter();
    write(w, json as T);
    expect(Buffer.from(w.finish()).equals(Buffer.from(env.raw))).toBe(true);
    return json as T;
  }
}

beforeAll(async () => {
  const env = testEnv();
  server = env.server;
  token = env.adminToken;
  agent = new Agent({ connect: { ca: env.caPem } });
  await call("POST", "/api/v1/namespaces", { body: JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }), contentType: "application/json" });
});
afterAll(async () => {
  await call("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
  await agent.close();
});

describe("protobuf codecs against kube-apiserver", () => {
  it("a Pod written as JSON reads back identically as protobuf and re-encodes to the server's bytes", async () => {
    const pod: core.Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web", labels: { app: "web", tier: "frontend" }, annotations: { note: "x" } },
      spec: {
        containers: [
          {
            name: "web",
            image: "registry.example/web:1.0",
            ports: [{ name: "http", containerPort: 8080 }],
            env: [{ name: "A", value: "1" }, { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
            resources: { limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: "0.1" } },
            readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 5 },
            livenessProbe: { tcpSocket: { port: 8080 } },
          },
        ],
        tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule" }],
        volumes: [{ name: "cfg", configMap: { name: "cfg", optional: true } }, { name: "tmp", emptyDir: { sizeLimit: "1Gi" } }],
      },
    };
    await call("POST", `/api/v1/namespaces/${ns}/pods`, { body: JSON.stringify(pod), contentType: "application/json" });
    const got = await roundTrip(`/api/v1/namespaces/${ns}/pods/web`, core.readPod, core.writePod);
    expect(got.spec?.containers[0]?.resources?.requests?.["cpu"]).toBe("100m");
    expect(got.metadata?.managedFields?.[0]?.manager).toBeDefined();
  });

  it("a ConfigMap and a Deployment written as protobuf are stored as sent", async () => {
    const cm: core.ConfigMap = { metadata: { name: "cfg", labels: { a: "b" } }, data: { "k.txt": "v\n", empty: "" }, binaryData: { bin: "AAECAw==" } };
    const w = new ProtoWriter();
    core.writeConfigMap(w, cm);
    await call("POST", `/api/v1/namespaces/${ns}/configmaps`, { body: wrap("v1", "ConfigMap", w.finish()), contentType: PB });
    const gotCM = await roundTrip(`/api/v1/namespaces/${ns}/configmaps/cfg`, core.readConfigMap, core.writeConfigMap);
    expect(gotCM.data).toEqual({ "k.txt": "v\n", empty: "" });
    expect(gotCM.binaryData).toEqual({ bin: "AAECAw==" });

    const d: apps.Deployment = {
      metadata: { name: "web" },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "web" } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "50%", maxUnavailable: 0 } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } },
      },
    };
    const w2 = new ProtoWriter();
    apps.writeDeployment(w2, d);
    await call("POST", `/apis/apps/v1/namespaces/${ns}/deployments`, { body: wrap("apps/v1", "Deployment", w2.finish()), contentType: PB });
    const gotD = await roundTrip(`/apis/apps/v1/namespaces/${ns}/deployments/web`, apps.readDeployment, apps.writeDeployment);
    expect(gotD.spec?.replicas).toBe(0);
    expect(gotD.spec?.strategy?.rollingUpdate).toEqual({ maxSurge: "50%", maxUnavailable: 0 });
  });

  it("lists decode as protobuf to the JSON list (items without TypeMeta)", async () => {
    const role: rbac.Role = { metadata: { name: "reader" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }] };
    await call("POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, { body: JSON.stringify(role), contentType: "application/json" });
    const roles = await roundTrip(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, rbac.readRoleList, rbac.writeRoleList);
    expect(roles.items.map((r) => r.metadata?.name)).toEqual(["reader"]);
    const cms = await roundTrip(`/api/v1/namespaces/${ns}/configmaps`, core.readConfigMapList, core.writeConfigMapList);
    expect(cms.items.map((c) => c.metadata?.name).sort()).toEqual(["cfg", "kube-root-ca.crt"]);
  });

  it("apiregistration APIServices and apiextensions CRDs (JSONSchemaProps) round-trip too", async () => {
    const svc = await roundTrip("/apis/apiregistration.k8s.io/v1/apiservices/v1.apps", apiregistration.readAPIService, apiregistration.writeAPIService);
    expect(svc.spec?.group).toBe("apps");
    const group = `${ns}.example.com`;
    const crd: apiextensions.CustomResourceDefinition = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: "Namespaced",
        names: { plural: "widgets", kind: "Widget" },
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
                    required: ["size"],
                    properties: {
                      size: { type: "integer", minimum: 1, default: 3 },
                      port: { "x-kubernetes-int-or-string": true },
                      mode: { type: "string", enum: ["a", "b"] },
                      extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                      labels: { type: "object", additionalProperties: { type: "string" } },
                      flags: { type: "object", additionalProperties: true },
                      tags: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    await call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", { body: JSON.stringify(crd), contentType: "application/json" });
    try {
      const got = await roundTrip(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`, apiextensions.readCustomResourceDefinition, apiextensions.writeCustomResourceDefinition);
      const spec = got.spec.versions[0]?.schema?.openAPIV3Schema?.properties?.["spec"];
      expect(spec?.properties?.["flags"]?.additionalProperties).toBe(true);
      expect(spec?.properties?.["mode"]?.enum).toEqual(["a", "b"]);
      expect(spec?.properties?.["size"]?.default).toBe(3);
    } finally {
      await call("DELETE", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`).catch(() => undefined);
    }
  });
});
