// What the kubets vitest globalSetup provides to tests (vitest's provide/inject).
import type { ControlPlaneInfo } from "./control-plane.js";

declare module "vitest" {
  export interface ProvidedContext {
    "kubets.testenv": ControlPlaneInfo;
  }
}

export {};
