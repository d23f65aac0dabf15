/** Resolves after `ms` milliseconds, or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** A promise that resolves when `signal` aborts, with a function to drop the listener. */
export function abortPromise(signal: AbortSignal): { promise: Promise<void>; dispose: () => void } {
  let dispose = (): void => {};
  const promise = new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const on = (): void => resolve();
    signal.addEventListener("abort", on, { once: true });
    dispose = () => signal.removeEventListener("abort", on);
  });
  return { promise, dispose };
}

/** A promise with its resolve function exposed. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  settled: boolean;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const d: Deferred<T> = {
    promise: new Promise<T>((r) => {
      resolve = r;
    }),
    resolve: (v: T) => {
      if (d.settled) return;
      d.settled = true;
      resolve(v);
    },
    settled: false,
  };
  return d;
}
