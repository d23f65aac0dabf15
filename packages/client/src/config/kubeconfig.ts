import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve, sep } from "node:path";
import { parseYAMLText, YAMLSyntaxError } from "../internal/yaml.js";
import { ConfigError } from "./errors.js";
import type { AuthInfo, Cluster, Context, ExecConfig, ExecEnvVar, ExecInteractiveMode, KubeConfig } from "./types.js";

/** The environment variable holding a list of kubeconfig files (clientcmd.RecommendedConfigPathEnvVar). */
export const RECOMMENDED_CONFIG_PATH_ENV_VAR = "KUBECONFIG";

/** An empty in-memory kubeconfig. */
export function newKubeConfig(): KubeConfig {
  return { clusters: {}, authInfos: {}, contexts: {} };
}

type Obj = Record<string, unknown>;

/**
 * The YAML mapping each parsed entry (config, cluster, user, context, exec, auth-provider) came from,
 * so that writing it back keeps fields kubets does not model (clientcmd drops them; kubets keeps them).
 */
export const rawEntries = new WeakMap<object, Obj>();

function remember<T extends object>(entry: T, raw: Obj): T {
  rawEntries.set(entry, raw);
  return entry;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

class Reader {
  constructor(readonly file: string | undefined) {}

  fail(field: string, message: string, fix: string): never {
    throw new ConfigError(message, { file: this.file, field, fix });
  }

  str(o: Obj, key: string, field: string): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") this.fail(`${field}.${key}`, "expected a string", `write ${key} as a string`);
    return v;
  }

  bool(o: Obj, key: string, field: string): boolean | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "boolean") this.fail(`${field}.${key}`, "expected true or false", `write ${key}: true or ${key}: false`);
    return v;
  }

  strList(o: Obj, key: string, field: string): string[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== "string"))
      this.fail(`${field}.${key}`, "expected a list of strings", `write ${key} as a YAML list of strings`);
    return v as string[];
  }

  /** Decodes a `*-data` field: base64 in the file, PEM text in memory. */
  data(o: Obj, key: string, field: string): string | undefined {
    const v = this.str(o, key, field);
    if (v === undefined || v === "") return undefined;
    const compact = v.replace(/[\r\n]/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0)
      this.fail(`${field}.${key}`, "is not valid base64", `encode the PEM file with \`base64 -w0\` and paste the result`);
    return Buffer.from(compact, "base64").toString("utf8");
  }

  extensions(o: Obj, field: string): Record<string, unknown> | undefined {
    const v = o["extensions"];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(`${field}.extensions`, "expected a list", "write extensions as a list of {name, extension}");
    const out: Record<string, unknown> = {};
    for (const e of v) {
      if (!isObj(e) || typeof e["name"] !== "string")
        this.fail(`${field}.extensions`, "each entry needs a name", "give every extension a name");
      if (Object.hasOwn(out, e["name"]))
        this.fail(`${field}.extensions[${e["name"]}]`, `duplicate name "${e["name"]}" in extensions`, "rename or remove one of the extensions of that name");
      out[e["name"]] = e["extension"];
    }
    return out;
  }

  named(root: Obj, key: string, inner: string): Array<[string, Obj]> {
    const v = root[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(key, "expected a list", `write ${key} as a YAML list of entries with a name and a ${inner}`);
    const out: Array<[string, Obj]> = [];
    const seen = new Set<string>();
    v.forEach((entry, i) => {
      if (!isObj(entry) || typeof entry["name"] !== "string" || entry["name"] === "")
        this.fail(`${key}[${i}].name`, "is missing", `give every entry of ${key} a name`);
      // as client-go's loader (the v1 -> internal conversion), refuse two entries of one name
      if (seen.has(entry["name"]))
        this.fail(`${key}[${entry["name"]}]`, `duplicate name "${entry["name"]}" in ${key}`, `rename or remove one of the ${key} entries named "${entry["name"]}"`);
      seen.add(entry["name"]);
      const body = entry[inner] ?? {};
      if (!isObj(body)) this.fail(`${key}[${entry["name"]}].${inner}`, "expected a mapping", `write ${inner} as a mapping`);
      out.push([entry["name"], body]);
    });
    return out;
  }
}

