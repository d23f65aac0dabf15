// Kubeconfig YAML goes through apimachinery's parser (sigs.k8s.io/yaml semantics). Errors are reduced to a
// position, never the offending text, because kubeconfig files hold secrets.
import { parseYAML } from "@kubets/apimachinery/serializer";

export class YAMLSyntaxError extends Error {
  override readonly name = "YAMLSyntaxError" as const;
  constructor(readonly line: number | undefined) {
    super(`invalid YAML${line !== undefined ? ` at line ${line}` : ""}`);
  }
}

export function parseYAMLText(text: string): unknown {
  try {
    return parseYAML(text);
  } catch (err) {
    const offset = (err as { offset?: unknown }).offset;
    const line = typeof offset === "number" ? text.slice(0, offset).split("\n").length : undefined;
    throw new YAMLSyntaxError(line);
  }
}
