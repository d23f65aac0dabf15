/**
 * The reactor behind `newClientset` (client-go's field-managed object tracker, fake.NewClientset):
 * every write goes through field management as on the API server (create, update and non-apply
 * patches record an `Update` entry for their manager and take over the fields they change; apply
 * records an `Apply` entry, conflicts with the server's 409 unless `force`); patches are computed
 * with `@kubets/apimachinery/patch` and the built-in types' patch metadata; generation (for the
 * resources whose strategy keeps it), finalizers and `deletionTimestamp` follow the server.
 */
import { StatusError, newBadRequest, newConflict, newGenericServerResponse } from "@kubets/apimachinery/errors";
import { applyJSONPatch, isPatchError, mergePatch, strategicMergePatch } from "@kubets/apimachinery/patch";
import { parseYAML } from "@kubets/apimachinery/serializer";
import { goJSONRoundTrip, patchMetaFor, zeroValueFor } from "@kubets/api/patch-meta";
import { apiVersionOf, type ResourceDescriptor } from "../kubernetes/resource-client.js";
import type { Action, GroupVersionResource } from "../kubernetes/types.js";
import type { ReactionFunc, ReactionResult } from "./fake.js";
import { fieldManagerApply, fieldManagerUpdate, ignoredFieldsFor, typeNodeOf, type FieldManagerRequest } from "./managed-fields.js";
import type { ObjectTracker, TrackedObject } from "./tracker.js";

/** The field manager the API server records when a request names none and sends kubets' User-Agent. */
export const DEFAULT_FIELD_MANAGER = "kubets";

type JSONMap = Record<string, unknown>;

function isMap(v: unknown): v is JSONMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function text(patch: string | Uint8Array | undefined): string {
  if (patch === undefined) return "{}";
  return typeof patch === "string" ? patch : new TextDecoder().decode(patch);
}

function statusError(code: number, reason: "UnsupportedMediaType", message: string): StatusError {
  return new StatusError({ metadata: {}, status: "Failure", message, reason, code });
}

/**
 * A patch that cannot be applied, as the API server reports it: a JSON patch that fails (a test, a
 * missing path) is a 422 with the generic message, a malformed patch a 400.
 */
function badPatch(err: unknown, patchType: string | undefined): never {
  if (isPatchError(err)) {
    if (patchType === "application/json-patch+json" && err.reason !== "TooLarge" && !/must be a JSON array|not valid JSON/.test(err.message)) {
      throw newGenericServerResponse(422, "", { group: "", resource: "" }, "", err.message, 0, false);
    }
    throw newBadRequest(err.message);
  }
  throw err;
}

