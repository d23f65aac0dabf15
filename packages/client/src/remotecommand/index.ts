// client-go's tools/remotecommand: exec and attach into containers over WebSocket.
export {
  CodeExitError,
  isCodeExitError,
  exitCodeOf,
  decodeErrorChannel,
  StreamStdIn,
  StreamStdOut,
  StreamStdErr,
  StreamErr,
  StreamResize,
  StreamClose,
  StreamProtocolV5Name,
  StreamProtocolV4Name,
  StreamProtocolV3Name,
  StreamProtocolV2Name,
  StreamProtocolV1Name,
  NonZeroExitCodeReason,
  ExitCodeCauseType,
} from "./protocol.js";
export {
  newWebSocketExecutor,
  DEFAULT_PROTOCOLS,
  type Executor,
  type StreamOptions,
  type TerminalSize,
  type TerminalSizeQueue,
  type WebSocketExecutorOptions,
} from "./websocket.js";
export {
  exec,
  attach,
  execCapture,
  execPath,
  attachPath,
  type ExecOptions,
  type AttachOptions,
  type ExecCaptureOptions,
  type ExecResult,
  type PodStreamTarget,
} from "./exec.js";
export { copyToPod, copyFromPod, type CopyOptions } from "./cp.js";
export { CopyError, isCopyError, TarExtractor, tarTree, type ExtractOptions } from "../internal/tar.js";
