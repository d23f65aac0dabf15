import { describe, expect, it } from "vitest";
import {
  StatusError,
  fromObject,
  hasStatusCause,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isGone,
  isInternalError,
  isInvalid,
  isMethodNotSupported,
  isNotAcceptable,
  isNotFound,
  isResourceExpired,
  isServerTimeout,
  isServiceUnavailable,
  isTimeout,
  isTooManyRequests,
  isUnauthorized,
  isUnexpectedObjectError,
  isUnexpectedServerError,
  isUnsupportedMediaType,
  newAlreadyExists,
  newBadRequest,
  newConflict,
  newForbidden,
  newGenericServerResponse,
  newGone,
  newInternalError,
  newInvalid,
  newMethodNotSupported,
  newNotFound,
  newResourceExpired,
  newServerTimeout,
  newServiceUnavailable,
  newTimeoutError,
  newTooManyRequests,
  newUnauthorized,
  reasonForError,
  suggestsClientDelay,
} from "../src/errors/index.js";

const pods = { group: "", resource: "pods" };
const deployments = { group: "apps", resource: "deployments" };

describe("StatusError", () => {
  it("exposes status, code, reason and a literal name", () => {
    const e = newNotFound(deployments, "web");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("StatusError");
    expect(e.message).toBe('deployments.apps "web" not found');
    expect(e.code).toBe(404);
    expect(e.reason).toBe("NotFound");
    expect(e.status).toEqual({
      metadata: {},
      status: "Failure",
      code: 404,
      reason: "NotFound",
      message: 'deployments.apps "web" not found',
      details: { group: "apps", kind: "deployments", name: "web" },
    });
    // Same field order as Go's encoding/json output of metav1.Status.
    expect(JSON.stringify(e.status)).toBe(
      '{"metadata":{},"status":"Failure","message":"deployments.apps \\"web\\" not found","reason":"NotFound","details":{"name":"web","group":"apps","kind":"deployments"},"code":404}',
    );
  });
  it("builds Go's messages", () => {
    expect(newAlreadyExists(pods, "a").message).toBe('pods "a" already exists');
    expect(newConflict(pods, "a", new Error("the object has been modified")).message).toBe(
      'Operation cannot be fulfilled on pods "a": the object has been modified',
    );
    expect(newForbidden(pods, "a", new Error("nope")).message).toBe('pods "a" is forbidden: nope');
    expect(newForbidden(pods, "", new Error("nope")).message).toBe("pods is forbidden: nope");
    expect(newForbidden({ group: "", resource: "" }, "", new Error("nope")).message).toBe("forbidden: nope");
    expect(newUnauthorized("").message).toBe("not authorized");
    expect(newMethodNotSupported(deployments, "proxy").message).toBe(
      'proxy is not supported on resources of kind "deployments.apps"',
    );
    expect(newServerTimeout(pods, "list", 3).message).toBe(
      "The list operation against pods could not be completed at this time, please try again.",
    );
    expect(newInternalError(new Error("boom")).message).toBe("Internal error occurred: boom");
    expect(newTimeoutError("slow", 0).message).toBe("Timeout: slow");
    expect(
      newInvalid({ group: "apps", kind: "Deployment" }, "web", [
        { type: "FieldValueRequired", field: "spec.replicas", detail: "Required value" },
        { type: "FieldValueInvalid", field: "metadata.name", detail: 'Invalid value: "X": bad' },
      ]).message,
    ).toBe('Deployment.apps "web" is invalid: [spec.replicas: Required value, metadata.name: Invalid value: "X": bad]');
    expect(newInvalid({ group: "", kind: "Pod" }, "p", []).message).toBe('Pod "p" is invalid');
    expect(newNotFound(pods, 'we"ird\n').message).toBe('pods "we\\"ird\\n" not found');
  });
});

