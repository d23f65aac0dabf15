/**
 * API errors (k8s.io/apimachinery/pkg/api/errors): StatusError, its constructors and the
 * client-go predicates. Predicates look at `name === "StatusError"` and the Status inside,
 * never `instanceof`, and follow `cause` chains like Go's errors.As.
 */
import type { GroupKind, GroupResource } from "../schema/index.js";
import { groupKindToString, groupResourceToString, isEmptyGroupResource } from "../schema/index.js";
import { goQuote as quote } from "./go-format.js";
import type { CauseType, Status, StatusCause, StatusDetails, StatusReason } from "../meta/v1/types.js";

/** An error carrying a Kubernetes Status (what the API server returns on failure). */
export class StatusError extends Error {
  override readonly name = "StatusError" as const;
  /** The Status as received or built. */
  readonly status: Status;

  constructor(status: Status, options?: { cause?: unknown }) {
    super(status.message ?? "", options);
    this.status = status;
  }

  /** The HTTP status code of the Status (0 if unset). */
  get code(): number {
    return this.status.code ?? 0;
  }

  /** The Status reason (`""` if unset). */
  get reason(): StatusReason {
    return this.status.reason ?? "";
  }
}

/** Thrown by {@link fromObject} when the object is not a Status. */
export class UnexpectedObjectError extends Error {
  override readonly name = "UnexpectedObjectError" as const;
  readonly object: unknown;
  constructor(object: unknown) {
    super(`unexpected object: ${safeJSON(object)}`);
    this.object = object;
  }
}

function safeJSON(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Something that carries a Status: a StatusError, possibly from another copy of this package. */
export interface APIStatus {
  readonly name: "StatusError";
  readonly status: Status;
}

const KNOWN_REASONS: ReadonlySet<string> = new Set([
  "Unauthorized",
  "Forbidden",
  "NotFound",
  "AlreadyExists",
  "Conflict",
  "Gone",
  "Invalid",
  "ServerTimeout",
  "StorageReadError",
  "Timeout",
  "TooManyRequests",
  "BadRequest",
  "MethodNotAllowed",
  "NotAcceptable",
  "RequestEntityTooLarge",
  "UnsupportedMediaType",
  "InternalError",
  "Expired",
  "ServiceUnavailable",
]);

/** Finds the Status carried by `err` or by an error in its `cause` chain. */
export function apiStatusOf(err: unknown): Status | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 32 && e !== null && typeof e === "object"; depth++) {
    const o = e as { name?: unknown; status?: unknown; cause?: unknown };
    if (o.name === "StatusError" && o.status !== null && typeof o.status === "object") {
      return o.status as Status;
    }
    e = o.cause;
  }
  return undefined;
}

/** True if `err` (or its cause chain) carries a Status. */
export function isAPIStatus(err: unknown): err is APIStatus {
  return apiStatusOf(err) !== undefined;
}

function reasonAndCode(err: unknown): [StatusReason, number] {
  const s = apiStatusOf(err);
  if (s === undefined) return ["", 0];
  return [s.reason ?? "", s.code ?? 0];
}

function reasonOrUnknownCode(err: unknown, reason: string, code: number): boolean {
  const [r, c] = reasonAndCode(err);
  if (r === reason) return true;
  return !KNOWN_REASONS.has(r) && c === code;
}

/** The Status reason of `err`, or `""` (StatusReasonUnknown) if it carries no Status. */
export function reasonForError(err: unknown): StatusReason {
  return reasonAndCode(err)[0];
}

/** The StatusCause of the given type, if `err` carries one. */
export function statusCause(err: unknown, type: CauseType): StatusCause | undefined {
  const causes = apiStatusOf(err)?.details?.causes;
  if (causes === undefined) return undefined;
  for (const c of causes) {
    if ((c.reason ?? "") === type) return c;
  }
  return undefined;
}

/** Whether `err` carries a StatusCause of the given type. */
export function hasStatusCause(err: unknown, type: CauseType): boolean {
  return statusCause(err, type) !== undefined;
}

/**
 * Whether `err` carries reason `NotFound`, or HTTP code 404 with no known reason (client-go's
 * IsNotFound); checks `name` and `reason`, not `instanceof`.
 */
export function isNotFound(err: unknown): boolean {
  return reasonOrUnknownCode(err, "NotFound", 404);
}
/** Whether `err` carries reason `AlreadyExists` (a create of an existing name; client-go's IsAlreadyExists). */
export function isAlreadyExists(err: unknown): boolean {
  return reasonForError(err) === "AlreadyExists";
}
/**
 * Whether `err` carries reason `Conflict`, or HTTP code 409 with no known reason (client-go's
 * IsConflict); checks `name` and `reason`, not `instanceof`.
 */
