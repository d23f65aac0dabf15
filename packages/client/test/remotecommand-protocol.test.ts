// The error channel as the kubelet writes it (k8s.io/cri-streaming remotecommand: v4WriteStatusFunc of the
// Status built in ServeExec) and as client-go's errorDecoderV4 / errorDecoderV2 read it.
import { describe, expect, it } from "vitest";
import { isInternalError } from "@kubets/apimachinery/errors";
import {
  CodeExitError,
  decodeErrorChannel,
  exitCodeOf,
  isCodeExitError,
  StreamProtocolV3Name,
  StreamProtocolV4Name,
  StreamProtocolV5Name,
} from "../src/remotecommand/index.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

// byte for byte what the kubelet sends for `sh -c "exit 3"` (json.Marshal of its streamStatus)
const KUBELET_EXIT_3 =
  '{"status":"Failure","message":"command terminated with non-zero exit code: exit status 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}';
const KUBELET_SUCCESS = '{"status":"Success"}';
const KUBELET_INTERNAL =
  '{"status":"Failure","message":"Internal error occurred: error executing command in container: exec: \\"nope\\": executable file not found in $PATH","reason":"InternalError","code":500}';

describe("remote command error channel", () => {
  it("reads the kubelet's success status as no error (v4 and v5)", () => {
    expect(decodeErrorChannel(StreamProtocolV4Name, enc(KUBELET_SUCCESS))).toBeUndefined();
    expect(decodeErrorChannel(StreamProtocolV5Name, enc(KUBELET_SUCCESS))).toBeUndefined();
  });

  it("turns the kubelet's NonZeroExitCode status into CodeExitError with the exit code", () => {
    const err = decodeErrorChannel(StreamProtocolV5Name, enc(KUBELET_EXIT_3));
    expect(err).toBeInstanceOf(CodeExitError);
    expect(isCodeExitError(err)).toBe(true);
    expect(exitCodeOf(err)).toBe(3);
    expect((err as CodeExitError).exitStatus()).toBe(3);
    expect(err?.message).toBe("command terminated with exit code 3");
  });

  it("turns other failures into a StatusError with the server's reason and message", () => {
    const err = decodeErrorChannel(StreamProtocolV4Name, enc(KUBELET_INTERNAL));
    expect(err?.name).toBe("StatusError");
    expect(isInternalError(err)).toBe(true);
    expect(err?.message).toContain("executable file not found");
    expect(exitCodeOf(err)).toBeUndefined();
  });

  it("rejects malformed statuses as client-go does, with DecodeError", () => {
    expect(() => decodeErrorChannel(StreamProtocolV5Name, enc("{not json"))).toThrow(expect.objectContaining({ name: "DecodeError" }));
    expect(() => decodeErrorChannel(StreamProtocolV5Name, enc('{"status":"Failure","reason":"NonZeroExitCode"}'))).toThrow(/details must be set/);
    expect(() =>
      decodeErrorChannel(StreamProtocolV5Name, enc('{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"Other","message":"1"}]}}')),
    ).toThrow(/no ExitCode cause given/);
    expect(() =>
      decodeErrorChannel(StreamProtocolV5Name, enc('{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"300"}]}}')),
    ).toThrow(/invalid exit code value "300"/);
    expect(() => decodeErrorChannel(StreamProtocolV5Name, enc('{"status":"Weird"}'))).toThrow(/unknown status/);
  });

  it("reads v1-v3 error channels as plain text", () => {
    const err = decodeErrorChannel(StreamProtocolV3Name, enc("command not found"));
    expect(err?.name).toBe("StatusError");
    expect(err?.message).toBe("error executing remote command: command not found");
  });
});
