/**
 * Watch events and watch stream decoding (k8s.io/apimachinery/pkg/watch, client-go rest/watch).
 */
export { EventType, isEventType, toWatchEvent, watchEventError } from "./event.js";
export type { ErrorWatchEvent, ObjectWatchEvent, WatchEvent } from "./event.js";
export {
  JSONWatchDecoder,
  ProtobufWatchDecoder,
  decodeWatchEventMessage,
  decodeWatchStream,
  encodeJSONWatchEvent,
  encodeProtobufWatchEvent,
  encodeProtobufWatchFrame,
  encodeWatchEventMessage,
  jsonWatchEvents,
  protobufWatchEvents,
} from "./decoder.js";
export type { RawWatchEvent, WatchDecoderOptions, WatchEventDecoder } from "./decoder.js";
