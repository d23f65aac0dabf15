/**
 * A response body read straight from undici's dispatch callbacks (internal to the client).
 *
 * `Dispatcher.request()` hands a body out as a Node Readable, which costs a stream, its buffering and
 * a promise per chunk read through async iteration; the REST client either collects a whole body or
 * feeds a watch decoder, so it takes the chunks as undici's parser produces them: queued for an async
 * iterator, or given to a sink (see {@link ResponseBody.pipeTo}) in the parser's own call.
 * Backpressure is undici's: a sink or a full queue pauses the connection until {@link ResponseBody.resume}.
 */
import type { ClientRequest } from "node:http";
import type { Dispatcher } from "undici";

/** Receives a body's chunks as they arrive (see {@link ResponseBody.pipeTo}); must not throw. */
export interface BodySink {
  /** A chunk arrived; return false to pause the connection until {@link ResponseBody.resume}. */
  data(chunk: Buffer): boolean;
  /** The body ended. */
  end(): void;
  /** The connection failed (or the request was aborted) before the body ended. */
  error(err: unknown): void;
}

/** Queued bytes above which the connection is paused until the consumer reads (iterator mode). */
const QUEUE_HIGH_WATER_MARK = 256 * 1024;

/** Bytes {@link ResponseBody.dump} reads to keep a connection before it closes it instead. */
const DUMP_LIMIT = 128 * 1024;

/**
 * The body of a response sent by {@link Transport.send}, fed by undici's dispatch handler or Node's client.
 * Reads throw the connection's failure as it came (undici's or Node's error, or the abort reason); the
 * REST client turns them into TransportErrors, as for {@link Transport.request}'s bodies.
 */
export class ResponseBody implements AsyncIterable<Buffer> {
  #chunks: Buffer[] = [];
  #head = 0;
  #queued = 0;
  #ended = false;
  #error: unknown = undefined;
  #failed = false;
  /** Ended, failed or destroyed: nothing more comes in. */
  #done = false;
  #wake: (() => void) | undefined;
  #paused = false;
  #resume: (() => void) | undefined;
  #abort: ((err: Error) => void) | undefined;
  #abortWith: Error | undefined;
  #sink: BodySink | undefined;
  #onDone: (() => void) | undefined;

  /** @internal Called once nothing more can come in (end, failure, destroy). */
  set onDone(f: () => void) {
    this.#onDone = f;
  }

  // ---- the dispatch handler's side --------------------------------------------------------------