export function isConflict(err: unknown): boolean {
  return reasonOrUnknownCode(err, "Conflict", 409);
}
/**
 * Whether `err` carries reason `Invalid`, or HTTP code 422 with no known reason (client-go's IsInvalid);
 * checks `name` and `reason`, not `instanceof`.
 */
export function isInvalid(err: unknown): boolean {
  return reasonOrUnknownCode(err, "Invalid", 422);
}
/**
 * Whether `err` carries reason `Gone`, or HTTP code 410 with no known reason (client-go's IsGone);
 * checks `name` and `reason`, not `instanceof`.
 */
export function isGone(err: unknown): boolean {
  return reasonOrUnknownCode(err, "Gone", 410);
}
/**
 * Whether `err` carries reason `Expired`: a resourceVersion or continue token too old to serve
 * (client-go's IsResourceExpired).
 */
export function isResourceExpired(err: unknown): boolean {
  return reasonForError(err) === "Expired";
}
/**
 * Whether `err` carries reason `NotAcceptable`, or HTTP code 406 with no known reason (client-go's
 * IsNotAcceptable); checks `name` and `reason`, not `instanceof`.
 */
export function isNotAcceptable(err: unknown): boolean {
  return reasonOrUnknownCode(err, "NotAcceptable", 406);
}
/**
 * Whether `err` carries reason `UnsupportedMediaType`, or HTTP code 415 with no known reason
 * (client-go's IsUnsupportedMediaType); checks `name` and `reason`, not `instanceof`.
 */
export function isUnsupportedMediaType(err: unknown): boolean {
  return reasonOrUnknownCode(err, "UnsupportedMediaType", 415);
}
/**
 * Whether `err` carries reason `MethodNotAllowed`, or HTTP code 405 with no known reason (client-go's
 * IsMethodNotSupported); checks `name` and `reason`, not `instanceof`.
 */
export function isMethodNotSupported(err: unknown): boolean {
  return reasonOrUnknownCode(err, "MethodNotAllowed", 405);
}
/**
 * Whether `err` carries reason `ServiceUnavailable`, or HTTP code 503 with no known reason (client-go's
 * IsServiceUnavailable); checks `name` and `reason`, not `instanceof`.
 */
export function isServiceUnavailable(err: unknown): boolean {
  return reasonOrUnknownCode(err, "ServiceUnavailable", 503);
}
/**
 * Whether `err` carries reason `BadRequest`, or HTTP code 400 with no known reason (client-go's
 * IsBadRequest); checks `name` and `reason`, not `instanceof`.
 */
export function isBadRequest(err: unknown): boolean {
  return reasonOrUnknownCode(err, "BadRequest", 400);
}
/**
 * Whether `err` carries reason `Unauthorized`, or HTTP code 401 with no known reason (client-go's
 * IsUnauthorized); checks `name` and `reason`, not `instanceof`.
 */
export function isUnauthorized(err: unknown): boolean {
  return reasonOrUnknownCode(err, "Unauthorized", 401);
}
/**
 * Whether `err` carries reason `Forbidden`, or HTTP code 403 with no known reason (client-go's
 * IsForbidden); checks `name` and `reason`, not `instanceof`.
 */
export function isForbidden(err: unknown): boolean {
  return reasonOrUnknownCode(err, "Forbidden", 403);
}
/**
 * Whether `err` carries reason `Timeout`, or HTTP code 504 with no known reason (client-go's IsTimeout);
 * checks `name` and `reason`, not `instanceof`.
 */
export function isTimeout(err: unknown): boolean {
  return reasonOrUnknownCode(err, "Timeout", 504);
}
/**
 * Whether `err` carries reason `ServerTimeout`: the server could not finish in time and the request may
 * be retried.
 */
export function isServerTimeout(err: unknown): boolean {
  return reasonForError(err) === "ServerTimeout";
}
/**
 * Whether `err` carries reason `InternalError`, or HTTP code 500 with no known reason (client-go's
 * IsInternalError); checks `name` and `reason`, not `instanceof`.
 */
