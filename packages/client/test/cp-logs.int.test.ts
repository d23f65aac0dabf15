// cp (tar through exec) and logs through the real kube-apiserver to the kubelet endpoints kwok serves.
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isForbidden, isNotFound } from "@kubets/apimachinery/errors";
import type { RestConfig } from "@kubets/client/config";
import { podLogLines, podLogStream, type Clientset, type PodLogSource } from "@kubets/client/kubernetes";
import { copyFromPod, copyToPod, execCapture } from "@kubets/client/remotecommand";
import { testEnv } from "@kubets/testenv/vitest";
import { configFor, uniqueName } from "./helpers/int.js";
import { clientset, createKwok, eventually, namespaceWithServiceAccount, pseudoRandom, runningPod } from "./helpers/pods.js";

const ns = uniqueName("kubets-cp");
let admin: RestConfig;
let cs: Clientset;
let local: string;
let podRoot: string;
const logFile = (): string => join(testEnv().execDir ?? tmpdir(), `${ns}.log`);
const previousFile = (): string => join(testEnv().execDir ?? tmpdir(), `${ns}.previous.log`);

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p).toString("base64");
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  admin = configFor("admin");
  cs = clientset(admin);
  local = mkdtempSync(join(tmpdir(), "kubets-cp-"));
  await namespaceWithServiceAccount(cs, ns);
  await runningPod(cs, ns, "files");
  // the container's file system is a folder of the exec working directory (kwok runs commands locally)
  podRoot = join(testEnv().execDir ?? tmpdir(), ns);
  mkdirSync(podRoot, { recursive: true });
  const lines = Array.from({ length: 10 }, (_, i) => `2026-01-01T00:00:0${i}.000000000Z stdout F line ${i}`).join("\n") + "\n";
  writeFileSync(logFile(), lines);
  writeFileSync(previousFile(), "2025-12-31T23:59:59.000000000Z stderr F from the previous container\n");
  await createKwok(admin, "logs", ns, {
    apiVersion: "kwok.x-k8s.io/v1alpha1",
    kind: "Logs",
    metadata: { name: "files", namespace: ns },
    spec: { logs: [{ logsFile: logFile(), previousLogsFile: previousFile(), follow: true }] },
  });
}, 120_000);

afterAll(async () => {
  rmSync(local, { recursive: true, force: true });
  rmSync(podRoot, { recursive: true, force: true });
  await cs.coreV1().namespaces().delete(ns).catch(() => undefined);
  await cs.close();
});

describe("cp through exec (tar)", () => {
  it("copies a folder tree into the container and back, byte for byte", async () => {
    const src = join(local, "src");
    mkdirSync(join(src, "nested", "deeper"), { recursive: true });
    writeFileSync(join(src, "a.txt"), "alpha\n");
    writeFileSync(join(src, "nested", "b.bin"), pseudoRandom(3 * 1024 * 1024, 5));
    writeFileSync(join(src, "nested", "deeper", `${"long-name-".repeat(12)}.txt`), "long\n");
    writeFileSync(join(src, "nested", "empty"), "");

    await copyToPod(admin, src, join(podRoot, "copied"), { namespace: ns, pod: "files" });
    expect(tree(join(podRoot, "copied"))).toEqual(tree(src));

    // something the container made, copied back
    const made = await execCapture(admin, { namespace: ns, pod: "files", command: ["sh", "-c", `cd ${podRoot}/copied && mkdir -p made && echo made-in-pod > made/x.txt`] });
    expect(made.exitCode).toBe(0);
    const back = join(local, "back");
    const { files } = await copyFromPod(admin, join(podRoot, "copied"), back, { namespace: ns, pod: "files" });
    expect(files).toBe(5);
    expect(readFileSync(join(back, "made", "x.txt"), "utf8")).toBe("made-in-pod\n");
    const expected = tree(src);
    expected[join("made", "x.txt")] = Buffer.from("made-in-pod\n").toString("base64");
    expect(tree(back)).toEqual(expected);
  }, 60_000);

  it("refuses an archive from the container whose link leaves the target folder, writing nothing outside", async () => {
    // GNU tar in the "container" archives links as they are: one pointing out of the copied folder
    const evil = join(podRoot, "evil");
    mkdirSync(evil, { recursive: true });
    writeFileSync(join(evil, "a.txt"), "fine\n");
    symlinkSync("../../../../../../etc", join(evil, "escape"));
    const target = join(local, "hostile", "inner");
    const err = await copyFromPod(admin, evil, target, { namespace: ns, pod: "files" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: "CopyError", path: "evil/escape" });
    expect((err as Error).message).toMatch(/links to "\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/etc", outside the target folder/);
    expect(readdirSync(join(local, "hostile"))).toEqual(["inner"]);
    expect(readdirSync(target)).not.toContain("escape");
  });
});