  /** @internal undici's abort for the request (onConnect). */
  connected(abort: (err: Error) => void): void {
    this.#abort = abort;
    if (this.#abortWith !== undefined) abort(this.#abortWith);
  }

  /** @internal undici's resume for a paused connection (onHeaders). */
  resumeWith(resume: () => void): void {
    this.#resume = resume;
  }

  /** @internal A chunk from the parser; false pauses the connection. */
  push(chunk: Buffer): boolean {
    if (this.#done) return false;
    const sink = this.#sink;
    if (sink !== undefined) {
      if (sink.data(chunk)) return true;
      this.#paused = true;
      return false;
    }
    this.#chunks.push(chunk);
    this.#queued += chunk.length;
    this.#notify();
    if (this.#queued < QUEUE_HIGH_WATER_MARK) return true;
    this.#paused = true;
    return false;
  }

  /** @internal The body ended. */
  end(): void {
    if (this.#done) return;
    this.#ended = true;
    this.#finish();
    if (this.#sink !== undefined) this.#sink.end();
    else this.#notify();
  }

  /** @internal The connection failed. */
  fail(err: unknown): void {
    if (this.#done) return;
    this.#failed = true;
    this.#error = err;
    this.#finish();
    if (this.#sink !== undefined) this.#sink.error(err);
    else this.#notify();
  }

  // ---- the consumer's side ----------------------------------------------------------------------

  /**
   * From now on every chunk (those queued first) goes to `sink`, in the call that receives it; the
   * end or failure too. A sink that returns false pauses the connection until {@link resume}.
   */
  pipeTo(sink: BodySink): void {
    this.#sink = sink;
    const chunks = this.#chunks;
    for (let i = this.#head; i < chunks.length; i++) {
      if (!sink.data(chunks[i]!)) this.#paused = true;
    }
    this.#chunks = [];
    this.#head = 0;
    this.#queued = 0;
    if (this.#ended) sink.end();
    else if (this.#failed) sink.error(this.#error);
    else if (!this.#paused) this.resume();
  }

  /** Resumes a connection paused by a full queue or a sink. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#resume?.();
  }

  /**
   * The next chunk: a Buffer, `null` at the end of the body, or `undefined` when none has arrived yet
   * (then await {@link wait}). Throws what failed the body once the chunks before the failure are read.
   */
  read(): Buffer | null | undefined {
    const chunks = this.#chunks;
    if (this.#head < chunks.length) {
      const c = chunks[this.#head]!;
      chunks[this.#head++] = undefined as unknown as Buffer;
      this.#queued -= c.length;
      if (this.#head === chunks.length) {
        this.#chunks = [];
        this.#head = 0;
      }
      if (this.#paused && this.#queued < QUEUE_HIGH_WATER_MARK / 2) this.resume();
      return c;
    }
    if (this.#failed) throw this.#error;
    if (this.#done) return null;
    return undefined;
  }

  /** Resolves when a chunk, the end or a failure arrives. */
  wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      const prev = this.#wake;
      this.#wake = prev === undefined ? resolve : () => (prev(), resolve());
    });
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    for (;;) {
      const c = this.read();
      if (c === null) return;
      if (c !== undefined) yield c;
      else await this.wait();
    }
  }

  /**
   * Stops the body and closes its connection: readers (and a sink) then get `err`, or the end of the
   * body when there is none. Nothing happens once the body has ended.
   */
  destroy(err?: Error): void {
    if (this.#done) return;
    this.#chunks = [];
    this.#head = 0;
    this.#queued = 0;
    if (err !== undefined) {
      this.#failed = true;
      this.#error = err;
    } else this.#ended = true;
    this.#finish();
    const reason = err ?? new Error("the response body was closed by the client");
    if (this.#abort !== undefined) this.#abort(reason);
    else this.#abortWith = reason;
    const sink = this.#sink;
    if (sink !== undefined) {
      if (err !== undefined) sink.error(err);
      else sink.end();
    } else this.#notify();
  }

  /** Reads and drops the rest of the body (so the connection can be reused), or closes it when that is long. */
  async dump(): Promise<void> {
    let read = 0;
    for (;;) {
      let c: Buffer | null | undefined;
      try {
        c = this.read();
      } catch {
        return;
      }
      if (c === null) return;
      if (c === undefined) {
        await this.wait();
        continue;
      }
      read += c.length;
      if (read > DUMP_LIMIT) {
        this.destroy();
        return;
      }
    }
  }

  #finish(): void {
    this.#done = true;
    const f = this.#onDone;
    this.#onDone = undefined;
    f?.();
  }

  #notify(): void {
    const w = this.#wake;
    if (w === undefined) return;
    this.#wake = undefined;
    w();
  }
}

/** A response's status, headers (lower-case names, repeated ones as arrays) and body. */
export interface SentResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: ResponseBody;
}

/** Header names and values from undici's raw list (`[name, value, name, value, ...]` as Buffers). */
function parseRawHeaders(raw: Buffer[] | string[] | null): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (raw === null) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!.toString("latin1").toLowerCase();
    const v = raw[i + 1]!.toString("latin1");
    const prev = out[k];
    if (prev === undefined) {
      if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
      else out[k] = v;
    } else if (typeof prev === "string") out[k] = [prev, v];
    else prev.push(v);
  }
  return out;
}

/**
 * The settling of one response, shared by both clients: the promise resolves once with the status and
 * headers, or rejects once (a failure before them, or the signal); failures after the headers and the
 * signal then go to the body. Undefined (and rejected) when the signal has aborted already.
 */
function pendingResponse(
  signal: AbortSignal | undefined,
  resolve: (r: SentResponse) => void,
  reject: (err: unknown) => void,
): { body: ResponseBody; headers(statusCode: number, headers: Record<string, string | string[]>): void; fail(err: unknown): void } | undefined {
  if (signal?.aborted) {
    reject(signal.reason);
    return undefined;
  }
  const body = new ResponseBody();
  let settled = false;
  const fail = (err: unknown) => {
    body.fail(err);
    if (!settled) {
      settled = true;
      reject(err);
    }
  };
  if (signal !== undefined) {
    const onAbort = () => {
      const reason = signal.reason as Error;
      if (!settled) {
        settled = true;
        reject(reason);
      }
      body.destroy(reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    body.onDone = () => signal.removeEventListener("abort", onAbort);
  }
  return {
    body,
    headers(statusCode, headers) {
      if (settled) return;
      settled = true;
      resolve({ statusCode, headers, body });
    },
    fail,
  };
}

/**
 * Dispatches one request on `dispatcher` and resolves with its status and headers once they arrive;
 * the body follows through the returned {@link ResponseBody}. `signal` aborts the request (the
 * promise rejects with its reason; after the headers, reading the body throws it).
 */
export function dispatchRequest(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, signal: AbortSignal | undefined): Promise<SentResponse> {
  return new Promise<SentResponse>((resolve, reject) => {
    const p = pendingResponse(signal, resolve, reject);
    if (p === undefined) return;
    const body = p.body;
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abort: (err?: Error) => void) {
        body.connected(abort);
      },
      onHeaders(statusCode: number, raw: Buffer[] | string[] | null, resume: () => void) {
        if (statusCode < 200) return true;
        body.resumeWith(resume);
        p.headers(statusCode, parseRawHeaders(raw));
        return true;
      },
      onData(chunk: Buffer) {
        return body.push(chunk);
      },
      onComplete() {
        body.end();
      },
      onError(err: Error) {
        p.fail(err);
      },
    };
    try {
      dispatcher.dispatch(options, handler);
    } catch (err) {
      p.fail(err);
    }
  });
}

/** How long a stream's connection (TCP and TLS) may take before it fails, as undici's connector's bound. */
const NODE_CONNECT_TIMEOUT_MS = 30_000;

/**
 * Sends one request over Node's own HTTP client (`agent`: an http or https Agent with keep-alive) and
 * resolves like {@link dispatchRequest}. Used for long-lived streams (watches): Node's native parser
 * and flowing sockets cost less CPU per chunk than undici's, and a stream holds its connection anyway.
 */
export function requestOverNode(
  agent: NodeAgent,
  url: URL,
  options: { method: string; headers: Record<string, string | string[]>; body: Uint8Array | string | null },
  signal: AbortSignal | undefined,
): Promise<SentResponse> {
  return new Promise<SentResponse>((resolve, reject) => {
    const p = pendingResponse(signal, resolve, reject);
    if (p === undefined) return;
    const body = p.body;
    const req = agent.request(url, { method: options.method, headers: options.headers });
    body.connected((err) => req.destroy(err));
    req.on("socket", (socket) => {
      // a new connection (a reused one is connected already): bounded like undici's connector
      if (!socket.connecting) return;
      const timer = setTimeout(() => {
        req.destroy(Object.assign(new Error(`connect timeout after ${NODE_CONNECT_TIMEOUT_MS} ms`), { code: "UND_ERR_CONNECT_TIMEOUT" }));
      }, NODE_CONNECT_TIMEOUT_MS);
      timer.unref?.();
      const done = () => clearTimeout(timer);
      socket.once("encrypted" in socket ? "secureConnect" : "connect", done);
      socket.once("close", done);
    });
    req.on("error", p.fail);
    req.on("response", (res) => {
      body.resumeWith(() => res.resume());
      let ended = false;
      res.on("data", (chunk: Buffer) => {
        if (!body.push(chunk)) res.pause();
      });
      res.on("end", () => {
        ended = true;
        body.end();
      });
      res.on("error", (err) => body.fail(err));
      res.on("close", () => {
        if (!ended) body.fail(Object.assign(new Error("the connection was closed before the response ended"), { code: "ECONNRESET" }));
      });
      p.headers(res.statusCode ?? 0, parseRawHeaders(res.rawHeaders));
    });
    if (options.body !== null) req.end(options.body);
    else req.end();
  });
}

/** A request function bound to one of Node's http(s) Agents (see the transport's pool). */
export interface NodeAgent {
  request(url: URL, options: { method: string; headers: Record<string, string | string[]> }): ClientRequest;
  destroy(): void;
}
