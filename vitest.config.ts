import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const globalSetup = fileURLToPath(new URL("./tools/testenv/src/vitest-global-setup.ts", import.meta.url));

const packages = [
  ["apimachinery", "packages/apimachinery"],
  ["api", "packages/api"],
  ["client", "packages/client"],
  ["informers", "packages/informers"],
  ["workqueue", "packages/workqueue"],
  ["prometheus", "packages/prometheus"],
  ["codegen", "tools/codegen"],
  ["testenv", "tools/testenv"],
  // Repository-level checks: packaging (pack, install, bundle), the versioning rule.
  ["repo", "scripts"],
  ["bench", "bench"],
] as const;

function hasIntegrationTests(root: string): boolean {
  try {
    return readdirSync(`${root}/test`, { recursive: true }).some((f) => String(f).endsWith(".int.test.ts"));
  } catch {
    return false;
  }
}

export default defineConfig({
  // Tests and sibling packages use each package's src (the "@kubets/source" export condition), never a
  // stale dist. Vite applies top-level `resolve.conditions` to browser code only; node tests need `ssr`.
  resolve: { conditions: ["@kubets/source"] },
  ssr: { resolve: { conditions: ["@kubets/source"], externalConditions: ["@kubets/source"] } },
  test: {
    projects: packages.map(([name, root]) => ({
      extends: true,
      test: {
        name,
        root,
        include: ["test/**/*.test.ts"],
        testTimeout: 30_000,
        hookTimeout: 120_000,
        // One control plane per run, shared by every project with integration tests (the setup is
        // reference-counted across projects), started only when such tests exist.
        globalSetup: hasIntegrationTests(root) ? [globalSetup] : [],
      },
    })),
  },
});
