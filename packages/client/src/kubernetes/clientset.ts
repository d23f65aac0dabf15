/**
 * The clientset runtime (client-go kubernetes.Clientset): builds group-version accessors from the
 * generated table. One transport (connection pool) and one rate limiter are shared by every
 * group-version, as client-go shares them; each group-version gets its REST client on first use.
 */
import type { RestConfig } from "../config/types.js";
import { DEFAULT_BURST, DEFAULT_QPS, RESTClient, type RESTClientOptions } from "../rest/client.js";
import { Transport } from "../transport/transport.js";
import { fakeAlwaysRateLimiter, TokenBucketRateLimiter } from "../util/flowcontrol.js";
import { LazyCodecRegistry, type RegistrationLoader } from "./codecs.js";
import { type ResourceDescriptor, TypedResourceClient } from "./resource-client.js";
import { RestInvoker } from "./rest-invoker.js";
import type { Invoker } from "./types.js";

/**
 * One resource in the generated table: accessor method (`configMaps`), plural (`configmaps`), kind,
 * 1 when namespaced, and its subresources (`{ scale: "autoscaling/v1:Scale", status: "" }`).
 */
export type ResourceRow = readonly [method: string, resource: string, kind: string, namespaced: 0 | 1, subresources?: Readonly<Record<string, string>>];

/** One group-version in the generated table. */
export interface GroupVersionTable {
  /** The clientset's accessor (`coreV1`). */
  readonly accessor: string;
  readonly group: string;
  readonly version: string;
  readonly resources: readonly ResourceRow[];
}

/** The descriptor of a table row. */
export function descriptorOf(gv: GroupVersionTable, row: ResourceRow): ResourceDescriptor {
  return { group: gv.group, version: gv.version, resource: row[1], kind: row[2], namespaced: row[3] === 1, subresources: row[4] ?? {} };
}

/** What every clientset has besides its group-version accessors. */
export interface ClientsetBase {
  /** Closes the shared connection pool. */
  close(): Promise<void>;
}

/** Builds the accessor object: `cs[accessor]()` -> `{ [method](namespace?) => TypedResourceClient }`. */
export function buildClientset(table: readonly GroupVersionTable[], invokerFor: (gv: GroupVersionTable) => Invoker, base: ClientsetBase): Record<string, unknown> {
  const cs: Record<string, unknown> = { close: () => base.close() };
  for (const gv of table) {
    let group: Record<string, unknown> | undefined;
    cs[gv.accessor] = () => {
      if (group !== undefined) return group;
      const invoker = invokerFor(gv);
      const g: Record<string, unknown> = {};
      for (const row of gv.resources) {
        const d = descriptorOf(gv, row);
        g[row[0]] = (namespace?: string) => new TypedResourceClient(invoker, d, namespace ?? "");
      }
      group = g;
      return g;
    };
  }
  return cs;
}

/** Options of newForConfig. */
export interface ClientsetOptions extends Pick<RESTClientOptions, "dispatcher" | "tokenFileRefreshMs" | "maxRetries" | "rateLimiter"> {
  /** Share an existing transport (connection pool). */
  transport?: Transport;
}

function mediaType(s: string | undefined): string {
  return (s ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * A clientset over a config (kubernetes.NewForConfig). Responses are asked for as
 * `application/vnd.kubernetes.protobuf, application/json` unless `config.contentType` is JSON (then JSON
 * both ways) or `config.acceptContentTypes` says otherwise; request bodies use `config.contentType`
 * (JSON by default, protobuf when it is `application/vnd.kubernetes.protobuf`).
 */
export function newClientsetFromTable(
  config: RestConfig,
  table: readonly GroupVersionTable[],
  loaders: Readonly<Record<string, RegistrationLoader>>,
  options: ClientsetOptions = {},
): Record<string, unknown> {
  const ownsTransport = options.transport === undefined;
  const transportOptions = {
    ...(options.dispatcher !== undefined ? { dispatcher: options.dispatcher } : {}),
    ...(options.tokenFileRefreshMs !== undefined ? { tokenFileRefreshMs: options.tokenFileRefreshMs } : {}),
  };
  const transport = options.transport ?? new Transport(config, transportOptions);
  const qps = config.qps && config.qps !== 0 ? config.qps : DEFAULT_QPS;
  const burst = config.burst && config.burst > 0 ? config.burst : DEFAULT_BURST;
  const rateLimiter = options.rateLimiter ?? (qps > 0 ? new TokenBucketRateLimiter(qps, burst) : fakeAlwaysRateLimiter);
  const jsonOnly = mediaType(config.contentType) === "application/json" && config.acceptContentTypes === undefined;
  const codecs = jsonOnly ? undefined : new LazyCodecRegistry(loaders);
  const invokerFor = (gv: GroupVersionTable): Invoker => {
    const gvConfig: RestConfig = {
      ...config,
      apiPath: gv.group === "" ? "/api" : "/apis",
      groupVersion: gv.group === "" ? gv.version : `${gv.group}/${gv.version}`,
      ...(jsonOnly ? { acceptContentTypes: "application/json" } : {}),
    };
    const rest = new RESTClient(gvConfig, {
      transport,
      rateLimiter,
      ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      ...(codecs ? { protobuf: codecs } : {}),
    });
    return new RestInvoker(rest, codecs);
  };
  return buildClientset(table, invokerFor, { close: () => (ownsTransport ? transport.close() : Promise.resolve()) });
}
