import { describe, expect, it } from 'vitest';
import { decodeBinaryFrame, decodeMessage, encodeClientFrame, encodeMessage, type ClientMessage, type ServerMessage } from '../../src/shared/wire.ts';

describe('wire codec', () => {
  it('round-trips nested byte arrays as Uint8Array', () => {
    const pixels = Uint8Array.from({ length: 100_000 }, (_, i) => i % 256);
    const message: ServerMessage = { type: 'response', id: 7, envelope: { ok: true, value: [{ imageId: 1, pixels }] } };
    const decoded = decodeMessage<ServerMessage>(encodeMessage(message));
    const value = (decoded as { envelope: { value: { pixels: Uint8Array }[] } }).envelope.value[0];
    expect(value.pixels).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(value.pixels).equals(Buffer.from(pixels))).toBe(true);
  });

  it('carries Node Buffers as bytes too', () => {
    const decoded = decodeMessage<{ type: 'request'; id: number; channel: never; arg: { data: Uint8Array } }>(
      encodeMessage({ type: 'request', id: 1, channel: 'dataset:list', arg: { data: Buffer.from([9, 8, 7]) } }),
    );
    expect([...decoded.arg.data]).toEqual([9, 8, 7]);
  });

  it('sends a request that carries bytes as one binary frame, the bytes as they are', () => {
    const data = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256);
    const message: ClientMessage = { type: 'request', id: 3, channel: 'upload:chunk', arg: { uploadId: 'u', relativePath: 'é/a.png', size: 9, offset: 0, data, more: [Uint8Array.of(1)] } };
    const frame = encodeClientFrame(message);
    expect(frame).toBeInstanceOf(Uint8Array);
    // No base64: the frame is the JSON head plus the bytes, not a third larger.
    expect((frame as Uint8Array).length).toBeLessThan(data.length + 300);
    const decoded = decodeBinaryFrame<ClientMessage>(frame as Uint8Array) as { arg: { data: Uint8Array; more: Uint8Array[]; relativePath: string } };
    expect(Buffer.from(decoded.arg.data).equals(Buffer.from(data))).toBe(true);
    expect([...decoded.arg.more[0]]).toEqual([1]);
    expect(decoded.arg.relativePath).toBe('é/a.png');
    expect(encodeClientFrame({ type: 'request', id: 4, channel: 'dataset:list', arg: undefined })).toBe('{"type":"request","id":4,"channel":"dataset:list"}');
  });

  it('refuses a binary frame that is short, lies about its length, is not UTF-8, or points outside its bytes', () => {
    const head = (json: string, extra = 0): Uint8Array => {
      const text = Buffer.from(json);
      const frame = Buffer.alloc(4 + text.length + extra);
      frame.writeUInt32LE(text.length, 0);
      text.copy(frame, 4);
      return frame;
    };
    expect(() => decodeBinaryFrame(Uint8Array.of(1, 0))).toThrow(/too short/);
    expect(() => decodeBinaryFrame(Uint8Array.of(255, 255, 255, 255, 1))).toThrow(/longer than the frame/);
    expect(() => decodeBinaryFrame(Uint8Array.of(2, 0, 0, 0, 0xc0, 0xae))).toThrow();
    expect(() => decodeBinaryFrame(head('{"data":{"$blob":[0,5]}}', 4))).toThrow(/out of range/);
    expect(() => decodeBinaryFrame(head('{"data":{"$blob":[-1,1]}}', 4))).toThrow(/out of range/);
    expect(() => decodeBinaryFrame(head('{"data":{"$blob":"x"}}', 4))).toThrow(/out of range/);
    const ok = decodeBinaryFrame<never>(head('{"data":{"$blob":[1,2]}}', 4)) as unknown as { data: Uint8Array };
    expect([...ok.data]).toEqual([0, 0]);
  });
});
