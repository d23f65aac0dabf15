/**
 * meta/v1 helpers (helpers.go): LabelSelector <-> labels.Selector conversion, option
 * builders and small utilities.
 */
import { oneTermEqualSelector } from "../../fields/index.js";
import type { Labels, Operator, Requirement, Selector } from "../../labels/index.js";
import { everything, newRequirement, newSelector, nothing, parseToRequirements } from "../../labels/index.js";
import { compareGoStrings, goQuote } from "../../errors/go-format.js";
import type {
  APIGroupList,
  DeleteOptions,
  LabelSelector,
  LabelSelectorOperator,
  LabelSelectorRequirement,
  ListOptions,
  ObjectMeta,
  Preconditions,
} from "./types.js";

/** A LabelSelector cannot be converted (unknown operator, or not expressible in the target form). */
export class InvalidLabelSelectorError extends Error {
  override readonly name = "InvalidLabelSelectorError" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const OPERATOR_MAP: Readonly<Record<string, Operator>> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
};

/**
 * Go's LabelSelectorAsSelector: `undefined`/`null` selects nothing, an empty selector
 * everything. Throws InvalidRequirementError (labels) or {@link InvalidLabelSelectorError}.
 * matchLabels are taken in key order (Go uses map order, which only matters for which of
 * several invalid entries is reported).
 */
export function labelSelectorAsSelector(ps: LabelSelector | undefined | null): Selector {
  if (ps === undefined || ps === null) return nothing();
  const matchLabels = ps.matchLabels ?? {};
  const labelKeys = Object.keys(matchLabels).sort(compareGoStrings);
  const exprs = ps.matchExpressions ?? [];
  if (labelKeys.length + exprs.length === 0) return everything();
  const reqs: Requirement[] = [];
  for (const k of labelKeys) reqs.push(newRequirement(k, "=", [matchLabels[k] as string]));
  for (const e of exprs) {
    const op = Object.hasOwn(OPERATOR_MAP, e.operator) ? OPERATOR_MAP[e.operator] : undefined;
    if (op === undefined) throw new InvalidLabelSelectorError(`${goQuote(e.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(e.key, op, [...(e.values ?? [])]));
  }
  return newSelector().add(...reqs);
}

/**
 * Go's LabelSelectorAsMap: only matchLabels and single-value `In` expressions can be
 * expressed as a map. `undefined` gives `undefined`.
 */
export function labelSelectorAsMap(ps: LabelSelector | undefined | null): { [key: string]: string } | undefined {
  if (ps === undefined || ps === null) return undefined;
  const out: { [key: string]: string } = { ...ps.matchLabels };
  for (const e of ps.matchExpressions ?? []) {
    switch (e.operator) {
      case "In":
        if (e.values?.length !== 1) {
          throw new InvalidLabelSelectorError(
            `operator ${goQuote(e.operator)} without a single value cannot be converted into the old label selector format`,
          );
        }
        out[e.key] = e.values[0] as string;
        break;
      case "NotIn":
      case "Exists":
      case "DoesNotExist":
        throw new InvalidLabelSelectorError(`operator ${goQuote(e.operator)} cannot be converted into the old label selector format`);
      default:
        throw new InvalidLabelSelectorError(`${goQuote(e.operator)} is not a valid selector operator`);
    }
  }
  return out;
}

/** Go's ParseToLabelSelector: a selector string to the LabelSelector API shape. */
export function parseToLabelSelector(selector: string): LabelSelector {
  let reqs: Requirement[];
  try {
    reqs = parseToRequirements(selector);
  } catch (e) {
    throw new InvalidLabelSelectorError(`couldn't parse the selector string "${selector}": ${(e as Error).message}`, { cause: e });
  }
  const matchLabels: { [key: string]: string } = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const r of reqs) {
    let op: LabelSelectorOperator;
    switch (r.operator) {
      case "=":
      case "==":
        matchLabels[r.key] = r.values[0] as string;
        continue;
      case "in":
        op = "In";
        break;
      case "notin":
        op = "NotIn";
        break;
      case "exists":
        op = "Exists";
        break;
      case "!":
        op = "DoesNotExist";
        break;
      case "gt":
      case "lt":
        throw new InvalidLabelSelectorError(`${goQuote(r.operator)} isn't supported in label selectors`);
      default:
        throw new InvalidLabelSelectorError(`${goQuote(r.operator)} is not a valid label selector operator`);
    }
    // Go's Values().List() is sorted and de-duplicated.
    const values = [...new Set(r.values)].sort(compareGoStrings);
    matchExpressions.push({ key: r.key, operator: op, values });
  }
  return { matchLabels, matchExpressions };
}

/** Go's SetAsLabelSelector: a label set as a LabelSelector with matchLabels only. */
export function setAsLabelSelector(set: Labels | undefined): LabelSelector | undefined {
  if (set === undefined) return undefined;
  return { matchLabels: { ...set } };
}

/** Go's FormatLabelSelector: the selector string, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(ps: LabelSelector | undefined | null): string {
  let s: string;
  try {
    s = labelSelectorAsSelector(ps).toString();
  } catch {
    return "<error>";
  }
  return s.length === 0 ? "<none>" : s;
}

/** Go's SingleObject: ListOptions that select one object by name at its resourceVersion. */
export function singleObject(meta: ObjectMeta): ListOptions {
  const o: ListOptions = { fieldSelector: oneTermEqualSelector("metadata.name", meta.name ?? "").toString() };
  if (meta.resourceVersion !== undefined && meta.resourceVersion !== "") o.resourceVersion = meta.resourceVersion;
  return o;
}

/** Go's NewDeleteOptions: a grace period in seconds. */
export function newDeleteOptions(gracePeriodSeconds: number): DeleteOptions {
  return { gracePeriodSeconds };
}

/** Go's NewPreconditionDeleteOptions: delete only if the UID matches. */
export function newPreconditionDeleteOptions(uid: string): DeleteOptions {
  return { preconditions: { uid } };
}

/** Go's NewUIDPreconditions. */
export function newUIDPreconditions(uid: string): Preconditions {
  return { uid };
}

/** Go's ExtractGroupVersions: every `group/version` of a discovery group list. */
export function extractGroupVersions(list: APIGroupList): string[] {
  return list.groups.flatMap((g) => g.versions.map((v) => v.groupVersion));
}
