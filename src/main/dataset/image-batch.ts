import { PIXELS_PER_IMAGE } from '../../shared/classes.ts';

// The type lives in shared/, so that storage (db/datasets.ts) can take it without importing a service.
export type { ImageBatch } from '../../shared/image-batch.ts';
import type { ImageBatch } from '../../shared/image-batch.ts';

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
