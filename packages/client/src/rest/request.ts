import { fromObject, newGenericServerResponse, type StatusError } from "@kubets/apimachinery/errors";
import { createGunzip, gunzipSync, type Gunzip } from "node:zlib";
import { DecodeError, isDecodeError, type ProtobufStreamDecoder } from "@kubets/apimachinery/serializer";
import type { WatchEvent, WatchEventDecoder } from "@kubets/apimachinery/watch";
import type { WarningHandler } from "../config/types.js";
import { formatDurationMilliseconds } from "@kubets/apimachinery/meta/v1";
import { errorCode, isConnectionResetError, TransportError } from "../transport/errors.js";
import { RequestMetrics, urlTemplate } from "../internal/metrics.js";
import type { ResponseBody, SentResponse } from "../transport/body.js";
import type { RESTClient } from "./client.js";
import { parseWarningHeaders, type WarningHeader } from "./warnings.js";

/** Query parameter values; arrays repeat the key, undefined/empty values are left out. */
export type Params = Record<string, string | number | boolean | readonly string[] | undefined | null>;

/** Patch content types (types.PatchType). */
export const PatchType = {
  JSON: "application/json-patch+json",
  Merge: "application/merge-patch+json",
  StrategicMerge: "application/strategic-merge-patch+json",
  Apply: "application/apply-patch+yaml",
} as const;
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

/** The outcome of a request that got a response (rest.Result). */
export interface Result {
  statusCode: number;
  contentType: string;
  /** The body, decompressed when the server gzipped it. */
  body: Uint8Array;
  headers: Record<string, string | string[] | undefined>;
  warnings: WarningHeader[];
}

/** An open watch: iterate for events, stop() to end it. */
export interface Watch<T> extends AsyncIterable<WatchEvent<T>> {
  stop(): void;
}

/** An open response body stream. */
export interface ResponseStream extends AsyncIterable<Uint8Array> {
  statusCode: number;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  close(): void;
}

const MAX_UNSTRUCTURED_RESPONSE_TEXT = 2048;

/** The signal of a request without timeout or signal of its own: never aborts. */
const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/** Successful protobuf responses from this size (or of unknown size) are decoded as they arrive. */
const STREAM_DECODE_MIN_BYTES = 64 * 1024;
/** Output chunk of the gunzip stream (Node's default, 16 KiB, costs one thread-pool round trip per 16 KiB). */
const GUNZIP_CHUNK_BYTES = 1024 * 1024;

/**
 * The default bound on a response body (after decompression): 1 GiB. A larger body fails with a
 * TransportError of code ERR_RESPONSE_TOO_LARGE and its connection is closed; raise it with
 * RestConfig.maxResponseBytes or Request.maxResponseBytes, or page the list (limit/continue).
 * (An informer's first list of 100k pods of 4.4 KB is about 300 MB of protobuf, decoded as it arrives.)
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024 * 1024;

/**
 * The default read-idle timeout of a watch that asks for bookmarks (allowWatchBookmarks, as every informer
 * does): 90 s without a byte while the consumer waits for one. The API server sends a bookmark about once a
 * minute when the resource's resourceVersion moved, so a black-holed connection is noticed within this
 * bound; on a quiet resource it may send nothing, and the watch ends after this long too. Either way it
 * fails with a TransportError of code ERR_WATCH_IDLE_TIMEOUT and an informer re-watches from its last
 * resourceVersion (no LIST). Change it with RestConfig.watchIdleTimeout or Request.idleTimeout.
 */
export const DEFAULT_WATCH_IDLE_TIMEOUT = 90_000;

/** How long after its timeoutSeconds a watch may stay open before the client closes it as dead: 5 s + 10%. */
function watchDeadlineGrace(timeoutSeconds: number): number {
  return 5000 + timeoutSeconds * 100;
}

/** Media types a watch response may have (as client-go's stream decoders); "" means the default, JSON. */
const WATCH_MEDIA_TYPES: ReadonlySet<string> = new Set(["", "application/json", "application/vnd.kubernetes.protobuf"]);

/** Option fields that are pointers in Go, so an explicit false or 0 is sent rather than omitted. */
const POINTER_PARAMS: ReadonlySet<string> = new Set([
  "timeoutSeconds",
  "sendInitialEvents",
  "force",
  "gracePeriodSeconds",
  "orphanDependents",
  "ignoreStoreReadErrorWithClusterBreakingPotential",
  // PodLogOptions' pointers: tailLines: 0 means no old lines, not "all of them"
  "tailLines",
  "sinceSeconds",
  "limitBytes",
]);

function validPathSegment(s: string): string | undefined {
  if (s === "." || s === "..") return `may not be '${s}'`;
  if (s.includes("/")) return "may not contain '/'";
  if (s.includes("%")) return "may not contain '%'";
  return undefined;
}

