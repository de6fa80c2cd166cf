import { describe, expect, it } from 'vitest';
import { validateRequest } from '../../src/main/handlers.ts';

describe('validation problems in words', () => {
  it('names lists and text by their length, and every other field by its path', () => {
    const message = (channel: Parameters<typeof validateRequest>[0], arg: unknown): string => {
      try {
        validateRequest(channel, arg);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(message('train:start', { model: 'mlp', epochs: 501 })).toBe('Invalid request train:start: epochs must be at most 500');
    expect(message('dataset:import', { paths: [] })).toBe('Invalid request dataset:import: paths must have at least 1 item');
    expect(message('dataset:import', { paths: [''] })).toBe('Invalid request dataset:import: paths.0 must have at least 1 character');
  });

  it('quotes only a short prefix of a bad path, however long the input', () => {
    const message = (relativePath: string): string => {
      try {
        validateRequest('upload:chunk', { uploadId: '3f1c8a52-6f0e-4c1a-9b7e-2d7a4c1e9f00', relativePath, size: 1, offset: 0, data: new Uint8Array(1) });
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    // 8 MB of path with a control character in it: refused by its length alone, in a short message.
    const huge = message(`shirts/${'a'.repeat(8 * 1024 * 1024)}\u0001.png`);
    expect(huge).toBe('Invalid request upload:chunk: relativePath must have at most 1024 characters');
    // Within the limit, the control character is named, quoting a prefix rather than all 1000 characters.
    const long = message(`shirts/\u0000${'b'.repeat(1000)}.png`);
    expect(long).toMatch(/^Invalid request upload:chunk: relativePath: "shirts\/\?b+…" holds a NUL byte/);
    expect(long.length).toBeLessThan(300);
  });
});
