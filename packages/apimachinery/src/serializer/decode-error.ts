/**
 * Raised by every decoder in kubets (JSON, YAML, protobuf, watch framers) when its input cannot be
 * decoded. `path` names the field being read when it is known (for example `items[3].metadata.labels`),
 * `offset` the byte offset in the input.
 */
export class DecodeError extends Error {
  override readonly name = "DecodeError" as const;
  readonly path: string | undefined;
  readonly offset: number | undefined;

  constructor(message: string, options: { path?: string; offset?: number; cause?: unknown } = {}) {
    const where = [
      options.path !== undefined ? `at ${options.path}` : undefined,
      options.offset !== undefined ? `(byte ${options.offset})` : undefined,
    ]
      .filter((s) => s !== undefined)
      .join(" ");
    super(where ? `${message} ${where}` : message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.path = options.path;
    this.offset = options.offset;
  }
}

/** True for a DecodeError from any copy of @kubets/apimachinery. */
export function isDecodeError(err: unknown): err is DecodeError {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "DecodeError";
}
