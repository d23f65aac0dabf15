/**
 * The shared kubets logger, seen from a package with no runtime dependencies: a structural copy of
 * `@kubets/apimachinery/log`'s `Logger`, read from the same `globalThis` slot, so
 * `setLogger(...)` (global or for the "workqueue" component) applies here too. Without
 * @kubets/apimachinery loaded, errors and warnings go to stderr in the same klog-style line.
 */

/** Structured key-values attached to a message. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The logger interface of `@kubets/apimachinery/log` (structurally identical; `console` fits). */
export interface Logger {
  /** Something failed that no caller can be told about. */
  error(message: string, fields?: LogFields): void;
  /** Something unexpected the program survives. */
  warn(message: string, fields?: LogFields): void;
  /** Normal but noteworthy progress. */
  info(message: string, fields?: LogFields): void;
  /** Detail for debugging. */
  debug(message: string, fields?: LogFields): void;
}

interface Registry {
  fallback: Logger | undefined;
  readonly components: Map<string, Logger>;
}

const SLOT = Symbol.for("kubets.logging");

function stderrLine(level: string, message: string, fields: LogFields | undefined): void {
  const t = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const kv =
    fields === undefined
      ? ""
      : Object.entries(fields)
          .filter(([k]) => k !== "component")
          .map(([k, v]) => ` ${k}=${JSON.stringify(v instanceof Error ? v.message : v) ?? String(v)}`)
          .join("");
  const head = `${level}${p(t.getMonth() + 1)}${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}.${p(t.getMilliseconds(), 3)}000`;
  const line = `${head} workqueue] ${JSON.stringify(message)}${kv}\n`;
  const proc = (globalThis as { process?: { stderr?: { write?: (s: string) => unknown } } }).process;
  if (typeof proc?.stderr?.write === "function") proc.stderr.write(line);
  else console.error(line.trimEnd());
}

const fallback: Logger = {
  error: (m, f) => stderrLine("E", m, f),
  warn: (m, f) => stderrLine("W", m, f),
  info: () => undefined,
  debug: () => undefined,
};

/** The workqueue's logger: `own` if given, else the shared setting for "workqueue", else stderr. */
export function workqueueLogger(own?: Logger): Logger {
  if (own !== undefined) return own;
  const call = (level: keyof Logger, message: string, fields: LogFields | undefined): void => {
    const r = (globalThis as { [SLOT]?: Registry })[SLOT];
    const target = r?.components.get("workqueue") ?? r?.fallback ?? fallback;
    try {
      target[level](message, { component: "workqueue", ...fields });
    } catch {
      // A broken logger must not break the queue.
    }
  };
  return {
    error: (m, f) => call("error", m, f),
    warn: (m, f) => call("warn", m, f),
    info: (m, f) => call("info", m, f),
    debug: (m, f) => call("debug", m, f),
  };
}
