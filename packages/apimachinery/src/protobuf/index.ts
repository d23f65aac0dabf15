/**
 * Protobuf wire primitives used by the Kubernetes protobuf serializer and the generated codecs.
 *
 * A reader and writer of our own (not protobufjs's): bounds-checked, allocation-free on the decode
 * hot path, browser-safe. See the package README for the measurements behind that choice.
 */
export { ProtoReader, WireType, decodeUtf8 } from "./reader.js";
export { ProtoWriter } from "./writer.js";
