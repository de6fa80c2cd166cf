import { PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { Split } from '../../shared/types.ts';

/**
 * Images read from one source, held flat: `pixels` is `count × 784` bytes, `labels` is `count` bytes.
 * Flat arrays keep 70,000 images as two allocations instead of 70,000 objects.
 */
export interface ImageBatch {
  split: Split;
  labels: Uint8Array;
  pixels: Uint8Array;
  /** Where image `i` came from, in words a person can find again (file, and row or index). */
  sourceOf(index: number): string;
}

/** Number of images in a batch. */
export function batchSize(batch: ImageBatch): number {
  return batch.labels.length;
}

/** A byte buffer that grows by doubling, for readers that do not know their row count up front. */
export class GrowableBytes {
  private buffer: Uint8Array;
  length = 0;

  constructor(initialCapacity = PIXELS_PER_IMAGE * 1024) {
    this.buffer = new Uint8Array(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const next = new Uint8Array(this.buffer.length * 2);
      next.set(this.buffer);
      this.buffer = next;
    }
    this.buffer[this.length++] = value;
  }

  /** The bytes written so far, without copying. */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
