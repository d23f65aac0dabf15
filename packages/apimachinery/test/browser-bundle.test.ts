// @kubets/apimachinery must load in a browser: bundle every subpath for the browser platform (no
// Node built-ins available) and run the bundle in a bare V8 context that has only web globals.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(`${pkgDir}/package.json`, "utf8")) as { exports: Record<string, unknown> };
const entries = Object.entries(pkg.exports)
  .filter(([, v]) => typeof v === "object" && v !== null && "@kubets/source" in v)
  .map(([k, v]) => [k, (v as Record<string, string>)["@kubets/source"]!] as const);

describe("browser bundle", () => {
  it("covers every subpath export", () => {
    expect(entries.map(([k]) => k)).toEqual(expect.arrayContaining([".", "./serializer", "./protobuf", "./watch", "./labels", "./resource"]));
  });

  it.each(entries)("bundles %s for the browser and evaluates it without Node globals", async (_name, src) => {
    const result = await build({
      entryPoints: [`${pkgDir}/${src}`],
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "lib",
      conditions: ["@kubets/source"],
      write: false,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/require\(["']node:/);
    // A context with web globals only: no process, Buffer, require.
    const sandbox: Record<string, unknown> = { TextEncoder, TextDecoder, URL, console, queueMicrotask, setTimeout, clearTimeout };
    sandbox["globalThis"] = sandbox;
    runInNewContext(`${code}\nglobalThis.__lib = lib;`, sandbox);
    const lib = sandbox["__lib"] as Record<string, unknown>;
    expect(Object.keys(lib).length).toBeGreaterThan(0);
  }, 60_000);

  it("parses and matches a label selector, and parses YAML on both paths, inside the browser bundle", async () => {
    const result = await build({
      stdin: {
        // The anchors take the full YAML path (the yaml package, loaded on first use), the rest the fast path.
        contents: `import { labels, resource, serializer } from "@kubets/apimachinery"; export const ok = labels.parse("app in (web),tier!=db").matches({ app: "web", tier: "fe" }); export const q = resource.quantityToString("1.5Gi"); export const y = [serializer.parseYAML("a: &x 1\\nb: *x\\n"), serializer.parseYAML("a: 1\\n")];`,
        resolveDir: pkgDir,
        loader: "ts",
      },
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "lib",
      conditions: ["@kubets/source"],
      write: false,
      logLevel: "silent",
    });
    const sandbox: Record<string, unknown> = { TextEncoder, TextDecoder };
    sandbox["globalThis"] = sandbox;
    runInNewContext(`${result.outputFiles[0]!.text}\nglobalThis.__lib = lib;`, sandbox);
    expect(sandbox["__lib"]).toEqual({ ok: true, q: "1536Mi", y: [{ a: 1, b: 1 }, { a: 1 }] });
  }, 60_000);
});
