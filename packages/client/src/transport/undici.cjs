"use strict";
// What the client takes from undici, through the "#undici" package import (package.json "imports").
// `require("undici")` loads fetch, WebSocket, the cache and cookies too, and costs 90-250 ms of a cold
// start; the client needs the Agent, the connector and the request API only. The proxy agents load
// on the first pool that needs one (proxyAgents()). Bundlers get dist/vendor/undici.js instead
// (scripts/vendor-esm.mjs), which exports the same names.
const Dispatcher = require("undici/lib/dispatcher/dispatcher.js");
// undici's index gives every dispatcher its request/stream API the same way; doing it twice is harmless.
Object.assign(Dispatcher.prototype, require("undici/lib/api/index.js"));

exports.Agent = require("undici/lib/dispatcher/agent.js");
exports.buildConnector = require("undici/lib/core/connect.js");
exports.proxyAgents = function proxyAgents() {
  return {
    ProxyAgent: require("undici/lib/dispatcher/proxy-agent.js"),
    EnvHttpProxyAgent: require("undici/lib/dispatcher/env-http-proxy-agent.js"),
    Socks5ProxyAgent: require("undici/lib/dispatcher/socks5-proxy-agent.js"),
  };
};
