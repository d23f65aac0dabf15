/**
 * Watch stream decoders: newline-delimited JSON (`application/json;stream=watch`) and
 * length-framed protobuf (`application/vnd.kubernetes.protobuf;stream=watch`).
 *
 * As in Go (client-go rest/watch + the protobuf RawSerializer), each protobuf frame is a bare
 * `metav1.WatchEvent` message `{ type = 1: string, object = 2: RawExtension { raw = 1: bytes } }`
 * whose `object.raw` is a complete `k8s\0` envelope of the object. A frame that itself starts
 * with `k8s\0` (an enveloped WatchEvent) is accepted too.
 */
import { ProtoReader, ProtoWriter } from "../protobuf/index.js";
import { DecodeError, isDecodeError } from "../serializer/decode-error.js";
import { JSONFrameDecoder, LengthDelimitedFrameDecoder, deferFailure, encodeLengthDelimitedFrame } from "../serializer/framer.js";
import type { FrameDecoderOptions } from "../serializer/framer.js";
import { decodeJSON, encodeJSON } from "../serializer/json.js";
import { ProtobufSerializer, decodeEnvelope, hasProtobufMagic } from "../serializer/protobuf-envelope.js";
import type { ProtobufCodecRegistry } from "../serializer/protobuf-envelope.js";
import { encodeUtf8 } from "../serializer/web.js";
import { toWatchEvent } from "./event.js";
import type { WatchEvent } from "./event.js";

/** A push-style decoder: feed chunks, collect events, call end() when the input ends. */
export interface WatchEventDecoder<T> {
  push(chunk: Uint8Array): WatchEvent<T>[];
  /** Throws a DecodeError when the stream ended inside an event. */
  end(): void;
}

/** Bounds of the watch decoders (the largest event accepted). */
export type WatchDecoderOptions = FrameDecoderOptions;

/** Decodes a JSON watch stream incrementally. */
export class JSONWatchDecoder<T = unknown> implements WatchEventDecoder<T> {
  private readonly frames: JSONFrameDecoder;
  constructor(options: WatchDecoderOptions = {}) {
    this.frames = new JSONFrameDecoder(options);
  }
  push(chunk: Uint8Array): WatchEvent<T>[] {
    const values = this.frames.push(chunk);
    const out: WatchEvent<T>[] = [];
    try {
      for (let i = 0; i < values.length; i++) out.push(toWatchEvent<T>(values[i]));
    } catch (err) {
      return deferFailure(this.frames, err, out);
    }
    return out;
  }
  end(): void {
    this.frames.end();
  }
}

/** The fields of a protobuf `metav1.WatchEvent`, with `object.raw` still encoded. */
export interface RawWatchEvent {
  readonly type: string;
  readonly raw: Uint8Array;
}

/** Decode one `metav1.WatchEvent` message (no frame, no envelope). */
export function decodeWatchEventMessage(data: Uint8Array, start = 0, end = data.length): RawWatchEvent {
  const r = new ProtoReader(data, start, end);
  let type = "";
  let raw: Uint8Array = data.subarray(0, 0);
  while (!r.eof()) {
    const t = r.tag();
    if (t === 0x0a) {
      type = r.string();
    } else if (t === 0x12) {
      const ext = r.sub();
      while (!ext.eof()) {
        const t2 = ext.tag();
        if (t2 === 0x0a) raw = ext.bytes();
        else ext.skip(t2 & 7);
      }
    } else {
      r.skip(t & 7);
    }
  }
  return { type, raw };
}

/** Encode one `metav1.WatchEvent` message (no frame). */
export function encodeWatchEventMessage(type: string, raw: Uint8Array): Uint8Array {
  const w = new ProtoWriter(raw.length + type.length + 16);
  w.tag(1, 2).string(type);
  w.tag(2, 2).fork().tag(1, 2).bytes(raw).ldelim();
  return w.finish();
}

