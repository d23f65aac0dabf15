// Child processes of the control plane and the guarantees around them: logs to files, a clear error
// when one dies while starting, and no process or temp dir left behind, even when the parent crashes.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { TestEnvError } from "./errors.js";

export interface Managed {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
  /** set when the process ended; undefined while it runs */
  exitCode: number | null | undefined;
}

export function startProcess(name: string, bin: string, args: string[], dir: string, env: Record<string, string> = {}): Managed {
  const logFile = join(dir, `${name}.log`);
  const fd = openSync(logFile, "a");
  const child = spawn(bin, args, { cwd: dir, stdio: ["ignore", fd, fd], env: { ...process.env, ...env } });
  closeSync(fd);
  const managed: Managed = { name, child, logFile, exitCode: undefined, exited: Promise.resolve(null) };
  managed.exited = new Promise((resolve) => {
    child.on("error", () => {
      managed.exitCode = -1;
      resolve(-1);
    });
    child.on("exit", (code, signal) => {
      managed.exitCode = code ?? (signal ? -1 : null);
      resolve(managed.exitCode);
    });
  });
  return managed;
}

export function logTail(m: Managed, lines = 20): string {
  try {
    return readFileSync(m.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export async function stopProcess(m: Managed, graceMs = 5000): Promise<void> {
  if (m.exitCode !== undefined || m.child.pid === undefined) return;
  m.child.kill("SIGTERM");
  const timer = setTimeout(() => m.child.kill("SIGKILL"), graceMs);
  await m.exited;
  clearTimeout(timer);
}

export async function killProcess(m: Managed): Promise<void> {
  if (m.exitCode !== undefined) return;
  m.child.kill("SIGKILL");
  await m.exited;
}

/** Polls `check` until it returns true, failing early when `watch` has exited. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; watch?: Managed },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let delay = 50;
  for (;;) {
    if (opts.watch && opts.watch.exitCode !== undefined) {
      throw new TestEnvError(
        `${opts.watch.name} exited with code ${opts.watch.exitCode} while waiting for ${what}. Last lines of ${opts.watch.logFile}:\n${logTail(opts.watch)}`,
      );
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      const tail = opts.watch ? `\nLast lines of ${opts.watch.logFile}:\n${logTail(opts.watch)}` : "";
      throw new TestEnvError(`timed out after ${opts.timeoutMs} ms waiting for ${what}.${tail}`);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

// ---- cleanup, including when the parent process dies ----------------------------------------------

const WATCHDOG = `
const [parent, dir] = process.argv.slice(1);
const fs = require("node:fs");
const path = require("node:path");
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const pids = () => { try { return JSON.parse(fs.readFileSync(path.join(dir, "pids.json"), "utf8")); } catch { return null; } };
setInterval(() => {
  const list = pids();
  if (list === null && !fs.existsSync(dir)) process.exit(0);
  if (alive(Number(parent))) return;
  for (const pid of list ?? []) { try { process.kill(pid, "SIGKILL"); } catch {} }
  setTimeout(() => { try { fs.rmSync(dir, { recursive: true, force: true }); } catch {} process.exit(0); }, 300);
}, 500);
`;

/**
 * Keeps the record of live child pids in `<dir>/pids.json` and starts a small detached watchdog
 * that kills them and removes `dir` if this process dies without cleaning up (crash, SIGKILL).
 */
export class Reaper {
  private readonly live = new Set<Managed>();
  private readonly onExit = (): void => this.cleanupSync();
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.cleanupSync();
    this.detach();
    process.kill(process.pid, signal);
  };
  private watchdog: ChildProcess | undefined;

  constructor(private readonly dir: string) {
    this.write();
    this.watchdog = spawn(process.execPath, ["-e", WATCHDOG, String(process.pid), dir], { detached: true, stdio: "ignore" });
    this.watchdog.unref();
    process.on("exit", this.onExit);
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
    process.once("SIGHUP", this.onSignal);
  }

  track(m: Managed): Managed {
    this.live.add(m);
    this.write();
    void m.exited.then(() => {
      this.live.delete(m);
      this.write();
    });
    return m;
  }

  private write(): void {
    try {
      const pids = [...this.live].map((m) => m.child.pid).filter((p): p is number => p !== undefined);
      writeFileSync(join(this.dir, "pids.json"), JSON.stringify(pids));
    } catch {
      // the dir is gone: nothing left to record
    }
  }

  /** Last-resort synchronous cleanup (process exit, signals). */
  cleanupSync(): void {
    for (const m of this.live) {
      try {
        m.child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  detach(): void {
    process.off("exit", this.onExit);
    process.off("SIGINT", this.onSignal);
    process.off("SIGTERM", this.onSignal);
    process.off("SIGHUP", this.onSignal);
    this.watchdog?.kill("SIGKILL");
    this.watchdog = undefined;
  }
}
