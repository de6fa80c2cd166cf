import { describe, expect, it } from 'vitest';
import { crashDetail } from '../../../src/main/workers/crash-detail.ts';

// What the tensorflow backend writes at start-up (tfjs-node 4 on Linux), before any real output.
const TENSORFLOW_NOISE = [
  'I0000 00:00:1764070000.123456   41234 port.cc:153] oneDNN custom operations are on. You may see slightly different numerical results due to floating-point round-off errors from different computation orders. To turn them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.',
  '2026-11-25 11:00:00.000000: I tensorflow/core/platform/cpu_feature_guard.cc:210] This TensorFlow binary is optimized to use available CPU instructions in performance-critical operations.',
  'W0000 00:00:1764070001.000000   41234 cpu_allocator_impl.cc:83] Allocation of 188160000 exceeds 10% of free system memory.',
  'E0000 00:00:1764070002.000000   41234 util.cc:131] oneDNN primitive cache error (not a crash)',
].join('\n');

describe('the stderr line that explains a crash', () => {
  it('is never TensorFlow log noise, even when that is all there is or it mentions an error', () => {
    expect(crashDetail(`${TENSORFLOW_NOISE}\n`)).toBeNull();
    expect(crashDetail(`${TENSORFLOW_NOISE}\nFATAL: out of memory\n${TENSORFLOW_NOISE}\n`)).toBe('FATAL: out of memory');
  });

  it('prefers the last line naming an error over a later line', () => {
    const stderr = `starting\nTypeError: x is not a function\n    at train (train-worker.ts:10:3)\n${TENSORFLOW_NOISE}\n`;
    expect(crashDetail(stderr)).toBe('TypeError: x is not a function');
  });

  it('is null for nothing written, and the last line otherwise', () => {
    expect(crashDetail('')).toBeNull();
    expect(crashDetail('one\ntwo\n\n')).toBe('two');
  });
});
