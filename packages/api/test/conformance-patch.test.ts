// Holds @kubets/apimachinery/patch (with @kubets/api's generated patch metadata) to the vectors
// computed by the real k8s.io/apimachinery strategicpatch and jsonmergepatch packages and
// gopkg.in/evanphx/json-patch.v4 (tools/conformance/patch).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import {
  applyJSONPatch,
  createMergePatch,
  createThreeWayJSONMergePatch,
  createThreeWayMergePatch,
  createTwoWayMergePatch,
  isPatchConflict,
  isPatchError,
  isPreconditionFailed,
  mergePatch,
  strategicMergePatch,
  type JSONMap,
  type PatchSchema,
} from "@kubets/apimachinery/patch";
import { describe, expect, it } from "vitest";
import { patchMetaFor, structFields } from "../src/patch-meta.js";

const vectorsDir = fileURLToPath(new URL("../../../tools/conformance/vectors/", import.meta.url));

interface Case {
  op: "smp" | "twoway" | "threeway" | "merge" | "createmerge" | "threewaymerge" | "jsonpatch";
  kind?: string;
  original: unknown;
  modified?: unknown;
  current?: unknown;
  overwrite?: boolean;
  patch?: unknown;
  result?: unknown;
  error?: "conflict" | "precondition" | "error";
}

const { cases } = JSON.parse(gunzipSync(readFileSync(`${vectorsDir}patch.json.gz`)).toString("utf8")) as { cases: Case[] };
const tags = JSON.parse(readFileSync(`${vectorsDir}patch-tags.json`, "utf8")) as { kinds: Record<string, string[] | null> };

function schemaOf(kind: string): PatchSchema {
  const i = kind.lastIndexOf("/");
  const s = patchMetaFor(kind.slice(0, i), kind.slice(i + 1));
  if (s === undefined) throw new Error(`no patch metadata for ${kind}`);
  return s;
}

/** Runs one case the way the Go program did; returns what it computed. */
function run(c: Case): Pick<Case, "patch" | "result" | "error"> {
  const out: Pick<Case, "patch" | "result" | "error"> = {};
  const orig = c.original as JSONMap;
  try {
    switch (c.op) {
      case "smp":
        out.result = strategicMergePatch(orig, c.patch as JSONMap, schemaOf(c.kind!));
        break;
      case "twoway": {
        const p = createTwoWayMergePatch(orig, c.modified as JSONMap, schemaOf(c.kind!));
        out.patch = p;
        out.result = strategicMergePatch(orig, p, schemaOf(c.kind!));
        break;
      }
      case "threeway": {
        const p = createThreeWayMergePatch(orig, c.modified as JSONMap, c.current as JSONMap, schemaOf(c.kind!), c.overwrite ?? false);
        out.patch = p;
        out.result = strategicMergePatch(c.current as JSONMap, p, schemaOf(c.kind!));
        break;
      }
      case "merge":
        out.result = mergePatch(orig, c.patch);
        break;
      case "createmerge":
        out.patch = createMergePatch(orig, c.modified);
        break;
      case "threewaymerge":
        out.patch = createThreeWayJSONMergePatch(orig, c.modified as JSONMap, c.current as JSONMap);
        break;
      case "jsonpatch":
        out.result = applyJSONPatch(orig, JSON.stringify(c.patch));
        break;
    }
  } catch (err) {
    if (!isPatchError(err)) throw err;
    out.error = isPatchConflict(err) ? "conflict" : isPreconditionFailed(err) ? "precondition" : "error";
    if (c.op === "twoway" || c.op === "threeway") {
      // Go reports the patch only when both steps succeeded.
      if (out.result === undefined) delete out.patch;
    }
  }
  return out;
}

describe("patch conformance (Go strategicpatch, jsonmergepatch, evanphx/json-patch v4)", () => {
  it(`agrees with Go on all ${cases.length} vectors`, () => {
    const counts = new Map<string, number>();
    const failures: string[] = [];
    for (const [i, c] of cases.entries()) {
      counts.set(c.op, (counts.get(c.op) ?? 0) + 1);
      const got = run(c);
      const want: Pick<Case, "patch" | "result" | "error"> = {};
      if (c.error !== undefined) want.error = c.error;
      if (c.result !== undefined) want.result = c.result;
      if (c.patch !== undefined && c.op !== "smp" && c.op !== "merge" && c.op !== "jsonpatch") want.patch = c.patch;
      if (c.error !== undefined && (c.op === "twoway" || c.op === "threeway") && c.patch === undefined) delete got.patch;
      if (c.error !== undefined) delete got.result;
      try {
        expect(got).toEqual(want);
      } catch {
        if (failures.length < 5) failures.push(`#${i} ${c.op} ${c.kind ?? ""}\n${JSON.stringify(c)}\ngot ${JSON.stringify(got)}`);
        else failures.push(`#${i}`);
      }
    }
    console.log(`patch conformance: ${cases.length} vectors (${[...counts].map(([k, v]) => `${k} ${v}`).join(", ")}), ${failures.length} differ`);
    expect(failures.slice(0, 6)).toEqual([]);
    expect(cases.length).toBeGreaterThan(8000);
  });

  it("the generated patch metadata matches Go's struct tags on every field path of every kind", () => {
    let kinds = 0;
    let paths = 0;
    const differ: string[] = [];
    for (const [kind, want] of Object.entries(tags.kinds)) {
      const got: string[] = [];
      const walk = (schema: PatchSchema, prefix: string, onPath: Set<string>): void => {
        const fields = structFields(schema);
        if (fields === undefined) return;
        for (const [name, { schema: sub, meta }] of fields) {
          const ref = (sub as unknown as { type: string }).type;
          const p = `${prefix}.${name}${ref.replace(/\*/g, "").replace(/[^[{]+$/, "").replace(/\[/g, "[]").replace(/\{/g, "{}")}`;
          if (meta.patchStrategies.length > 0 || meta.patchMergeKey !== "") got.push(`${prefix}.${name}\t${meta.patchStrategies.join(",")}\t${meta.patchMergeKey}`);
          const struct = ref.replace(/^[*[{]+/, "");
          if (/^\d+$/.test(struct) && !onPath.has(struct)) {
            onPath.add(struct);
            walk(new (Object.getPrototypeOf(schema).constructor as new (t: string) => PatchSchema)(struct), p, onPath);
            onPath.delete(struct);
          }
        }
      };
      const root = schemaOf(kind);
      walk(root, "", new Set([(root as unknown as { type: string }).type]));
      got.sort();
      const w = [...(want ?? [])].sort();
      kinds++;
      paths += w.length;
      if (JSON.stringify(got) !== JSON.stringify(w)) differ.push(`${kind}: -${w.filter((x) => !got.includes(x)).join(" ")} +${got.filter((x) => !w.includes(x)).join(" ")}`);
    }
    console.log(`patch metadata: ${kinds} kinds, ${paths} tagged field paths compared with Go's struct tags, ${differ.length} kinds differ`);
    expect(differ).toEqual([]);
  });
});
