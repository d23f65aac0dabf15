/**
 * Writing kubeconfig files, as client-go's clientcmd does: `serializeKubeConfig` (clientcmd.Write:
 * the clientcmd/api/v1 layout, entries sorted by name, `*-data` fields base64, YAML with sorted keys
 * as sigs.k8s.io/yaml writes it), `writeToFile` (clientcmd.WriteToFile), and `modifyConfig`
 * (clientcmd.ModifyConfig: each changed entry goes back to the file it came from, new entries to the
 * default file, as `kubectl config set-*` does). Fields kubets does not model, read from a file, are
 * written back unchanged. Plus @kubernetes/client-node's helpers: `exportConfig`, `addCluster`,
 * `addUser`, `addContext`, `setCurrentContext`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { toYAML } from "@kubets/apimachinery/serializer";
import { ConfigError } from "./errors.js";
import { kubeConfigPrecedence, newKubeConfig, parseKubeConfig, rawEntries, resolveLocalPaths, loadKubeConfig, type LoadingRules } from "./kubeconfig.js";
import type { AuthInfo, AuthProviderConfig, Cluster, Context, ExecConfig, KubeConfig } from "./types.js";

type Obj = Record<string, unknown>;

function b64(text: string | undefined, raw: unknown): string | undefined {
  if (text === undefined || text === "") return undefined;
  // Keep the file's own encoding (line breaks, padding) when it still decodes to the same text.
  if (typeof raw === "string" && Buffer.from(raw.replace(/[\r\n]/g, ""), "base64").toString("utf8") === text) return raw;
  return Buffer.from(text, "utf8").toString("base64");
}

/** Adds the fields of the entry's source mapping that kubets does not model. */
function withUnknown(entry: object, known: Obj, knownKeys: readonly string[]): Obj {
  const raw = rawEntries.get(entry);
  if (raw === undefined) return known;
  const out: Obj = { ...known };
  for (const [k, v] of Object.entries(raw)) if (!knownKeys.includes(k) && !(k in out)) out[k] = v;
  return out;
}

function put(o: Obj, key: string, v: unknown): void {
  if (v === undefined || v === "" || v === false) return;
  if (Array.isArray(v) && v.length === 0) return;
  o[key] = v;
}

function extensions(ext: Record<string, unknown> | undefined): Obj[] | undefined {
  if (ext === undefined) return undefined;
  return Object.keys(ext)
    .sort()
    .map((name) => ({ name, extension: ext[name] }));
}

const CLUSTER_KEYS = ["server", "tls-server-name", "insecure-skip-tls-verify", "certificate-authority", "certificate-authority-data", "proxy-url", "disable-compression", "extensions"];

function clusterV1(c: Cluster): Obj {
  const raw = rawEntries.get(c);
  const o: Obj = { server: c.server ?? "" };
  put(o, "tls-server-name", c.tlsServerName);
  put(o, "insecure-skip-tls-verify", c.insecureSkipTLSVerify);
  put(o, "certificate-authority", c.certificateAuthority);
  put(o, "certificate-authority-data", b64(c.certificateAuthorityData, raw?.["certificate-authority-data"]));
  put(o, "proxy-url", c.proxyURL);
  put(o, "disable-compression", c.disableCompression);
  put(o, "extensions", extensions(c.extensions));
  return withUnknown(c, o, CLUSTER_KEYS);
}

const EXEC_KEYS = ["command", "args", "env", "apiVersion", "installHint", "provideClusterInfo", "interactiveMode"];

function execV1(e: ExecConfig): Obj {
  const o: Obj = { command: e.command, args: e.args ?? null, env: e.env ?? null };
  put(o, "apiVersion", e.apiVersion);
  put(o, "installHint", e.installHint);
  o["provideClusterInfo"] = e.provideClusterInfo ?? false;
  put(o, "interactiveMode", e.interactiveMode);
  return withUnknown(e, o, EXEC_KEYS);
}

function authProviderV1(p: AuthProviderConfig): Obj {
  return withUnknown(p, { name: p.name, config: p.config }, ["name", "config"]);
}

const USER_KEYS = [
  "client-certificate",
  "client-certificate-data",
  "client-key",
  "client-key-data",
  "token",
  "tokenFile",
  "as",
  "as-uid",
  "as-groups",
  "as-user-extra",
  "username",
  "password",
  "auth-provider",
  "exec",
  "extensions",
];

