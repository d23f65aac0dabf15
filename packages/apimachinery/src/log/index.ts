/**
 * One logger for every kubets package, in the spirit of klog/logr: four levels, a message, and
 * structured key-values. Silent for info and debug and written to stderr for warnings and errors
 * by default, as client-go's klog is at verbosity 0.
 *
 * ```ts
 * import { setLogger, newTextLogger } from "@kubets/apimachinery/log";
 * setLogger(console);                                      // everything to the console
 * setLogger(newTextLogger({ level: "debug" }), "informers"); // more detail from one component
 * setLogger(pinoAdapter);                                   // or any object with the four methods
 * ```
 *
 * The registry lives on `globalThis` under `Symbol.for("kubets.logging")`, so every package (and
 * every copy of a package) reads the same settings; `@kubets/workqueue`, which has no runtime
 * dependencies, reads the same slot through a structural copy of {@link Logger}.
 */

/** Structured key-values attached to a message: `{ err, name: "x", namespace: "y" }`. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The four levels, most severe first. `debug` is what klog writes at V(4) and above. */
export type LogLevel = "error" | "warn" | "info" | "debug";

/**
 * Anything with the four level methods taking a message and optional key-values. `console` is one;
 * a pino, winston or bunyan logger fits through a two-line adapter.
 */
export interface Logger {
  /** Something failed that no caller can be told about (a handler threw, a write was lost). */
  error(message: string, fields?: LogFields): void;
  /** Something unexpected the program survives (a server warning, a retried request). */
  warn(message: string, fields?: LogFields): void;
  /** Normal but noteworthy progress (a lease acquired, a watch restarted). */
  info(message: string, fields?: LogFields): void;
  /** Detail for debugging (each retry, each relist). */
  debug(message: string, fields?: LogFields): void;
}

/** The component names kubets logs under, for {@link setLogger}'s second argument. */
export type LogComponent = "rest" | "informers" | "workqueue" | "leaderelection" | "events" | "exec" | (string & {});

interface Registry {
  fallback: Logger | undefined;
  readonly components: Map<string, Logger>;
}

const SLOT = Symbol.for("kubets.logging");

function registry(): Registry {
  const g = globalThis as { [SLOT]?: Registry };
  return (g[SLOT] ??= { fallback: undefined, components: new Map() });
}

const LEVELS: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Options of {@link newTextLogger}. */
export interface TextLoggerOptions {
  /** The least severe level written (default "warn": errors and warnings, as klog at V(0)). */
  readonly level?: LogLevel;
  /** Where lines go (default: `process.stderr`, or `console.error` where there is no process). */
  readonly write?: (line: string) => void;
  /** The clock for the timestamp (tests). */
  readonly now?: () => Date;
}

// apimachinery is typed without DOM or Node globals (it also loads in a browser): reach both through
// globalThis.
const host = globalThis as {
  process?: { stderr?: { write?: (s: string) => unknown } };
  console?: { error(...data: unknown[]): void };
};

function defaultWrite(line: string): void {
  if (typeof host.process?.stderr?.write === "function") host.process.stderr.write(line);
  else host.console?.error(line.endsWith("\n") ? line.slice(0, -1) : line);
}

function formatValue(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return v.toString();
  if (v === undefined) return "<undefined>";
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return JSON.stringify(String(v));
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/**
 * A logger writing one line per message in klog's text format:
 * `E1203 19:30:00.123456 informers] "watch failed" err="..." name="pods"`.
 */
export function newTextLogger(options: TextLoggerOptions = {}, component?: string): Logger {
  const max = LEVELS[options.level ?? "warn"];
  const write = options.write ?? defaultWrite;
  const now = options.now ?? (() => new Date());
  const line = (level: LogLevel, message: string, fields: LogFields | undefined): void => {
    if (LEVELS[level] > max) return;
    const t = now();
    const head = `${level[0]!.toUpperCase()}${pad(t.getMonth() + 1)}${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}.${pad(t.getMilliseconds(), 3)}000`;
    const kv = fields === undefined ? "" : Object.entries(fields).map(([k, v]) => ` ${k}=${formatValue(v)}`).join("");
    write(`${head} ${component ?? "kubets"}] ${JSON.stringify(message)}${kv}\n`);
  };
  return {
    error: (m, f) => line("error", m, f),
    warn: (m, f) => line("warn", m, f),
    info: (m, f) => line("info", m, f),
    debug: (m, f) => line("debug", m, f),
  };
}

/** A logger that drops everything (logr.Discard). */
export const discardLogger: Logger = Object.freeze({
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
});

/**
 * Sets the logger of every kubets component, or of one (`"rest"`, `"informers"`, `"workqueue"`,
 * `"leaderelection"`, `"events"`, `"exec"`) when `component` is given; `undefined` restores the
 * default. A component's own logger wins over the global one. Returns the previous setting.
 */
export function setLogger(logger: Logger | undefined, component?: LogComponent): Logger | undefined {
  const r = registry();
  if (component === undefined) {
    const prev = r.fallback;
    r.fallback = logger;
    return prev;
  }
  const prev = r.components.get(component);
  if (logger === undefined) r.components.delete(component);
  else r.components.set(component, logger);
  return prev;
}

/**
 * The logger a component writes to (klog.Background for that component): the one set for it, else
 * the global one, else the default text logger (errors and warnings to stderr). Looked up on every
 * call of the returned logger, so a later {@link setLogger} takes effect in running components,
 * and a logger that throws never breaks the caller.
 */
export function loggerFor(component: LogComponent): Logger {
  const call = (level: LogLevel, message: string, fields: LogFields | undefined): void => {
    const r = registry();
    const target = r.components.get(component) ?? r.fallback ?? defaults.get(component) ?? defaultFor(component);
    try {
      target[level](message, fields === undefined ? { component } : { component, ...fields });
    } catch {
      // A broken logger must not break the component that logs.
    }
  };
  return {
    error: (m, f) => call("error", m, f),
    warn: (m, f) => call("warn", m, f),
    info: (m, f) => call("info", m, f),
    debug: (m, f) => call("debug", m, f),
  };
}

const defaults = new Map<string, Logger>();
function defaultFor(component: string): Logger {
  const text = newTextLogger({}, component);
  // The default names the component in the line header, so drop the duplicate field.
  const l: Logger = {
    error: (m, f) => text.error(m, withoutComponent(f)),
    warn: (m, f) => text.warn(m, withoutComponent(f)),
    info: (m, f) => text.info(m, withoutComponent(f)),
    debug: (m, f) => text.debug(m, withoutComponent(f)),
  };
  defaults.set(component, l);
  return l;
}

function withoutComponent(f: LogFields | undefined): LogFields | undefined {
  if (f === undefined || !("component" in f)) return f;
  const { component: _c, ...rest } = f;
  return Object.keys(rest).length === 0 ? undefined : rest;
}
