// The tar format kubectl cp moves through exec: a writer for a local tree (ustar with PAX long names) and a
// streaming extractor that refuses every entry that would land outside the target folder.
import { closeSync, existsSync, lstatSync, unlinkSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, symlinkSync, writeSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { Writable } from "node:stream";

const BLOCK = 512;
/** GNU tar reads whole records of 20 blocks; an archive padded to them ends without waiting for EOF. */
const RECORD = 20 * BLOCK;

/** A path in a tar archive would leave the target folder, or an entry cannot be written. */
export class CopyError extends Error {
  override readonly name = "CopyError" as const;
  readonly path: string;
  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.path = path;
  }
}

/** True for a CopyError from any copy of @kubets/client. */
export function isCopyError(err: unknown): err is CopyError {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "CopyError";
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, "0") + "\0";
}

function header(name: string, type: string, size: number, mode: number, mtime: number, linkname = ""): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, "utf8");
  h.write(octal(mode & 0o7777, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii");
  h.write(octal(0, 8), 116, "ascii");
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(Math.floor(mtime), 12), 136, "ascii");
  h.write("        ", 148, "ascii");
  h.write(type, 156, "ascii");
  h.write(linkname, 157, 100, "utf8");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + " ", 148, "ascii");
  return h;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function entryHeaders(name: string, type: string, size: number, mode: number, mtime: number, linkname = ""): Buffer[] {
  const long = Buffer.byteLength(name) > 100 || Buffer.byteLength(linkname) > 100;
  if (!long) return [header(name, type, size, mode, mtime, linkname)];
  const pax = Buffer.from(paxRecord("path", name) + (linkname ? paxRecord("linkpath", linkname) : ""));
  return [header("PaxHeader", "x", pax.length, 0o644, mtime), pad(pax), header(name.slice(0, 100), type, size, mode, mtime, linkname.slice(0, 100))];
}

function pad(b: Buffer): Buffer {
  const rest = b.length % BLOCK;
  return rest === 0 ? b : Buffer.concat([b, Buffer.alloc(BLOCK - rest)]);
}

/**
 * Yields a tar archive of `source` (a file or a folder) with entries named under `prefix`, padded to
 * whole records. Regular files, folders and symbolic links; other file types are skipped.
 */
export function* tarTree(source: string, prefix: string): Generator<Buffer, void, undefined> {
  const walk = function* (abs: string, name: string): Generator<Buffer, void, undefined> {
    const st = lstatSync(abs);
    const mtime = st.mtimeMs / 1000;
    if (st.isDirectory()) {
      yield* entryHeaders(`${name}/`, "5", 0, st.mode, mtime);
      for (const child of readdirSync(abs).sort()) yield* walk(join(abs, child), `${name}/${child}`);
    } else if (st.isFile()) {
      yield* entryHeaders(name, "0", st.size, st.mode, mtime);
      // files are read one at a time; a file larger than memory is not the use case of cp
      yield pad(readFileSync(abs));
    } else if (st.isSymbolicLink()) {
      yield* entryHeaders(name, "2", 0, st.mode, mtime, readlinkSync(abs));
    }
  };
  let total = 0;
  for (const b of walk(source, prefix)) {
    total += b.length;
    yield b;
  }
  total += 2 * BLOCK;
  const padding = (RECORD - (total % RECORD)) % RECORD;
  yield Buffer.alloc(2 * BLOCK + padding);
}

function parseOctal(b: Buffer): number {
  if ((b[0]! & 0x80) !== 0) {
    // base-256 (GNU) for sizes of 8 GiB and more
    let n = 0;
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i]!;
    return n;
  }
  const s = b.toString("ascii").replace(/\0.*$/s, "").trim();
  return s === "" ? 0 : parseInt(s, 8);
}

function cString(b: Buffer): string {
  const z = b.indexOf(0);
  return (z === -1 ? b : b.subarray(0, z)).toString("utf8");
}

