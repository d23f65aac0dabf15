/** Raised when the control plane cannot be provisioned, started or stopped. The message says what to do. */
export class TestEnvError extends Error {
  override readonly name = "TestEnvError" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
