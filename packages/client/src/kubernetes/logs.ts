// Pod logs as lines and as a Node stream, over the typed client's streamLogs (client-go's
// GetLogs(...).Stream with PodLogOptions).
import { Readable } from "node:stream";
import type { PodLogCallOptions } from "./types.js";

/** What podLogLines and podLogStream need: a typed pods client (`cs.coreV1().pods(ns)`). */
export interface PodLogSource {
  streamLogs(name: string, opts?: PodLogCallOptions): Promise<AsyncIterable<Uint8Array> & { close(): void }>;
}

/** How a log stream is split into lines. */
export interface LogLineOptions {
  /** A longer line is cut into pieces of this many bytes (default 1 MiB). */
  maxLineBytes?: number;
}

/** Splits a byte stream into UTF-8 lines without their "\n" (a last line without "\n" is yielded too). */
export async function* splitLines(source: AsyncIterable<Uint8Array>, options: LogLineOptions = {}): AsyncGenerator<string, void, undefined> {
  const max = options.maxLineBytes ?? 1024 * 1024;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): string => {
    const line = Buffer.concat(pending, pendingBytes).toString("utf8");
    pending = [];
    pendingBytes = 0;
    return line;
  };
  for await (const chunk of source) {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (;;) {
      const nl = buf.indexOf(10);
      const end = nl === -1 ? buf.length : nl;
      let part = buf.subarray(0, end);
      while (pendingBytes + part.length > max) {
        const take = max - pendingBytes;
        pending.push(part.subarray(0, take));
        pendingBytes += take;
        yield flush();
        part = part.subarray(take);
      }
      if (part.length > 0) {
        pending.push(Buffer.from(part));
        pendingBytes += part.length;
      }
      if (nl === -1) break;
      yield flush();
      buf = buf.subarray(nl + 1);
    }
  }
  if (pendingBytes > 0) yield flush();
}

/**
 * The log of a pod's container as lines (`follow: true` keeps yielding as the container writes).
 * Breaking out of the loop, or `signal`, closes the connection.
 */
export async function* podLogLines(pods: PodLogSource, name: string, opts: PodLogCallOptions & LogLineOptions = {}): AsyncGenerator<string, void, undefined> {
  const { maxLineBytes, ...logOpts } = opts;
  const stream = await pods.streamLogs(name, logOpts);
  try {
    yield* splitLines(stream, maxLineBytes !== undefined ? { maxLineBytes } : {});
  } finally {
    stream.close();
  }
}

/** The log of a pod's container as a Node Readable of bytes; destroying it closes the connection. */
export async function podLogStream(pods: PodLogSource, name: string, opts: PodLogCallOptions = {}): Promise<Readable> {
  const stream = await pods.streamLogs(name, opts);
  const readable = Readable.from(stream, { objectMode: false });
  readable.once("close", () => stream.close());
  return readable;
}