/** How a tar stream is extracted into a folder (copyFromPod). */
export interface ExtractOptions {
  /** Strip this many leading path components (kubectl cp strips the source folder's name). */
  strip?: number;
  /** Largest PAX or GNU long-name header accepted (default 1 MiB). */
  maxHeaderBytes?: number;
}

/**
 * A Writable that extracts a tar stream into `dest`: regular files, folders, and symbolic links whose
 * target stays inside `dest`. An absolute name, a `..` that climbs out, a link out of `dest` or a path
 * through such a link fails the stream with CopyError; nothing is written outside `dest`.
 */
export class TarExtractor extends Writable {
  readonly #dest: string;
  readonly #strip: number;
  readonly #maxHeader: number;
  #buf: Buffer = Buffer.alloc(0);
  #state: "header" | "data" | "meta" | "skip" | "end" = "header";
  #remaining = 0;
  #padding = 0;
  #fd: number | undefined;
  #meta: Buffer[] = [];
  #metaType = "";
  #nextPath: string | undefined;
  #nextLink: string | undefined;
  /** Files written, for reporting. */
  files = 0;

  constructor(dest: string, options: ExtractOptions = {}) {
    super();
    mkdirSync(dest, { recursive: true });
    this.#dest = realpathSync(dest);
    this.#strip = options.strip ?? 0;
    this.#maxHeader = options.maxHeaderBytes ?? 1024 * 1024;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    try {
      this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
      this.#consume();
      cb();
    } catch (err) {
      this.#closeFile();
      cb(err as Error);
    }
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.#closeFile();
    if (this.#state === "data" || this.#state === "meta") cb(new CopyError("the tar stream ended in the middle of an entry", this.#dest));
    else cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.#closeFile();
    cb(err);
  }

