/**
 * A port of client-go util/workqueue/parallelizer.go: run `pieces` independent
 * pieces of work on at most `workers` concurrent async workers.
 */

/** Work on piece number `piece` (0-based). May be async. */
export type DoWorkPieceFunc = (piece: number) => void | Promise<void>;

/** Options of {@link parallelizeUntil}. */
export interface ParallelizeOptions {
  /**
   * Hand pieces to workers in chunks of this size rather than one by one;
   * worth it when pieces are many and cheap. Default 1.
   */
  chunkSize?: number | undefined;
}

/**
 * Runs `doWorkPiece(0 .. pieces-1)` with at most `workers` pieces in progress,
 * until all are done or `signal` aborts (pieces not started by then are
 * skipped; the promise still resolves, as client-go returns). If a piece
 * throws, no further pieces start and the promise rejects with that error once
 * the running ones have finished.
 */
export async function parallelizeUntil(
  signal: AbortSignal | undefined,
  workers: number,
  pieces: number,
  doWorkPiece: DoWorkPieceFunc,
  options: ParallelizeOptions = {},
): Promise<void> {
  if (!(pieces > 0)) return;
  const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? 1));
  const chunks = Math.ceil(pieces / chunkSize);
  const n = Math.max(1, Math.min(Math.floor(workers), chunks));
  let nextChunk = 0;
  let failed = false;
  let firstError: unknown;

  const run = async (): Promise<void> => {
    while (!failed && nextChunk < chunks) {
      const start = nextChunk++ * chunkSize;
      const end = Math.min(start + chunkSize, pieces);
      for (let p = start; p < end; p++) {
        if (signal?.aborted || failed) return;
        try {
          await doWorkPiece(p);
        } catch (err) {
          if (!failed) {
            failed = true;
            firstError = err;
          }
          return;
        }
      }
    }
  };

  await Promise.all(Array.from({ length: n }, run));
  if (failed) throw firstError;
}
