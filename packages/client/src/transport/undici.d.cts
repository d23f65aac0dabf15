import type { EnvHttpProxyAgent, ProxyAgent, Socks5ProxyAgent } from "undici";

export { Agent, buildConnector } from "undici";

/** undici's proxy agents, loaded on first call. */
export declare function proxyAgents(): {
  ProxyAgent: typeof ProxyAgent;
  EnvHttpProxyAgent: typeof EnvHttpProxyAgent;
  Socks5ProxyAgent: typeof Socks5ProxyAgent;
};
