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

export default defineConfig({
  resolve: { conditions: ["@kubets/source"] },
  test: {
    // One control plane for the whole run, shared by every integration test file.
    globalSetup: ["./tools/testenv/src/vitest-global-setup.ts"],
    reporters: ["default"],
    projects: packages.map(([name, root]) => ({
      extends: true,
      test: {
        name,
        root,
        include: ["test/**/*.test.ts"],
        testTimeout: 30_000,
        hookTimeout: 120_000,
      },
    })),
  },
});
