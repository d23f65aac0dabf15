// client-go's tools/portforward: forward local ports to a pod.
export {
  PortForwarder,
  PortForwardError,
  isPortForwardError,
  parsePorts,
  PortForwardProtocolV4Binary,
  type ForwardedPort,
  type PortForwardOptions,
} from "./portforward.js";
export { portForward } from "./helpers.js";
