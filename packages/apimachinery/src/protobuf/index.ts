/**
 * Protobuf wire primitives used by the Kubernetes protobuf serializer and the generated codecs.
 *
 * A reader and writer of our own (not protobufjs's): bounds-checked, allocation-free on the decode
 * hot path, browser-safe. See the package README for the measurements behind that choice.
 */
export { ProtoReader, WireType, bytesOfLatin1, decodeUtf8 } from "./reader.js";
export { ProtoWriter } from "./writer.js";
export {
  appendTo,
  collectUnknownField,
  countRun,
  base64Decode,
  base64Encode,
  decodeMessage,
  emptyReader,
  encodeMessage,
  formatDuration,
  hasUnknownFields,
  keepUnknownFields,
  formatMicroTime,
  formatTime,
  parseDuration,
  parseRawJSON,
  parseTime,
  readBytesBase64,
  readDuration,
  readIntOrString,
  readInterned,
  readMessage,
  readMicroTime,
  readPacked,
  readQuantity,
  readRawJSON,
  readRawJSONText,
  readRepeated,
  readRepeatedString,
  readTime,
  defineLazy,
  defineLazyJSON,
  lazyRunParser,
  readLazyRun,
  writeLazyRun,
  lazyJSONText,
  setEntry,
  shapeOf,
  Shape,
  unknownFields,
  unknownFieldsKey,
  writeDuration,
  writeIntOrString,
  writeMicroTime,
  writeQuantity,
  writeRawJSON,
  writeRawJSONText,
  writeTime,
  writeUnknownFields,
} from "./codec.js";
export type { LazyParser, MessageReader, MessageWriter, ShapeFactory } from "./codec.js";
export * from "../gen/index.js";