describe("predicates", () => {
  const cases: [StatusError, (e: unknown) => boolean][] = [
    [newNotFound(pods, "a"), isNotFound],
    [newAlreadyExists(pods, "a"), isAlreadyExists],
    [newConflict(pods, "a", "x"), isConflict],
    [newInvalid({ group: "", kind: "Pod" }, "a", []), isInvalid],
    [newGone("g"), isGone],
    [newResourceExpired("e"), isResourceExpired],
    [newForbidden(pods, "a", "x"), isForbidden],
    [newUnauthorized("u"), isUnauthorized],
    [newTooManyRequests("t", 1), isTooManyRequests],
    [newTimeoutError("t", 1), isTimeout],
    [newServerTimeout(pods, "get", 1), isServerTimeout],
    [newBadRequest("b"), isBadRequest],
    [newMethodNotSupported(pods, "x"), isMethodNotSupported],
    [newServiceUnavailable("s"), isServiceUnavailable],
    [newInternalError(new Error("i")), isInternalError],
  ];
  it("each constructor satisfies its predicate and no other reason-only one", () => {
    for (const [err, pred] of cases) {
      expect(pred(err)).toBe(true);
      expect(pred(new Error(err.message))).toBe(false);
      expect(pred(undefined)).toBe(false);
    }
    expect(isNotFound(newAlreadyExists(pods, "a"))).toBe(false);
    expect(isConflict(newAlreadyExists(pods, "a"))).toBe(false);
  });
  it("falls back to the code only when the reason is unknown", () => {
    const unknown404 = new StatusError({ code: 404, reason: "SomethingNew" });
    expect(isNotFound(unknown404)).toBe(true);
    const known404 = new StatusError({ code: 404, reason: "Conflict" });
    expect(isNotFound(known404)).toBe(false);
    expect(isConflict(new StatusError({ code: 409 }))).toBe(true);
    expect(isInvalid(new StatusError({ code: 422 }))).toBe(true);
    expect(isGone(new StatusError({ code: 410 }))).toBe(true);
    expect(isNotAcceptable(new StatusError({ code: 406 }))).toBe(true);
    expect(isUnsupportedMediaType(new StatusError({ code: 415 }))).toBe(true);
    expect(isInternalError(new StatusError({ code: 500 }))).toBe(true);
    expect(isTimeout(new StatusError({ code: 504 }))).toBe(true);
    // AlreadyExists, Expired and ServerTimeout have no code fallback.
    expect(isResourceExpired(new StatusError({ code: 410 }))).toBe(false);
    expect(isServerTimeout(new StatusError({ code: 500 }))).toBe(false);
    // TooManyRequests accepts 429 even with a known, different reason.
    expect(isTooManyRequests(new StatusError({ code: 429, reason: "Forbidden" }))).toBe(true);
  });
  it("works across copies (duck typed by name) and through cause chains", () => {
    const foreign = Object.assign(new Error("x"), { name: "StatusError", status: { reason: "NotFound", code: 404 } });
    expect(isNotFound(foreign)).toBe(true);
    const wrapped = new Error("outer", { cause: new Error("mid", { cause: newConflict(pods, "a", "x") }) });
    expect(isConflict(wrapped)).toBe(true);
    expect(reasonForError(wrapped)).toBe("Conflict");
    expect(reasonForError(new Error("plain"))).toBe("");
  });
});

describe("causes and delays", () => {
  it("hasStatusCause matches the cause type (JSON field reason)", () => {
    const e = newInvalid({ group: "", kind: "Pod" }, "a", [{ type: "FieldValueRequired", field: "x", detail: "Required value" }]);
    expect(hasStatusCause(e, "FieldValueRequired")).toBe(true);
    expect(hasStatusCause(e, "FieldValueInvalid")).toBe(false);
  });
  it("suggestsClientDelay follows Go", () => {
    expect(suggestsClientDelay(newServerTimeout(pods, "get", 0))).toBe(0);
    expect(suggestsClientDelay(newServerTimeout(pods, "get", 7))).toBe(7);
    expect(suggestsClientDelay(newTooManyRequests("t", 3))).toBe(3);
    expect(suggestsClientDelay(newTooManyRequests("t", 0))).toBeUndefined();
    expect(suggestsClientDelay(newBadRequest("b"))).toBeUndefined();
    expect(suggestsClientDelay(new Error("x"))).toBeUndefined();
  });
  it("newGenericServerResponse maps codes like Go", () => {
    const e = newGenericServerResponse(409, "POST", pods, "a", "", 0, false);
    expect(e.reason).toBe("AlreadyExists");
    expect(e.message).toBe("the server reported a conflict (post pods a)");
    const u = newGenericServerResponse(502, "GET", deployments, "", "bad gateway", 2, true);
    expect(u.reason).toBe("InternalError");
    expect(u.message).toBe('an error on the server ("bad gateway") has prevented the request from succeeding (get deployments.apps)');
    expect(isUnexpectedServerError(u)).toBe(true);
    expect(suggestsClientDelay(u)).toBe(2);
    const teapot = newGenericServerResponse(418, "GET", { group: "", resource: "" }, "", "", 0, false);
    expect(teapot.reason).toBe("");
    expect(teapot.message).toBe("the server responded with the status code 418 but did not return more information");
  });
  it("fromObject accepts only Status objects", () => {
    const s = fromObject({ apiVersion: "v1", kind: "Status", reason: "NotFound", code: 404, message: "m" });
    expect(isNotFound(s)).toBe(true);
    const other = fromObject({ apiVersion: "v1", kind: "Pod" });
    expect(other.name).toBe("UnexpectedObjectError");
    expect(isUnexpectedObjectError(other)).toBe(true);
  });
});
