import type { ObjectMeta } from "../src/meta/v1/index.js";
export type { ObjectWithMeta } from "../src/meta/v1/index.js";
export interface Pod {
  apiVersion: "v1";
  kind: "Pod";
  metadata?: ObjectMeta;
}