function authInfoV1(a: AuthInfo): Obj {
  const raw = rawEntries.get(a);
  const o: Obj = {};
  put(o, "client-certificate", a.clientCertificate);
  put(o, "client-certificate-data", b64(a.clientCertificateData, raw?.["client-certificate-data"]));
  put(o, "client-key", a.clientKey);
  put(o, "client-key-data", b64(a.clientKeyData, raw?.["client-key-data"]));
  put(o, "token", a.token);
  put(o, "tokenFile", a.tokenFile);
  put(o, "as", a.impersonate);
  put(o, "as-uid", a.impersonateUID);
  put(o, "as-groups", a.impersonateGroups);
  if (a.impersonateUserExtra !== undefined && Object.keys(a.impersonateUserExtra).length > 0) o["as-user-extra"] = a.impersonateUserExtra;
  put(o, "username", a.username);
  put(o, "password", a.password);
  if (a.authProvider !== undefined) o["auth-provider"] = authProviderV1(a.authProvider);
  if (a.exec !== undefined) o["exec"] = execV1(a.exec);
  put(o, "extensions", extensions(a.extensions));
  return withUnknown(a, o, USER_KEYS);
}

function contextV1(c: Context): Obj {
  const o: Obj = { cluster: c.cluster ?? "", user: c.authInfo ?? "" };
  put(o, "namespace", c.namespace);
  put(o, "extensions", extensions(c.extensions));
  return withUnknown(c, o, ["cluster", "user", "namespace", "extensions"]);
}

function named<T>(m: Record<string, T>, inner: string, conv: (v: T) => Obj): Obj[] {
  return Object.keys(m)
    .sort()
    .map((name) => ({ name, [inner]: conv(m[name]!) }));
}

/** The kubeconfig in the clientcmd/api/v1 layout (what clientcmd.Write encodes), as a JSON value. */
export function toV1Config(config: KubeConfig): Obj {
  const raw = rawEntries.get(config);
  const o: Obj = { apiVersion: "v1", kind: "Config" };
  if ((config.preferences !== undefined && Object.keys(config.preferences).length > 0) || (raw !== undefined && "preferences" in raw)) o["preferences"] = config.preferences ?? {};
  o["clusters"] = named(config.clusters, "cluster", clusterV1);
  o["users"] = named(config.authInfos, "user", authInfoV1);
  o["contexts"] = named(config.contexts, "context", contextV1);
  o["current-context"] = config.currentContext ?? "";
  put(o, "extensions", extensions(config.extensions));
  return withUnknown(config, o, ["apiVersion", "kind", "preferences", "clusters", "users", "contexts", "current-context", "extensions"]);
}

/** Mappings with their keys sorted at every level, as sigs.k8s.io/yaml writes them. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== "object" || v === null) return v;
  const out: Obj = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Obj)[k]);
  return out;
}

/** clientcmd.Write: the kubeconfig as YAML (default; keys sorted, byte for byte as kubectl writes it) or JSON text. */
export function serializeKubeConfig(config: KubeConfig, format: "yaml" | "json" = "yaml"): string {
  const v1 = toV1Config(config);
  return format === "json" ? JSON.stringify(v1, null, 2) + "\n" : toYAML(sortKeys(v1));
}

/**
 * clientcmd.WriteToFile: writes the kubeconfig to `file` (its folder created with mode 0755), replacing
 * it atomically; a new file gets mode 0600, an existing one keeps its mode.
 */
