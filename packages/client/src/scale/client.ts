/**
 * The scale client (client-go scale): reads and writes the `scale` subresource of any scalable resource
 * (Deployments, ReplicaSets, StatefulSets, custom resources with a scale subresource), finding the
 * resource through a RESTMapper and always handing out autoscaling/v1 Scale.
 */
import type { GetOptions, ObjectMeta, PatchOptions, UpdateOptions } from "@kubets/apimachinery/meta/v1";
import { formatLabelSelector } from "@kubets/apimachinery/meta/v1";
import type { GroupResource, GroupVersionKind, GroupVersionResource } from "@kubets/apimachinery/schema";
import { groupResourceToString, groupVersionResourceToString, groupVersionToString } from "@kubets/apimachinery/schema";
import { stringifyJSON } from "@kubets/apimachinery/serializer";
import type { RestConfig } from "../config/types.js";
import type { DiscoveryInterface } from "../discovery/interface.js";
import { splitCallOptions, type CallOptions, type PatchData } from "../dynamic/client.js";
import { RESTClient, type RESTClientOptions } from "../rest/client.js";
import type { PatchType, Request } from "../rest/request.js";

/** autoscaling/v1 Scale. */
export interface Scale {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

/** The Scale of the older groups (extensions/v1beta1, apps/v1beta1, apps/v1beta2). */
interface LegacyScale {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: Record<string, string>; targetSelector?: string };
}

const AUTOSCALING_V1 = "autoscaling/v1";
const LEGACY_SCALE_VERSIONS = new Set(["extensions/v1beta1", "apps/v1beta1", "apps/v1beta2"]);

/** Something that resolves a partial resource to the preferred full one (scale.PreferredResourceMapper). */
export interface PreferredResourceMapper {
  resourceFor(resource: GroupVersionResource): Promise<GroupVersionResource>;
}

/** Which Scale kind a resource's scale subresource speaks (scale.ScaleKindResolver). */
export interface ScaleKindResolver {
  scaleForResource(resource: GroupVersionResource): Promise<GroupVersionKind>;
}

/** Resolves Scale kinds from discovery and caches them (scale.NewDiscoveryScaleKindResolver). */
export function newDiscoveryScaleKindResolver(client: Pick<DiscoveryInterface, "serverResourcesForGroupVersion">): ScaleKindResolver {
  const cache = new Map<string, GroupVersionKind>();
  return {
    async scaleForResource(input) {
      const key = groupVersionResourceToString(input);
      const hit = cache.get(key);
      if (hit) return hit;
      let list;
      try {
        list = await client.serverResourcesForGroupVersion(groupVersionToString(input));
      } catch (cause) {
        throw new Error(`unable to fetch discovery information for ${key}: ${(cause as Error).message}`, { cause });
      }
      for (const r of list.resources) {
        const i = r.name.indexOf("/");
        if (i === -1 || r.name.slice(0, i) !== input.resource || r.name.slice(i + 1) !== "scale") continue;
        const gvk =
          r.group && r.version ? { group: r.group, version: r.version, kind: r.kind } : { group: input.group, version: input.version, kind: r.kind };
        cache.set(key, gvk);
        return gvk;
      }
      throw new Error(`could not find scale subresource for ${key} in discovery information`);
    },
  };
}

/** Converts any served Scale version to autoscaling/v1. */
export function convertToAutoscalingV1(obj: unknown): Scale {
  const s = obj as LegacyScale & Scale;
  if (typeof s !== "object" || s === null) throw new TypeError("received a non-object from a /scale endpoint");
  if (s.apiVersion === AUTOSCALING_V1 && s.kind === "Scale") return s as Scale;
  if (s.kind === "Scale" && s.apiVersion !== undefined && LEGACY_SCALE_VERSIONS.has(s.apiVersion)) {
    const st = (s as LegacyScale).status;
    const out: Scale = { apiVersion: AUTOSCALING_V1, kind: "Scale" };
    if (s.metadata) out.metadata = s.metadata;
    out.spec = s.spec?.replicas !== undefined ? { replicas: s.spec.replicas } : {};
    if (st) {
      const status: { replicas: number; selector?: string } = { replicas: st.replicas ?? 0 };
      if (st.targetSelector) status.selector = st.targetSelector;
      else if (st.selector && Object.keys(st.selector).length > 0) status.selector = formatLabelSelector({ matchLabels: st.selector });
      out.status = status;
    }
    return out;
  }
  throw new TypeError(
    `received an object from a /scale endpoint which was not convertible to autoscaling Scale: kind ${JSON.stringify(s.kind)}, apiVersion ${JSON.stringify(s.apiVersion)}`,
  );
}

/** Converts an autoscaling/v1 Scale to the version a resource's scale subresource expects. */
export function convertFromAutoscalingV1(scale: Scale, target: GroupVersionKind): unknown {
  const apiVersion = groupVersionToString(target);
  if (apiVersion === AUTOSCALING_V1 || !LEGACY_SCALE_VERSIONS.has(apiVersion)) return { ...scale, apiVersion, kind: target.kind || "Scale" };
  const out: LegacyScale = { apiVersion, kind: "Scale" };
  if (scale.metadata) out.metadata = scale.metadata;
  out.spec = scale.spec?.replicas !== undefined ? { replicas: scale.spec.replicas } : {};
  if (scale.status) out.status = { replicas: scale.status.replicas, ...(scale.status.selector ? { targetSelector: scale.status.selector } : {}) };
  return out;
}