/** Decodes a length-framed protobuf watch stream incrementally, objects through a codec registry. */
export class ProtobufWatchDecoder<T = unknown> implements WatchEventDecoder<T> {
  private readonly frames: LengthDelimitedFrameDecoder;
  private readonly serializer: ProtobufSerializer;
  constructor(registry: ProtobufCodecRegistry, options: WatchDecoderOptions = {}) {
    this.frames = new LengthDelimitedFrameDecoder(options);
    this.serializer = new ProtobufSerializer(registry);
  }
  push(chunk: Uint8Array): WatchEvent<T>[] {
    const frames = this.frames.push(chunk);
    const out: WatchEvent<T>[] = [];
    try {
      for (const frame of frames) out.push(this.decodeFrame(frame));
    } catch (err) {
      return deferFailure(this.frames, err, out);
    }
    return out;
  }
  end(): void {
    this.frames.end();
  }

  /** Decode one frame's payload to an event. */
  decodeFrame(frame: Uint8Array): WatchEvent<T> {
    let msg = frame;
    if (hasProtobufMagic(frame)) msg = decodeEnvelope(frame).raw;
    const ev = decodeWatchEventMessage(msg);
    let object: unknown;
    try {
      object = decodeEmbedded(this.serializer, ev.raw);
    } catch (err) {
      if (isDecodeError(err) && err.path === undefined) {
        throw new DecodeError(`watch: cannot decode the ${ev.type || "event"} object: ${err.message}`, { path: "object", cause: err });
      }
      throw err;
    }
    return toWatchEvent<T>({ type: ev.type, object });
  }
}

function decodeEmbedded(serializer: ProtobufSerializer, raw: Uint8Array): unknown {
  if (raw.length === 0) throw new DecodeError("watch: event has no object", { path: "object" });
  if (hasProtobufMagic(raw)) return serializer.decode(raw);
  // RawExtension may hold JSON (e.g. from a fake or a JSON-only type).
  return decodeJSON(raw);
}

/** Run a push decoder over an async byte source. */
export async function* decodeWatchStream<T>(
  source: AsyncIterable<Uint8Array>,
  decoder: WatchEventDecoder<T>,
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  for await (const chunk of source) {
    const events = decoder.push(chunk);
    for (const ev of events) yield ev;
  }
  decoder.end();
}

/** Events of a JSON watch stream (`application/json;stream=watch`). */
export function jsonWatchEvents<T = unknown>(source: AsyncIterable<Uint8Array>, options: WatchDecoderOptions = {}): AsyncGenerator<WatchEvent<T>, void, undefined> {
  return decodeWatchStream(source, new JSONWatchDecoder<T>(options));
}

/** Events of a protobuf watch stream (`application/vnd.kubernetes.protobuf;stream=watch`). */
export function protobufWatchEvents<T = unknown>(
  source: AsyncIterable<Uint8Array>,
  registry: ProtobufCodecRegistry,
  options: WatchDecoderOptions = {},
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  return decodeWatchStream(source, new ProtobufWatchDecoder<T>(registry, options));
}

// ---------------------------------------------------------------------------------------------
// Encoders (for tests, fakes and servers).

/** One JSON watch event as the API server writes it: the JSON and a newline. */
export function encodeJSONWatchEvent(event: { readonly type: string; readonly object: unknown }): Uint8Array {
  return encodeUtf8(`${encodeJSON({ type: event.type, object: event.object })}\n`);
}

/**
 * One protobuf watch frame: length prefix + WatchEvent message whose object.raw is the object's
 * `k8s\0` envelope, encoded with the registry's codec for its apiVersion/kind.
 */
export function encodeProtobufWatchEvent(
  event: { readonly type: string; readonly object: { readonly apiVersion?: string; readonly kind?: string } },
  registry: ProtobufCodecRegistry,
): Uint8Array {
  const raw = new ProtobufSerializer(registry).encode(event.object);
  return encodeLengthDelimitedFrame(encodeWatchEventMessage(event.type, raw));
}

/** One protobuf watch frame from an already-encoded object envelope. */
export function encodeProtobufWatchFrame(type: string, objectEnvelope: Uint8Array): Uint8Array {
  return encodeLengthDelimitedFrame(encodeWatchEventMessage(type, objectEnvelope));
}
