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
    // One simulated node (kwok) and kube-scheduler by default, so that tests can run pods, exec, port-forward
    // and read logs; kwok is one small process. KUBETS_TESTENV_NODES=0 runs without them.
    const nodes = Number(process.env["KUBETS_TESTENV_NODES"] ?? "1");
    shared.plane = startControlPlane({ log, nodes: Number.isInteger(nodes) && nodes >= 0 ? nodes : 1 }).then((plane) => {
      log(
        `control plane ready at ${plane.server} in ${plane.startupMs} ms (kubeconfig ${plane.kubeconfigPath}` +
          (plane.nodes.length > 0 ? `, nodes ${plane.nodes.join(", ")}` : "") +
          ")",
      );
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
