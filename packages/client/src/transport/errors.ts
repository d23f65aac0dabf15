/**
 * Raised when a request got no complete HTTP response: the server is down or unreachable, TLS verification
 * failed, the request timed out, the connection broke mid-body or mid-watch (`code` is the low-level one,
 * such as ECONNRESET or UND_ERR_SOCKET), a watch went silent (ERR_WATCH_IDLE_TIMEOUT, ERR_WATCH_DEADLINE),
 * or the body was over the size bound (ERR_RESPONSE_TOO_LARGE). `host` names the server, the message says
 * what to check.
 */
export class TransportError extends Error {
  override readonly name = "TransportError" as const;
  /** The server that could not be reached, as `https://host:port`. */
  readonly host: string;
  /** The low-level error code (ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...), when known. */
  readonly code: string | undefined;

  constructor(message: string, options: { host: string; code?: string | undefined; cause?: unknown }) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.host = options.host;
    this.code = options.code;
  }
}

/** True for a TransportError from any copy of @kubets/client. */
export function isTransportError(err: unknown): err is TransportError {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "TransportError";
}

const TLS_VERIFY_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
]);

/** The code of an error or of the first error in its cause chain that has one. */
export function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && typeof e === "object" && e !== null; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True for the "connection was cut" errors client-go retries GETs on (IsConnectionReset, IsProbableEOF). */
export function isConnectionResetError(err: unknown): boolean {
  const code = errorCode(err);
  return code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET" || code === "UND_ERR_CLOSED";
}

/** The address and port a connect error names, as `host:port` (Node puts them on the error). */
function failedAddress(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && typeof e === "object" && e !== null; i++) {
    const { address, port } = e as { address?: unknown; port?: unknown };
    if (typeof address === "string" && typeof port === "number") return `${address}:${port}`;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function proxyHostPort(proxy: string): { hostPort: string; display: string } | undefined {
  try {
    const u = new URL(proxy);
    const port = u.port || (u.protocol === "https:" ? "443" : u.protocol === "socks5:" ? "1080" : "80");
    return { hostPort: `${u.hostname.replace(/^\[|\]$/g, "")}:${port}`, display: `${u.protocol}//${u.host}` };
  } catch {
    return undefined;
  }
}

/**
 * Turns a low-level network or TLS error into a TransportError that says what to check. With `proxy` (the
 * proxy URL in use), a failure to reach the proxy, or the proxy's refusal to tunnel, blames the proxy.
 */
export function toTransportError(err: unknown, host: string, serverName?: string, proxy?: string): TransportError {
  const code = errorCode(err);
  const msg = (m: string) => new TransportError(m, { host, code, cause: err });
  const p = proxy !== undefined ? proxyHostPort(proxy) : undefined;
  if (p) {
    const tunnel = /Proxy response \((\d+)\) !== 200/.exec(err instanceof Error ? err.message : "");
    if (tunnel)
      return msg(`the proxy ${p.display} refused to open a tunnel to ${host} (HTTP ${tunnel[1]}): check proxy-url (or HTTPS_PROXY) and the proxy's access rules`);
    if (failedAddress(err) === p.hostPort && code !== undefined)
      return msg(`cannot reach the proxy ${p.display} (${code}) on the way to ${host}: is the proxy running, and is proxy-url (or HTTPS_PROXY) correct?`);
  }
  if (code === "ECONNREFUSED")
    return msg(`connection to ${host} refused: is the API server running and is the server URL in the kubeconfig correct?`);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return msg(`cannot resolve the host of ${host}: check the server URL in the kubeconfig and your DNS`);
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH")
    return msg(`no route to ${host}: check the network (VPN, firewall) and the server URL`);
  if (code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT")
    return msg(`timed out connecting to ${host}: check that the server is reachable from here (firewall, proxy)`);
  if (code !== undefined && TLS_VERIFY_CODES.has(code))
    return msg(
      `x509: the certificate of ${host} is not signed by a trusted authority (${code}): set certificate-authority(-data) in the kubeconfig to the CA that signed the API server's certificate`,
    );
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID")
    return msg(
      `x509: the certificate of ${host} is not valid for ${serverName ?? "this host"}: use the name in the certificate as server URL or set tls-server-name`,
    );
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID")
    return msg(`x509: the certificate of ${host} has expired or is not yet valid (${code}): renew the server certificate or check the clock`);
  if (code !== undefined && /^ERR_SSL_.*ALERT/.test(code))
    return msg(`the TLS handshake with ${host} failed (${code}): the server rejected the client certificate or the TLS settings`);
  if (isConnectionResetError(err))
    return msg(`the connection to ${host} was closed unexpectedly (${code}): the server restarted or a proxy cut the connection; retry`);
  const text = err instanceof Error ? err.message : String(err);
  return msg(`request to ${host} failed: ${text}`);
}
