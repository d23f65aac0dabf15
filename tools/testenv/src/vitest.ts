// For integration tests: the control plane that the kubets vitest globalSetup started for this run.
import { inject } from "vitest";
import type { ControlPlaneInfo } from "./control-plane.js";
import { TestEnvError } from "./errors.js";
import type {} from "./provided-context.js";

export type { ControlPlaneInfo } from "./control-plane.js";

/** The shared control plane of this test run (started once by the globalSetup). */
export function testEnv(): ControlPlaneInfo {
  const info: ControlPlaneInfo | undefined = inject("kubets.testenv");
  if (!info) {
    throw new TestEnvError(
      "no control plane for this test: add @kubets/testenv's vitest-global-setup to this vitest project's globalSetup",
    );
  }
  return info;
}