export function isInternalError(err: unknown): boolean {
  return reasonOrUnknownCode(err, "InternalError", 500);
}
/** Unlike most predicates, a 429 code counts whatever the reason (as Go). */
export function isTooManyRequests(err: unknown): boolean {
  const [r, c] = reasonAndCode(err);
  return r === "TooManyRequests" || c === 429;
}
/** A 413 code counts whatever the reason (as Go). */
export function isRequestEntityTooLargeError(err: unknown): boolean {
  const [r, c] = reasonAndCode(err);
  return r === "RequestEntityTooLarge" || c === 413;
}
/** Whether `err` carries reason `StorageReadError`: the server could not read the object from etcd. */
export function isStoreReadError(err: unknown): boolean {
  return reasonForError(err) === "StorageReadError";
}
/** Whether the server's response was not a Status (cause UnexpectedServerResponse). */
export function isUnexpectedServerError(err: unknown): boolean {
  return hasStatusCause(err, "UnexpectedServerResponse");
}
/**
 * Whether `err`, or an error in its `cause` chain, is an UnexpectedObjectError (an ERROR watch event
 * that held no Status).
 */
export function isUnexpectedObjectError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 32 && e !== null && typeof e === "object"; depth++) {
    const o = e as { name?: unknown; cause?: unknown };
    if (o.name === "UnexpectedObjectError") return true;
    e = o.cause;
  }
  return false;
}

/**
 * Go's SuggestsClientDelay: the seconds the server asked the client to wait, if any.
 * A ServerTimeout reason always suggests a delay (possibly 0); otherwise a positive
 * retryAfterSeconds does.
 */
export function suggestsClientDelay(err: unknown): number | undefined {
  const s = apiStatusOf(err);
  if (s === undefined || s.details === undefined) return undefined;
  const after = s.details.retryAfterSeconds ?? 0;
  if (s.reason === "ServerTimeout") return after;
  if (after > 0) return after;
  return undefined;
}

/**
 * Go's FromObject: a StatusError for an object of kind Status with apiVersion `v1` or
 * `meta.k8s.io/v1`; otherwise an UnexpectedObjectError (returned, not thrown).
 */
export function fromObject(obj: unknown): StatusError | UnexpectedObjectError {
  if (obj !== null && typeof obj === "object") {
    const o = obj as Status;
    if (o.kind === "Status" && (o.apiVersion === "v1" || o.apiVersion === "meta.k8s.io/v1")) {
      return new StatusError(o);
    }
  }
  return new UnexpectedObjectError(obj);
}

// ---- constructors -----------------------------------------------------------

// Properties are created in the order of Go's struct fields, so JSON.stringify of a Status
// built here has Go's field order.
function failure(code: number, reason: StatusReason, message: string, details?: StatusDetails): StatusError {
  const status: Status = { metadata: {}, status: "Failure" };
  if (message !== "") status.message = message;
  if (reason !== "") status.reason = reason;
  if (details !== undefined) status.details = details;
  status.code = code;
  return new StatusError(status);
}

function details(gr: GroupResource, name: string, extra?: Partial<StatusDetails>): StatusDetails {
  const d: StatusDetails = {};
  if (name !== "") d.name = name;
  if (gr.group !== "") d.group = gr.group;
  if (gr.resource !== "") d.kind = gr.resource;
  if (extra?.causes !== undefined) d.causes = extra.causes;
  if (extra?.retryAfterSeconds !== undefined && extra.retryAfterSeconds !== 0) d.retryAfterSeconds = extra.retryAfterSeconds;
  return d;
}

function errText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === "object" && err !== null && typeof (err as { message?: unknown }).message === "string") {
    return (err as { message: string }).message;
  }
  return String(err);
}

/** A 404 NotFound StatusError for `name` of a resource, worded as the API server words it. */
export function newNotFound(qualifiedResource: GroupResource, name: string): StatusError {
  return failure(404, "NotFound", `${groupResourceToString(qualifiedResource)} ${quote(name)} not found`,
    details(qualifiedResource, name));
}

/** A 409 AlreadyExists StatusError for `name` of a resource. */
export function newAlreadyExists(qualifiedResource: GroupResource, name: string): StatusError {
  return failure(409, "AlreadyExists", `${groupResourceToString(qualifiedResource)} ${quote(name)} already exists`,
    details(qualifiedResource, name));
}

/** A 409 AlreadyExists StatusError for a `generateName` that produced a taken name, with a retry hint. */
export function newGenerateNameConflict(qualifiedResource: GroupResource, name: string, retryAfterSeconds: number): StatusError {
  return failure(
    409,
    "AlreadyExists",
    `${groupResourceToString(qualifiedResource)} ${quote(name)} already exists, the server was not able to generate a unique name for the object`,
    details(qualifiedResource, name, retryAfterSeconds !== 0 ? { retryAfterSeconds } : undefined),
  );
}

