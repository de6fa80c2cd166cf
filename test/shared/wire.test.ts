import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, type ServerMessage } from '../../src/shared/wire.ts';

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
});
