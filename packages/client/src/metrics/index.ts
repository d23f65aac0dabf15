/**
 * client-go's tools/metrics: process-wide hooks the REST client and the exec credential plugin report
 * to, no-ops until {@link register} installs adapters. `@kubets/prometheus` installs prom-client ones
 * under the names Kubernetes components and controller-runtime use (`rest_client_requests_total`, ...).
 */
export {
  ExecPluginCallStatus,
  register,
  reset,
  type CallsMetric,
  type LatencyMetric,
  type RegisterOpts,
  type ResultMetric,
  type RetryMetric,
} from "../internal/metrics.js";
