/**
 * A CustomResourceDefinition and its objects with the dynamic client: no generated types, every object
 * is plain JSON. Installs the CronTab CRD (server-side apply, so running it twice is fine), waits until
 * it is Established, finds its resource through discovery and the RESTMapper, then creates, gets, lists,
 * updates (with retry on conflict), patches, writes the status subresource, watches and deletes CronTabs.
 * At the end it removes the CRD again unless --keep is given.
 *
 *   node --conditions=@kubets/source --import tsx examples/crd-dynamic/main.ts [--namespace default] [--group stable.example.com] [--keep]
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { isNotFound } from "@kubets/apimachinery/errors";
import type { Unstructured } from "@kubets/apimachinery/runtime";
import { loadConfig, loadNamespace, type RestConfig } from "@kubets/client/config";
import { newDiscoveryClientForConfig, newMemCacheClient } from "@kubets/client/discovery";
import * as dynamic from "@kubets/client/dynamic";
import { newDeferredDiscoveryRESTMapper } from "@kubets/client/restmapper";
import { DEFAULT_RETRY, retryOnConflict } from "@kubets/client/util";

/** The CRD's API group (`--group` picks another, e.g. to run beside an installed CronTab). */
export const DEFAULT_GROUP = "stable.example.com";
const CRDS = { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" };
const FIELD_MANAGER = "kubets-crd-dynamic-example";

/** The CronTab CRD of the Kubernetes documentation, with a status subresource. */
export function cronTabCRD(group = DEFAULT_GROUP): Unstructured {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `crontabs.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural: "crontabs", singular: "crontab", kind: "CronTab", shortNames: ["ct"] },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  properties: { cronSpec: { type: "string" }, image: { type: "string" }, replicas: { type: "integer", minimum: 1 } },
                  required: ["cronSpec", "image"],
                },
                status: { type: "object", properties: { lastScheduleTime: { type: "string" } } },
              },
            },
          },
        },
      ],
    },
  };
}

function cronTab(group: string, name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): Unstructured {
  return { apiVersion: `${group}/v1`, kind: "CronTab", metadata: { name, labels }, spec };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the whole walk-through; `log` gets one line per step. */
export async function run(
  config: RestConfig,
  namespace: string,
  log: (line: string) => void,
  options: { keep?: boolean; group?: string } = {},
): Promise<void> {
  const group = options.group ?? DEFAULT_GROUP;
  const crdName = `crontabs.${group}`;
  const dyn = dynamic.newForConfig(config);
  const discoClient = newDiscoveryClientForConfig(config);
  const disco = newMemCacheClient(discoClient);
  try {
    // 1. Install the CRD and wait for the API server to serve it.
    await dyn.resource(CRDS).apply(crdName, cronTabCRD(group), { fieldManager: FIELD_MANAGER, force: true });
    for (let i = 0; ; i++) {
      const crd = await dyn.resource(CRDS).get(crdName);
      const conditions = (crd["status"] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
      if (conditions.some((c) => c.type === "Established" && c.status === "True")) break;
      if (i > 150) throw new Error(`the CRD ${crdName} did not become Established in 30s`);
      await sleep(200);
    }
    log(`crd ${crdName} established`);

    // 2. Map the kind to its resource as kubectl does: discovery + RESTMapper (retry while discovery catches up).
    const mapper = newDeferredDiscoveryRESTMapper(disco);
    let mapping;
    for (let i = 0; ; i++) {
      try {
        mapping = await mapper.restMapping({ group, kind: "CronTab" }, "v1");
        break;
      } catch (err) {
        if (i > 150) throw err;
        disco.invalidate();
        mapper.reset();
        await sleep(200);
      }
    }
    const gvr = mapping.resource;
    log(`kind CronTab is served as ${gvr.resource}.${gvr.group}/${gvr.version} (${mapping.scope.name === "namespace" ? "namespaced" : "cluster"})`);
    const crontabs = dyn.resource(gvr).namespace(namespace);

    // 3. Create, get, list.
    await crontabs.create(cronTab(group, "nightly", { cronSpec: "0 3 * * *", image: "registry.example/backup:1", replicas: 1 }, { tier: "batch" }));
    await crontabs.create(cronTab(group, "hourly", { cronSpec: "0 * * * *", image: "registry.example/report:1" }, { tier: "batch" }));
    const got = await crontabs.get("nightly");
    log(`created nightly (uid ${got.metadata?.uid ? "set" : "missing"}) and hourly`);
    const listed = await crontabs.list({ labelSelector: "tier=batch" });
    log(`listed tier=batch: ${listed.items.map((o) => o.metadata?.name).sort().join(", ")}`);

    // 4. Watch from the list's resourceVersion while updating.
    const w = await crontabs.watch({ resourceVersion: listed.metadata?.resourceVersion ?? "" });

    // 5. Update with retry on conflict (read-modify-write), merge patch, status subresource.
    await retryOnConflict(DEFAULT_RETRY, async () => {
      const cur = await crontabs.get("nightly");
      return crontabs.update({ ...cur, spec: { ...(cur["spec"] as object), replicas: 3 } });
    });
    const patched = await crontabs.patch("hourly", dynamic.PatchType.Merge, { spec: { cronSpec: "30 * * * *" } });
    log(`updated nightly replicas to 3; patched hourly cronSpec to ${(patched["spec"] as { cronSpec: string }).cronSpec}`);
    const cur = await crontabs.get("nightly");
    await crontabs.updateStatus({ ...cur, status: { lastScheduleTime: "2026-01-01T03:00:00Z" } });
    const withStatus = await crontabs.get("nightly");
    log(`status of nightly: lastScheduleTime ${(withStatus["status"] as { lastScheduleTime: string }).lastScheduleTime}`);

    // 6. Delete, and see it all on the watch.
    await crontabs.delete("hourly");
    await crontabs.delete("nightly");
    const events: string[] = [];
    for await (const ev of w) {
      events.push(`${ev.type} ${(ev.object as Unstructured).metadata?.name}`);
      if (ev.type === "DELETED" && (ev.object as Unstructured).metadata?.name === "nightly") break;
    }
    w.stop();
    log(`watch saw: ${events.join(", ")}`);
    try {
      await crontabs.get("nightly");
    } catch (err) {
      if (!isNotFound(err)) throw err;
      log("nightly is gone (NotFound)");
    }

    // 7. Remove the CRD (its remaining objects go with it).
    if (!options.keep) {
      await dyn.resource(CRDS).delete(crdName);
      log(`crd ${crdName} deleted`);
    }
  } finally {
    await Promise.all([dyn.close(), discoClient.close()]);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { namespace: { type: "string" }, group: { type: "string", default: DEFAULT_GROUP }, keep: { type: "boolean", default: false } },
  });
  const config = await loadConfig();
  await run(config, values.namespace ?? (await loadNamespace()), (line) => console.log(line), { keep: values.keep, group: values.group });
}
