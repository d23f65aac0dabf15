import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { ConfigError } from "../config/errors.js";
import type { ExecConfig, RestConfig } from "../config/types.js";
import { recordExecPluginCall } from "../internal/metrics.js";

/** The environment variable carrying the ExecCredential request to the plugin. */
export const EXEC_INFO_ENV = "KUBERNETES_EXEC_INFO";

/** The most stdout an exec plugin may print (an ExecCredential with a certificate chain is a few KiB). */
const MAX_EXEC_OUTPUT = 1024 * 1024;

const SUPPORTED_VERSIONS = new Set(["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]);

/** What a plugin learns about the cluster when provideClusterInfo is set (clientauthentication Cluster). */
export interface ExecCluster {
  server: string;
  "tls-server-name"?: string;
  "insecure-skip-tls-verify"?: boolean;
  /** base64 of the PEM bundle, as on the wire. */
  "certificate-authority-data"?: string;
  "proxy-url"?: string;
  "disable-compression"?: boolean;
  config?: unknown;
}

/** Credentials returned by a plugin. */
export interface ExecCredentials {
  token?: string;
  /** PEM text. */
  clientCertificateData?: string;
  /** PEM text. */
  clientKeyData?: string;
  /** When the credentials expire; undefined means they are cached until a 401. */
  expirationTimestamp?: Date;
}

/**
 * Options of {@link ExecAuthenticator}: cluster information for the plugin, and injectable clock,
 * environment and stderr.
 */
export interface ExecAuthenticatorOptions {
  cluster?: ExecCluster;
  /** Clock in epoch milliseconds (tests). */
  now?: () => number;
  /** Whether stdin is a terminal (default process.stdin.isTTY). */
  isTerminal?: () => boolean;
  /** Base environment of the plugin (default process.env). */
  environ?: Record<string, string | undefined>;
  /** Where the plugin's stderr goes (default: inherited). */
  stderr?: "inherit" | "ignore";
  /**
   * How long one run of the plugin may take, in milliseconds, before it is killed (SIGKILL) and the run
   * fails with ConfigError: default 60 s (DEFAULT_EXEC_TIMEOUT), or 10 min (DEFAULT_INTERACTIVE_EXEC_TIMEOUT)
   * when the plugin is given the terminal. 0 disables the bound.
   */
  timeout?: number;
}

/** How long a non-interactive exec plugin may run before it is killed. */
export const DEFAULT_EXEC_TIMEOUT = 60_000;
/** How long an exec plugin that has the terminal (an interactive login) may run before it is killed. */
export const DEFAULT_INTERACTIVE_EXEC_TIMEOUT = 600_000;

/**
 * Runs a client.authentication.k8s.io exec plugin and caches what it returns until the expiration
 * timestamp, or until the server answers 401 to those credentials (plugin/pkg/client/auth/exec).
 */
export class ExecAuthenticator {
  readonly #config: ExecConfig;
  readonly #options: ExecAuthenticatorOptions;
  #cached: ExecCredentials | undefined;
  #inflight: Promise<ExecCredentials> | undefined;
  /** Number of times the plugin was run (observability and tests). */
  runs = 0;

  constructor(config: ExecConfig, options: ExecAuthenticatorOptions = {}) {
    if (!SUPPORTED_VERSIONS.has(config.apiVersion))
      throw new ConfigError(`exec plugin ${config.command} asks for the unsupported apiVersion "${config.apiVersion}"`, {
        field: "exec.apiVersion",
        fix: "use client.authentication.k8s.io/v1 (or v1beta1)",
      });
    this.#config = config;
    this.#options = options;
  }

  #now(): number {
    return this.#options.now ? this.#options.now() : Date.now();
  }

  #expired(c: ExecCredentials): boolean {
    return c.expirationTimestamp !== undefined && this.#now() > c.expirationTimestamp.getTime();
  }

  /** The cached credentials, running the plugin when there are none or they expired. */
  async getCredentials(): Promise<ExecCredentials> {
    const c = this.#cached;
    if (c && !this.#expired(c)) return c;
    return this.#refresh();
  }

  /**
   * Called after the server rejected `used` with 401: runs the plugin again unless the credentials were
   * already rotated by someone else.
   */
  async maybeRefresh(used: ExecCredentials): Promise<void> {
    if (this.#cached !== used) return;
    this.#cached = undefined;
    await this.#refresh();
  }

  #refresh(): Promise<ExecCredentials> {
    if (!this.#inflight) {
      this.#inflight = this.#run().then(
        (creds) => {
          this.#cached = creds;
          this.#inflight = undefined;
          return creds;
        },
        (err: unknown) => {
          this.#inflight = undefined;
          throw err;
        },
      );
    }
    return this.#inflight;
  }

  #interactive(): boolean {
    const mode = this.#config.interactiveMode ?? "IfAvailable";
    const tty = this.#options.isTerminal ? this.#options.isTerminal() : Boolean(process.stdin.isTTY);
    switch (mode) {
      case "Never":
        return false;
      case "IfAvailable":
        return tty;
      case "Always":
        if (!tty)
          throw new ConfigError(`exec plugin ${this.#config.command} needs a terminal (interactiveMode: Always) but standard input is not a terminal`, {
            field: "exec.interactiveMode",
            fix: "run from a terminal, or set interactiveMode to IfAvailable or Never",
          });
        return true;
      default:
        throw new ConfigError(`unknown interactiveMode "${String(mode)}"`, { field: "exec.interactiveMode", fix: "use Never, IfAvailable or Always" });
    }
  }

  async #run(): Promise<ExecCredentials> {
    const cfg = this.#config;
    const interactive = this.#interactive();
    const request: Record<string, unknown> = {
      kind: "ExecCredential",
      apiVersion: cfg.apiVersion,
      spec: { interactive, ...(cfg.provideClusterInfo && this.#options.cluster ? { cluster: this.#options.cluster } : {}) },
    };
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.#options.environ ?? process.env)) if (v !== undefined) env[k] = v;
    for (const e of cfg.env ?? []) env[e.name] = e.value;
    env[EXEC_INFO_ENV] = JSON.stringify(request);

    this.runs++;
    const limit = this.#options.timeout ?? (interactive ? DEFAULT_INTERACTIVE_EXEC_TIMEOUT : DEFAULT_EXEC_TIMEOUT);
    let timedOut = false;
    let size = 0;
    const { code, stdout, spawnError } = await new Promise<{ code: number | null; stdout: Buffer; spawnError?: NodeJS.ErrnoException }>((resolve) => {
      const chunks: Buffer[] = [];
      let child;
      try {
        child = spawn(cfg.command, cfg.args ?? [], {
          env,
          stdio: [interactive ? "inherit" : "ignore", "pipe", this.#options.stderr ?? "inherit"],
        });
      } catch (err) {
        resolve({ code: null, stdout: Buffer.alloc(0), spawnError: err as NodeJS.ErrnoException });
        return;
      }
      let spawnError: NodeJS.ErrnoException | undefined;
      const proc = child;
      const timer =
        limit > 0
          ? setTimeout(() => {
              timedOut = true;
              proc.kill("SIGKILL");
              // a grandchild may hold stdout open: stop reading it
              proc.stdout?.destroy();
            }, limit)
          : undefined;
      child.stdout?.on("data", (c: Buffer) => {
        // an ExecCredential is a few KiB; a plugin that prints without end is cut off
        size += c.length;
        if (size > MAX_EXEC_OUTPUT) proc.kill("SIGKILL");
        else chunks.push(c);
      });
      child.on("error", (err) => {
        spawnError = err as NodeJS.ErrnoException;
      });
      child.on("close", (exitCode) => {
        if (timer) clearTimeout(timer);
        resolve({ code: size > MAX_EXEC_OUTPUT ? null : exitCode, stdout: Buffer.concat(chunks), ...(spawnError ? { spawnError } : {}) });
      });
    });
    recordExecPluginCall(code, spawnError);
    if (timedOut)
      throw new ConfigError(`exec plugin: executable ${cfg.command} did not finish within ${limit} ms and was killed`, {
        field: "exec.command",
        fix: "run the plugin by hand to see why it hangs (network, a login prompt without a terminal), or raise RestConfig.execTimeout",
      });
    if (size > MAX_EXEC_OUTPUT)
      throw new ConfigError(`exec plugin: executable ${cfg.command} printed more than ${MAX_EXEC_OUTPUT} bytes on stdout and was killed`, {
        field: "exec.command",
        fix: "make the plugin print only the ExecCredential JSON on stdout",
      });
    if (spawnError) {
      if (spawnError.code === "ENOENT" || spawnError.code === "EACCES")
        throw new ConfigError(`exec plugin: executable ${cfg.command} not found or not executable (${spawnError.code})`, {
          field: "exec.command",
          fix: cfg.installHint ? cfg.installHint.trim() : "install the credential plugin or fix exec.command in the kubeconfig",
        });
      throw new ConfigError(`exec plugin ${cfg.command} could not be started (${spawnError.code ?? spawnError.message})`, {
        field: "exec.command",
        fix: "check the plugin command and its permissions",
      });
    }
    if (code !== 0)
      throw new ConfigError(`exec plugin: executable ${cfg.command} failed with exit code ${code ?? "(killed)"}`, {
        field: "exec.command",
        fix: "run the plugin by hand to see its error output (it went to stderr)",
      });
    return this.#decode(stdout);
  }

  #decode(stdout: Buffer): ExecCredentials {
    const cfg = this.#config;
    const bad = (what: string, fix = "fix the plugin's output") =>
      new ConfigError(`exec plugin ${cfg.command} ${what}`, { field: "exec", fix });
    let out: unknown;
    try {
      out = JSON.parse(stdout.toString("utf8"));
    } catch {
      // never echo stdout: it is meant to hold a credential
      throw bad("did not print a JSON ExecCredential on stdout", "make the plugin print only the ExecCredential JSON on stdout");
    }
    if (typeof out !== "object" || out === null) throw bad("printed something other than an ExecCredential object");
    const o = out as { kind?: unknown; apiVersion?: unknown; status?: unknown };
    if (o.kind !== "ExecCredential") throw bad(`returned kind ${JSON.stringify(o.kind)}, expected ExecCredential`);
    if (o.apiVersion !== cfg.apiVersion)
      throw bad(
        `is configured to use API version ${cfg.apiVersion}, plugin returned version ${String(o.apiVersion)}`,
        "make exec.apiVersion in the kubeconfig match what the plugin prints",
      );
    if (typeof o.status !== "object" || o.status === null) throw bad("didn't return a status field");
    const s = o.status as Record<string, unknown>;
    const str = (k: string) => (typeof s[k] === "string" && s[k] !== "" ? (s[k] as string) : undefined);
    const token = str("token");
    const cert = str("clientCertificateData");
    const key = str("clientKeyData");
    if (!token && !cert && !key) throw bad("didn't return a token or cert/key pair");
    if (Boolean(cert) !== Boolean(key)) throw bad("returned only certificate or key, not both");
    const creds: ExecCredentials = {};
    if (token) creds.token = token;
    if (cert && key) {
      try {
        new X509Certificate(cert);
        createPrivateKey(key);
      } catch {
        throw bad("returned a client certificate or key that is not valid PEM");
      }
      creds.clientCertificateData = cert;
      creds.clientKeyData = key;
    }
    const exp = str("expirationTimestamp");
    if (exp) {
      const t = Date.parse(exp);
      if (Number.isNaN(t)) throw bad("returned an expirationTimestamp that is not RFC 3339");
      creds.expirationTimestamp = new Date(t);
    }
    return creds;
  }
}

