/**
 * api/meta (k8s.io/apimachinery/pkg/api/meta): status condition helpers. Object accessors live in
 * `@kubets/apimachinery/meta/v1`.
 */
export type { NewCondition, SetStatusConditionOptions } from "./conditions.js";
export {
  findStatusCondition,
  isStatusConditionFalse,
  isStatusConditionPresentAndEqual,
  isStatusConditionTrue,
  removeStatusCondition,
  setStatusCondition,
} from "./conditions.js";
