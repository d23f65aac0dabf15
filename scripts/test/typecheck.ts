// Type-checks code snippets (README examples) as they are written, under the repository's strict
// settings (tsconfig.base.json) with Node's types, resolving @kubets packages to their sources.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

const root = join(import.meta.dirname, "..", "..");

/**
 * Writes each snippet to a module beside `dir` (so package resolution is that package's), type-checks
 * them together and returns one line per diagnostic (`example 2 (line 5): ...`); empty when clean.
 */
export function typecheckSnippets(snippets: readonly string[], dir: string): string[] {
  const base = JSON.parse(readFileSync(join(root, "tsconfig.base.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    { ...base.compilerOptions, composite: false, incremental: false, declaration: false, declarationMap: false, sourceMap: false, noEmit: true, types: ["node"] },
    root,
  );
  if (errors.length > 0) throw new Error(ts.flattenDiagnosticMessageText(errors[0]!.messageText, "\n"));
  const tmp = mkdtempSync(join(dir, ".readme-typecheck-"));
  try {
    const files = snippets.map((code, i) => {
      const f = join(tmp, `example-${i + 1}.ts`);
      writeFileSync(f, code);
      return f;
    });
    const program = ts.createProgram(files, options);
    return ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || files.includes(d.file.fileName))
      .map((d) => {
        const where = d.file ? `example ${files.indexOf(d.file.fileName) + 1} (line ${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1})` : "options";
        return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
      });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
