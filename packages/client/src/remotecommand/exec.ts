// Exec and attach into a pod's container: the URLs client-go builds with PodExecOptions / PodAttachOptions,
// and helpers over the WebSocket executor.
import { PassThrough, Readable, type Writable } from "node:stream";
import type { RestConfig } from "../config/types.js";
import { isCodeExitError } from "./protocol.js";
import { newWebSocketExecutor, type StreamOptions, type TerminalSizeQueue, type WebSocketExecutorOptions } from "./websocket.js";

/** Which pod, which container, which streams (core/v1 PodExecOptions without the command). */
export interface PodStreamTarget {
  namespace: string;
  pod: string;
  /** The container; the server picks the only one, or the `kubectl.kubernetes.io/default-container`, when unset. */
  container?: string | undefined;
}

function query(target: PodStreamTarget, streams: { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }, command?: readonly string[]): string {
  const q = new URLSearchParams();
  for (const c of command ?? []) q.append("command", c);
  if (target.container) q.set("container", target.container);
  // PodExecOptions' booleans are omitempty: only true ones are sent
  if (streams.stdin) q.set("stdin", "true");
  if (streams.stdout) q.set("stdout", "true");
  if (streams.stderr && !streams.tty) q.set("stderr", "true");
  if (streams.tty) q.set("tty", "true");
  return q.toString();
}

function podPath(target: PodStreamTarget, sub: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/${sub}`;
}

/** The path and query of an exec request (`/api/v1/namespaces/{ns}/pods/{pod}/exec?command=...`). */
export function execPath(target: PodStreamTarget, command: readonly string[], streams: { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }): string {
  return `${podPath(target, "exec")}?${query(target, streams, command)}`;
}

/** The path and query of an attach request. */
export function attachPath(target: PodStreamTarget, streams: { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }): string {
  return `${podPath(target, "attach")}?${query(target, streams)}`;
}

export interface ExecOptions extends PodStreamTarget, Omit<StreamOptions, "stdin"> {
  command: readonly string[];
  /** A stream, or all of stdin at once. */
  stdin?: Readable | string | Uint8Array | undefined;
  terminalSizeQueue?: TerminalSizeQueue | undefined;
  /** Subprotocols, heartbeat and buffer bounds. */
  executor?: WebSocketExecutorOptions;
}

function stdinStream(stdin: ExecOptions["stdin"]): Readable | undefined {
  if (stdin === undefined) return undefined;
  if (typeof stdin === "string" || stdin instanceof Uint8Array) return Readable.from([Buffer.from(stdin)]);
  return stdin;
}

function streamsOf(o: { stdin?: unknown; stdout?: Writable | undefined; stderr?: Writable | undefined; tty?: boolean | undefined }) {
  return { stdin: o.stdin !== undefined, stdout: o.stdout !== undefined, stderr: o.stderr !== undefined, tty: o.tty ?? false };
}

/**
 * Runs a command in a container and copies its streams (kubectl exec). Resolves when it exits with 0;
 * rejects with CodeExitError (exit code), StatusError (the server refused or failed: not found,
 * forbidden, internal error) or TransportError (connection failed or cut).
 */
export async function exec(config: RestConfig, options: ExecOptions): Promise<void> {
  const path = execPath(options, options.command, streamsOf(options));
  const executor = newWebSocketExecutor(config, path, { what: `exec into pod ${options.namespace}/${options.pod}`, ...options.executor });
  await executor.stream({
    stdin: stdinStream(options.stdin),
    stdout: options.stdout,
    stderr: options.stderr,
    tty: options.tty,
    terminalSizeQueue: options.terminalSizeQueue,
    signal: options.signal,
  });
}

export interface AttachOptions extends PodStreamTarget, Omit<StreamOptions, "stdin"> {
  stdin?: Readable | string | Uint8Array | undefined;
  terminalSizeQueue?: TerminalSizeQueue | undefined;
  executor?: WebSocketExecutorOptions;
}

/** Attaches to the running process of a container (kubectl attach); errors as {@link exec}. */
export async function attach(config: RestConfig, options: AttachOptions): Promise<void> {
  const path = attachPath(options, streamsOf(options));
  const executor = newWebSocketExecutor(config, path, { what: `attach to pod ${options.namespace}/${options.pod}`, ...options.executor });
  await executor.stream({
    stdin: stdinStream(options.stdin),
    stdout: options.stdout,
    stderr: options.stderr,
    tty: options.tty,
    terminalSizeQueue: options.terminalSizeQueue,
    signal: options.signal,
  });
}

/** What a command printed and how it ended. */
export interface ExecResult {
  stdout: Buffer;
  stderr: Buffer;
  /** 0, or the code of the CodeExitError. */
  exitCode: number;
}

export interface ExecCaptureOptions extends PodStreamTarget {
  command: readonly string[];
  stdin?: Readable | string | Uint8Array | undefined;
  tty?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /** Output kept per stream (default 16 MiB); more rejects with RangeError and drops the connection. */
  maxOutputBytes?: number;
  executor?: WebSocketExecutorOptions;
}

/**
 * Runs a command and collects stdout and stderr. A non-zero exit code is returned in `exitCode`, not
 * thrown; every other failure rejects as with {@link exec}.
 */
export async function execCapture(config: RestConfig, options: ExecCaptureOptions): Promise<ExecResult> {
  const max = options.maxOutputBytes ?? 16 * 1024 * 1024;
  const abort = new AbortController();
  const outer = options.signal;
  const forward = (): void => abort.abort(outer?.reason);
  if (outer?.aborted) forward();
  outer?.addEventListener("abort", forward, { once: true });
  const collect = (): { stream: PassThrough; chunks: Buffer[] } => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stream = new PassThrough();
    stream.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) abort.abort(new RangeError(`exec into pod ${options.namespace}/${options.pod}: the output exceeded maxOutputBytes (${max})`));
      else chunks.push(c);
    });
    return { stream, chunks };
  };
  const out = collect();
  const err = collect();
  let exitCode = 0;
  try {
    await exec(config, {
      namespace: options.namespace,
      pod: options.pod,
      container: options.container,
      command: options.command,
      stdin: options.stdin,
      stdout: out.stream,
      stderr: options.tty ? undefined : err.stream,
      tty: options.tty,
      signal: abort.signal,
      ...(options.executor ? { executor: options.executor } : {}),
    });
  } catch (e) {
    if (!isCodeExitError(e)) throw e;
    exitCode = e.code;
  } finally {
    outer?.removeEventListener("abort", forward);
  }
  return { stdout: Buffer.concat(out.chunks), stderr: Buffer.concat(err.chunks), exitCode };
}
