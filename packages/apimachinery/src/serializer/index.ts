/**
 * Serializers for the Kubernetes wire formats: JSON (fast and strict), YAML (sigs.k8s.io/yaml
 * semantics), the protobuf `k8s\0` envelope, and the framers used by watch streams.
 */
export { DecodeError, isDecodeError } from "./decode-error.js";
export {
  ContentTypeJSON,
  ContentTypeYAML,
  ContentTypeProtobuf,
  ContentTypeCBOR,
  ContentTypeJSONWatch,
  ContentTypeProtobufWatch,
  PatchType,
  acceptHeader,
  formatMediaType,
  isWatchStream,
  parseMediaType,
  partialObjectMetadataAcceptHeader,
  serializerForContentType,
  tableAcceptHeader,
} from "./content-type.js";
export type { AcceptEntry, MediaType, SerializerKind } from "./content-type.js";
export { MAX_YAML_DEPTH, parseYAML, parseYAMLDocuments, parseYAMLStrict, toYAML } from "./yaml.js";
export type { ToYAMLOptions, YAMLDocumentsOptions, YAMLParseOptions, YAMLStrictResult } from "./yaml.js";
export {
  MAX_JSON_DEPTH,
  StrictDecodingError,
  decodeJSON,
  decodeJSONStrict,
  encodeJSON,
  encodeJSONBytes,
  isStrictDecodingError,
  parseJSONExact,
  stringifyJSON,
} from "./json.js";
export type { FieldSchema, JSONEncodeOptions, JSONStrictOptions, JSONStrictResult, KnownFieldPredicate } from "./json.js";
export {
  MapProtobufCodecRegistry,
  PROTOBUF_MAGIC,
  ProtobufSerializer,
  decodeEnvelope,
  decodeUnknown,
  encodeEnvelope,
  hasProtobufMagic,
  protobufCodecKey,
  writeUnknown,
} from "./protobuf-envelope.js";
export type { ProtobufCodec, ProtobufCodecRegistry, ProtobufEnvelope, ProtobufEnvelopeInit } from "./protobuf-envelope.js";
export {
  DEFAULT_MAX_FRAME_BYTES,
  JSONFrameDecoder,
  LengthDelimitedFrameDecoder,
  encodeLengthDelimitedFrame,
} from "./framer.js";
export type { FrameDecoderOptions } from "./framer.js";
export { ProtobufStreamDecoder } from "./protobuf-stream.js";