/** The status and headers of a response (what the helpers below read). */
type ResponseHead = Pick<SentResponse, "statusCode" | "headers">;

function retryAfterSeconds(res: ResponseHead): number | undefined {
  const h = res.headers["retry-after"];
  const v = Array.isArray(h) ? h[0] : h;
  if (v === undefined || !/^\d+$/.test(v.trim())) return undefined;
  return Number(v.trim());
}

function header(res: ResponseHead, name: string): string | undefined {
  const h = res.headers[name];
  return Array.isArray(h) ? h[0] : h;
}

function headerList(res: ResponseHead, name: string): string[] {
  const h = res.headers[name];
  return h === undefined ? [] : Array.isArray(h) ? h : [h];
}

function mediaTypeOf(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

/**
 * A request under construction (rest.Request): chain the parts, then call do(), doRaw(), stream() or watch().
 * Errors in the chain (an invalid name, say) are reported when the request runs.
 */
export class Request {
  readonly #client: RESTClient;
  readonly #verb: string;
  #pathPrefix: string;
  #namespace: string | undefined;
  #resource = "";
  #name = "";
  #subresource = "";
  #subpath = "";
  #params = new URLSearchParams();
  #headers: Record<string, string | string[]> = {};
  #body: Uint8Array | string | undefined;
  #bodyContentType: string | undefined;
  #timeout: number;
  #signal: AbortSignal | undefined;
  #maxRetries: number;
  #warningHandler: WarningHandler | undefined;
  #maxResponseBytes: number;
  #idleTimeout: number | undefined;
  #err: Error | undefined;
  /** The URL of the last send (for messages), so it is built once per request. */
  #sentURL: URL | undefined;

  constructor(client: RESTClient, verb: string) {
    this.#client = client;
    this.#verb = verb.toUpperCase();
    this.#pathPrefix = client.versionedAPIPath;
    this.#timeout = client.config.timeout ?? 0;
    this.#maxRetries = client.maxRetries;
    this.#warningHandler = client.warningHandler;
    this.#maxResponseBytes = client.config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#idleTimeout = client.config.watchIdleTimeout;
  }

  get verb(): string {
    return this.#verb;
  }

  #fail(message: string): this {
    this.#err ??= new TypeError(message);
    return this;
  }

  /** Replaces the path prefix with an absolute path under the server's base path. */
  absPath(...segments: string[]): this {
    this.#pathPrefix = joinPath(this.#client.basePath, ...segments);
    return this;
  }

  /** Appends segments to the path prefix. */
  prefix(...segments: string[]): this {
    this.#pathPrefix = joinPath(this.#pathPrefix, ...segments);
    return this;
  }

  namespace(namespace: string): this {
    if (this.#namespace !== undefined) return this.#fail(`namespace already set to ${JSON.stringify(this.#namespace)}`);
    const bad = validPathSegment(namespace);
    if (bad) return this.#fail(`invalid namespace ${JSON.stringify(namespace)}: ${bad}`);
    this.#namespace = namespace;
    return this;
  }

  /** Sets the namespace only when the resource is namespaced. */
  namespaceIfScoped(namespace: string, scoped: boolean): this {
    return scoped ? this.namespace(namespace) : this;
  }

  resource(resource: string): this {
    if (this.#resource) return this.#fail(`resource already set to ${JSON.stringify(this.#resource)}`);
    const bad = validPathSegment(resource);
    if (bad) return this.#fail(`invalid resource ${JSON.stringify(resource)}: ${bad}`);
    this.#resource = resource;
    return this;
  }

  name(name: string): this {
    if (name === "") return this.#fail("resource name may not be empty");
    if (this.#name) return this.#fail(`resource name already set to ${JSON.stringify(this.#name)}`);
    const bad = validPathSegment(name);
    if (bad) return this.#fail(`invalid resource name ${JSON.stringify(name)}: ${bad}`);
    this.#name = name;
    return this;
  }

  subResource(...parts: string[]): this {
    const sub = parts.join("/");
    if (this.#subresource) return this.#fail(`subresource already set to ${JSON.stringify(this.#subresource)}`);
    for (const p of parts) {
      const bad = validPathSegment(p);
      if (bad) return this.#fail(`invalid subresource ${JSON.stringify(p)}: ${bad}`);
    }
    this.#subresource = sub;
    return this;
  }

  /** Appends segments after the name and subresource (rest.Request.Suffix). */
  suffix(...segments: string[]): this {
    this.#subpath = joinPath(this.#subpath, ...segments);
    return this;
  }

  param(key: string, value: string | number | boolean): this {
    this.#params.append(key, String(value));
    return this;
  }

  /**
   * Adds query parameters from an options object (ListOptions, GetOptions, ...) the way client-go's parameter
   * codec does: empty strings, `false` and `0` are left out (Go's omitempty) except for the fields Go declares
   * as pointers (timeoutSeconds, sendInitialEvents, force, ...), where an explicit zero is sent.
   */
  params(params: Params | object | undefined): this {
    if (!params) return this;
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined || v === null || v === "" || k === "kind" || k === "apiVersion") continue;
      if ((v === false || v === 0) && !POINTER_PARAMS.has(k)) continue;
      if (Array.isArray(v)) for (const item of v) this.#params.append(k, String(item));
      else if (typeof v === "object") continue;
      else this.#params.set(k, String(v));
    }
    return this;
  }

  setHeader(key: string, ...values: string[]): this {
    this.#headers[key.toLowerCase()] = values.length === 1 ? values[0]! : values;
    return this;
  }

  /** The request body: bytes and strings are sent as they are, anything else as JSON. */
  body(body: unknown): this {
    if (body === undefined || body === null) {
      this.#body = undefined;
    } else if (typeof body === "string" || body instanceof Uint8Array) {
      this.#body = body;
    } else {
      const { data, contentType } = this.#client.encode(body);
      this.#body = data;
      if (!("content-type" in this.#headers)) this.#bodyContentType = contentType;
    }
    return this;
  }

  /** Per-request timeout in milliseconds; also sent to the server as the `timeout` parameter. */
  timeout(ms: number): this {
    this.#timeout = ms;
    return this;
  }

  /**
   * The largest response body this request accepts, in bytes after decompression (default
   * RestConfig.maxResponseBytes, else DEFAULT_MAX_RESPONSE_BYTES). Does not apply to stream() and watch(),
   * which never hold the whole body (watch frames have their own 16 MiB bound).
   */
  maxResponseBytes(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) return this.#fail(`maxResponseBytes must be a non-negative integer, got ${n}`);
    this.#maxResponseBytes = n;
    return this;
  }

  /**
   * For stream() and watch(): fail with a TransportError (code ERR_WATCH_IDLE_TIMEOUT) and close the
   * connection when no byte arrives for `ms` milliseconds; 0 disables. Default: RestConfig.watchIdleTimeout,
   * else DEFAULT_WATCH_IDLE_TIMEOUT for watches that ask for bookmarks and none otherwise.
   */
  idleTimeout(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0) return this.#fail(`idleTimeout must be a non-negative number of milliseconds, got ${ms}`);
    this.#idleTimeout = ms;
    return this;
  }

  signal(signal: AbortSignal | undefined): this {
    this.#signal = signal;
    return this;
  }

  maxRetries(n: number): this {
    this.#maxRetries = Math.max(0, n);
    return this;
  }

  warningHandler(handler: WarningHandler): this {
    this.#warningHandler = handler;
    return this;
  }

  /** The URL this request goes to. */
  url(): URL {
    let p = this.#pathPrefix;
    if (this.#namespace) p = joinPath(p, "namespaces", this.#namespace);
    if (this.#resource) p = joinPath(p, this.#resource.toLowerCase());
    if (this.#name || this.#subresource || this.#subpath) p = joinPath(p, this.#name, this.#subresource, this.#subpath);
    const u = new URL(p || "/", this.#client.transport.host);
    const q = new URLSearchParams(this.#params);
    if (this.#timeout > 0) q.set("timeout", formatDurationMilliseconds(this.#timeout));
    u.search = q.toString();
    return u;
  }

  /** The read-idle timeout of a stream: set on the request, else the default for watches that ask for bookmarks. */
  #idle(): number {
    return this.#idleTimeout ?? (this.#params.get("allowWatchBookmarks") === "true" ? DEFAULT_WATCH_IDLE_TIMEOUT : 0);
  }

  /** Sends the request, retrying as client-go does, and returns the response with its body unread. */
  async #send(stream: boolean): Promise<{ res: SentResponse; cleanup: () => void; signal: AbortSignal }> {
    if (this.#err) throw this.#err;
    const client = this.#client;
    const url = this.url();
    this.#sentURL = url;
    // An AbortController (and a composite signal) only where there is a timeout to enforce: a request
    // with neither timeout nor signal gets one that never aborts, and no abort listeners are added for it.
    const controller = this.#timeout > 0 ? new AbortController() : undefined;
    const signals: AbortSignal[] = controller ? [controller.signal] : [];
    if (this.#signal) signals.push(this.#signal);
    let timer: NodeJS.Timeout | undefined;
    if (controller) {
      const timeout = this.#timeout;
      const started = Date.now();
      timer = setTimeout(() => {
        const elapsed = formatDurationMilliseconds(Date.now() - started);
        controller.abort(
          new TransportError(
            `${this.#verb} ${url.pathname} to ${client.transport.host} timed out after ${elapsed} (the timeout is ${formatDurationMilliseconds(timeout)}; it covers connecting, TLS, headers and body): check that the server is reachable, or raise the timeout`,
            { host: client.transport.host, code: "ETIMEDOUT" },
          ),
        );
      }, timeout);
    }
    // A stream with a read-idle timeout waits at most that long for the response headers too: a request
    // sent on a connection that went dead (no FIN, no RST) would otherwise wait forever.
    const idle = stream ? this.#idle() : 0;
    let headersTimer: NodeJS.Timeout | undefined;
    if (idle > 0) {
      const headersWait = new AbortController();
      signals.push(headersWait.signal);
      headersTimer = setTimeout(() => {
        headersWait.abort(
          new TransportError(
            `no response from ${client.transport.host} to ${this.#verb} ${url.pathname} within ${formatDurationMilliseconds(idle)} (the idle timeout): the connection is presumed dead and was closed; watch again`,
            { host: client.transport.host, code: "ERR_WATCH_IDLE_TIMEOUT" },
          ),
        );
      }, idle);
      headersTimer.unref?.();
    }
    const signal = signals.length === 0 ? NEVER_ABORTED : signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      if (headersTimer) clearTimeout(headersTimer);
    };
    const headers: Record<string, string | string[]> = {
      accept: stream && this.#client.streamAccept ? this.#client.streamAccept : client.accept,
      // as Go's transport does, ask for gzip (the API server compresses large responses) unless disabled
      ...(stream || client.config.disableCompression ? {} : { "accept-encoding": "gzip" }),
      ...this.#headers,
    };
    if (this.#body !== undefined && !("content-type" in headers)) headers["content-type"] = this.#bodyContentType ?? client.contentType;
    const metrics = new RequestMetrics(this.#verb, url, () => urlTemplate(url, this.#namespace ?? "", this.#name));
    try {
      await metrics.rateLimited(client.rateLimiter.wait(signal));
      let attempts = 0;
      let waitSeconds = 0;
      for (;;) {
        if (attempts > 0) {
          if (waitSeconds > 0) await sleep(waitSeconds * 1000, signal);
          await metrics.rateLimited(client.rateLimiter.wait(signal));
        }
        let res: SentResponse;
        try {
          res = await client.transport.send(
            {
              method: this.#verb,
              url,
              headers,
              ...(this.#body !== undefined ? { body: this.#body } : {}),
              ...(signal !== NEVER_ABORTED ? { signal } : {}),
            },
            { stream: this.#params.get("watch") === "true" },
          );
        } catch (err) {
          if (signal.aborted) throw signal.reason;
          attempts++;
          if (this.#verb === "GET" && isConnectionResetError(err) && attempts <= this.#maxRetries) {
            waitSeconds = 1; // client-go's artificial Retry-After: 1
            metrics.retry(undefined);
            continue;
          }
          throw err;
        }
        const status = res.statusCode;
        const after = status === 429 || status >= 500 ? retryAfterSeconds(res) : undefined;
        attempts++;
        if (after !== undefined && attempts <= this.#maxRetries) {
          await res.body.dump().catch(() => undefined);
          waitSeconds = after;
          metrics.retry(status);
          continue;
        }
        metrics.done(status);
        if (headersTimer) clearTimeout(headersTimer);
        return { res, cleanup, signal };
      }
    } catch (err) {
      metrics.done(undefined);
      cleanup();
      throw err;
    }
  }

  #handleWarnings(res: ResponseHead): WarningHeader[] {
    const warnings = parseWarningHeaders(headerList(res, "warning"));
    const h = this.#warningHandler;
    if (h) for (const w of warnings) h(w.code, w.agent, w.text);
    return warnings;
  }

  /** Turns a non-2xx response into a StatusError, as client-go's transformResponse does. */
  #toError(res: ResponseHead, body: Uint8Array, contentType: string): StatusError {
    const mt = mediaTypeOf(contentType);
    let decoded: unknown;
    try {
      decoded = this.#client.decode(body, contentType);
    } catch {
      decoded = undefined;
    }
    if (typeof decoded === "object" && decoded !== null && typeof (decoded as { status?: unknown }).status === "string" && (decoded as { status: string }).status !== "") {
      const obj = decoded as { kind?: string; apiVersion?: string };
      const err = fromObject({ ...obj, kind: obj.kind ?? "Status", apiVersion: obj.apiVersion || "v1" });
      if (err.name === "StatusError") return err as StatusError;
    }
    let text = "unknown";
    if (mt.startsWith("text/")) {
      text = Buffer.from(body.subarray(0, MAX_UNSTRUCTURED_RESPONSE_TEXT)).toString("utf8").trim();
    }
    const group = this.#client.group;
    return newGenericServerResponse(
      res.statusCode,
      this.#verb,
      { group: this.#resource ? group : "", resource: this.#resource },
      this.#name,
      text,
      retryAfterSeconds(res) ?? 0,
      true,
    );
  }

  /** The TransportError for a body over maxResponseBytes (`size` says how it was noticed). */
  #tooLarge(what: string, size: string): TransportError {
    const host = this.#client.transport.host;
    return new TransportError(
      `the response to ${what} from ${host} is larger than the ${this.#maxResponseBytes}-byte limit (${size}); the connection was closed. Raise RestConfig.maxResponseBytes (or Request.maxResponseBytes), or page the list with limit/continue`,
      { host, code: "ERR_RESPONSE_TOO_LARGE" },
    );
  }

  /**
   * Reads a whole response body, bounded by maxResponseBytes on the bytes received and, for gzip, on the
   * decompressed size; a body over the bound destroys the response (closing its connection).
   */
  async #readBody(res: SentResponse, signal: AbortSignal): Promise<Uint8Array> {
    const host = this.#client.transport.host;
    const limit = this.#maxResponseBytes;
    const what = `${this.#verb} ${(this.#sentURL ?? this.url()).pathname}`;
    const tooLarge = (size: string) => this.#tooLarge(what, size);
    const declared = Number(header(res, "content-length") ?? "NaN");
    if (Number.isSafeInteger(declared) && declared > limit) {
      res.body.destroy();
      throw tooLarge(`Content-Length ${declared}`);
    }
    let body: Uint8Array;
    try {
      body = await new Promise<Uint8Array>((resolve, reject) => {
        // With a Content-Length the bytes go straight into one buffer; otherwise chunks are joined once.
        const exact = Number.isSafeInteger(declared) && declared >= 0 ? Buffer.allocUnsafe(declared) : undefined;
        const chunks: Buffer[] = [];
        let copied = 0;
        let size = 0;
        res.body.pipeTo({
          data: (c) => {
            if (size + c.length > limit) {
              reject(tooLarge(`more than ${limit} bytes received`));
              res.body.destroy();
              return false;
            }
            if (exact && chunks.length === 0 && copied + c.length <= exact.length) {
              c.copy(exact, copied);
              copied += c.length;
            } else {
              chunks.push(c);
            }
            size += c.length;
            return true;
          },
          end: () => {
            if (exact && chunks.length === 0) resolve(exact.subarray(0, copied));
            else resolve(Buffer.concat(exact ? [exact.subarray(0, copied), ...chunks] : chunks, size));
          },
          error: reject,
        });
      });
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if ((err as { code?: unknown }).code === "ERR_RESPONSE_TOO_LARGE") throw err;
      throw this.#cutError(err, what);
    }
    if (header(res, "content-encoding")?.toLowerCase() === "gzip") {
      try {
        body = gunzipSync(body, { maxOutputLength: Math.max(1, limit) });
      } catch (err) {
        if ((err as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(`more than ${limit} bytes after gzip decompression`);
        throw new DecodeError(`the response to ${what} from ${host} is labelled Content-Encoding: gzip but is not valid gzip data (${errorCode(err) ?? "corrupt"})`, {
          cause: err,
        });
      }
    }
    return body;
  }

  /** The TransportError for a body (or stream) cut off by the network, with the low-level code. */
  #cutError(err: unknown, what: string): TransportError {
    const host = this.#client.transport.host;
    const code = errorCode(err) ?? "ECONNRESET";
    return new TransportError(`reading the response to ${what} from ${host} failed: the connection was closed before the body ended (${code}); retry`, {
      host,
      code,
      cause: err,
    });
  }

  /** Runs the request and returns the raw result; non-2xx responses reject with StatusError. */
  async result(): Promise<Result> {
    return this.#finish(await this.#send(false));
  }

  async #finish({ res, cleanup, signal }: { res: SentResponse; cleanup: () => void; signal: AbortSignal }): Promise<Result> {
    let body: Uint8Array;
    try {
      body = await this.#readBody(res, signal);
    } finally {
      cleanup();
    }
    // undici frees the connection a tick after the body ends; yield so the next sequential request reuses it
    // instead of opening a second one.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const contentType = header(res, "content-type") ?? this.#client.contentType;
    const warnings = this.#handleWarnings(res);
    if (res.statusCode < 200 || res.statusCode > 206) throw this.#toError(res, body, contentType);
    return { statusCode: res.statusCode, contentType, body, headers: res.headers, warnings };
  }

  /**
   * Runs the request and decodes the response body (JSON, or a registered codec). A successful protobuf
   * response without a Content-Length (the API server streams lists) or above 64 KiB is decoded as it
   * arrives (a List item by item, gzip inflated on the way), so the whole body is never held at once.
   */
  async do<T = unknown>(): Promise<T> {
    const sent = await this.#send(false);
    const res = sent.res;
    if (res.statusCode >= 200 && res.statusCode <= 206) {
      const declared = Number(header(res, "content-length") ?? "NaN");
      if (!(declared < STREAM_DECODE_MIN_BYTES)) {
        const decoder = this.#client.streamDecoderFor(header(res, "content-type") ?? this.#client.contentType);
        if (decoder !== undefined) return (await this.#decodeStreaming(sent, decoder)) as T;
      }
    }
    const r = await this.#finish(sent);
    if (r.body.length === 0) return undefined as T;
    return this.#client.decode(r.body, r.contentType) as T;
  }

  /** {@link do} for a body decoded as it arrives, with the bounds and errors of {@link result}. */
  async #decodeStreaming(sent: { res: SentResponse; cleanup: () => void; signal: AbortSignal }, decoder: ProtobufStreamDecoder): Promise<unknown> {
    const { res, cleanup, signal } = sent;
    const host = this.#client.transport.host;
    const limit = this.#maxResponseBytes;
    const what = `${this.#verb} ${(this.#sentURL ?? this.url()).pathname}`;
    const tooLarge = (size: string) => {
      res.body.destroy();
      return this.#tooLarge(what, size);
    };
    const declared = Number(header(res, "content-length") ?? "NaN");
    if (Number.isSafeInteger(declared) && declared > limit) throw tooLarge(`Content-Length ${declared}`);
    const gzip = header(res, "content-encoding")?.toLowerCase() === "gzip";
    let gunzip: Gunzip | undefined;
    try {
      let size = 0;
      if (!gzip) {
        for await (const c of res.body as AsyncIterable<Buffer>) {
          size += c.length;
          if (size > limit) throw tooLarge(`more than ${limit} bytes received`);
          decoder.push(c);
        }
      } else {
        // The compressed body (a twentieth of a list's size) is read first, as fast as it comes; then it is
        // inflated on the thread pool in large pieces while this thread decodes them.
        const compressed: Buffer[] = [];
        for await (const c of res.body as AsyncIterable<Buffer>) {
          size += c.length;
          if (size > limit) throw tooLarge(`more than ${limit} bytes received`);
          compressed.push(c);
        }
        gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
        gunzip.end(compressed.length === 1 ? compressed[0] : Buffer.concat(compressed, size));
        compressed.length = 0;
        size = 0;
        for await (const c of gunzip as AsyncIterable<Buffer>) {
          size += c.length;
          if (size > limit) throw tooLarge(`more than ${limit} bytes after gzip decompression`);
          decoder.push(c);
        }
      }
    } catch (err) {
      gunzip?.destroy();
      res.body.destroy();
      if (signal.aborted) throw signal.reason;
      const code = (err as { code?: unknown }).code;
      if (code === "ERR_RESPONSE_TOO_LARGE" || isDecodeError(err)) throw err;
      if (gzip && typeof code === "string" && code.startsWith("Z_")) {
        throw new DecodeError(`the response to ${what} from ${host} is labelled Content-Encoding: gzip but is not valid gzip data (${code})`, { cause: err });
      }
      throw this.#cutError(err, what);
    } finally {
      cleanup();
    }
    // As in result(): let undici hand the connection back before the next request.
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#handleWarnings(res);
    if (decoder.bytes === 0) return undefined;
    return decoder.end();
  }

  /** Runs the request and returns the response bytes. */
  async doRaw(): Promise<Uint8Array> {
    return (await this.result()).body;
  }

  /** Runs the request and returns the open response body (logs, streams); non-2xx rejects with StatusError. */
  async stream(): Promise<ResponseStream> {
    const o = await this.#openStream();
    const { body, live, signal } = o;
    return {
      statusCode: o.statusCode,
      contentType: o.contentType,
      headers: o.headers,
      close: () => live.close(),
      async *[Symbol.asyncIterator]() {
        try {
          for (;;) {
            const c = body.read();
            if (c === undefined) {
              await body.wait();
              continue;
            }
            if (c === null) return;
            live.touch();
            live.waiting = false;
            yield c as Uint8Array;
            live.waiting = true;
            live.touch();
          }
        } catch (err) {
          throw live.failure(err, signal);
        } finally {
          live.done();
        }
      },
    };
  }

  /**
   * Opens a streaming response (stream() and watch()): non-2xx rejects with StatusError; the body is
   * watched for silence (the idle timeout) and for outliving its timeoutSeconds (the deadline).
   */
  async #openStream(): Promise<{ statusCode: number; contentType: string; headers: SentResponse["headers"]; body: ResponseBody; live: LiveStream; signal: AbortSignal }> {
    const { res, cleanup, signal } = await this.#send(true);
    this.#handleWarnings(res);
    if (res.statusCode < 200 || res.statusCode > 206) {
      let body: Uint8Array;
      try {
        body = await this.#readBody(res, signal);
      } catch {
        body = new Uint8Array(0);
      } finally {
        cleanup();
      }
      throw this.#toError(res, body, header(res, "content-type") ?? this.#client.contentType);
    }
    const what = `${this.#verb} ${(this.#sentURL ?? this.url()).pathname}`;
    const idle = this.#idle();
    const timeoutSeconds = Number(this.#params.get("timeoutSeconds") ?? "NaN");
    const deadlineSeconds = this.#params.get("watch") === "true" && Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds : 0;
    const live = new LiveStream(res.body, this.#client.transport.host, what, idle, deadlineSeconds, cleanup, (err) => this.#cutError(err, what));
    return {
      statusCode: res.statusCode,
      contentType: header(res, "content-type") ?? this.#client.contentType,
      headers: res.headers,
      body: res.body,
      live,
      signal,
    };
  }

  /**
   * Starts a watch (adds watch=true) and yields its events. With `errorEvents` (the typed clients'),
   * an ERROR event stops the watch and rejects the iteration with the error made from its object.
   */
  async watch<T = unknown>(options: { errorEvents?: (object: unknown) => Error } = {}): Promise<Watch<T>> {
    const errorEvents = options.errorEvents;
    if (!this.#params.has("watch")) this.#params.set("watch", "true");
    const s = await this.#openStream();
    const mt = mediaTypeOf(s.contentType);
    if (!WATCH_MEDIA_TYPES.has(mt)) {
      s.live.close();
      throw new DecodeError(
        `the server answered the watch ${this.url().pathname} with Content-Type ${JSON.stringify(s.contentType)}, which is not a watch stream (expected application/json or application/vnd.kubernetes.protobuf): is the server URL an API server?`,
      );
    }
    const decoder = this.#client.watchEventDecoderFor(s.contentType) as WatchEventDecoder<T>;
    const { body, live, signal } = s;
    // The chunks go to the decoder as undici's parser hands them over, and the events into one queue the
    // iterator serves: no stream and no promise per chunk, a promise per event only when the consumer
    // waits. A full queue pauses the connection (undici's backpressure) until the consumer catches up.
    let queue: WatchEvent<T>[] = [];
    let head = 0;
    let ended = false;
    let failure: unknown = undefined;
    let failed = false;
    let stopped = false;
    const end: IteratorReturnResult<undefined> = { done: true, value: undefined };
    // Consumers waiting in next(): handed their event (or the end, or the failure) by notify().
    const waiters: Array<{ resolve: (r: IteratorResult<WatchEvent<T>>) => void; reject: (err: unknown) => void }> = [];
    const notify = () => {
      while (waiters.length > 0) {
        const w = waiters.shift()!;
        let r: IteratorResult<WatchEvent<T>> | undefined;
        try {
          r = take();
        } catch (err) {
          w.reject(err);
          continue;
        }
        if (r === undefined) {
          waiters.unshift(w);
          return;
        }
        w.resolve(r);
      }
    };
    const fail = (err: unknown) => {
      if (ended) return;
      ended = true;
      failed = true;
      failure = err;
      live.done();
      notify();
    };
    body.pipeTo({
      data: (chunk) => {
        if (ended) return false;
        live.touch();
        let events: WatchEvent<T>[];
        try {
          events = decoder.push(chunk);
        } catch (err) {
          fail(err);
          live.close();
          return false;
        }
        if (events.length > 0) {
          if (head === queue.length) {
            queue = events;
            head = 0;
          } else for (let i = 0; i < events.length; i++) queue.push(events[i]!);
          notify();
        }
        if (queue.length - head < MAX_QUEUED_WATCH_EVENTS) return true;
        live.waiting = false;
        return false;
      },
      end: () => {
        if (ended) return;
        try {
          decoder.end();
        } catch (err) {
          fail(err);
          return;
        }
        ended = true;
        live.done();
        notify();
      },
      // (after stop() the body is destroyed and calls nothing more)
      error: (err) => fail(live.failure(err, signal)),
    });
    const halt = () => {
      stopped = true;
      queue = [];
      head = 0;
      if (!ended) {
        ended = true;
        live.close();
      }
    };
    const stop = () => {
      halt();
      notify();
    };
    /** The next event, the end, a throw of the failure, or undefined while there is nothing yet. */
    const take = (): IteratorResult<WatchEvent<T>> | undefined => {
      if (head < queue.length) {
        const value = queue[head]!;
        queue[head++] = undefined as unknown as WatchEvent<T>;
        if (errorEvents !== undefined && value.type === "ERROR") {
          halt();
          throw errorEvents(value.object);
        }
        if (head === queue.length) {
          queue = [];
          head = 0;
          if (!live.waiting && !ended) {
            live.waiting = true;
            body.resume();
          }
        }
        return { done: false, value };
      }
      if (ended) {
        if (failed && !stopped) {
          failed = false;
          throw failure;
        }
        return end;
      }
      return undefined;
    };
    const next = (): Promise<IteratorResult<WatchEvent<T>>> => {
      if (waiters.length === 0) {
        try {
          const r = take();
          if (r !== undefined) return Promise.resolve(r);
        } catch (err) {
          return Promise.reject(err);
        }
      }
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    };
    return {
      stop,
      [Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
        return {
          next,
          return: async () => {
            stop();
            return end;
          },
        };
      },
    };
  }
}

/** Decoded watch events queued for a consumer before the connection is paused (undici's backpressure). */
const MAX_QUEUED_WATCH_EVENTS = 1024;

/**
 * The timers of an open stream: the read-idle timeout (time spent waiting for the server only: a
 * consumer that is slow to ask for more must not make a live connection look dead) and the deadline of
 * a watch with timeoutSeconds. Either closes the body with a TransportError.
 */
class LiveStream {
  /** True while the consumer waits for the server (not while it holds a chunk or the connection is paused). */
  waiting = true;
  #last = Date.now();
  #idleTimer: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #finished = false;
  readonly #body: ResponseBody;
  readonly #cleanup: () => void;
  readonly #cutError: (err: unknown) => TransportError;

  constructor(
    body: ResponseBody,
    host: string,
    what: string,
    idle: number,
    timeoutSeconds: number,
    cleanup: () => void,
    cutError: (err: unknown) => TransportError,
  ) {
    this.#body = body;
    this.#cleanup = cleanup;
    this.#cutError = cutError;
    if (idle > 0) {
      const arm = (ms: number) => {
        this.#idleTimer = setTimeout(() => {
          const quiet = Date.now() - this.#last;
          if (!this.waiting) {
            arm(idle);
            return;
          }
          if (quiet < idle) {
            arm(idle - quiet);
            return;
          }
          this.#idleTimer = undefined;
          body.destroy(
            new TransportError(
              `no data from ${host} on ${what} for ${formatDurationMilliseconds(quiet)} (idle timeout ${formatDurationMilliseconds(idle)}): the connection is presumed dead and was closed; watch again`,
              { host, code: "ERR_WATCH_IDLE_TIMEOUT" },
            ),
          );
        }, ms);
        this.#idleTimer.unref?.();
      };
      arm(idle);
    }
    // The server ends a watch with timeoutSeconds by then; one still open well after that is on a dead
    // connection (this needs no bookmarks, so it holds for every watch that sets timeoutSeconds).
    if (timeoutSeconds > 0) {
      const ms = timeoutSeconds * 1000 + watchDeadlineGrace(timeoutSeconds);
      const onDeadline = () => {
        if (!this.waiting) {
          // the end may be buffered behind events the consumer has not read yet
          this.#deadline = setTimeout(onDeadline, watchDeadlineGrace(timeoutSeconds));
          this.#deadline.unref?.();
          return;
        }
        this.#deadline = undefined;
        body.destroy(
          new TransportError(
            `the watch ${what} on ${host} asked the server to end it after ${timeoutSeconds}s but it is still open after ${formatDurationMilliseconds(ms)}: the connection is presumed dead and was closed; watch again`,
            { host, code: "ERR_WATCH_DEADLINE" },
          ),
        );
      };
      this.#deadline = setTimeout(onDeadline, ms);
      this.#deadline.unref?.();
    }
  }

  /** Data arrived (or the consumer came back for more). */
  touch(): void {
    this.#last = Date.now();
  }

  /** The consumer closed the stream. */
  close(): void {
    this.done();
    this.#body.destroy();
  }

  /** The stream ended, failed or was closed: timers off, the request's own timeout released. */
  done(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    if (this.#deadline) clearTimeout(this.#deadline);
    this.#idleTimer = undefined;
    this.#deadline = undefined;
    this.#cleanup();
  }

  /** What a consumer sees of a failure: the abort reason, nothing after close(), TransportErrors as they are. */
  failure(err: unknown, signal: AbortSignal): unknown {
    if (signal.aborted) return signal.reason;
    if ((err as { name?: unknown }).name === "TransportError") return err;
    return this.#cutError(err);
  }
}

function joinPath(...parts: string[]): string {
  // Most parts are single segments (a namespace, a resource, a name): no split for those.
  let out = "";
  for (const p of parts) {
    if (p === "" || p === ".") continue;
    if (!p.includes("/")) {
      out += `/${p}`;
      continue;
    }
    for (const s of p.split("/")) if (s !== "" && s !== ".") out += `/${s}`;
  }
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
