/**
 * client-go's cache MutationDetector (tools/cache mutation_detector.go): keeps a deep copy of
 * every object the informer caches and compares them every second; an object that differs from
 * its copy was changed in place by someone holding it (an event handler, a lister caller), which
 * corrupts the shared cache. Opt-in, as in Go: `KUBE_CACHE_MUTATION_DETECTOR=true` in the
 * environment, or the informer option `mutationDetector`. It keeps every object it has seen for
 * two minutes, so it is for tests, not production.
 */
import { isDeletedFinalStateUnknown } from "./keys.js";

/** Thrown (or passed to `onFailure`) when a cached object was modified. */
export class CacheMutationError extends Error {
  override readonly name = "CacheMutationError" as const;
  /** The informer's type description. */
  readonly cacheName: string;
  /** Where the first modified object differs from its copy, e.g. `.metadata.labels.app`. */
  readonly paths: readonly string[];
  constructor(cacheName: string, paths: readonly string[]) {
    super(
      `cache ${cacheName} modified: a cached object was changed in place at ${paths.join(", ")}; ` +
        "objects from an informer or lister are shared, copy them (structuredClone) before changing them",
    );
    this.cacheName = cacheName;
    this.paths = paths;
  }
}

/** Whether `err` is a CacheMutationError: a cached object was changed by its reader. */
export function isCacheMutationError(err: unknown): err is CacheMutationError {
  return err instanceof Error && err.name === "CacheMutationError";
}

/** Options of the mutation detector. */
export interface MutationDetectorOptions {
  /** Called with the error when a mutation is found; by default it is thrown from a timer (Go panics). */
  onFailure?: (err: CacheMutationError) => void;
  /** How often to compare, ms (default 1000). */
  period?: number;
  /** How long objects are kept for comparison, ms (default 120000). */
  retainDuration?: number;
}

/** What the informer calls. */
export interface MutationDetector {
  readonly enabled: boolean;
  addObject(obj: unknown): void;
  /** Compares now; reports (and returns) the mutation found, if any. */
  compareObjects(): CacheMutationError | undefined;
  /** Compares every `period` until the signal aborts. */
  run(signal: AbortSignal): void;
}

/** Whether `KUBE_CACHE_MUTATION_DETECTOR` turns the detector on (Go's strconv.ParseBool). */
export function mutationDetectionEnabledByEnv(): boolean {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.["KUBE_CACHE_MUTATION_DETECTOR"];
  return v !== undefined && ["1", "t", "T", "true", "TRUE", "True"].includes(v);
}

const noop: MutationDetector = {
  enabled: false,
  addObject: () => undefined,
  compareObjects: () => undefined,
  run: () => undefined,
};

interface Pair {
  cached: unknown;
  copied: unknown;
}

/** The first paths (at most 5) where two JSON values differ. */
function diffPaths(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= 5 || Object.is(a, b)) return;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    out.push(path === "" ? "." : path);
    return;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  for (const k of new Set([...ka, ...kb])) {
    diffPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`, out);
  }
}

class DefaultMutationDetector implements MutationDetector {
  readonly enabled = true;
  #added: Pair[] = [];
  #cached: Pair[] = [];
  #retained: Pair[] = [];
  #lastRotated = 0;
  readonly #name: string;
  readonly #options: MutationDetectorOptions;

  constructor(name: string, options: MutationDetectorOptions) {
    this.#name = name;
    this.#options = options;
  }

  addObject(obj: unknown): void {
    if (isDeletedFinalStateUnknown(obj) || typeof obj !== "object" || obj === null) return;
    this.#added.push({ cached: obj, copied: structuredClone(obj) });
  }

  compareObjects(): CacheMutationError | undefined {
    this.#cached.push(...this.#added);
    this.#added = [];
    const paths: string[] = [];
    for (const list of [this.#cached, this.#retained]) {
      for (const p of list) {
        diffPaths(p.cached, p.copied, "", paths);
        if (paths.length > 0) break;
      }
      if (paths.length > 0) break;
    }
    if (paths.length === 0) return undefined;
    const err = new CacheMutationError(this.#name, paths);
    // Report each modified object once.
    const unchanged = (p: Pair): boolean => {
      const d: string[] = [];
      diffPaths(p.cached, p.copied, "", d);
      return d.length === 0;
    };
    this.#cached = this.#cached.filter(unchanged);
    this.#retained = this.#retained.filter(unchanged);
    if (this.#options.onFailure !== undefined) this.#options.onFailure(err);
    else setTimeout(() => {
      throw err;
    }, 0);
    return err;
  }

  run(signal: AbortSignal): void {
    const period = this.#options.period ?? 1000;
    const retain = this.#options.retainDuration ?? 120_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
    const tick = (): void => {
      if (signal.aborted) return;
      const now = Date.now();
      if (this.#lastRotated === 0) this.#lastRotated = now;
      else if (now - this.#lastRotated > retain) {
        this.#retained = this.#cached;
        this.#cached = [];
        this.#lastRotated = now;
      }
      this.compareObjects();
      timer = setTimeout(tick, period);
      timer.unref?.();
    };
    tick();
  }
}

/**
 * Go's NewCacheMutationDetector: a detector when `enabled` (default: the environment variable
 * `KUBE_CACHE_MUTATION_DETECTOR`), else one that does nothing.
 */
export function newCacheMutationDetector(name: string, enabled = mutationDetectionEnabledByEnv(), options: MutationDetectorOptions = {}): MutationDetector {
  return enabled ? new DefaultMutationDetector(name, options) : noop;
}
