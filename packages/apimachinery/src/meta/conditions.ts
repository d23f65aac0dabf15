/**
 * Status condition helpers (k8s.io/apimachinery/pkg/api/meta conditions.go): set, remove and
 * find metav1.Condition entries in a `status.conditions` array, with Go's rules for
 * `lastTransitionTime`.
 *
 * Go takes a `*[]metav1.Condition`; here the array is changed in place (pass
 * `status.conditions ??= []` to create it), and `undefined` plays Go's nil pointer.
 */
import type { Condition, Time } from "./v1/types.js";
import { formatTime } from "./v1/time.js";

/** A condition to set: as {@link Condition}, with `lastTransitionTime` and `message` optional. */
export interface NewCondition {
  type: string;
  status: Condition["status"];
  reason: string;
  message?: string;
  observedGeneration?: number;
  /** When unset (or `""`, Go's zero time), the current time is used if the status changes. */
  lastTransitionTime?: Time;
}

/** Options of {@link setStatusCondition}. */
export interface SetStatusConditionOptions {
  /** The clock for `lastTransitionTime` (default `new Date()`). */
  now?: () => Date;
}

function isZero(t: Time | undefined): t is undefined {
  return t === undefined || t === "";
}

/**
 * Go's SetStatusCondition: adds `newCondition`, or updates the condition of the same type.
 * `lastTransitionTime` changes only when the status changes (to the one given, or now); reason,
 * message and observedGeneration are always taken from `newCondition`. Returns whether anything
 * changed (false for `undefined`).
 */
export function setStatusCondition(
  conditions: Condition[] | undefined,
  newCondition: NewCondition,
  options: SetStatusConditionOptions = {},
): boolean {
  if (conditions === undefined) return false;
  const now = (): Time => formatTime(options.now?.() ?? new Date());
  const existing = findStatusCondition(conditions, newCondition.type);
  if (existing === undefined) {
    const added: Condition = {
      type: newCondition.type,
      status: newCondition.status,
      observedGeneration: newCondition.observedGeneration ?? 0,
      lastTransitionTime: isZero(newCondition.lastTransitionTime) ? now() : newCondition.lastTransitionTime,
      reason: newCondition.reason,
      message: newCondition.message ?? "",
    };
    if (newCondition.observedGeneration === undefined) delete added.observedGeneration;
    conditions.push(added);
    return true;
  }
  let changed = false;
  if (existing.status !== newCondition.status) {
    existing.status = newCondition.status;
    existing.lastTransitionTime = isZero(newCondition.lastTransitionTime) ? now() : newCondition.lastTransitionTime;
    changed = true;
  }
  if (existing.reason !== newCondition.reason) {
    existing.reason = newCondition.reason;
    changed = true;
  }
  const message = newCondition.message ?? "";
  if ((existing.message ?? "") !== message) {
    existing.message = message;
    changed = true;
  }
  // Go's int64 zero value is what an absent observedGeneration means.
  const generation = newCondition.observedGeneration ?? 0;
  if ((existing.observedGeneration ?? 0) !== generation) {
    if (newCondition.observedGeneration === undefined) delete existing.observedGeneration;
    else existing.observedGeneration = generation;
    changed = true;
  }
  return changed;
}

/** Go's RemoveStatusCondition: removes every condition of the type, in place; whether any was. */
export function removeStatusCondition(conditions: Condition[] | undefined, conditionType: string): boolean {
  if (conditions === undefined || conditions.length === 0) return false;
  let kept = 0;
  for (const c of conditions) {
    if (c.type !== conditionType) conditions[kept++] = c;
  }
  const removed = kept !== conditions.length;
  conditions.length = kept;
  return removed;
}

/** Go's FindStatusCondition: the condition of the type (the array's own element), or undefined. */
export function findStatusCondition(conditions: readonly Condition[] | undefined, conditionType: string): Condition | undefined {
  return conditions?.find((c) => c.type === conditionType);
}

/** Whether the condition of the type is present with status "True". */
export function isStatusConditionTrue(conditions: readonly Condition[] | undefined, conditionType: string): boolean {
  return isStatusConditionPresentAndEqual(conditions, conditionType, "True");
}

/** Whether the condition of the type is present with status "False". */
export function isStatusConditionFalse(conditions: readonly Condition[] | undefined, conditionType: string): boolean {
  return isStatusConditionPresentAndEqual(conditions, conditionType, "False");
}

/** Whether the (first) condition of the type is present with the given status. */
export function isStatusConditionPresentAndEqual(
  conditions: readonly Condition[] | undefined,
  conditionType: string,
  status: Condition["status"],
): boolean {
  const c = findStatusCondition(conditions, conditionType);
  return c !== undefined && c.status === status;
}
