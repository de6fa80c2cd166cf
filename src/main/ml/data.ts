/**
 * Training data from the workspace: images as flat byte arrays with their labels and ids, a seeded
 * validation split, and augmentation. Tensors are made only at the edge, in train.ts.
 */
import { IMAGE_SIZE, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import { permutation } from './random.ts';

// Loading is a query, so it lives with the images table; the training code takes it from here.
export { loadImages, type LabeledImages } from '../db/datasets.ts';
import type { LabeledImages } from '../db/datasets.ts';

export function imageCount(images: LabeledImages): number {
  return images.labels.length;
}

/** Training steps in one epoch over `count` images; the last batch may be smaller. */
export function batchesPerEpoch(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/** The images at the given positions, in that order. */
export function subset(images: LabeledImages, positions: ArrayLike<number>): LabeledImages {
  const out: LabeledImages = {
    imageIds: new Int32Array(positions.length),
    labels: new Uint8Array(positions.length),
    pixels: new Uint8Array(positions.length * PIXELS_PER_IMAGE),
  };
  for (let k = 0; k < positions.length; k++) {
    const i = positions[k];
    out.imageIds[k] = images.imageIds[i];
    out.labels[k] = images.labels[i];
    out.pixels.set(images.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE), k * PIXELS_PER_IMAGE);
  }
  return out;
}

/**
 * Shuffles with the run's seed, keeps at most `limit` images, and holds out `validationFraction` of
 * them for checkpointing and early stopping.
 */
export function splitForTraining(
  images: LabeledImages,
  options: { validationFraction: number; limit: number | null; random: () => number },
): { train: LabeledImages; validation: LabeledImages } {
  const order = permutation(imageCount(images), options.random);
  const kept = options.limit === null ? order : order.subarray(0, Math.min(options.limit, order.length));
  const validationSize = Math.round(kept.length * options.validationFraction);
  return { validation: subset(images, kept.subarray(0, validationSize)), train: subset(images, kept.subarray(validationSize)) };
}

/** Largest shift, in pixels, that augmentation applies in each direction. */
export const AUGMENT_MAX_SHIFT = 2;

/**
 * A randomly altered copy of the images: each is flipped left–right with probability ½ (clothes are
 * symmetric that way; never upside down) and shifted by up to two pixels each way, filling with black.
 */
export function augment(pixels: Uint8Array, random: () => number): Uint8Array {
  const out = new Uint8Array(pixels.length);
  const count = pixels.length / PIXELS_PER_IMAGE;
  for (let n = 0; n < count; n++) {
    const base = n * PIXELS_PER_IMAGE;
    const flip = random() < 0.5;
    const dx = Math.floor(random() * (2 * AUGMENT_MAX_SHIFT + 1)) - AUGMENT_MAX_SHIFT;
    const dy = Math.floor(random() * (2 * AUGMENT_MAX_SHIFT + 1)) - AUGMENT_MAX_SHIFT;
    for (let y = 0; y < IMAGE_SIZE; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= IMAGE_SIZE) continue;
      for (let x = 0; x < IMAGE_SIZE; x++) {
        const sx0 = x - dx;
        if (sx0 < 0 || sx0 >= IMAGE_SIZE) continue;
        const sx = flip ? IMAGE_SIZE - 1 - sx0 : sx0;
        out[base + y * IMAGE_SIZE + x] = pixels[base + sy * IMAGE_SIZE + sx];
      }
    }
  }
  return out;
}
