/**
 * Where errors go that nobody can return to a caller (a failing event handler, a watch that
 * ended badly): client-go's utilruntime.HandleError. Replaceable for tests and applications.
 */
export type ErrorHandler = (err: unknown, message: string) => void;

let current: ErrorHandler = (err, message) => {
  console.error(`kubets/informers: ${message}:`, err);
};

/** Replaces the process-wide handler for background errors and returns the previous one. */
export function setErrorHandler(handler: ErrorHandler): ErrorHandler {
  const prev = current;
  current = handler;
  return prev;
}

/** Reports an error that has no caller to return to. Never throws. */
export function handleError(err: unknown, message: string): void {
  try {
    current(err, message);
  } catch {
    // A broken error handler must not break the informer.
  }
}