/** The cluster description a plugin receives when provideClusterInfo is true (exec.ConfigToExecCluster). */
export function execClusterFor(config: RestConfig): ExecCluster {
  const tls = config.tlsClientConfig;
  const c: ExecCluster = { server: config.host };
  if (tls.serverName) c["tls-server-name"] = tls.serverName;
  if (tls.insecure) c["insecure-skip-tls-verify"] = true;
  let ca = tls.caData;
  if (!ca && tls.caFile) {
    try {
      ca = readFileSync(tls.caFile, "utf8");
    } catch (err) {
      throw new ConfigError(`cannot read ${tls.caFile} (${(err as NodeJS.ErrnoException).code ?? "error"})`, {
        field: "certificate-authority",
        fix: "point certificate-authority at a readable PEM file",
      });
    }
  }
  if (ca) c["certificate-authority-data"] = Buffer.from(ca).toString("base64");
  if (config.proxyURL) c["proxy-url"] = config.proxyURL;
  if (config.disableCompression) c["disable-compression"] = true;
  if (config.execProvider?.config !== undefined) c.config = config.execProvider.config;
  return c;
}

const shared = new Map<string, ExecAuthenticator>();

/**
 * The authenticator for a config's exec provider, shared by every client built from an equal config so a
 * plugin runs once per credential lifetime, as client-go's global cache does.
 */
export function execAuthenticatorFor(config: RestConfig, options: Omit<ExecAuthenticatorOptions, "cluster"> = {}): ExecAuthenticator {
  const exec = config.execProvider;
  if (!exec) throw new TypeError("config has no execProvider");
  const cluster = exec.provideClusterInfo ? execClusterFor(config) : undefined;
  const useCache = Object.keys(options).length === 0;
  const key = JSON.stringify([exec, cluster, config.execTimeout]);
  if (useCache) {
    const hit = shared.get(key);
    if (hit) return hit;
  }
  const a = new ExecAuthenticator(exec, {
    ...(config.execTimeout !== undefined ? { timeout: config.execTimeout } : {}),
    ...options,
    ...(cluster ? { cluster } : {}),
  });
  if (useCache) shared.set(key, a);
  return a;
}
