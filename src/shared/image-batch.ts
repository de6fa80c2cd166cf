import type { Split } from './types.ts';

/**
 * Images read from one source, held flat: `pixels` is `count × 784` bytes, `labels` is `count` bytes.
 * Flat arrays keep 70,000 images as two allocations instead of 70,000 objects. Readers (dataset/)
 * produce it and storage (db/datasets.ts) takes it, so it lives below both.
 */
export interface ImageBatch {
  split: Split;
  labels: Uint8Array;
  pixels: Uint8Array;
  /** Where image `i` came from, in words a person can find again (file, and row or index). */
  sourceOf(index: number): string;
}

