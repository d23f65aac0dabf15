import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { ConfigError } from "../config/errors.js";
import type { TLSClientConfig } from "../config/types.js";

function readPem(path: string, field: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`, {
      field,
      fix: "point it at a readable PEM file",
      cause: err,
    });
  }
}

/** Node TLS options for a TLSClientConfig; data wins over files, as in client-go. */
export function tlsConnectOptions(tls: TLSClientConfig): ConnectionOptions {
  const out: ConnectionOptions = {};
  if (tls.insecure) {
    if (tls.caData || tls.caFile)
      throw new ConfigError("a root certificate is set together with insecure-skip-tls-verify", {
        field: "insecure-skip-tls-verify",
        fix: "remove insecure-skip-tls-verify (or the certificate-authority)",
      });
    out.rejectUnauthorized = false;
  } else {
    out.rejectUnauthorized = true;
  }
  const ca = tls.caData ?? (tls.caFile ? readPem(tls.caFile, "certificate-authority") : undefined);
  if (ca) out.ca = ca;
  const cert = tls.certData ?? (tls.certFile ? readPem(tls.certFile, "client-certificate") : undefined);
  const key = tls.keyData ?? (tls.keyFile ? readPem(tls.keyFile, "client-key") : undefined);
  if (cert !== undefined || key !== undefined) {
    if (cert === undefined || key === undefined)
      throw new ConfigError("a client certificate needs both the certificate and the key", {
        field: cert === undefined ? "client-certificate" : "client-key",
        fix: "set both client-certificate(-data) and client-key(-data)",
      });
    out.cert = cert;
    out.key = key;
  }
  if (tls.serverName) out.servername = tls.serverName;
  return out;
}
