import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { generateCrdClients } from "../src/crd-client.js";
import { generateCrdTypes, runCrdCommand } from "../src/crd.js";

const repo = resolve(__dirname, "../../..");
const fixture = resolve(__dirname, "fixtures/crd-widgets/widgets-crd.yaml");
// Inside the repository (and git-ignored: tmp/), so the generated imports of @kubets/* resolve.
const out = resolve(__dirname, `tmp/crd-client-${process.pid}-${Date.now().toString(36)}`);
mkdirSync(out, { recursive: true });
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  try {
    rmdirSync(dirname(out)); // tmp/, unless another test file still uses it
  } catch {
    // not empty
  }
});

/** Type-checks the files with tsconfig.base.json's options (NodeNext, @kubets/source, strict flags). */
function typecheck(dir: string, files: string[]): string[] {
  const base = ts.readConfigFile(join(repo, "tsconfig.base.json"), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(
    { ...base.config, compilerOptions: { ...base.config.compilerOptions, composite: false, incremental: false, declaration: false, declarationMap: false, noEmit: true } },
    ts.sys,
    dir,
  );
  expect(parsed.errors).toEqual([]);
  const program = ts.createProgram(files, parsed.options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || d.file.fileName.startsWith(dir))
    .map((d) => `${d.file?.fileName.slice(dir.length + 1) ?? ""}:${d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

const text = readFileSync(fixture, "utf8");

describe("kubets-codegen crd: typed clients and informers", () => {
  it("writes types, typed clients, the clientset, informers and an index for every served group-version", () => {
    runCrdCommand([fixture, "--out", out]);
    for (const f of [
      "example.kubets.io/v1.ts",
      "example.kubets.io/v1beta1.ts",
      "typed/example.kubets.io/v1.ts",
      "typed/example.kubets.io/v1beta1.ts",
      "informers/example.kubets.io/v1.ts",
      "informers/example.kubets.io/v1beta1.ts",
      "clientset.ts",
      "fake.ts",
      "informers.ts",
      "index.ts",
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    // v1alpha1 is not served.
    expect(existsSync(join(out, "typed/example.kubets.io/v1alpha1.ts"))).toBe(false);
  });

  it("takes scope and subresources from each CRD version", () => {
    const cs = readFileSync(join(out, "clientset.ts"), "utf8");
    expect(cs).toContain(`["gizmos", "gizmos", "Gizmo", 0],`);
    expect(cs).toContain(`["widgets", "widgets", "Widget", 1, { "scale": "autoscaling/v1:Scale", "status": "" }],`);
    expect(cs).toMatch(/accessor: "exampleV1beta1",[^\]]*\["widgets", "widgets", "Widget", 1, \{ "status": "" \}\],/s);
    expect(cs).toContain(`contentType: "application/json"`);
    const v1 = readFileSync(join(out, "typed/example.kubets.io/v1.ts"), "utf8");
    expect(v1).toContain("gizmos(): GizmoInterface;");
    expect(v1).toContain("widgets(namespace: string): WidgetInterface;");
    expect(v1).toMatch(/export type WidgetInterface = [^;]*& ScaleMethods<autoscaling_v1\.Scale>\n {2}& StatusMethods<example_v1\.Widget>;/);
    expect(v1).toMatch(/export type GizmoInterface = ResourceClientFor<[^;&]*>;/);
    const beta = readFileSync(join(out, "typed/example.kubets.io/v1beta1.ts"), "utf8");
    expect(beta).not.toContain("ScaleMethods");
    expect(beta).toContain("StatusMethods<example_v1beta1.Widget>");
    expect(beta).toContain("  /** @deprecated example.kubets.io/v1beta1 Widget is deprecated; use example.kubets.io/v1 */\n  widgets(namespace: string): WidgetInterface;");
    expect(v1).not.toContain("@deprecated");
    const inf = readFileSync(join(out, "informers/example.kubets.io/v1.ts"), "utf8");
    expect(inf).toContain(`export type WidgetLister = NamespacedLister<example_v1.Widget, "widgets">;`);
    expect(inf).toContain(`export type GizmoLister = ClusterLister<example_v1.Gizmo>;`);
  });

  it("compiles under the repository's base config, and the clients accept and return the generated types only", () => {
    const use = join(out, "use.ts");
    writeFileSync(
      use,
      `import { newForConfig, newSharedInformerFactory, exampleV1, type exampleV1beta1 } from "./index.js";
import { newSimpleClientset } from "./fake.js";
import type { Scale } from "@kubets/api/autoscaling/v1";

export async function use(): Promise<void> {
  const cs = newForConfig({ host: "https://127.0.0.1:6443", tlsClientConfig: {} });
  const widgets = cs.exampleV1().widgets("ns");
  const w: exampleV1.Widget = await widgets.create({ metadata: { name: "w" }, spec: { color: "red", port: "http", config: { deep: [1] }, tags: ["a"] } });
  const port: number | string | undefined = w.spec?.port;
  const list: exampleV1.WidgetList = await widgets.list({ labelSelector: "a=b" });
  await widgets.update({ ...w, spec: { color: "blue", port: 8080 } });
  await widgets.updateStatus({ ...w, status: { phase: "Ready", replicas: 2 } });
  const s: Scale = await widgets.getScale("w");
  await widgets.updateScale("w", { ...s, spec: { replicas: 3 } });
  await widgets.apply({ apiVersion: "example.kubets.io/v1", kind: "Widget", metadata: { name: "w" }, spec: { replicas: 1 } }, { fieldManager: "m", force: true });
  await widgets.patch("w", "application/merge-patch+json", { spec: { replicas: 2 } });
  for await (const ev of await widgets.watch({ resourceVersion: list.metadata?.resourceVersion ?? "" })) {
    const obj: exampleV1.Widget = ev.object;
    void obj;
  }
  await widgets.delete("w", { propagationPolicy: "Foreground" });
  await widgets.deleteCollection({}, { labelSelector: "a=b" });
  const g = await cs.exampleV1().gizmos().get("g");
  const size: number | bigint | undefined = g.spec?.size;
  const b: exampleV1beta1.Widget = await cs.exampleV1beta1().widgets("").get("w");
  const factory = newSharedInformerFactory(cs, { resyncPeriod: 0, namespace: "ns" });
  const lw: exampleV1.Widget = factory.example().v1().widgets().lister().widgets("ns").get("w");
  const lg: exampleV1.Gizmo[] = factory.example().v1().gizmos().lister().list();
  const lb: exampleV1beta1.Widget[] = factory.example().v1beta1().widgets().lister().list();
  factory.example().v1().widgets().informer().addEventHandler({ onAdd: (o: exampleV1.Widget) => void o });
  void [port, size, b, lw, lg, lb, exampleV1.WidgetResource.namespaced];
  await cs.close();

  const fake = newSimpleClientset({ apiVersion: "example.kubets.io/v1", kind: "Gizmo", metadata: { name: "g" } });
  const fg: exampleV1.Gizmo = await fake.exampleV1().gizmos().get("g");
  const verbs: string[] = fake.actions().map((a) => a.verb);
  void [fg, verbs, newSharedInformerFactory(fake)];

  // @ts-expect-error color is an enum
  await widgets.create({ spec: { color: "purple" } });
  // @ts-expect-error color is required
  await widgets.create({ spec: {} });
  // @ts-expect-error v1beta1 has no scale subresource
  await cs.exampleV1beta1().widgets("ns").getScale("w");
  // @ts-expect-error gizmos have no status subresource
  await cs.exampleV1().gizmos().updateStatus({});
  // @ts-expect-error gizmos are cluster-scoped
  cs.exampleV1().gizmos("ns");
  // @ts-expect-error widgets are namespaced
  cs.exampleV1().widgets();
  // @ts-expect-error apply needs a field manager
  await widgets.apply({ metadata: { name: "w" } }, {});
  // @ts-expect-error a cluster-scoped lister has no per-namespace view
  factory.example().v1().gizmos().lister().gizmos("ns");
}
`,
    );
    const files = [use, join(out, "index.ts"), join(out, "fake.ts")];
    expect(typecheck(out, files)).toEqual([]);
  }, 120_000);

  it("writes a fake clientset over @kubets/client/testing's tracker that feeds the generated informers", async () => {
    type W = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> }; spec?: { color?: string; replicas?: number }; status?: { phase?: string } };
    type Client = {
      get(n: string): Promise<W>;
      list(o?: { labelSelector?: string }): Promise<{ items: W[] }>;
      create(w: W): Promise<W>;
      update(w: W): Promise<W>;
      updateStatus(w: W): Promise<W>;
      getScale(n: string): Promise<{ spec?: { replicas?: number }; status?: { replicas?: number } }>;
      updateScale(n: string, s: object): Promise<{ spec?: { replicas?: number } }>;
    };
    const { newSimpleClientset } = (await import(pathToFileURL(join(out, "fake.ts")).href)) as {
      newSimpleClientset(...o: object[]): { exampleV1(): { widgets(ns: string): Client }; actions(): Array<{ verb: string; subresource: string }>; close(): Promise<void> };
    };
    const { newSharedInformerFactory } = (await import(pathToFileURL(join(out, "informers.ts")).href)) as {
      newSharedInformerFactory(cs: unknown, o: object): {
        example(): { v1(): { widgets(): { informer(): object; lister(): { widgets(ns: string): { get(n: string): W } } } } };
        start(s: AbortSignal): void;
        waitForCacheSync(s: AbortSignal): Promise<Map<string, boolean>>;
        shutdown(): Promise<void>;
      };
    };
    const fake = newSimpleClientset({ apiVersion: "example.kubets.io/v1", kind: "Widget", metadata: { name: "seeded", namespace: "ns", labels: { a: "b" } }, spec: { color: "red", replicas: 1 } });
    expect(() => newSimpleClientset({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" } })).toThrow(/no resource of this clientset serves apiVersion "v1" kind "Pod"/);
    const widgets = fake.exampleV1().widgets("ns");
    expect((await widgets.list({ labelSelector: "a=b" })).items.map((w) => w.metadata?.name)).toEqual(["seeded"]);
    const got = await widgets.get("seeded");
    // The status subresource: the main resource ignores status, updateStatus writes only status.
    await widgets.update({ ...got, status: { phase: "Ignored" } });
    const st = await widgets.updateStatus({ ...(await widgets.get("seeded")), status: { phase: "Ready" } });
    expect(st.status).toEqual({ phase: "Ready" });
    await widgets.updateScale("seeded", { ...(await widgets.getScale("seeded")), spec: { replicas: 5 } });
    expect((await widgets.get("seeded")).spec).toEqual({ color: "red", replicas: 5 });
    expect(fake.actions().map((a) => `${a.verb}${a.subresource ? `/${a.subresource}` : ""}`)).toEqual([
      "list", "get", "update", "get", "update/status", "get/scale", "update/scale", "get",
    ]);

    const factory = newSharedInformerFactory(fake, { namespace: "ns" });
    const inf = factory.example().v1().widgets();
    inf.informer();
    const stop = new AbortController();
    factory.start(stop.signal);
    expect([...(await factory.waitForCacheSync(stop.signal)).values()]).toEqual([true]);
    expect(inf.lister().widgets("ns").get("seeded").spec?.replicas).toBe(5);
    stop.abort();
    await factory.shutdown();
    await fake.close();

    // newClientset: the server-like fake on the same generated table.
    const { newClientset } = (await import(pathToFileURL(join(out, "fake.ts")).href)) as {
      newClientset(...o: object[]): { exampleV1(): { widgets(ns: string): Client & { apply(w: W, o: { fieldManager: string; force?: boolean }): Promise<W> } } };
    };
    const server = newClientset().exampleV1().widgets("ns");
    const w1 = await server.apply({ apiVersion: "example.kubets.io/v1", kind: "Widget", metadata: { name: "w" }, spec: { color: "blue" } } as W, { fieldManager: "alice" });
    expect((w1.metadata as { generation?: number }).generation).toBe(1);
    await expect(server.apply({ apiVersion: "example.kubets.io/v1", kind: "Widget", metadata: { name: "w" }, spec: { color: "green" } } as W, { fieldManager: "bob" })).rejects.toThrow(
      /Apply failed with 1 conflict: conflict with "alice": \.spec\.color/,
    );
  });

  it("is deterministic, and --no-informers / --types-only write less", () => {
    const src = [{ name: "w.yaml", text }];
    expect(generateCrdClients(src)).toEqual(generateCrdClients(src));
    const noInf = generateCrdClients(src, { informers: false }).map((o) => o.path);
    expect(noInf).toEqual(["typed/example.kubets.io/v1.ts", "typed/example.kubets.io/v1beta1.ts", "clientset.ts", "fake.ts", "index.ts"]);
    expect(generateCrdClients(src, { informers: false }).find((o) => o.path === "index.ts")!.content).not.toContain("informers");
    const typesOnly = resolve(out, "types-only");
    runCrdCommand([fixture, "--out", typesOnly, "--types-only"]);
    expect(existsSync(join(typesOnly, "example.kubets.io/v1.ts"))).toBe(true);
    expect(existsSync(join(typesOnly, "clientset.ts"))).toBe(false);
  });

  it("names accessors after the group's first label, or the whole group when two groups share it, and avoids reserved names", () => {
    const crd = (group: string, kind: string, plural: string, scope = "Namespaced") =>
      `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: ${plural}.${group} }\nspec:\n  group: ${group}\n  scope: ${scope}\n  names: { kind: ${kind}, plural: ${plural} }\n  versions: [{ name: v1, served: true, storage: true }]\n---\n`;
    const outs = generateCrdClients([
      {
        name: "multi.yaml",
        text:
          crd("apps.one.io", "Policy", "policies") +
          crd("apps.two.io", "Box", "boxes", "Cluster") +
          crd("close.three.io", "Thing", "things") +
          crd("batch.four.io", "Mouse", "mice"),
      },
    ]);
    const cs = outs.find((o) => o.path === "clientset.ts")!.content;
    expect(cs).toContain("appsOneIoV1(): AppsOneIoV1Interface;");
    expect(cs).toContain("appsTwoIoV1(): AppsTwoIoV1Interface;");
    expect(cs).toContain("closeResourceV1(): CloseResourceV1Interface;");
    expect(cs).toContain("batchV1(): BatchV1Interface;");
    expect(cs).toContain(`["policies", "policies", "Policy", 1],`);
    expect(cs).toContain(`["boxes", "boxes", "Box", 0],`);
    // The plural is not the kind's regular plural: the accessor is the CRD's plural.
    expect(cs).toContain(`["mice", "mice", "Mouse", 1],`);
    const inf = outs.find((o) => o.path === "informers.ts")!.content;
    expect(inf).toContain("appsOneIo(): AppsOneIoInformers;");
    expect(inf).toContain("closeResource(): CloseResourceInformers;");
  });

  it("keeps examples/crd-typed/gen up to date with its CRD", () => {
    const dir = join(repo, "examples/crd-typed");
    const sources = [{ name: "memcached-crd.yaml", text: readFileSync(join(dir, "memcached-crd.yaml"), "utf8") }];
    for (const o of [...generateCrdTypes(sources), ...generateCrdClients(sources)]) {
      expect(readFileSync(join(dir, "gen", o.path), "utf8"), `examples/crd-typed/gen/${o.path} is stale: run npx kubets-codegen crd examples/crd-typed/memcached-crd.yaml --out examples/crd-typed/gen`).toBe(o.content);
    }
  });
});