/** A 401 Unauthorized StatusError; `reason` is the message ("not authorized" when empty). */
export function newUnauthorized(reason: string): StatusError {
  return failure(401, "Unauthorized", reason.length === 0 ? "not authorized" : reason);
}

/**
 * A 403 Forbidden StatusError for `name` of a resource (all names when empty), with `err` as the
 * explanation.
 */
export function newForbidden(qualifiedResource: GroupResource, name: string, err: unknown): StatusError {
  const e = errText(err);
  let message: string;
  if (isEmptyGroupResource(qualifiedResource)) message = `forbidden: ${e}`;
  else if (name === "") message = `${groupResourceToString(qualifiedResource)} is forbidden: ${e}`;
  else message = `${groupResourceToString(qualifiedResource)} ${quote(name)} is forbidden: ${e}`;
  return failure(403, "Forbidden", message, details(qualifiedResource, name));
}

/** A 409 Conflict StatusError ("Operation cannot be fulfilled on ..."), as for a stale resourceVersion. */
export function newConflict(qualifiedResource: GroupResource, name: string, err: unknown): StatusError {
  return failure(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${groupResourceToString(qualifiedResource)} ${quote(name)}: ${errText(err)}`,
    details(qualifiedResource, name),
  );
}

/** A 409 Conflict StatusError of server-side apply, listing the conflicting fields as causes. */
export function newApplyConflict(causes: StatusCause[], message: string): StatusError {
  return failure(409, "Conflict", message, causes.length > 0 ? { causes } : {});
}

/** A 410 Gone StatusError with the given message. */
export function newGone(message: string): StatusError {
  return failure(410, "Gone", message);
}

/** A 410 StatusError with reason `Expired`: the requested resourceVersion is no longer available. */
export function newResourceExpired(message: string): StatusError {
  return failure(410, "Expired", message);
}

/**
 * One field validation error, as used by {@link newInvalid}. `detail` is the error body
 * Go's field.Error.ErrorBody() would produce, e.g. `Invalid value: "x": must be lower case`.
 */
export interface FieldErrorLike {
  type: CauseType;
  field: string;
  detail: string;
}

/** A 422 Invalid StatusError for `name` of a kind, one cause per field error, with the API server's message. */
export function newInvalid(qualifiedKind: GroupKind, name: string, errs: readonly FieldErrorLike[]): StatusError {
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: e.detail, field: e.field }));
  const d: StatusDetails = {};
  if (name !== "") d.name = name;
  if (qualifiedKind.group !== "") d.group = qualifiedKind.group;
  if (qualifiedKind.kind !== "") d.kind = qualifiedKind.kind;
  if (causes.length > 0) d.causes = causes;
  let message = `${groupKindToString(qualifiedKind)} ${quote(name)} is invalid`;
  if (errs.length > 0) {
    const seen = new Set<string>();
    for (const e of errs) seen.add(`${e.field}: ${e.detail}`);
    const parts = [...seen];
    message += `: ${parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`}`;
  }
  return failure(422, "Invalid", message, d);
}

/** A 400 BadRequest StatusError; `reason` is the message. */
export function newBadRequest(reason: string): StatusError {
  return failure(400, "BadRequest", reason);
}

/** A 429 TooManyRequests StatusError telling the client to retry after `retryAfterSeconds` (0: no hint). */
export function newTooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return failure(429, "TooManyRequests", message, retryAfterSeconds !== 0 ? { retryAfterSeconds } : {});
}

/** A 503 ServiceUnavailable StatusError; `reason` is the message. */
export function newServiceUnavailable(reason: string): StatusError {
  return failure(503, "ServiceUnavailable", reason);
}

/** A 405 MethodNotAllowed StatusError: `action` is not supported on the resource. */
export function newMethodNotSupported(qualifiedResource: GroupResource, action: string): StatusError {
  return failure(
    405,
    "MethodNotAllowed",
    `${action} is not supported on resources of kind ${quote(groupResourceToString(qualifiedResource))}`,
    details(qualifiedResource, ""),
  );
}

/**
 * A 500 ServerTimeout StatusError: `operation` on the resource did not finish in time; retry after
 * `retryAfterSeconds`.
 */
export function newServerTimeout(qualifiedResource: GroupResource, operation: string, retryAfterSeconds: number): StatusError {
  return failure(
    500,
    "ServerTimeout",
    `The ${operation} operation against ${groupResourceToString(qualifiedResource)} could not be completed at this time, please try again.`,
    details(qualifiedResource, operation, retryAfterSeconds !== 0 ? { retryAfterSeconds } : undefined),
  );
}

