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