function set<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function parseCluster(r: Reader, o: Obj, field: string): Cluster {
  const c: Cluster = {};
  set(c, "locationOfOrigin", r.file);
  set(c, "server", r.str(o, "server", field));
  set(c, "tlsServerName", r.str(o, "tls-server-name", field));
  set(c, "insecureSkipTLSVerify", r.bool(o, "insecure-skip-tls-verify", field));
  set(c, "certificateAuthority", r.str(o, "certificate-authority", field) || undefined);
  set(c, "certificateAuthorityData", r.data(o, "certificate-authority-data", field));
  set(c, "proxyURL", r.str(o, "proxy-url", field) || undefined);
  set(c, "disableCompression", r.bool(o, "disable-compression", field));
  set(c, "extensions", r.extensions(o, field));
  return remember(c, o);
}

function parseExec(r: Reader, o: Obj, field: string): ExecConfig {
  const command = r.str(o, "command", field) ?? "";
  const apiVersion = r.str(o, "apiVersion", field) ?? "";
  const exec: ExecConfig = { command, apiVersion };
  set(exec, "args", r.strList(o, "args", field));
  const env = o["env"];
  if (env !== undefined && env !== null) {
    if (!Array.isArray(env)) r.fail(`${field}.env`, "expected a list", "write env as a list of {name, value}");
    exec.env = env.map((e, i): ExecEnvVar => {
      if (!isObj(e)) r.fail(`${field}.env[${i}]`, "expected a mapping", "write each env entry as {name, value}");
      return { name: r.str(e, "name", `${field}.env[${i}]`) ?? "", value: r.str(e, "value", `${field}.env[${i}]`) ?? "" };
    });
  }
  set(exec, "installHint", r.str(o, "installHint", field));
  set(exec, "provideClusterInfo", r.bool(o, "provideClusterInfo", field));
  const mode = r.str(o, "interactiveMode", field);
  if (mode !== undefined && mode !== "") {
    if (mode !== "Never" && mode !== "IfAvailable" && mode !== "Always")
      r.fail(`${field}.interactiveMode`, `has the unknown value "${mode}"`, "use Never, IfAvailable or Always");
    exec.interactiveMode = mode as ExecInteractiveMode;
  } else if (apiVersion === "client.authentication.k8s.io/v1beta1" || apiVersion === "client.authentication.k8s.io/v1alpha1") {
    // clientcmd's defaulting: older versions may read stdin when it is a terminal
    exec.interactiveMode = "IfAvailable";
  }
  return remember(exec, o);
}

function parseAuthInfo(r: Reader, o: Obj, field: string): AuthInfo {
  const a: AuthInfo = {};
  set(a, "locationOfOrigin", r.file);
  set(a, "clientCertificate", r.str(o, "client-certificate", field) || undefined);
  set(a, "clientCertificateData", r.data(o, "client-certificate-data", field));
  set(a, "clientKey", r.str(o, "client-key", field) || undefined);
  set(a, "clientKeyData", r.data(o, "client-key-data", field));
  set(a, "token", r.str(o, "token", field) || undefined);
  set(a, "tokenFile", r.str(o, "tokenFile", field) || undefined);
  set(a, "impersonate", r.str(o, "as", field) || undefined);
  set(a, "impersonateUID", r.str(o, "as-uid", field) || undefined);
  set(a, "impersonateGroups", r.strList(o, "as-groups", field));
  const extra = o["as-user-extra"];
  if (extra !== undefined && extra !== null) {
    if (!isObj(extra)) r.fail(`${field}.as-user-extra`, "expected a mapping", "write as-user-extra as a mapping of key to a list of values");
    const out: Record<string, string[]> = {};
    for (const k of Object.keys(extra)) out[k] = r.strList(extra, k, `${field}.as-user-extra`) ?? [];
    a.impersonateUserExtra = out;
  }
  set(a, "username", r.str(o, "username", field) || undefined);
  set(a, "password", r.str(o, "password", field) || undefined);
  const ap = o["auth-provider"];
  if (ap !== undefined && ap !== null) {
    if (!isObj(ap)) r.fail(`${field}.auth-provider`, "expected a mapping", "write auth-provider as {name, config}");
    const cfg: Record<string, string> = {};
    const raw = ap["config"];
    if (isObj(raw)) for (const k of Object.keys(raw)) cfg[k] = String(raw[k]);
    a.authProvider = remember({ name: r.str(ap, "name", `${field}.auth-provider`) ?? "", config: cfg }, ap);
  }
  const exec = o["exec"];
  if (exec !== undefined && exec !== null) {
    if (!isObj(exec)) r.fail(`${field}.exec`, "expected a mapping", "write exec as a mapping with command and apiVersion");
    a.exec = parseExec(r, exec, `${field}.exec`);
  }
  set(a, "extensions", r.extensions(o, field));
  return remember(a, o);
}