describe("bad input", () => {
  it("rejects logs and cp of a missing pod with NotFound, and without RBAC rights with Forbidden", async () => {
    const lines = async (pods: PodLogSource, name: string): Promise<unknown> => {
      try {
        for await (const _ of podLogLines(pods, name)) break;
        return undefined;
      } catch (e) {
        return e;
      }
    };
    expect(isNotFound(await lines(cs.coreV1().pods(ns), "nope"))).toBe(true);
    const restricted = clientset(configFor("restricted"));
    try {
      expect(isForbidden(await lines(restricted.coreV1().pods(ns), "files"))).toBe(true);
    } finally {
      await restricted.close();
    }
    const cp = await copyFromPod(admin, "/tmp", join(local, "nf"), { namespace: ns, pod: "nope" }).catch((e: unknown) => e);
    expect(isNotFound(cp)).toBe(true);
    const denied = await copyToPod(configFor("restricted"), local, "/tmp/x", { namespace: ns, pod: "files" }).catch((e: unknown) => e);
    expect(isForbidden(denied)).toBe(true);
  });
});

describe("logs", () => {
  it("reads the whole log, the last lines, with timestamps, limited in bytes, and the previous container's", async () => {
    const pods = cs.coreV1().pods(ns);
    const all: string[] = [];
    for await (const line of podLogLines(pods, "files")) all.push(line);
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i}`));

    const tail: string[] = [];
    for await (const line of podLogLines(pods, "files", { tailLines: 2, timestamps: true })) tail.push(line);
    expect(tail).toEqual(["2026-01-01T00:00:08.000000000Z line 8", "2026-01-01T00:00:09.000000000Z line 9"]);

    const limited = await pods.getLogs("files", { limitBytes: 12 });
    expect(limited).toBe("line 0\nline ");

    const previous: string[] = [];
    for await (const line of podLogLines(pods, "files", { previous: true })) previous.push(line);
    expect(previous).toEqual(["from the previous container"]);

    const recent: string[] = [];
    for await (const line of podLogLines(pods, "files", { sinceSeconds: 60 })) recent.push(line);
    expect(recent).toEqual([]); // every line is from 2026-01-01, long before the last minute
  });

  it("follows the log as lines as the container writes, and as a stream", async () => {
    const pods = cs.coreV1().pods(ns);
    const ac = new AbortController();
    const seen: string[] = [];
    let written = 0;
    const following = (async () => {
      for await (const line of podLogLines(pods, "files", { follow: true, tailLines: 0, signal: ac.signal })) {
        seen.push(line);
        if (line === "followed 2") break;
      }
    })();
    await eventually("followed lines", async () => {
      appendFileSync(logFile(), `${new Date().toISOString()} stdout F followed ${written++}\n`);
      await new Promise((r) => setTimeout(r, 150));
      return seen.includes("followed 2") ? true : undefined;
    }, 100);
    await following;
    // tailLines: 0 — none of the ten old lines; the followed lines in order, up to the one that ended the loop
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((l, i) => l === `followed ${Number(seen[0]!.split(" ")[1]) + i}`)).toBe(true);
    expect(seen.at(-1)).toBe("followed 2");

    const stream = await podLogStream(pods, "files", { tailLines: 1 });
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toMatch(/^followed \d+\n$/);
  });
});