/** The scale operations in one namespace (scale.ScaleInterface). */
export interface ScaleInterface {
  get(resource: GroupResource, name: string, opts?: GetOptions & CallOptions): Promise<Scale>;
  update(resource: GroupResource, scale: Scale, opts?: UpdateOptions & CallOptions): Promise<Scale>;
  patch(gvr: GroupVersionResource, name: string, patchType: PatchType | string, data: PatchData, opts?: PatchOptions & CallOptions): Promise<Scale>;
}

/** scale.ScalesGetter. */
export interface ScalesGetter {
  scales(namespace: string): ScaleInterface;
}

export class ScaleClient implements ScalesGetter {
  readonly restClient: RESTClient;
  readonly mapper: PreferredResourceMapper;
  readonly scaleKindResolver: ScaleKindResolver;

  constructor(restClient: RESTClient, mapper: PreferredResourceMapper, scaleKindResolver: ScaleKindResolver) {
    this.restClient = restClient;
    this.mapper = mapper;
    this.scaleKindResolver = scaleKindResolver;
  }

  scales(namespace: string): ScaleInterface {
    return new NamespacedScaleClient(this, namespace);
  }

  /** `/api/v1` or `/apis/<group>/<version>`. */
  apiPathFor(gvr: GroupVersionResource): string[] {
    return gvr.group.length === 0 ? ["api", gvr.version] : ["apis", gvr.group, gvr.version];
  }

  async pathAndVersionFor(resource: GroupResource): Promise<GroupVersionResource> {
    try {
      return await this.mapper.resourceFor({ group: resource.group, version: "", resource: resource.resource });
    } catch (cause) {
      throw new Error(
        `unable to get client for ${groupResourceToString(resource)}: unable to get full preferred group-version-resource for ${groupResourceToString(resource)}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  close(): Promise<void> {
    return this.restClient.close();
  }
}

class NamespacedScaleClient implements ScaleInterface {
  readonly #c: ScaleClient;
  readonly #namespace: string;
  constructor(c: ScaleClient, namespace: string) {
    this.#c = c;
    this.#namespace = namespace;
  }

  #req(req: Request, gvr: GroupVersionResource, name: string): Request {
    req.absPath(...this.#c.apiPathFor(gvr));
    if (this.#namespace !== "") req.namespace(this.#namespace);
    return req.resource(gvr.resource).name(name).subResource("scale");
  }

  async get(resource: GroupResource, name: string, opts?: GetOptions & CallOptions): Promise<Scale> {
    const gvr = await this.#c.pathAndVersionFor(resource);
    const { params, signal } = splitCallOptions(opts);
    return convertToAutoscalingV1(await this.#req(this.#c.restClient.get(), gvr, name).params(params).signal(signal).do<unknown>());
  }

  async update(resource: GroupResource, scale: Scale, opts?: UpdateOptions & CallOptions): Promise<Scale> {
    const gvr = await this.#c.pathAndVersionFor(resource);
    let desired: GroupVersionKind;
    try {
      desired = await this.#c.scaleKindResolver.scaleForResource(gvr);
    } catch (cause) {
      throw new Error(`could not find proper group-version for scale subresource of ${groupVersionResourceToString(gvr)}: ${(cause as Error).message}`, {
        cause,
      });
    }
    const name = scale.metadata?.name ?? "";
    const { params, signal } = splitCallOptions(opts);
    const body = convertFromAutoscalingV1(scale, desired);
    return convertToAutoscalingV1(await this.#req(this.#c.restClient.put(), gvr, name).params(params).body(body).signal(signal).do<unknown>());
  }

  async patch(gvr: GroupVersionResource, name: string, patchType: PatchType | string, data: PatchData, opts?: PatchOptions & CallOptions): Promise<Scale> {
    const { params, signal } = splitCallOptions(opts);
    const body = typeof data === "string" || data instanceof Uint8Array ? data : stringifyJSON(data);
    return convertToAutoscalingV1(await this.#req(this.#c.restClient.patch(patchType), gvr, name).params(params).body(body).signal(signal).do<unknown>());
  }
}

/**
 * A scale client for a config (scale.NewForConfig). The mapper resolves `{ group: "apps", resource:
 * "deployments" }` to its preferred version; the resolver says which Scale version to send on update.
 */
export function newForConfig(
  config: RestConfig,
  mapper: PreferredResourceMapper,
  scaleKindResolver: ScaleKindResolver,
  options: RESTClientOptions = {},
): ScaleClient {
  const { groupVersion: _gv, apiPath: _ap, ...rest } = config;
  return new ScaleClient(new RESTClient({ ...rest, acceptContentTypes: "application/json", contentType: "application/json" }, options), mapper, scaleKindResolver);
}
