/**
 * client-go's tools/reference: an ObjectReference to an object, optionally to a field of it
 * (`fieldPath`, e.g. `spec.containers{web}`), as events and owner-less links use them.
 */
import type { ObjectReference } from "@kubets/api/core/v1";

/** An object in the API's JSON shape (typed or unstructured) or an ObjectReference. */
export type ReferenceSubject =
  | { apiVersion?: string | undefined; kind?: string | undefined; metadata?: { name?: string | undefined; namespace?: string | undefined; uid?: string | undefined; resourceVersion?: string | undefined } | undefined }
  | ObjectReference;

/** Options of {@link getReference}. */
export interface GetReferenceOptions {
  /** A field of the object the reference points at (client-go GetPartialReference), e.g. `spec.containers{web}`. */
  fieldPath?: string;
  /**
   * The object's apiVersion and kind when it does not carry them (objects from typed lists and
   * informers have none; Go finds them through the Scheme by Go type).
   */
  apiVersion?: string;
  kind?: string;
}

/** Why a reference could not be built. */
export class ObjectReferenceError extends Error {
  override readonly name = "ObjectReferenceError" as const;
}

/** Whether `err` is an ObjectReferenceError (by name, so two copies of the package agree). */
export function isObjectReferenceError(err: unknown): err is ObjectReferenceError {
  return err instanceof Error && err.name === "ObjectReferenceError";
}

function isObjectReference(obj: object): obj is ObjectReference {
  return !("metadata" in obj) && ("name" in obj || "uid" in obj || "fieldPath" in obj);
}

/**
 * client-go's GetReference (and GetPartialReference with `fieldPath`): kind, apiVersion, name,
 * namespace, uid and resourceVersion of `obj`. An ObjectReference is returned as it is (with the
 * fieldPath set when given). Throws {@link ObjectReferenceError} when the kind is unknown (neither on
 * the object nor in the options) or the object has no metadata.
 */
export function getReference(obj: ReferenceSubject, options: GetReferenceOptions = {}): ObjectReference {
  if (obj === null || typeof obj !== "object") throw new ObjectReferenceError("object is nil: cannot build a reference to nothing");
  let ref: ObjectReference;
  if (isObjectReference(obj)) {
    ref = { ...obj };
  } else {
    const o = obj as Exclude<ReferenceSubject, ObjectReference>;
    const kind = o.kind || options.kind;
    const apiVersion = o.apiVersion || options.apiVersion;
    if (!kind || apiVersion === undefined) {
      throw new ObjectReferenceError(
        `object ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name ?? "<unnamed>"} has no kind and apiVersion: set them on the object or pass { kind, apiVersion } (objects from typed lists and informers do not carry them)`,
      );
    }
    if (o.metadata === undefined) throw new ObjectReferenceError(`${kind} object has no metadata: cannot build a reference to it`);
    ref = { kind, apiVersion };
    const m = o.metadata;
    if (m.name) ref.name = m.name;
    if (m.namespace) ref.namespace = m.namespace;
    if (m.uid) ref.uid = m.uid;
    if (m.resourceVersion) ref.resourceVersion = m.resourceVersion;
  }
  if (options.fieldPath !== undefined) ref.fieldPath = options.fieldPath;
  return ref;
}

/** client-go's GetPartialReference: {@link getReference} pointing at `fieldPath` within the object. */
export function getPartialReference(obj: ReferenceSubject, fieldPath: string, options: Omit<GetReferenceOptions, "fieldPath"> = {}): ObjectReference {
  return getReference(obj, { ...options, fieldPath });
}
