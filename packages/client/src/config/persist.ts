import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { parseYAML, toYAML } from "@kubets/apimachinery/serializer";
import { ConfigError } from "./errors.js";

/**
 * Writes an auth provider's refreshed config back into the kubeconfig file that defined the user, as
 * clientcmd's persister does (the file is rewritten; comments are not kept).
 */
export function persistAuthProviderConfig(file: string, userName: string, config: Record<string, string>): void {
  let doc: unknown;
  try {
    doc = parseYAML(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new ConfigError("cannot re-read the kubeconfig to store refreshed tokens", { file, fix: "make sure the file is readable and valid", cause });
  }
  const users = (doc as { users?: unknown } | null)?.users;
  const entry = Array.isArray(users) ? (users as Array<{ name?: unknown; user?: Record<string, unknown> }>).find((u) => u?.name === userName) : undefined;
  const provider = entry?.user?.["auth-provider"] as { config?: unknown } | undefined;
  if (!provider)
    throw new ConfigError(`user "${userName}" has no auth-provider any more`, { file, field: `users[${userName}].auth-provider`, fix: "log in again" });
  provider.config = { ...config };
  const mode = statSync(file).mode & 0o777;
  const tmp = `${file}.kubets-${process.pid}.tmp`;
  writeFileSync(tmp, toYAML(doc), { mode });
  renameSync(tmp, file);
}
