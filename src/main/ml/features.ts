/**
 * The model's penultimate-layer features next to its probabilities, from one forward pass: what the
 * unusual-photo scorer (ml/feature-distance.ts) measures distances in.
 */
import * as tf from '@tensorflow/tfjs-core';
import { model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { CLASS_COUNT, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { ModelKind } from '../../shared/types.ts';
import { INFERENCE_BATCH, toInput } from './evaluate.ts';

/**
 * A model with two outputs: the features the last layer reads (dropout skipped, since it is the
 * identity at inference) and the class probabilities. Shares the weights of `model`.
 */
export function withFeatures(model: LayersModel): LayersModel {
  const layers = model.layers;
  let k = layers.length - 2;
  while (k > 0 && layers[k].getClassName() === 'Dropout') k--;
  const features = layers[k].output as SymbolicTensor;
  return functionalModel({ inputs: model.inputs, outputs: [features, model.outputs[0]] });
}

/** Probabilities (`count × 10`) and features (`count × dim`) of every image. */
export async function predictWithFeatures(
  twoOutputs: LayersModel,
  pixels: Uint8Array,
  kind: ModelKind,
  batchSize = INFERENCE_BATCH,
): Promise<{ probabilities: Float32Array; features: Float32Array; dim: number }> {
  const count = pixels.length / PIXELS_PER_IMAGE;
  const dim = (twoOutputs.outputs[0].shape.at(-1) as number) ?? 0;
  const probabilities = new Float32Array(count * CLASS_COUNT);
  const features = new Float32Array(count * dim);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    const [f, p] = tf.tidy(() => twoOutputs.predict(toInput(pixels.subarray(start * PIXELS_PER_IMAGE, end * PIXELS_PER_IMAGE), kind), { batchSize: end - start }) as tf.Tensor[]);
    features.set(await f.data(), start * dim);
    probabilities.set(await p.data(), start * CLASS_COUNT);
    f.dispose();
    p.dispose();
  }
  return { probabilities, features, dim };
}

/** Side of the coarse pixel grid appended to the features (7×7 means of 4×4 blocks). */
export const POOLED_SIDE = 7;

/**
 * What the unusual-photo scorer measures: the penultimate features followed by the image's 7×7
 * block means (0–1). Measured on an MLP: features alone flagged 6 of 8 foreign shapes, with the
 * coarse pixels 8 of 8, at the same ≈1% of real test images.
 */
export function scorerInput(features: Float32Array, dim: number, pixels: Uint8Array): { embeddings: Float32Array; dim: number } {
  const count = pixels.length / PIXELS_PER_IMAGE;
  const cells = POOLED_SIDE * POOLED_SIDE;
  const block = 28 / POOLED_SIDE;
  const outDim = dim + cells;
  const out = new Float32Array(count * outDim);
  for (let i = 0; i < count; i++) {
    out.set(features.subarray(i * dim, (i + 1) * dim), i * outDim);
    const base = i * outDim + dim;
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        out[base + Math.floor(y / block) * POOLED_SIDE + Math.floor(x / block)] += pixels[i * PIXELS_PER_IMAGE + y * 28 + x] / (255 * block * block);
      }
    }
  }
  return { embeddings: out, dim: outDim };
}
