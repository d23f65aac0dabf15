/**
 * Raised when a kubeconfig, the in-cluster environment or a credential plugin cannot produce a usable
 * client configuration. The message names the file and the field at fault and what to do about it; it
 * never contains a token, a password or a private key.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError" as const;
  /** The kubeconfig (or mounted) file at fault, when there is one. */
  readonly file: string | undefined;
  /** The field at fault, in kubeconfig spelling (for example `users[alice].client-key`). */
  readonly field: string | undefined;

  constructor(
    message: string,
    options: { file?: string | undefined; field?: string | undefined; fix?: string | undefined; cause?: unknown } = {},
  ) {
    let text = options.field !== undefined ? `${options.field}: ${message}` : message;
    if (options.file !== undefined) text += ` (in ${options.file})`;
    if (options.fix !== undefined) text += `. Fix: ${options.fix}`;
    super(text, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.file = options.file;
    this.field = options.field;
  }
}

/** True for a ConfigError from any copy of @kubets/client. */
export function isConfigError(err: unknown): err is ConfigError {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "ConfigError";
}
