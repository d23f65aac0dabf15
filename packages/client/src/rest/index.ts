export {
  DEFAULT_BURST,
  DEFAULT_MAX_RETRIES,
  DEFAULT_QPS,
  RESTClient,
  restClientFor,
  type BodyDecoder,
  type RESTClientOptions,
} from "./client.js";
export { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_WATCH_IDLE_TIMEOUT, PatchType, Request, type Params, type ResponseStream, type Result, type Watch } from "./request.js";
export { newDeduplicatingWarningWriter, newWarningLogger, parseWarningHeaders, type WarningHeader } from "./warnings.js";
export { TransportError, isTransportError } from "../transport/errors.js";
export { checkHealth, livez, readyz, type HealthCheckOptions, type HealthCheckResult } from "./health.js";