  #closeFile(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #consume(): void {
    for (;;) {
      if (this.#state === "end") {
        this.#buf = Buffer.alloc(0);
        return;
      }
      if (this.#state === "header") {
        if (this.#buf.length < BLOCK) return;
        const h = this.#buf.subarray(0, BLOCK);
        this.#buf = this.#buf.subarray(BLOCK);
        if (h.every((b) => b === 0)) {
          this.#state = "end";
          continue;
        }
        this.#header(h);
        continue;
      }
      // data, meta or skip: `remaining` bytes of content, then `padding`
      if (this.#remaining > 0) {
        if (this.#buf.length === 0) return;
        const n = Math.min(this.#remaining, this.#buf.length);
        const part = this.#buf.subarray(0, n);
        if (this.#state === "data" && this.#fd !== undefined) writeSync(this.#fd, part);
        if (this.#state === "meta") this.#meta.push(Buffer.from(part));
        this.#remaining -= n;
        this.#buf = this.#buf.subarray(n);
        if (this.#remaining > 0) return;
      }
      if (this.#padding > 0) {
        const n = Math.min(this.#padding, this.#buf.length);
        this.#padding -= n;
        this.#buf = this.#buf.subarray(n);
        if (this.#padding > 0) return;
      }
      if (this.#state === "meta") this.#applyMeta();
      this.#closeFile();
      this.#state = "header";
    }
  }

  #expect(size: number, state: "data" | "meta" | "skip"): void {
    this.#remaining = size;
    this.#padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.#state = state;
  }

  #header(h: Buffer): void {
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (sum !== parseOctal(h.subarray(148, 156))) throw new CopyError("the tar stream is corrupt (header checksum mismatch)", this.#dest);
    const type = String.fromCharCode(h[156] || 48);
    const size = parseOctal(h.subarray(124, 136));
    const ustar = h.subarray(257, 262).toString("ascii") === "ustar";
    const prefix = ustar ? cString(h.subarray(345, 500)) : "";
    let name = cString(h.subarray(0, 100));
    if (prefix) name = `${prefix}/${name}`;
    if (this.#nextPath !== undefined) name = this.#nextPath;
    const link = this.#nextLink ?? cString(h.subarray(157, 257));
    if (type === "x" || type === "L" || type === "K") {
      if (size > this.#maxHeader) throw new CopyError(`a tar ${type} header of ${size} bytes exceeds ${this.#maxHeader}`, name);
      this.#metaType = type;
      this.#meta = [];
      this.#expect(size, "meta");
      return;
    }
    this.#nextPath = undefined;
    this.#nextLink = undefined;
    if (type === "g") {
      this.#expect(size, "skip");
      return;
    }
    const target = this.#target(name);
    const mode = parseOctal(h.subarray(100, 108));
    if (target && existsLink(target)) unlinkSync(target); // never write through a link already there
    if (type === "5") {
      if (target) {
        this.#inside(nearestExisting(dirname(target)), name);
        mkdirSync(target, { recursive: true });
      }
      this.#expect(0, "skip");
    } else if (type === "0" || type === "7") {
      if (target) {
        mkdirSync(dirname(target), { recursive: true });
        this.#inside(dirname(target), name);
        this.#fd = openSync(target, "w", mode & 0o777 || 0o644);
        this.files++;
      }
      this.#expect(size, target ? "data" : "skip");
    } else if (type === "2") {
      if (target) {
        const resolved = isAbsolute(link) ? resolve(link) : resolve(dirname(target), link);
        if (!this.#within(resolved)) throw new CopyError(`the tar entry ${JSON.stringify(name)} links to ${JSON.stringify(link)}, outside the target folder`, name);
        mkdirSync(dirname(target), { recursive: true });
        this.#inside(dirname(target), name);
        symlinkSync(link, target);
      }
      this.#expect(size, "skip");
    } else {
      // hard links, devices, fifos: skipped as kubectl does
      this.#expect(size, "skip");
    }
  }

  #applyMeta(): void {
    const data = Buffer.concat(this.#meta);
    if (this.#metaType === "L") this.#nextPath = cString(data);
    else if (this.#metaType === "K") this.#nextLink = cString(data);
    else {
      let off = 0;
      while (off < data.length) {
        const space = data.indexOf(32, off);
        if (space === -1) break;
        const len = Number(data.subarray(off, space).toString("ascii"));
        if (!(len > 0)) break;
        const record = data.subarray(space + 1, off + len - 1).toString("utf8");
        const eq = record.indexOf("=");
        const key = record.slice(0, eq);
        const value = record.slice(eq + 1);
        if (key === "path") this.#nextPath = value;
        if (key === "linkpath") this.#nextLink = value;
        off += len;
      }
    }
  }

  #within(p: string): boolean {
    const rel = relative(this.#dest, p);
    return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
  }

  /** The real folder (symbolic links resolved) must still be inside dest. */
  #inside(dir: string, name: string): void {
    if (!this.#within(realpathSync(dir))) throw new CopyError(`the tar entry ${JSON.stringify(name)} goes through a link that leaves the target folder`, name);
  }

  /** The path an entry extracts to, or undefined for the stripped top entries; throws for escapes. */
  #target(name: string): string | undefined {
    if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) throw new CopyError(`the tar entry ${JSON.stringify(name)} has an absolute path`, name);
    const parts = name.split("/").filter((p) => p !== "" && p !== ".");
    if (parts.includes("..")) {
      // any ".." is refused, even one that would stay inside, as kubectl does
      throw new CopyError(`the tar entry ${JSON.stringify(name)} contains "..", which could leave the target folder`, name);
    }
    const kept = parts.slice(this.#strip);
    if (kept.length === 0) return undefined;
    const target = join(this.#dest, ...kept);
    if (!this.#within(target)) throw new CopyError(`the tar entry ${JSON.stringify(name)} is outside the target folder`, name);
    return target;
  }
}

function existsLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function nearestExisting(p: string): string {
  let d = p;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}
