// Stopgap until @kubets/apimachinery/serializer exports parseYAML: a thin wrapper over the `yaml` package
// that apimachinery already depends on. Errors carry a position only, never the offending text, because
// kubeconfig files hold secrets.
import { parse } from "yaml";

export class YAMLSyntaxError extends Error {
  override readonly name = "YAMLSyntaxError" as const;
  constructor(
    readonly line: number | undefined,
    readonly column: number | undefined,
    readonly code: string | undefined,
  ) {
    super(`invalid YAML${line !== undefined ? ` at line ${line}, column ${column ?? 0}` : ""}${code ? ` (${code})` : ""}`);
  }
}

export function parseYAMLText(text: string): unknown {
  try {
    return parse(text, { uniqueKeys: false });
  } catch (err) {
    const e = err as { linePos?: Array<{ line: number; col: number }>; code?: string };
    throw new YAMLSyntaxError(e.linePos?.[0]?.line, e.linePos?.[0]?.col, e.code);
  }
}
