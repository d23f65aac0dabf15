// client-go's tools/remotecommand wsStreamExecutor: exec and attach over a WebSocket with the channel
// protocols v5 (stdin close) down to v1, heartbeats, backpressure both ways, typed errors.
import type { Readable, Writable } from "node:stream";
import type WebSocket from "ws";
import type { RestConfig } from "../config/types.js";
import { dialWebSocket } from "../internal/websocket.js";
import { TransportError } from "../transport/errors.js";
import {
  decodeErrorChannel,
  StreamClose,
  StreamErr,
  StreamProtocolV1Name,
  StreamProtocolV2Name,
  StreamProtocolV3Name,
  StreamProtocolV4Name,
  StreamProtocolV5Name,
  StreamResize,
  StreamStdErr,
  StreamStdIn,
  StreamStdOut,
} from "./protocol.js";

/** Width and height of a terminal, in characters (client-go's TerminalSize). */
export interface TerminalSize {
  width: number;
  height: number;
}

/**
 * Terminal sizes as they change (client-go's TerminalSizeQueue): each value is sent on the resize channel;
 * the iteration ending stops resizing.
 */
export type TerminalSizeQueue = AsyncIterable<TerminalSize>;

/** The streams of one remote command (client-go's StreamOptions plus the context as `signal`). */
export interface StreamOptions {
  /** Sent to the command's stdin; its end half-closes stdin (protocol v5 only). */
  stdin?: Readable | undefined;
  /** Receives the command's stdout (and, with `tty`, its stderr). Never ended by the executor. */
  stdout?: Writable | undefined;
  /** Receives the command's stderr (unused with `tty`). Never ended by the executor. */
  stderr?: Writable | undefined;
  /** A terminal: raw mode on the remote side, stderr merged into stdout, resizing. */
  tty?: boolean | undefined;
  terminalSizeQueue?: TerminalSizeQueue | undefined;
  /** Cancels the stream: the connection is dropped and stream() rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Runs one remote command's streams (client-go's Executor; `stream` is StreamWithContext). */
export interface Executor {
  /**
   * Connects, copies the streams until the command ends and resolves; rejects with CodeExitError for a
   * non-zero exit code (protocol v4+), StatusError for other failures the server reports (refused upgrade,
   * pod not found, forbidden, internal errors), TransportError when the connection fails or is cut.
   */
  stream(options: StreamOptions): Promise<void>;
  /** The subprotocol negotiated by the last stream() ("" before). */
  readonly negotiated: string;
}

/** Options of the WebSocket executor: subprotocols offered, bounds and keep-alive. */
export interface WebSocketExecutorOptions {
  /** Subprotocols offered, in order (default v5, v4, v3, v2: kube-apiserver >= 1.30 takes v5 and translates to the kubelet; older ones hand the upgrade to the kubelet, which speaks up to v4). */
  protocols?: readonly string[];
  /** Ping period (default 5 s, as client-go). */
  pingPeriodMs?: number;
  /** The connection is dropped when no pong arrived for this long (default 61 s, as client-go). */
  pingTimeoutMs?: number;
  /** Bytes of stdin per message (default 32 KiB). */
  stdinChunkBytes?: number;
  /** Stdin is paused while more than this many bytes wait to be sent (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Largest WebSocket message accepted (default 16 MiB). */
  maxMessageBytes?: number;
  /** Largest error-channel message accepted (default 64 KiB). */
  maxErrorBytes?: number;
  /** TCP+TLS+upgrade time limit (default 30 s). */
  handshakeTimeoutMs?: number;
  /** For error messages, for example "exec into pod ns/name". */
  what?: string;
}

/** The subprotocols offered by default, newest first (v5, v4, v3, v2), as client-go offers them. */
export const DEFAULT_PROTOCOLS: readonly string[] = [StreamProtocolV5Name, StreamProtocolV4Name, StreamProtocolV3Name, StreamProtocolV2Name];

/**
 * An Executor over WebSocket for `path` (the exec or attach URL path with its query, relative to the
 * server), as client-go's NewWebSocketExecutorForProtocols. The method is always GET (RFC 6455).
 */
export function newWebSocketExecutor(config: RestConfig, path: string, options: WebSocketExecutorOptions = {}): Executor {
  let negotiated = "";
  return {
    get negotiated() {
      return negotiated;
    },
    async stream(streamOptions: StreamOptions): Promise<void> {
      const dialed = await dialWebSocket(config, path, {
        protocols: options.protocols ?? DEFAULT_PROTOCOLS,
        signal: streamOptions.signal,
        handshakeTimeoutMs: options.handshakeTimeoutMs,
        maxMessageBytes: options.maxMessageBytes,
        what: options.what ?? "remote command",
      });
      negotiated = dialed.protocol || StreamProtocolV1Name;
      return runStreams(dialed.ws, negotiated, dialed.host, streamOptions, options, dialed.handoff);
    },
  };
}

/** Copies the streams of one connected remote command until the connection closes. */
export function runStreams(
  ws: WebSocket,
  protocol: string,
  host: string,
  o: StreamOptions,
  opts: WebSocketExecutorOptions = {},
  handoff: () => void = () => undefined,
): Promise<void> {
  const what = opts.what ?? "remote command";
  const chunk = opts.stdinChunkBytes ?? 32 * 1024;
  const maxBuffered = opts.maxBufferedBytes ?? 1024 * 1024;
  const maxError = opts.maxErrorBytes ?? 64 * 1024;
  const pingPeriod = opts.pingPeriodMs ?? 5000;
  const pingTimeout = opts.pingTimeoutMs ?? 61_000;
  const v5 = protocol === StreamProtocolV5Name;
  const canResize = protocol !== StreamProtocolV1Name && protocol !== StreamProtocolV2Name;
  const tty = o.tty ?? false;

  return new Promise<void>((resolve, reject) => {
    const errorChunks: Buffer[] = [];
    let errorBytes = 0;
    let failure: unknown;
    let finished = false;
    let lastPong = Date.now();
    let socketError: Error | undefined;
    let paused = 0; // writables waiting for 'drain'

    const finish = (err: unknown): void => {
      if (finished) return;
      finished = true;
      clearInterval(heartbeat);
      o.signal?.removeEventListener("abort", onAbort);
      detachStdin();
      ws.removeAllListeners("message");
      ws.removeAllListeners("pong");
      if (err !== undefined) reject(err);
      else resolve();
    };
    const fail = (err: unknown): void => {
      failure ??= err;
      ws.terminate();
    };

    const onAbort = (): void => {
      ws.terminate();
      finish(o.signal?.reason);
    };
    if (o.signal?.aborted) {
      onAbort();
      return;
    }
    o.signal?.addEventListener("abort", onAbort, { once: true });

    const heartbeat = setInterval(() => {
      if (Date.now() - lastPong > pingTimeout) {
        fail(new TransportError(`${what}: no answer from ${host} to WebSocket pings for ${Math.round(pingTimeout / 1000)} s: the connection was dropped`, { host }));
        return;
      }
      ws.ping();
    }, pingPeriod);
    heartbeat.unref();
    ws.on("pong", () => (lastPong = Date.now()));

    const deliver = (target: Writable | undefined, data: Buffer): void => {
      if (!target || data.length === 0) return;
      // a Writable's buffer is often small (16 KiB): the socket is paused only past maxBufferedBytes
      if (!target.write(data) && target.writableLength > maxBuffered) {
        // backpressure: stop reading the socket until the consumer caught up
        if (paused++ === 0) ws.pause();
        target.once("drain", () => {
          if (--paused === 0 && !finished) ws.resume();
        });
      }
    };

    ws.on("message", (data: Buffer, isBinary: boolean) => {
      lastPong = Date.now();
      if (!isBinary) {
        fail(new TransportError(`${what}: ${host} sent a text message, but the channel protocols are binary`, { host }));
        return;
      }
      if (data.length === 0) return;
      const id = data[0];
      const payload = data.subarray(1);
      switch (id) {
        case StreamStdOut:
          deliver(o.stdout, payload);
          break;
        case StreamStdErr:
          deliver(tty ? o.stdout : o.stderr, payload);
          break;
        case StreamErr:
          errorBytes += payload.length;
          if (errorBytes > maxError) fail(new TransportError(`${what}: the error channel from ${host} exceeded ${maxError} bytes`, { host }));
          else errorChunks.push(Buffer.from(payload));
          break;
        default:
          // unknown or server-side close signals: nothing to do
          break;
      }
    });

    ws.on("error", (err: Error) => {
      socketError ??= err;
    });

    ws.on("close", (code: number, reason: Buffer) => {
      if (finished) return;
      if (failure !== undefined) {
        finish(failure);
        return;
      }
      if (errorChunks.length > 0) {
        try {
          finish(decodeErrorChannel(protocol, Buffer.concat(errorChunks)));
        } catch (err) {
          finish(err);
        }
        return;
      }
      if (code === 1000 || code === 1005) {
        finish(undefined);
        return;
      }
      const detail = socketError ? `${socketError.message}` : `close code ${code}${reason.length > 0 ? ` ${reason.toString("utf8")}` : ""}`;
      finish(
        new TransportError(`${what}: the connection to ${host} was cut before the command finished (${detail}); the command may still be running`, {
          host,
          code: (socketError as NodeJS.ErrnoException | undefined)?.code,
          cause: socketError,
        }),
      );
    });

    // what arrived before these handlers were on
    handoff();
    if (finished) return;

    // stdin: chunked, paused while too much waits in the socket, half-closed at its end (v5)
    const stdin = o.stdin;
    const send = (frame: Buffer, cb?: (err?: Error) => void): void => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(frame, { binary: true }, cb);
    };
    const onData = (data: Buffer | string): void => {
      const buf = typeof data === "string" ? Buffer.from(data) : data;
      for (let off = 0; off < buf.length; off += chunk) {
        const part = buf.subarray(off, Math.min(off + chunk, buf.length));
        const frame = Buffer.allocUnsafe(part.length + 1);
        frame[0] = StreamStdIn;
        part.copy(frame, 1);
        const over = ws.bufferedAmount + frame.length > maxBuffered;
        if (over && stdin && !stdin.isPaused()) {
          stdin.pause();
          send(frame, () => {
            if (!finished) stdin.resume();
          });
        } else {
          send(frame);
        }
      }
    };
    const onEnd = (): void => {
      if (v5) send(Buffer.from([StreamClose, StreamStdIn]));
      detachStdin();
    };
    const onStdinError = (): void => {
      // as client-go: a failing stdin ends stdin, the command goes on
      onEnd();
    };
    let attached = false;
    function detachStdin(): void {
      if (!stdin || !attached) return;
      attached = false;
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.off("error", onStdinError);
    }
    if (stdin) {
      attached = true;
      stdin.on("data", onData);
      stdin.once("end", onEnd);
      stdin.once("error", onStdinError);
      if (stdin.isPaused()) stdin.resume();
    }

    // resize
    if (tty && canResize && o.terminalSizeQueue) {
      const queue = o.terminalSizeQueue;
      void (async () => {
        try {
          for await (const size of queue) {
            if (finished) break;
            send(Buffer.concat([Buffer.from([StreamResize]), Buffer.from(JSON.stringify({ Width: size.width, Height: size.height }))]));
          }
        } catch {
          // a failing size queue stops resizing, as client-go
        }
      })();
    }
  });
}
