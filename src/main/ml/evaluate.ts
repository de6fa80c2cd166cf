/**
 * Inference in batches with TensorFlow.js. The metrics computed from its predictions are pure functions
 * in metrics.ts, which loads no tfjs, so the query layer and the main process can use them cheaply;
 * they are re-exported here for the ML code that has both at hand.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CLASS_COUNT, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import type { ModelKind } from '../../shared/types.ts';
import { inputShape } from './models.ts';

/** Images per forward pass at inference: large enough to keep the matrix products efficient. */
export const INFERENCE_BATCH = 2048;

/** Turns bytes 0–255 into the model's input tensor, scaled to 0–1. */
export function toInput(pixels: Uint8Array, kind: ModelKind): tf.Tensor {
  const count = pixels.length / PIXELS_PER_IMAGE;
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) scaled[i] = pixels[i] / 255;
  return tf.tensor(scaled, [count, ...inputShape(kind)]);
}

/** The ten class probabilities of every image, row-major (`count × 10`). */
export async function predictProbabilities(model: LayersModel, pixels: Uint8Array, kind: ModelKind, batchSize = INFERENCE_BATCH): Promise<Float32Array> {
  const count = pixels.length / PIXELS_PER_IMAGE;
  const out = new Float32Array(count * CLASS_COUNT);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    // predict() would otherwise split the batch into its default of 32 images, at 30× the cost.
    const probabilities = tf.tidy(() => model.predict(toInput(pixels.subarray(start * PIXELS_PER_IMAGE, end * PIXELS_PER_IMAGE), kind), { batchSize: end - start }) as tf.Tensor);
    out.set(await probabilities.data(), start * CLASS_COUNT);
    probabilities.dispose();
  }
  return out;
}

export { accuracyAndLoss, argmax, classMetrics, confusionMatrix, evaluationFromPairs, evaluationOf, topConfusions } from './metrics.ts';
