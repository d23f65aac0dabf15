/**
 * The few WHATWG globals the serializers use, typed locally: the package compiles without DOM or
 * Node typings and must run in browsers, Node, Deno and Bun alike.
 */

interface Utf8Decoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
interface Utf8Encoder {
  encode(input: string): Uint8Array;
}
interface WebGlobals {
  TextDecoder: new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) => Utf8Decoder;
  TextEncoder: new () => Utf8Encoder;
  atob(data: string): string;
  btoa(data: string): string;
}

const web = globalThis as unknown as WebGlobals;

/** A UTF-8 decoder; `fatal` makes invalid input throw a TypeError. */
export function newUtf8Decoder(fatal: boolean): Utf8Decoder {
  return new web.TextDecoder("utf-8", { fatal, ignoreBOM: false });
}

let encoder: Utf8Encoder | undefined;
/** Encode a string as UTF-8. */
export function encodeUtf8(s: string): Uint8Array {
  encoder ??= new web.TextEncoder();
  return encoder.encode(s);
}

let lenient: Utf8Decoder | undefined;
/** Decode UTF-8, replacing invalid sequences with U+FFFD (as Go's JSON encoder does). */
export function decodeUtf8Lenient(b: Uint8Array): string {
  lenient ??= newUtf8Decoder(false);
  return lenient.decode(b);
}

let strict: Utf8Decoder | undefined;
/** Decode UTF-8, throwing a TypeError on invalid input. */
export function decodeUtf8Strict(b: Uint8Array): string {
  strict ??= newUtf8Decoder(true);
  return strict.decode(b);
}

/** Standard base64 to bytes; undefined when the text is not valid padded base64. */
export function base64ToBytes(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  let bin: string;
  try {
    bin = web.atob(s);
  } catch {
    return undefined;
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Bytes to standard padded base64. */
export function bytesToBase64(b: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < b.length; i += 0x8000) {
    bin += String.fromCharCode(...b.subarray(i, i + 0x8000));
  }
  return web.btoa(bin);
}