function parseContext(r: Reader, o: Obj, field: string): Context {
  const c: Context = {};
  set(c, "locationOfOrigin", r.file);
  set(c, "cluster", r.str(o, "cluster", field) || undefined);
  set(c, "authInfo", r.str(o, "user", field) || undefined);
  set(c, "namespace", r.str(o, "namespace", field) || undefined);
  set(c, "extensions", r.extensions(o, field));
  return remember(c, o);
}

/**
 * Parses one kubeconfig document (YAML or JSON, clientcmd/api/v1 layout). `file` is recorded as the
 * origin of every entry and named in errors. Relative paths are left as written; see resolveLocalPaths.
 */
export function parseKubeConfig(text: string, file?: string): KubeConfig {
  const r: Reader = new Reader(file);
  let doc: unknown;
  try {
    doc = parseYAMLText(text);
  } catch (err) {
    if (err instanceof YAMLSyntaxError)
      throw new ConfigError(`cannot parse the kubeconfig: ${err.message}`, {
        file,
        fix: "fix the YAML syntax (check indentation and quoting)",
      });
    throw err;
  }
  const config = newKubeConfig();
  if (doc === null || doc === undefined) return config;
  if (!isObj(doc)) r.fail("(document)", "is not a mapping", "a kubeconfig is a YAML mapping with clusters, users and contexts");
  const kind = r.str(doc, "kind", "(document)");
  if (kind !== undefined && kind !== "" && kind !== "Config")
    r.fail("kind", `is "${kind}", not "Config"`, "point KUBECONFIG at a kubeconfig file");
  const apiVersion = r.str(doc, "apiVersion", "(document)");
  if (apiVersion !== undefined && apiVersion !== "" && apiVersion !== "v1")
    r.fail("apiVersion", `is "${apiVersion}", only "v1" is known`, "set apiVersion: v1");
  for (const [name, body] of r.named(doc, "clusters", "cluster")) {
    if (!(name in config.clusters)) config.clusters[name] = parseCluster(r, body, `clusters[${name}]`);
  }
  for (const [name, body] of r.named(doc, "users", "user")) {
    if (!(name in config.authInfos)) config.authInfos[name] = parseAuthInfo(r, body, `users[${name}]`);
  }
  for (const [name, body] of r.named(doc, "contexts", "context")) {
    if (!(name in config.contexts)) config.contexts[name] = parseContext(r, body, `contexts[${name}]`);
  }
  const current = r.str(doc, "current-context", "(document)");
  if (current) config.currentContext = current;
  const prefs = doc["preferences"];
  if (isObj(prefs) && Object.keys(prefs).length > 0) config.preferences = prefs;
  set(config, "extensions", r.extensions(doc, "(document)"));
  return remember(config, doc);
}

