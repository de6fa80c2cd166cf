/**
 * Messages of the WebSocket transport. JSON, except that byte arrays (image pixels, uploaded files)
 * travel as base64 so they arrive as Uint8Array on the other side, as they do over Electron IPC.
 */
import type { Envelope, EventChannel, EventPayloads, RequestChannel } from './api.ts';

export type ClientMessage = { type: 'request'; id: number; channel: RequestChannel; arg: unknown };

export type ServerMessage =
  | { type: 'response'; id: number; envelope: Envelope<unknown> }
  | { [E in EventChannel]: { type: 'event'; channel: E; payload: EventPayloads[E] } }[EventChannel];

const BYTES_KEY = '$bytes';
const CHUNK = 0x8000;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Serialises a message, carrying Uint8Arrays (and Node Buffers) as base64. */
export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? { [BYTES_KEY]: toBase64(raw) } : value;
  });
}

/** Parses a message, turning base64 byte arrays back into Uint8Arrays. */
export function decodeMessage<T extends ClientMessage | ServerMessage>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[BYTES_KEY] === 'string') {
      return fromBase64((value as Record<string, string>)[BYTES_KEY]);
    }
    return value;
  }) as T;
}

/** The web host closes a socket (1009) that sends a larger message; uploads travel in smaller pieces. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const BLOB_KEY = '$blob';

/**
 * Serialises a client message whose argument holds byte arrays as one binary frame, so that file pieces
 * cross as bytes rather than base64 text a third larger: a 4-byte little-endian length, the JSON with
 * each byte array replaced by `{ $blob: [start, length] }`, then the bytes. Without byte arrays the
 * message goes as JSON text.
 */
export function encodeClientFrame(message: ClientMessage): string | Uint8Array {
  const blobs: Uint8Array[] = [];
  let offset = 0;
  const json = JSON.stringify(message, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    if (!(raw instanceof Uint8Array)) return value;
    blobs.push(raw);
    offset += raw.length;
    return { [BLOB_KEY]: [offset - raw.length, raw.length] };
  });
  if (blobs.length === 0) return json;
  const head = new TextEncoder().encode(json);
  const frame = new Uint8Array(4 + head.length + offset);
  new DataView(frame.buffer).setUint32(0, head.length, true);
  frame.set(head, 4);
  let at = 4 + head.length;
  for (const blob of blobs) {
    frame.set(blob, at);
    at += blob.length;
  }
  return frame;
}

/**
 * Parses a binary frame made by `encodeClientFrame`; byte arrays come back as views into the frame.
 * Throws on anything malformed: a bad length, text that is not UTF-8 or JSON, a reference out of range.
 */
export function decodeBinaryFrame<T extends ClientMessage>(frame: Uint8Array): T {
  if (frame.length < 4) throw new Error('frame too short');
  const headLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true);
  if (headLength > frame.length - 4) throw new Error('frame header longer than the frame');
  const blobs = frame.subarray(4 + headLength);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(4, 4 + headLength));
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, BLOB_KEY)) return value;
    const ref = (value as Record<string, unknown>)[BLOB_KEY];
    const [start, length] = Array.isArray(ref) ? (ref as unknown[]) : [];
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(length) || (start as number) < 0 || (length as number) < 0 || (start as number) + (length as number) > blobs.length) {
      throw new Error('byte array reference out of range');
    }
    return blobs.subarray(start as number, (start as number) + (length as number));
  }) as T;
}
