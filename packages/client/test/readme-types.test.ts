// The README examples that run as tests must also type-check under the repository's strict settings
// (tsconfig.base.json: strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess), as a user's
// project with those settings would compile them: no casts needed for dynamic objects.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";

const root = new URL("../../../", import.meta.url);
function blocks(readme: string, pick: (code: string) => boolean = () => true): string[] {
  const text = readFileSync(new URL(readme, root), "utf8");
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter(pick);
}

const examples: Array<[string, string]> = [
  ...blocks("packages/client/README.md").map((code, i) => [`client-${i + 1}`, code] as [string, string]),
  // The informers README blocks that run against a server (the others are fragments).
  ...blocks("packages/informers/README.md", (c) => c.includes("loadConfig")).map((code, i) => [`informers-${i + 1}`, code] as [string, string]),
  ...blocks("packages/apimachinery/README.md", (c) => c.includes("setStatusCondition")).map((code, i) => [`apimachinery-${i + 1}`, code] as [string, string]),
];

it("README examples type-check under the strict settings", { timeout: 180_000 }, () => {
  expect(examples.length).toBeGreaterThanOrEqual(9);
  const dir = join(import.meta.dirname, `.readme-types-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const files = examples.map(([name, code]) => {
      const file = join(dir, `${name}.ts`);
      writeFileSync(file, `${code}\nexport {};\n`);
      return file;
    });
    const base = ts.readConfigFile(new URL("tsconfig.base.json", root).pathname, (p) => ts.sys.readFile(p)).config as { compilerOptions: object };
    const { options, errors } = ts.convertCompilerOptionsFromJson(
      { ...base.compilerOptions, noEmit: true, composite: false, incremental: false, declaration: false, declarationMap: false, sourceMap: false, types: ["node"] },
      dir,
    );
    expect(errors).toEqual([]);
    const program = ts.createProgram(files, options);
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file === undefined || files.includes(d.file.fileName));
    const messages = diagnostics.map((d) => {
      const where = d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(messages).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
