// The remote command stream protocol (k8s.io/apimachinery/pkg/util/remotecommand and client-go's
// tools/remotecommand errorDecoderV2/V4): channel numbers, subprotocol names, and the error channel.
import { StatusError } from "@kubets/apimachinery/errors";
import { DecodeError } from "@kubets/apimachinery/serializer";
import type { Status } from "@kubets/apimachinery/meta/v1";

/** Stream ids of the channel protocols (the first byte of every WebSocket message). */
export const StreamStdIn = 0;
/** Stream id of the command's stdout. */
export const StreamStdOut = 1;
/** Stream id of the command's stderr (unused with a TTY, where stderr is merged into stdout). */
export const StreamStdErr = 2;
/** Stream id of the error channel: the Status that ends the command. */
export const StreamErr = 3;
/** Stream id of the terminal resize channel (JSON `{ Width, Height }` messages). */
export const StreamResize = 4;
/** v5: a message `[255, id]` half-closes stream `id` (stdin EOF). */
export const StreamClose = 255;

/** Subprotocol names, newest first. */
export const StreamProtocolV5Name = "v5.channel.k8s.io";
/** v4: the error channel carries a Status with an ExitCode cause; resize is supported. */
export const StreamProtocolV4Name = "v4.channel.k8s.io";
/** v3: adds the resize channel; the error channel carries plain text. */
export const StreamProtocolV3Name = "v3.channel.k8s.io";
/** v2: stdin, stdout, stderr and a plain-text error channel. */
export const StreamProtocolV2Name = "v2.channel.k8s.io";
/** v1: the original channel protocol (never offered by this client). */
export const StreamProtocolV1Name = "channel.k8s.io";

/** The reason and cause type of a non-zero exit in the v4+ error channel. */
export const NonZeroExitCodeReason = "NonZeroExitCode";
/** The cause type whose message is the exit code in a NonZeroExitCode Status. */
export const ExitCodeCauseType = "ExitCode";

/**
 * A command that ran and exited with a non-zero code (client-go's util/exec.CodeExitError):
 * `code` is the exit code, the message "command terminated with exit code N".
 */
export class CodeExitError extends Error {
  override readonly name = "CodeExitError" as const;
  /** The exit code of the remote command (1..255). */
  readonly code: number;
  constructor(code: number) {
    super(`command terminated with exit code ${code}`);
    this.code = code;
  }
  /** Go's ExitStatus(). */
  exitStatus(): number {
    return this.code;
  }
}

/** True for a CodeExitError from any copy of @kubets/client. */
export function isCodeExitError(err: unknown): err is CodeExitError {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "CodeExitError" && typeof (err as { code?: unknown }).code === "number";
}

/** The exit code an error stands for: 0 for none, the code of a CodeExitError, else undefined. */
export function exitCodeOf(err: unknown): number | undefined {
  if (err === undefined || err === null) return 0;
  return isCodeExitError(err) ? err.code : undefined;
}

/**
 * Decodes what the server wrote on the error channel, as the protocol version says:
 * v4 and v5 send a JSON Status (Success, a NonZeroExitCode failure with an ExitCode cause, or any other
 * failure), v1 to v3 a plain text message. Returns undefined for success.
 */
export function decodeErrorChannel(protocol: string, message: Uint8Array): Error | undefined {
  const text = Buffer.from(message).toString("utf8");
  if (protocol !== StreamProtocolV4Name && protocol !== StreamProtocolV5Name) {
    return new StatusError({ status: "Failure", message: `error executing remote command: ${text}`, reason: "InternalError", code: 500 });
  }
  let status: Status;
  try {
    status = JSON.parse(text) as Status;
  } catch (err) {
    throw new DecodeError(`error stream protocol error: ${(err as Error).message} in ${JSON.stringify(text.slice(0, 200))}`, { cause: err });
  }
  if (typeof status !== "object" || status === null) throw new DecodeError(`error stream protocol error: not a Status: ${JSON.stringify(text.slice(0, 200))}`);
  if (status.status === "Success") return undefined;
  if (status.status !== "Failure") throw new DecodeError(`error stream protocol error: unknown status ${JSON.stringify(status.status ?? "")}`);
  if (status.reason === NonZeroExitCodeReason) {
    if (!status.details) throw new DecodeError("error stream protocol error: details must be set");
    for (const cause of status.details.causes ?? []) {
      if (cause.reason !== ExitCodeCauseType) continue; // Go's StatusCause.Type is "reason" in JSON
      const raw = cause.message ?? "";
      const code = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
      if (!(code >= 0 && code <= 255)) throw new DecodeError(`error stream protocol error: invalid exit code value ${JSON.stringify(raw)}`);
      return new CodeExitError(code);
    }
    throw new DecodeError(`error stream protocol error: no ${ExitCodeCauseType} cause given`);
  }
  return new StatusError({ kind: "Status", apiVersion: "v1", ...status });
}
