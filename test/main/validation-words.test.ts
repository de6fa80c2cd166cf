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
});
