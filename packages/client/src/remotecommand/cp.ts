// kubectl cp: files and folders to and from a container, as a tar stream through exec (the container
// needs `tar`). Paths in the archive that would leave the target folder are refused.
import { posix } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { RestConfig } from "../config/types.js";
import { CopyError, TarExtractor, tarTree } from "../internal/tar.js";
import { exec, type PodStreamTarget } from "./exec.js";
import type { WebSocketExecutorOptions } from "./websocket.js";

export interface CopyOptions extends PodStreamTarget {
  /** Cancels the copy. */
  signal?: AbortSignal | undefined;
  executor?: WebSocketExecutorOptions;
}

/**
 * Copies a local file or folder to `remotePath` in the container (it becomes that path: a folder's
 * contents land in `remotePath`). Runs `tar -xmf - -C <parent of remotePath>` in the container.
 */
export async function copyToPod(config: RestConfig, localPath: string, remotePath: string, options: CopyOptions): Promise<void> {
  const remote = posix.normalize(remotePath);
  const name = posix.basename(remote);
  if (name === "" || name === "." || name === "..") throw new CopyError(`the remote path ${JSON.stringify(remotePath)} names no file or folder`, remotePath);
  await exec(config, {
    namespace: options.namespace,
    pod: options.pod,
    container: options.container,
    command: ["tar", "-xmf", "-", "-C", posix.dirname(remote)],
    // the archive is padded to whole tar records: tar ends at its end-of-archive blocks
    stdin: Readable.from(tarTree(localPath, name)),
    stdout: new PassThrough().resume(),
    stderr: new PassThrough().resume(),
    signal: options.signal,
    ...(options.executor ? { executor: options.executor } : {}),
  });
}

/**
 * Copies a file or folder from the container to `localPath` (it becomes that path). Runs
 * `tar cf - -C <parent> <name>` in the container and extracts the stream, refusing absolute paths, `..`
 * and links that leave `localPath` (CopyError).
 */
export async function copyFromPod(config: RestConfig, remotePath: string, localPath: string, options: CopyOptions): Promise<{ files: number }> {
  const remote = posix.normalize(remotePath);
  const name = posix.basename(remote);
  if (name === "" || name === "." || name === "..") throw new CopyError(`the remote path ${JSON.stringify(remotePath)} names no file or folder`, remotePath);
  // a single file lands in localPath's folder under localPath's name: extract into the parent, renaming the
  // top entry; a folder's entries land inside localPath
  const extractor = new TarExtractor(localPath, { strip: 1 });
  const out = new PassThrough();
  const extracted = pipeline(out, extractor);
  extracted.catch(() => undefined);
  const stderr: Buffer[] = [];
  const errStream = new PassThrough();
  errStream.on("data", (c: Buffer) => stderr.length < 64 && stderr.push(c));
  const ac = new AbortController();
  const onAbort = (): void => ac.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  extracted.catch((err: unknown) => ac.abort(err));
  try {
    await exec(config, {
      namespace: options.namespace,
      pod: options.pod,
      container: options.container,
      command: ["tar", "cf", "-", "-C", posix.dirname(remote), name],
      stdout: out,
      stderr: errStream,
      signal: ac.signal,
      ...(options.executor ? { executor: options.executor } : {}),
    });
  } catch (err) {
    if (ac.signal.aborted && ac.signal.reason !== undefined) throw ac.signal.reason;
    throw err;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
  out.end();
  await extracted;
  return { files: extractor.files };
}

