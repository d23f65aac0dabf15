/**
 * The one error every patch function in `@kubets/apimachinery/patch` raises, with a `reason` telling
 * the kinds apart (client-go's mergepatch errors): `BadPatch` (a malformed patch or document, or a
 * field the schema does not have), `Conflict` (a three-way patch that would overwrite a change made
 * since the original, mergepatch.ErrConflict), `PreconditionFailed` (a precondition function
 * rejected the patch), `TestFailed` (a JSON patch `test` operation), `TooLarge` (a configured bound).
 */
export type PatchErrorReason = "BadPatch" | "Conflict" | "PreconditionFailed" | "TestFailed" | "TooLarge";

export class PatchError extends Error {
  override readonly name = "PatchError" as const;
  readonly reason: PatchErrorReason;

  constructor(message: string, reason: PatchErrorReason = "BadPatch", options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/** True for a PatchError from any copy of @kubets/apimachinery. */
export function isPatchError(err: unknown): err is PatchError {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "PatchError";
}

/** mergepatch.IsConflict: a three-way patch conflicts with changes made since the original. */
export function isPatchConflict(err: unknown): boolean {
  return isPatchError(err) && err.reason === "Conflict";
}

/** mergepatch.IsPreconditionFailed. */
export function isPreconditionFailed(err: unknown): boolean {
  return isPatchError(err) && err.reason === "PreconditionFailed";
}