/** {@link newServerTimeout} for a kind instead of a resource. */
export function newServerTimeoutForKind(qualifiedKind: GroupKind, operation: string, retryAfterSeconds: number): StatusError {
  return newServerTimeout({ group: qualifiedKind.group, resource: qualifiedKind.kind }, operation, retryAfterSeconds);
}

/** A 500 InternalError StatusError wrapping `err` (kept as `cause` when it is an Error). */
export function newInternalError(err: unknown): StatusError {
  const e = errText(err);
  const s = failure(500, "InternalError", `Internal error occurred: ${e}`, { causes: [{ message: e }] });
  return err instanceof Error ? new StatusError(s.status, { cause: err }) : s;
}

/** A 504 Timeout StatusError: the request timed out; retry after `retryAfterSeconds` (0: no hint). */
export function newTimeoutError(message: string, retryAfterSeconds: number): StatusError {
  return failure(504, "Timeout", `Timeout: ${message}`, retryAfterSeconds !== 0 ? { retryAfterSeconds } : {});
}

/** A 429 TooManyRequests StatusError without a retry hint ("Too many requests: ..."). */
export function newTooManyRequestsError(message: string): StatusError {
  return failure(429, "TooManyRequests", `Too many requests: ${message}`);
}

/** A 413 RequestEntityTooLarge StatusError: the request body was larger than the server accepts. */
export function newRequestEntityTooLargeError(message: string): StatusError {
  return failure(413, "RequestEntityTooLarge", `Request entity too large: ${message}`);
}

/**
 * Go's NewGenericServerResponse: a StatusError for an HTTP response that carried no Status.
 * `verb` is the HTTP method (e.g. "POST"); a 409 on POST becomes AlreadyExists.
 */
export function newGenericServerResponse(
  code: number,
  verb: string,
  qualifiedResource: GroupResource,
  name: string,
  serverMessage: string,
  retryAfterSeconds: number,
  isUnexpectedResponse: boolean,
): StatusError {
  let reason: StatusReason = "";
  let message = `the server responded with the status code ${code} but did not return more information`;
  switch (code) {
    case 409:
      reason = verb === "POST" ? "AlreadyExists" : "Conflict";
      message = "the server reported a conflict";
      break;
    case 404:
      reason = "NotFound";
      message = "the server could not find the requested resource";
      break;
    case 400:
      reason = "BadRequest";
      message = "the server rejected our request for an unknown reason";
      break;
    case 401:
      reason = "Unauthorized";
      message = "the server has asked for the client to provide credentials";
      break;
    case 403:
      reason = "Forbidden";
      message = serverMessage;
      break;
    case 406:
      reason = "NotAcceptable";
      message =
        serverMessage.length === 0 || serverMessage === "unknown"
          ? "the server was unable to respond with a content type that the client supports"
          : serverMessage;
      break;
    case 415:
      reason = "UnsupportedMediaType";
      message = serverMessage;
      break;
    case 405:
      reason = "MethodNotAllowed";
      message = "the server does not allow this method on the requested resource";
      break;
    case 422:
      reason = "Invalid";
      message = "the server rejected our request due to an error in our request";
      break;
    case 503:
      reason = "ServiceUnavailable";
      message = "the server is currently unable to handle the request";
      break;
    case 504:
      reason = "Timeout";
      message = "the server was unable to return a response in the time allotted, but may still be processing the request";
      break;
    case 429:
      reason = "TooManyRequests";
      message = "the server has received too many requests and has asked us to try again later";
      break;
    default:
      if (code >= 500) {
        reason = "InternalError";
        message = `an error on the server (${quote(serverMessage)}) has prevented the request from succeeding`;
      }
  }
  if (!isEmptyGroupResource(qualifiedResource)) {
    const what = groupResourceToString(qualifiedResource);
    message = name.length > 0 ? `${message} (${verb.toLowerCase()} ${what} ${name})` : `${message} (${verb.toLowerCase()} ${what})`;
  }
  const extra: Partial<StatusDetails> = {};
  if (isUnexpectedResponse) extra.causes = [{ reason: "UnexpectedServerResponse", message: serverMessage }];
  if (retryAfterSeconds !== 0) extra.retryAfterSeconds = retryAfterSeconds;
  return failure(code, reason, message, details(qualifiedResource, name, extra));
}
