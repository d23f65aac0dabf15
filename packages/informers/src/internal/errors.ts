import { loggerFor } from "@kubets/apimachinery/log";

/**
 * Where errors go that nobody can return to a caller (a failing event handler, a watch that
 * ended badly): client-go's utilruntime.HandleError.
 * @deprecated Set a logger with `setLogger(logger, "informers")` from `@kubets/apimachinery/log`.
 */
export type ErrorHandler = (err: unknown, message: string) => void;

const log = loggerFor("informers");
const toLogger: ErrorHandler = (err, message) => log.error(message, { err });
let current: ErrorHandler = toLogger;

/**
 * Replaces the process-wide handler for background errors and returns the previous one. By default
 * they go to the shared logger ("informers" component) at error level.
 * @deprecated Use `setLogger(logger, "informers")` from `@kubets/apimachinery/log`; a handler set
 * here still receives every error instead of the logger.
 */
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
