import { DecodeError } from "@kubets/apimachinery/serializer";
import type { WatchEvent } from "@kubets/apimachinery/meta/v1";
import type { RestConfig, WarningHandler } from "../config/types.js";
import { Transport, type TransportOptions } from "../transport/transport.js";
import { fakeAlwaysRateLimiter, TokenBucketRateLimiter, type RateLimiter } from "../util/flowcontrol.js";
import { decodeJSONWatchStream, type PatchType, Request } from "./request.js";
import { newDeduplicatingWarningWriter } from "./warnings.js";

/** client-go's defaults (rest.DefaultQPS, rest.DefaultBurst). */
export const DEFAULT_QPS = 5;
export const DEFAULT_BURST = 10;
/** client-go retries a request at most this many times. */
export const DEFAULT_MAX_RETRIES = 10;

/** Decodes a response body of one media type. */
export type BodyDecoder = (body: Uint8Array, contentType: string) => unknown;

export interface RESTClientOptions extends TransportOptions {
  /** Share a transport (and its connection pool) between clients. */
  transport?: Transport;
  rateLimiter?: RateLimiter;
  maxRetries?: number;
  /** Decoders by media type for non-JSON responses (e.g. application/vnd.kubernetes.protobuf). */
  decoders?: Record<string, BodyDecoder>;
  /** Encoder for request bodies when contentType is not JSON. */
  encoder?: (obj: unknown) => Uint8Array;
  /** Decoder of watch streams (default newline-delimited JSON). */
  watchDecoder?: (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<WatchEvent<unknown>>;
  /** Accept header for watch and stream requests (default: the config's). */
  streamAccept?: string;
}

/**
 * A client for one API group version (rest.RESTClient): builds Requests, owns the rate limiter and the
 * transport (one undici pool per client unless shared).
 */
export class RESTClient {
  readonly config: RestConfig;
  readonly transport: Transport;
  readonly rateLimiter: RateLimiter;
  readonly maxRetries: number;
  readonly warningHandler: WarningHandler;
  readonly versionedAPIPath: string;
  readonly group: string;
  readonly accept: string;
  readonly contentType: string;
  readonly streamAccept: string | undefined;
  readonly watchDecoder: (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<WatchEvent<unknown>>;
  readonly #decoders: Record<string, BodyDecoder>;
  readonly #encoder: ((obj: unknown) => Uint8Array) | undefined;
  readonly #ownsTransport: boolean;

  constructor(config: RestConfig, options: RESTClientOptions = {}) {
    this.config = config;
    this.#ownsTransport = options.transport === undefined;
    this.transport = options.transport ?? new Transport(config, options);
    const qps = config.qps && config.qps !== 0 ? config.qps : DEFAULT_QPS;
    const burst = config.burst && config.burst > 0 ? config.burst : DEFAULT_BURST;
    this.rateLimiter = options.rateLimiter ?? (qps > 0 ? new TokenBucketRateLimiter(qps, burst) : fakeAlwaysRateLimiter);
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.warningHandler = config.warningHandler ?? newDeduplicatingWarningWriter();
    const gv = config.groupVersion ?? "";
    this.group = gv.includes("/") ? gv.slice(0, gv.indexOf("/")) : "";
    this.versionedAPIPath = joinSegments(this.transport.basePath, config.apiPath ?? "", gv);
    this.accept = config.acceptContentTypes ?? "application/json";
    this.contentType = config.contentType ?? "application/json";
    this.streamAccept = options.streamAccept;
    this.#decoders = options.decoders ?? {};
    this.#encoder = options.encoder;
    this.watchDecoder = options.watchDecoder ?? decodeJSONWatchStream;
  }

  get basePath(): string {
    return this.transport.basePath;
  }

  verb(verb: string): Request {
    return new Request(this, verb);
  }
  get(): Request {
    return this.verb("GET");
  }
  post(): Request {
    return this.verb("POST");
  }
  put(): Request {
    return this.verb("PUT");
  }
  delete(): Request {
    return this.verb("DELETE");
  }
  patch(patchType: PatchType | string): Request {
    return this.verb("PATCH").setHeader("content-type", patchType);
  }

  /** Encodes a request body for the configured content type. */
  encode(obj: unknown): Uint8Array | string {
    const mt = (this.contentType.split(";")[0] ?? "").trim();
    if (mt === "application/json" || mt.endsWith("+json") || !this.#encoder) return JSON.stringify(obj);
    return this.#encoder(obj);
  }

  /** Decodes a response body by its media type. */
  decode(body: Uint8Array, contentType: string): unknown {
    const mt = (contentType.split(";")[0] ?? "").trim().toLowerCase();
    if (mt === "application/json" || mt.endsWith("+json") || mt === "") {
      try {
        return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
      } catch (cause) {
        throw new DecodeError(`response body is not valid JSON (content type ${contentType || "unset"})`, { cause });
      }
    }
    const d = this.#decoders[mt];
    if (d) return d(body, contentType);
    throw new DecodeError(`no decoder for the response content type ${mt}; register one in RESTClientOptions.decoders`);
  }

  /** Closes the connection pool (when this client owns it). */
  async close(): Promise<void> {
    if (this.#ownsTransport) await this.transport.close();
  }
}

function joinSegments(...parts: string[]): string {
  const segs: string[] = [];
  for (const p of parts) for (const s of p.split("/")) if (s !== "") segs.push(s);
  return segs.length === 0 ? "" : `/${segs.join("/")}`;
}

/** A RESTClient for a config (rest.RESTClientFor / UnversionedRESTClientFor). */
export function restClientFor(config: RestConfig, options: RESTClientOptions = {}): RESTClient {
  return new RESTClient(config, options);
}
