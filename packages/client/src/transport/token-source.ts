import { readFileSync } from "node:fs";
import { ConfigError } from "../config/errors.js";

/** Options of {@link CachedFileTokenSource}. */
export interface CachedFileTokenSourceOptions {
  /** How long a read token is trusted before the file is read again (client-go: one minute). */
  periodMs?: number;
  /** Refresh this long before the period ends (client-go: 10s). */
  leewayMs?: number;
  now?: () => number;
  /** A token already read, used until the first period ends. */
  initialToken?: string;
}

/**
 * A bearer token read from a file and re-read as it rotates (transport.NewCachedFileTokenSource): the file
 * is read at most once per period, and again at once after the server rejects the token.
 */
export class CachedFileTokenSource {
  readonly path: string;
  readonly #period: number;
  readonly #leeway: number;
  readonly #now: () => number;
  #token: string | undefined;
  #readAt = 0;

  constructor(path: string, options: CachedFileTokenSourceOptions = {}) {
    this.path = path;
    this.#period = options.periodMs ?? 60_000;
    this.#leeway = options.leewayMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    if (options.initialToken) {
      this.#token = options.initialToken;
      this.#readAt = this.#now();
    }
  }

  /** The current token; reads the file when the cached one is due. */
  token(): string {
    const now = this.#now();
    if (this.#token !== undefined && now < this.#readAt + this.#period - this.#leeway) return this.#token;
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (err) {
      if (this.#token !== undefined) return this.#token; // keep the last good token, as client-go does
      throw new ConfigError(`cannot read the bearer token file (${(err as NodeJS.ErrnoException).code ?? "error"})`, {
        file: this.path,
        field: "tokenFile",
        fix: "make sure the token file exists and is readable",
        cause: err,
      });
    }
    const token = text.trim();
    if (token === "") {
      if (this.#token !== undefined) return this.#token;
      throw new ConfigError("the bearer token file is empty", { file: this.path, field: "tokenFile", fix: "write a token into the file" });
    }
    this.#token = token;
    this.#readAt = now;
    return token;
  }

  /** Forgets a token read no later than `time` (called after a 401 to a request sent at `time`). */
  resetTokenOlderThan(time: number): void {
    if (this.#readAt <= time) {
      this.#readAt = 0;
      this.#token = undefined;
    }
  }
}
