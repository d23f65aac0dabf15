// The README example of discovery, RESTMapper, dynamic, metadata and scale, run against the real server
// (with the test environment's config and a fresh namespace instead of loadConfig()/loadNamespace()).
import { afterAll, beforeAll, expect, it } from "vitest";
import { newDiscoveryClientForConfig, newMemCacheClient } from "@kubets/client/discovery";
import * as dynamic from "@kubets/client/dynamic";
import * as metadata from "@kubets/client/metadata";
import { isNoMatchError, newDeferredDiscoveryRESTMapper, newShortcutExpander } from "@kubets/client/restmapper";
import * as scale from "@kubets/client/scale";
import { DEFAULT_RETRY, retryOnConflict } from "@kubets/client/util";
import { configFor, uniqueName } from "./helpers/int.js";

const config = configFor("admin");
const ns = uniqueName("kubets-readme");
const NAMESPACES = { group: "", version: "v1", resource: "namespaces" };

beforeAll(async () => {
  const d = dynamic.newForConfig(config);
  await d.resource(NAMESPACES).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  await d.close();
});
afterAll(async () => {
  const d = dynamic.newForConfig(config);
  await d.resource(NAMESPACES).delete(ns).catch(() => undefined);
  await d.close();
});

it("runs the README example", async () => {
  const out: unknown[] = [];
  const log = (...args: unknown[]) => out.push(args.length === 1 ? args[0] : args);

  // --- README example starts here ---
  const disco = newDiscoveryClientForConfig(config);
  const cached = newMemCacheClient(disco); // discovery in memory until cached.invalidate()
  const mapper = newShortcutExpander(newDeferredDiscoveryRESTMapper(cached), cached);

  log(await mapper.resourceFor({ group: "", version: "", resource: "deploy" })); // { group: "apps", version: "v1", resource: "deployments" }
  const cmGVR = await mapper.resourceFor({ group: "", version: "", resource: "cm" });

  const dyn = dynamic.newForConfig(config);
  const cms = dyn.resource(cmGVR).namespace(ns);
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "readme" }, data: { big: "x".repeat(10_000) } };
  await cms.apply("readme", cm, { fieldManager: "readme-example", force: true });
  log((await cms.get("readme")).metadata?.managedFields?.[0]?.manager); // readme-example

  const meta = metadata.newForConfig(config);
  const light = await meta.resource(cmGVR).namespace(ns).list(); // metadata only: no data over the wire
  log(light.items.map((i) => i.metadata?.name)); // [ "kube-root-ca.crt", "readme" ]

  const deployments = dyn.resource({ group: "apps", version: "v1", resource: "deployments" }).namespace(ns);
  await deployments.create({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } },
    },
  });
  const scales = scale.newForConfig(config, mapper, scale.newDiscoveryScaleKindResolver(cached));
  const deploymentsGR = { group: "apps", resource: "deployments" };
  await retryOnConflict(DEFAULT_RETRY, async () => {
    const s = await scales.scales(ns).get(deploymentsGR, "web"); // autoscaling/v1 Scale
    return scales.scales(ns).update(deploymentsGR, { ...s, spec: { replicas: 3 } });
  });
  log((await deployments.get("web"))["spec"]); // replicas: 3, ...

  try {
    await mapper.kindFor({ group: "", version: "", resource: "nosuchthings" });
  } catch (err) {
    log(isNoMatchError(err)); // true
  }
  await Promise.all([disco.close(), dyn.close(), meta.close(), scales.close()]);
  // --- README example ends here ---

  expect(out[0]).toEqual({ group: "apps", version: "v1", resource: "deployments" });
  expect(out[1]).toBe("readme-example");
  // kube-root-ca.crt appears once the root CA publisher has seen the namespace.
  expect(out[2]).toContain("readme");
  expect((out[2] as string[]).every((n) => n === "readme" || n === "kube-root-ca.crt")).toBe(true);
  expect(out[3]).toMatchObject({ replicas: 3 });
  expect(out[4]).toBe(true);
});