export function writeToFile(config: KubeConfig, file: string): void {
  const text = serializeKubeConfig(config);
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true, mode: 0o755 });
    const mode = existsSync(file) ? statSync(file).mode & 0o777 : 0o600;
    const tmp = `${file}.kubets-${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode });
    renameSync(tmp, file);
  } catch (cause) {
    throw new ConfigError("cannot write the kubeconfig", { file, fix: "make sure the folder exists and is writable by this user", cause });
  }
}

function readFileConfig(file: string): KubeConfig {
  if (!existsSync(file)) return newKubeConfig();
  return parseKubeConfig(readFileSync(file, "utf8"), file);
}

/** clientcmd's default file for new entries: the explicit file, else the first existing file, else the first of the precedence. */
export function defaultKubeConfigFilename(rules: LoadingRules = {}): string {
  if (rules.explicitPath) return rules.explicitPath;
  const files = kubeConfigPrecedence(rules);
  for (const f of files) if (existsSync(f)) return f;
  const first = files[0];
  if (first === undefined) throw new ConfigError("no kubeconfig file to write to", { fix: "set KUBECONFIG or pass an explicit path" });
  return first;
}

function relativeTo(file: string, p: string | undefined): string | undefined {
  if (p === undefined || p === "" || !isAbsolute(p)) return p;
  return relative(dirname(resolve(file)), p);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * clientcmd.ModifyConfig: writes the differences between what `rules` loads and `newConfig` back to
 * the files: a changed or new context, cluster or user goes to the file it came from
 * (`locationOfOrigin`), or the default file; a removed one is removed from its file; a new
 * current-context goes to the first file that sets one (or the default file). With
 * `relativizePaths`, file references are written relative to the file (as `kubectl config` does).
 */
export function modifyConfig(rules: LoadingRules, newConfig: KubeConfig, relativizePaths = false): void {
  const starting = loadKubeConfig(rules).config;
  const cache = new Map<string, KubeConfig>();
  const fileConfig = (f: string): KubeConfig => {
    let c = cache.get(f);
    if (c === undefined) {
      c = readFileConfig(f);
      cache.set(f, c);
    }
    return c;
  };
  const dflt = (): string => defaultKubeConfigFilename(rules);

  // The current context and preferences go to the default file; unsetting the current context
  // clears it in the first file that sets one.
  if ((starting.currentContext ?? "") !== (newConfig.currentContext ?? "")) {
    let target: string | undefined;
    if (rules.explicitPath || newConfig.currentContext) target = dflt();
    else {
      for (const f of kubeConfigPrecedence(rules)) {
        if (existsSync(f) && fileConfig(f).currentContext) {
          target = f;
          break;
        }
      }
      if (target === undefined) throw new ConfigError("no config found to write context", { fix: "set KUBECONFIG or pass an explicit path" });
    }
    const c = fileConfig(target);
    if (newConfig.currentContext) c.currentContext = newConfig.currentContext;
    else delete c.currentContext;
  }
  if (!same(starting.preferences ?? {}, newConfig.preferences ?? {})) {
    const c = fileConfig(dflt());
    if (newConfig.preferences !== undefined) c.preferences = newConfig.preferences;
    else delete c.preferences;
  }
  type Kind = "contexts" | "clusters" | "authInfos";
  const strip = (e: object): object => {
    const { locationOfOrigin: _l, ...rest } = e as { locationOfOrigin?: string };
    return rest;
  };
  for (const kind of ["contexts", "clusters", "authInfos"] as Kind[]) {
    const next = newConfig[kind] as Record<string, Cluster & AuthInfo & Context>;
    const before = starting[kind] as Record<string, Cluster & AuthInfo & Context>;
    for (const [name, entry] of Object.entries(next)) {
      if (before[name] !== undefined && same(strip(before[name]), strip(entry))) continue;
      const file = entry.locationOfOrigin || before[name]?.locationOfOrigin || dflt();
      const out = { ...entry } as Cluster & AuthInfo & Context;
      const raw = rawEntries.get(entry) ?? (before[name] !== undefined ? rawEntries.get(before[name]) : undefined);
      if (raw !== undefined) rawEntries.set(out, raw);
      if (relativizePaths) {
        if (kind === "clusters") {
          const v = relativeTo(file, out.certificateAuthority);
          if (v !== undefined) out.certificateAuthority = v;
        }
        if (kind === "authInfos") {
          for (const k of ["clientCertificate", "clientKey", "tokenFile"] as const) {
            const v = relativeTo(file, out[k]);
            if (v !== undefined) out[k] = v;
          }
        }
      }
      delete out.locationOfOrigin;
      (fileConfig(file)[kind] as Record<string, object>)[name] = out;
    }
    for (const [name, entry] of Object.entries(before)) {
      if (name in next) continue;
      const file = entry.locationOfOrigin || dflt();
      delete (fileConfig(file)[kind] as Record<string, object>)[name];
    }
  }
  for (const [file, c] of cache) writeToFile(c, file);
}

// ---- @kubernetes/client-node's helpers ----------------------------------------------------------

/** client-node's `KubeConfig.exportConfig()`: the kubeconfig as clientcmd/api/v1 JSON text. */
export function exportConfig(config: KubeConfig): string {
  return JSON.stringify(toV1Config(config));
}

function add<T>(map: Record<string, T>, what: string, name: string, entry: T): void {
  if (name in map) throw new ConfigError(`Duplicate ${what}: ${name}`, { field: `${what}s[${name}]`, fix: `remove the existing ${what} first or pick another name` });
  map[name] = entry;
}

/** client-node's `addCluster`: adds a cluster; a ConfigError when the name is taken. */
export function addCluster(config: KubeConfig, name: string, cluster: Cluster): void {
  add(config.clusters, "cluster", name, cluster);
}

/** client-node's `addUser`: adds a user; a ConfigError when the name is taken. */
export function addUser(config: KubeConfig, name: string, user: AuthInfo): void {
  add(config.authInfos, "user", name, user);
}

/** client-node's `addContext`: adds a context; a ConfigError when the name is taken. */
export function addContext(config: KubeConfig, name: string, context: Context): void {
  add(config.contexts, "context", name, context);
}

/** client-node's `setCurrentContext` (kubectl config use-context); the context must exist. */
export function setCurrentContext(config: KubeConfig, name: string): void {
  if (!(name in config.contexts)) throw new ConfigError(`no context exists with the name: "${name}"`, { field: "current-context", fix: "add the context first or pick one of the existing contexts" });
  config.currentContext = name;
}

/** Reads a kubeconfig file with its relative paths resolved, ready to modify and write back. */
export function readKubeConfigForWrite(file: string): KubeConfig {
  const c = readFileConfig(file);
  resolveLocalPaths(c);
  return c;
}
