export {
  DEFAULT_EXEC_TIMEOUT,
  DEFAULT_INTERACTIVE_EXEC_TIMEOUT,
  EXEC_INFO_ENV,
  ExecAuthenticator,
  execAuthenticatorFor,
  execClusterFor,
  type ExecAuthenticatorOptions,
  type ExecCluster,
  type ExecCredentials,
} from "./exec.js";
export { OIDCAuthProvider, authProviderFor, idTokenValid, type OIDCAuthProviderOptions } from "./oidc.js";
