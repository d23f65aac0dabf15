import { readdirSync } from "node:fs";
import { defineConfig } from "vitest/config";

const packages = [
  ["apimachinery", "packages/apimachinery"],
  ["api", "packages/api"],
  ["client", "packages/client"],
  ["informers", "packages/informers"],
  ["workqueue", "packages/workqueue"],
  ["codegen", "tools/codegen"],
  ["testenv", "tools/testenv"],
] as const;

function hasIntegrationTests(root: string): boolean {
  try {
    return readdirSync(`${root}/test`, { recursive: true }).some((f) => String(f).endsWith(".int.test.ts"));
  } catch {
    return false;
  }
}

export default defineConfig({
  resolve: { conditions: ["@kubets/source"] },
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
        globalSetup: hasIntegrationTests(root) ? ["../../tools/testenv/src/vitest-global-setup.ts"] : [],
      },
    })),
  },
});
