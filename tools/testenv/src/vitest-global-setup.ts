// vitest globalSetup: one control plane per test run, shared by every project and test file that
// needs it, handed to the tests through vitest's provide/inject (see ./vitest.ts).
import type { TestProject } from "vitest/node";
import { startControlPlane, type ControlPlane } from "./control-plane.js";

import type {} from "./provided-context.js";

interface Shared {
  refs: number;
  plane: Promise<ControlPlane> | undefined;
}

const KEY = Symbol.for("kubets.testenv.shared");

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const g = globalThis as unknown as Record<symbol, Shared | undefined>;
  const shared = (g[KEY] ??= { refs: 0, plane: undefined });
  shared.refs++;
  if (!shared.plane) {
    const log = (line: string): void => void process.stderr.write(`[kubets-testenv] ${line}\n`);
    shared.plane = startControlPlane({ log }).then((plane) => {
      log(`control plane ready at ${plane.server} in ${plane.startupMs} ms (kubeconfig ${plane.kubeconfigPath})`);
      return plane;
    });
  }
  const plane = await shared.plane;
  project.provide("kubets.testenv", plane.info());
  return async () => {
    shared.refs--;
    if (shared.refs === 0) {
      shared.plane = undefined;
      await plane.stop();
    }
  };
}
