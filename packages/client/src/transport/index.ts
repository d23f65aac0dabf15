export { Transport, impersonationHeaders, type TransportOptions, type TransportRequest, type TransportResponse, type TransportStats } from "./transport.js";
export { ResponseBody, type BodySink, type SentResponse } from "./body.js";
export { TransportError, isTransportError, isConnectionResetError, toTransportError } from "./errors.js";
export { CachedFileTokenSource, type CachedFileTokenSourceOptions } from "./token-source.js";
export { tlsConnectOptions } from "./tls.js";
export { defaultUserAgent } from "./user-agent.js";