function nowTime(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isMap(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * The built-in resources whose strategy keeps metadata.generation (1 on create, +1 on a spec change
 * and on a graceful deletion), from Kubernetes' registry; custom resources always keep it.
 */
const GENERATION_RESOURCES = new Set(
  [
    "admissionregistration.k8s.io/mutatingadmissionpolicies",
    "admissionregistration.k8s.io/mutatingadmissionpolicybindings",
    "admissionregistration.k8s.io/mutatingwebhookconfigurations",
    "admissionregistration.k8s.io/validatingadmissionpolicies",
    "admissionregistration.k8s.io/validatingadmissionpolicybindings",
    "admissionregistration.k8s.io/validatingwebhookconfigurations",
    "apps/daemonsets",
    "apps/deployments",
    "apps/replicasets",
    "apps/statefulsets",
    "autoscaling/horizontalpodautoscalers",
    "batch/cronjobs",
    "batch/jobs",
    "/pods",
    "/podtemplates",
    "/replicationcontrollers",
    "discovery.k8s.io/endpointslices",
    "flowcontrol.apiserver.k8s.io/flowschemas",
    "flowcontrol.apiserver.k8s.io/prioritylevelconfigurations",
    "networking.k8s.io/ingresses",
    "networking.k8s.io/ingressclasses",
    "networking.k8s.io/networkpolicies",
    "policy/poddisruptionbudgets",
    "resource.k8s.io/deviceclasses",
    "resource.k8s.io/devicetaintrules",
    "resource.k8s.io/resourceslices",
    "scheduling.k8s.io/priorityclasses",
    "apiextensions.k8s.io/customresourcedefinitions",
  ],
);

/** Everything but metadata and status: a change there bumps metadata.generation. */
function specOf(o: JSONMap): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return JSON.stringify(rest);
}

/**
 * The reactor: create, update, patch (every type, on the main resource and `status`) and delete go
 * through field management; every other action falls through to `fallback` (objectReaction).
 */
export function fieldManagedReaction(tracker: ObjectTracker, describe: (gvr: GroupVersionResource) => ResourceDescriptor | undefined, fallback: ReactionFunc): ReactionFunc {
  return async (a: Action): Promise<ReactionResult | undefined> => {
    const d = describe(a.resource);
    if (d === undefined || (a.subresource !== "" && a.subresource !== "status")) return fallback(a);
    const hasStatus = "status" in d.subresources;
    const tracksGeneration = GENERATION_RESOURCES.has(`${d.group}/${d.resource}`) || patchMetaFor(apiVersionOf(d), d.kind) === undefined;
    const apiVersion = apiVersionOf(d);
    const schema = patchMetaFor(apiVersion, d.kind);
    const req = (): FieldManagerRequest => ({
      type: typeNodeOf(schema),
      zero: { ...(zeroValueFor(apiVersion, d.kind) ?? {}) },
      apiVersion,
      group: d.group,
      resource: d.resource,
      subresource: a.subresource,
      ignored: ignoredFieldsFor(a.subresource, hasStatus),
    });
    /** The object as the server decodes it into its Go type (unknown fields dropped, empty omitempty fields dropped, zero fields added). */
    const decoded = (o: TrackedObject): TrackedObject => (goJSONRoundTrip(apiVersion, d.kind, o as JSONMap) as TrackedObject | undefined) ?? o;
    /** The strategies' PrepareForCreate: a kind with a status subresource starts with the zero status. */
    const resetStatusOnCreate = (o: TrackedObject): TrackedObject => {
      if (!hasStatus) return o;
      const zeroStatus = zeroValueFor(apiVersion, d.kind)?.["status"];
      if (zeroStatus === undefined) delete o["status"];
      else o["status"] = structuredClone(zeroStatus);
      return o;
    };
    const opts = (a.options ?? {}) as { fieldManager?: string; force?: boolean; dryRun?: string[] };
    const manager = opts.fieldManager || DEFAULT_FIELD_MANAGER;
    const dryRun = (opts.dryRun ?? a.deleteOptions?.dryRun ?? []).includes("All");
    /** A create: stored, or with dryRun checked and returned as the server would have stored it. */
    const create = (o: TrackedObject): TrackedObject => {
      if (!dryRun) return tracker.create(a.resource, o, ns);
      const meta = (o.metadata ??= {});
      if (ns !== "") meta.namespace = ns;
      if (getLive(meta.name ?? "") !== undefined) tracker.create(a.resource, o, ns);
      meta.uid = crypto.randomUUID();
      meta.creationTimestamp = nowTime();
      return o;
    };
    const ns = a.namespace;
    const handled = (object: unknown): ReactionResult => ({ handled: true, object });
    const getLive = (name: string): TrackedObject | undefined => {
      try {
        return tracker.get(a.resource, ns, name);
      } catch {
        return undefined;
      }
    };
    /** Stores `next` over `live`: generation, finalizer-driven deletion. */
    const store = (live: TrackedObject, next: TrackedObject): TrackedObject => {
      const meta = (next.metadata ??= {});
      if (tracksGeneration && a.subresource === "" && specOf(next) !== specOf(live)) meta["generation"] = ((live.metadata?.["generation"] as number | undefined) ?? 0) + 1;
      else if (live.metadata?.["generation"] !== undefined) meta["generation"] = live.metadata["generation"];
      if (live.metadata?.deletionTimestamp !== undefined) {
        meta.deletionTimestamp = live.metadata.deletionTimestamp;
        if (live.metadata["deletionGracePeriodSeconds"] !== undefined) meta["deletionGracePeriodSeconds"] = live.metadata["deletionGracePeriodSeconds"];
      }
      // A write that changes nothing is not a write: no new resourceVersion, no event.
      const same = (o: TrackedObject): string => canonical({ ...o, metadata: { ...o.metadata, resourceVersion: "" } });
      if (same(next) === same(live) && (next.metadata.resourceVersion === undefined || next.metadata.resourceVersion === "" || next.metadata.resourceVersion === live.metadata?.resourceVersion)) return live;
      if (dryRun) {
        // Checked like a write (resourceVersion), returned, not stored.
        if (next.metadata.resourceVersion && next.metadata.resourceVersion !== live.metadata?.resourceVersion) tracker.update(a.resource, next, ns);
        return { ...next, metadata: { ...next.metadata, resourceVersion: live.metadata?.resourceVersion ?? "" } } as TrackedObject;
      }
      const stored = tracker.update(a.resource, next, ns);
      if (stored.metadata?.deletionTimestamp !== undefined && ((stored.metadata["finalizers"] as unknown[] | undefined) ?? []).length === 0) {
        tracker.delete(a.resource, ns, stored.metadata.name ?? "");
      }
      return stored;
    };
    /** Update semantics shared by update and non-apply patches. */
    const update = (live: TrackedObject, incoming: TrackedObject): TrackedObject => {
      let next = structuredClone(incoming);
      if (hasStatus && a.subresource === "") {
        if (live["status"] === undefined) delete next["status"];
        else next["status"] = structuredClone(live["status"]);
      } else if (a.subresource === "status") {
        const rv = next.metadata?.resourceVersion;
        next = { ...structuredClone(live), status: next["status"] } as TrackedObject;
        if (rv !== undefined) next.metadata = { ...next.metadata, resourceVersion: rv };
      }
      const meta = (next.metadata = { ...next.metadata });
      if (live.metadata?.uid !== undefined) meta.uid = live.metadata.uid;
      if (live.metadata?.creationTimestamp !== undefined) meta.creationTimestamp = live.metadata.creationTimestamp;
      return store(live, fieldManagerUpdate(live as JSONMap, next as JSONMap, manager, req()) as TrackedObject);
    };

    switch (a.verb) {
      case "create": {
        if (a.subresource !== "") return fallback(a);
        const obj = decoded(structuredClone(a.object) as TrackedObject);
        if (tracksGeneration) (obj.metadata ??= {})["generation"] = 1;
        return handled(create(resetStatusOnCreate(fieldManagerUpdate(undefined, obj as JSONMap, manager, req()) as TrackedObject)));
      }
      case "update": {
        const obj = a.object as TrackedObject;
        const live = getLive(obj.metadata?.name ?? a.name);
        if (live === undefined) return fallback(a);
        return handled(update(live, decoded(obj)));
      }
      case "patch": {
        const live = getLive(a.name);
        const body = text(a.patch);
        if (a.patchType === "application/apply-patch+yaml") {
          let config: unknown;
          try {
            config = parseYAML(body);
          } catch (err) {
            throw newBadRequest(`error decoding YAML: ${err instanceof Error ? err.message : String(err)}`);
          }
          if (!isMap(config)) throw newBadRequest("an apply configuration must be an object");
          const r = { ...req(), name: a.name };
          if (live === undefined) {
            if (a.subresource !== "") return fallback(a);
            const created = fieldManagerApply(undefined, config, manager, opts.force ?? false, r) as TrackedObject;
            const meta = (created.metadata ??= {});
            meta.name = a.name;
            if (tracksGeneration) meta["generation"] = 1;
            return handled(create(resetStatusOnCreate(decoded(created))));
          }
          let applied = fieldManagerApply(live as JSONMap, config, manager, opts.force ?? false, r) as TrackedObject;
          if (hasStatus && a.subresource === "") {
            if (live["status"] === undefined) delete applied["status"];
            else applied["status"] = structuredClone(live["status"]);
          } else if (a.subresource === "status") {
            applied = { ...applied, spec: live["spec"] } as TrackedObject;
            if (live["spec"] === undefined) delete applied["spec"];
          }
          applied.metadata = { ...applied.metadata, resourceVersion: live.metadata?.resourceVersion ?? "" };
          return handled(store(live, decoded(applied)));
        }
        if (live === undefined) return fallback(a);
        let patched: unknown;
        try {
          switch (a.patchType) {
            case "application/json-patch+json":
              patched = applyJSONPatch(live, body);
              break;
            case "application/merge-patch+json":
              patched = mergePatch(live, body);
              break;
            case "application/strategic-merge-patch+json":
              if (schema === undefined) {
                throw statusError(
                  415,
                  "UnsupportedMediaType",
                  "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
                );
              }
              patched = strategicMergePatch(live as JSONMap, body, schema);
              break;
            default:
              throw newBadRequest(`unsupported patch type ${a.patchType ?? ""}`);
          }
        } catch (err) {
          badPatch(err, a.patchType);
        }
        const next = decoded(patched as TrackedObject);
        // A patch that leaves resourceVersion alone is unconditional.
        if (next.metadata?.resourceVersion === live.metadata?.resourceVersion || next.metadata?.resourceVersion === undefined) {
          next.metadata = { ...next.metadata, resourceVersion: live.metadata?.resourceVersion ?? "" };
        }
        return handled(update(live, next));
      }
      case "delete": {
        if (a.subresource !== "") return fallback(a);
        const live = getLive(a.name);
        if (live === undefined) return fallback(a);
        const pre = a.deleteOptions?.preconditions;
        const gk = { group: d.group, resource: d.kind };
        if (pre?.uid && pre.uid !== live.metadata?.uid) {
          throw newConflict(gk, a.name, new Error(`the UID in the precondition (${pre.uid}) does not match the UID in record (${live.metadata?.uid ?? ""}). The object might have been deleted and then recreated`));
        }
        if (pre?.resourceVersion && pre.resourceVersion !== live.metadata?.resourceVersion) {
          throw newConflict(gk, a.name, new Error(`the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${live.metadata?.resourceVersion ?? ""}). The object might have been modified`));
        }
        if (dryRun) return handled(undefined);
        const finalizers = (live.metadata?.["finalizers"] as unknown[] | undefined) ?? [];
        if (finalizers.length === 0) return fallback(a);
        if (live.metadata?.deletionTimestamp !== undefined) return handled(undefined);
        const next = structuredClone(live);
        next.metadata = { ...next.metadata, deletionTimestamp: nowTime(), deletionGracePeriodSeconds: 0 };
        if (typeof next.metadata["generation"] === "number") next.metadata["generation"] += 1;
        tracker.update(a.resource, next, ns);
        return handled(undefined);
      }
      case "delete-collection":
        if (dryRun) return handled(undefined);
        return fallback(a);
      case "list": {
        // Typed lists carry apiVersion and kind on the list only, as the API server sends them.
        const r = await fallback(a);
        const items = (r?.object as { items?: TrackedObject[] } | undefined)?.items;
        if (items !== undefined) for (const it of items) {
          delete it.apiVersion;
          delete it.kind;
        }
        return r;
      }
      default:
        return fallback(a);
    }
  };
}
