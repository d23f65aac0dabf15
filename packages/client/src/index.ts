// The most used entry points; everything else lives in the subpath exports (./config, ./rest, ./auth,
// ./transport, ./util, ./discovery, ./restmapper, ./dynamic, ./metadata, ./scale).
export { ConfigError, isConfigError, loadConfig, loadNamespace, type LoadConfigOptions, type RestConfig } from "./config/index.js";
export { RESTClient, restClientFor, TransportError, isTransportError, PatchType, type Request, type Watch } from "./rest/index.js";
export { DEFAULT_RETRY, ListPager, retryOnConflict } from "./util/index.js";