/** Reads and parses one kubeconfig file, resolving its relative paths against its own folder. */
export function loadKubeConfigFile(file: string): KubeConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read the kubeconfig (${code ?? "error"})`, {
      file,
      fix: code === "EACCES" ? "make the file readable by this user" : "check the path in KUBECONFIG or --kubeconfig",
      cause: err,
    });
  }
  const config = parseKubeConfig(text, file);
  resolveLocalPaths(config);
  return config;
}

function resolveAgainst(base: string, p: string | undefined): string | undefined {
  if (p === undefined || p === "" || isAbsolute(p)) return p;
  return join(base, p);
}

/**
 * Makes every relative file reference (certificate-authority, client-certificate, client-key, tokenFile,
 * an exec command containing a path separator) absolute against the folder of the file that named it,
 * as clientcmd.ResolveLocalPaths does.
 */
export function resolveLocalPaths(config: KubeConfig): void {
  for (const c of Object.values(config.clusters)) {
    if (!c.locationOfOrigin) continue;
    const base = dirname(resolve(c.locationOfOrigin));
    set(c, "certificateAuthority", resolveAgainst(base, c.certificateAuthority));
  }
  for (const a of Object.values(config.authInfos)) {
    if (!a.locationOfOrigin) continue;
    const base = dirname(resolve(a.locationOfOrigin));
    set(a, "clientCertificate", resolveAgainst(base, a.clientCertificate));
    set(a, "clientKey", resolveAgainst(base, a.clientKey));
    set(a, "tokenFile", resolveAgainst(base, a.tokenFile));
    if (a.exec && a.exec.command.includes(sep)) a.exec.command = resolveAgainst(base, a.exec.command) ?? a.exec.command;
  }
}

/**
 * Merges kubeconfigs in priority order as clientcmd does: for every map (clusters, users, contexts,
 * extensions) the first config that names a key wins, and the first non-empty current-context wins.
 */
export function mergeKubeConfigs(configs: readonly KubeConfig[]): KubeConfig {
  const out = newKubeConfig();
  for (const c of configs) {
    for (const [k, v] of Object.entries(c.clusters)) if (!(k in out.clusters)) out.clusters[k] = v;
    for (const [k, v] of Object.entries(c.authInfos)) if (!(k in out.authInfos)) out.authInfos[k] = v;
    for (const [k, v] of Object.entries(c.contexts)) if (!(k in out.contexts)) out.contexts[k] = v;
    if (!out.currentContext && c.currentContext) out.currentContext = c.currentContext;
    if (c.extensions) {
      out.extensions ??= {};
      for (const [k, v] of Object.entries(c.extensions)) if (!(k in out.extensions)) out.extensions[k] = v;
    }
    if (!out.preferences && c.preferences) out.preferences = c.preferences;
  }
  return out;
}

/** Where to look for kubeconfig files (clientcmd.ClientConfigLoadingRules). */
export interface LoadingRules {
  /** A file that must exist (the --kubeconfig flag); when set, nothing else is read. */
  explicitPath?: string;
  /** Files in priority order; defaults to KUBECONFIG, else ~/.kube/config. */
  precedence?: string[];
  /** Environment to read KUBECONFIG and HOME from (default process.env). */
  env?: Record<string, string | undefined>;
}

/** The default kubeconfig path: $HOME/.kube/config. */
export function recommendedHomeFile(env: Record<string, string | undefined> = process.env): string {
  return join(env["HOME"] || homedir(), ".kube", "config");
}

/** The files the loading rules would read, in priority order, deduplicated (missing files included). */
export function kubeConfigPrecedence(rules: LoadingRules = {}): string[] {
  if (rules.explicitPath) return [rules.explicitPath];
  const env = rules.env ?? process.env;
  let list = rules.precedence;
  if (list === undefined) {
    const fromEnv = env[RECOMMENDED_CONFIG_PATH_ENV_VAR];
    list = fromEnv ? fromEnv.split(delimiter) : [recommendedHomeFile(env)];
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of list) {
    if (f === "" || seen.has(f)) continue;
    seen.add(f);
    out.push(f);
  }
  return out;
}

/** The merged kubeconfig and the files it came from. */
export interface LoadedKubeConfig {
  config: KubeConfig;
  /** The files that existed and were read, in priority order. */
  files: string[];
}

/**
 * Loads and merges kubeconfig files with clientcmd's rules: an explicit path must exist; otherwise every
 * file of KUBECONFIG (or ~/.kube/config) that exists is read, missing ones are skipped, and a file that
 * exists but cannot be parsed is an error.
 */
export function loadKubeConfig(rules: LoadingRules = {}): LoadedKubeConfig {
  if (rules.explicitPath && !existsSync(rules.explicitPath))
    throw new ConfigError("the kubeconfig file does not exist", {
      file: rules.explicitPath,
      fix: "pass the path of an existing kubeconfig",
    });
  const files: string[] = [];
  const configs: KubeConfig[] = [];
  for (const f of kubeConfigPrecedence(rules)) {
    if (!existsSync(f)) continue;
    configs.push(loadKubeConfigFile(f));
    files.push(f);
  }
  return { config: mergeKubeConfigs(configs), files };
}
