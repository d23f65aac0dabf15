import type { RestConfig } from "../config/types.js";
import { PortForwarder, type PortForwardOptions } from "./portforward.js";

/**
 * Starts forwarding and resolves once every port listens: `pf.getPorts()` has the local ports, `pf.close()`
 * stops, `pf.done` settles when forwarding ends (rejecting with the error that ended it).
 */
export async function portForward(config: RestConfig, options: PortForwardOptions): Promise<PortForwarder & { done: Promise<void> }> {
  const pf = new PortForwarder(config, options);
  const done = pf.forwardPorts();
  done.catch(() => undefined);
  await Promise.race([pf.ready, done]);
  return Object.assign(pf, { done });
}
