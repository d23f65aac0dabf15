// The tar extractor of cp against hostile archives: nothing may land outside the target folder.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isCopyError, TarExtractor, tarTree } from "../src/remotecommand/index.js";

/** One raw ustar entry, written by hand so that the archive can say anything. */
function entry(name: string, type: string, data = "", linkname = ""): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100);
  h.write("0000644\0", 100);
  h.write(`${Buffer.byteLength(data).toString(8).padStart(11, "0")}\0`, 124);
  h.write("00000000000\0", 136);
  h.write("        ", 148);
  h.write(type, 156);
  h.write(linkname, 157, 100);
  h.write("ustar\0" + "00", 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  const body = Buffer.from(data);
  return Buffer.concat([h, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}
const archive = (...entries: Buffer[]): Buffer => Buffer.concat([...entries, Buffer.alloc(1024)]);

let root: string;
let dest: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "kubets-tar-"));
  dest = join(root, "dest");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function extract(tar: Buffer, strip = 0): Promise<unknown> {
  return pipeline(Readable.from([tar]), new TarExtractor(dest, { strip })).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe("tar extraction for cp", () => {
  it("round-trips a folder tree with nested folders, long names, empty files and links inside", async () => {
    const src = join(root, "src");
    const long = "d".repeat(120);
    mkdirSync(join(src, "a", long), { recursive: true });
    writeFileSync(join(src, "top.txt"), "top\n");
    writeFileSync(join(src, "a", long, "deep.bin"), Buffer.from([0, 1, 2, 255]));
    writeFileSync(join(src, "a", "empty"), "");
    symlinkSync("top.txt", join(src, "link"));
    const tar = Buffer.concat([...tarTree(src, "src")]);
    expect(tar.length % 10240).toBe(0);
    expect(await extract(tar, 1)).toBeUndefined();
    expect(readFileSync(join(dest, "top.txt"), "utf8")).toBe("top\n");
    expect([...readFileSync(join(dest, "a", long, "deep.bin"))]).toEqual([0, 1, 2, 255]);
    expect(readFileSync(join(dest, "a", "empty"), "utf8")).toBe("");
    expect(readlinkSync(join(dest, "link"))).toBe("top.txt");
  });

  it.each([
    ["a parent path", [entry("../evil", "0", "x")], /contains "\.\."/],
    ["a nested parent path", [entry("a/../../evil", "0", "x")], /contains "\.\."/],
    ["an absolute path", [entry("/tmp/kubets-evil", "0", "x")], /absolute path/],
    ["a link out of the folder", [entry("out", "2", "", "../../")], /links to "\.\.\/\.\.\/", outside the target folder/],
    ["an absolute link", [entry("out", "2", "", "/etc")], /outside the target folder/],
  ])("refuses %s with CopyError and writes nothing outside", async (_what, entries, message) => {
    const err = await extract(archive(...entries));
    expect(isCopyError(err)).toBe(true);
    expect((err as Error).message).toMatch(message);
    expect(existsSync(join(root, "evil"))).toBe(false);
    expect(existsSync("/tmp/kubets-evil")).toBe(false);
  });

  it("does not write through a link that was already in the target folder", async () => {
    mkdirSync(dest, { recursive: true });
    mkdirSync(join(root, "outside"));
    symlinkSync(join(root, "outside"), join(dest, "dir"));
    const err = await extract(archive(entry("dir/file", "0", "x")));
    expect(isCopyError(err)).toBe(true);
    expect(existsSync(join(root, "outside", "file"))).toBe(false);
    // a file entry over an existing link replaces the link instead of following it
    writeFileSync(join(root, "victim"), "keep");
    symlinkSync(join(root, "victim"), join(dest, "f"));
    expect(await extract(archive(entry("f", "0", "new")))).toBeUndefined();
    expect(readFileSync(join(root, "victim"), "utf8")).toBe("keep");
    expect(lstatSync(join(dest, "f")).isSymbolicLink()).toBe(false);
  });

  it("fails a corrupt or truncated archive", async () => {
    const good = entry("f", "0", "hello");
    const bad = Buffer.from(good);
    bad[0] = 0x41;
    expect(isCopyError(await extract(archive(bad)))).toBe(true);
    expect(await extract(good.subarray(0, 600))).toMatchObject({ name: "CopyError", message: expect.stringMatching(/ended in the middle/) });
  });
});
