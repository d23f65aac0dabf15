/** Errors of the runtime area, each with a literal `name`, and their predicates. */
import type { GroupVersionKind } from "../schema/index.js";
import { groupVersionToString } from "../schema/index.js";
import { goQuote } from "../errors/go-format.js";

/** A kind (or version) is not registered in a Scheme. */
export class NotRegisteredError extends Error {
  override readonly name = "NotRegisteredError" as const;
  readonly gvk: GroupVersionKind;
  readonly schemeName: string;
  constructor(gvk: GroupVersionKind, schemeName: string) {
    const gv = goQuote(groupVersionToString(gvk));
    super(
      gvk.kind.length === 0
        ? `no version ${gv} has been registered in scheme ${goQuote(schemeName)}`
        : `no kind ${goQuote(gvk.kind)} is registered for version ${gv} in scheme ${goQuote(schemeName)}`,
    );
    this.gvk = gvk;
    this.schemeName = schemeName;
  }
}

/** An object has no `kind`. */
export class MissingKindError extends Error {
  override readonly name = "MissingKindError" as const;
  constructor(data: string) {
    super(`Object 'Kind' is missing in '${data}'`);
  }
}

/** An object has no `apiVersion`. */
export class MissingVersionError extends Error {
  override readonly name = "MissingVersionError" as const;
  constructor(data: string) {
    super(`Object 'apiVersion' is missing in '${data}'`);
  }
}

/** A nested field of unstructured content has an unexpected type (Go's accessor errors). */
export class UnstructuredFieldError extends Error {
  override readonly name = "UnstructuredFieldError" as const;
  /** The field path, e.g. `.spec.replicas`. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

/** A value cannot be represented as JSON (a function, symbol, bigint out of range, class instance, cycle). */
export class NonJSONValueError extends Error {
  override readonly name = "NonJSONValueError" as const;
  constructor(message: string) {
    super(message);
  }
}

/** A Scheme registration conflicts with an earlier one. */
export class SchemeRegistrationError extends Error {
  override readonly name = "SchemeRegistrationError" as const;
  constructor(message: string) {
    super(message);
  }
}

function hasName(err: unknown, name: string): boolean {
  let e: unknown = err;
  for (let i = 0; i < 32 && e !== null && typeof e === "object"; i++) {
    if ((e as { name?: unknown }).name === name) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Whether `err` is a NotRegisteredError: the Scheme knows no type for the kind or version asked. */
export function isNotRegisteredError(err: unknown): boolean {
  return hasName(err, "NotRegisteredError");
}
/** Whether `err` is a MissingKindError: the object has no `kind`. */
export function isMissingKind(err: unknown): boolean {
  return hasName(err, "MissingKindError");
}
/** Whether `err` is a MissingVersionError: the object has no `apiVersion` version. */
export function isMissingVersion(err: unknown): boolean {
  return hasName(err, "MissingVersionError");
}
