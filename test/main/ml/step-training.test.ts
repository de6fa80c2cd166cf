import * as tf from '@tensorflow/tfjs-core';
import { sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/ml/backend.ts';
import { toInput } from '../../../src/main/ml/evaluate.ts';
import { buildModel } from '../../../src/main/ml/models.ts';
import { StepTrainer } from '../../../src/main/ml/step-training.ts';
import type { ModelKind } from '../../../src/shared/types.ts';
import { realSplit, TEST_BACKEND } from '../../helpers.ts';

const BATCH = 48;

/** tfjs's own autodiff of the layers model on the same batch: the reference the hand-written backward pass must match. */
function autodiffGradient(kind: ModelKind, seed: number, x: tf.Tensor, labels: tf.Tensor1D): Float32Array {
  const model = buildModel(kind, seed);
  // Dropout draws its own mask; the comparison runs without it (the step is given no mask either).
  const net = sequential({ layers: model.layers.filter((l) => l.getClassName() !== 'Dropout') });
  const variables = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const flat = tf.tidy(() => {
    const { grads } = tf.variableGrads(() => {
      const p = net.apply(x, { training: true }) as tf.Tensor2D;
      const picked = tf.sum(tf.mul(p, tf.oneHot(labels, 10)), 1);
      return tf.neg(tf.mean(tf.log(picked))) as tf.Scalar;
    }, variables);
    return tf.concat(variables.map((v) => tf.reshape(grads[v.name], [-1])));
  });
  const values = flat.dataSync() as Float32Array;
  tf.dispose([flat]);
  model.dispose();
  return values;
}

describe('hand-written training steps', () => {
  beforeAll(async () => {
    expect(await initBackend(TEST_BACKEND)).toBe(TEST_BACKEND);
  });

  const { images, labels } = realSplit('train');

  it.each(['mlp', 'cnn'] as const)('the %s gradient equals tfjs autodiff of the layers model on real images', (kind) => {
    const x = toInput(new Uint8Array(images.subarray(0, BATCH * 784)), kind);
    const y = tf.tensor1d(Int32Array.from(labels.subarray(0, BATCH)), 'int32');
    const expected = autodiffGradient(kind, 5, x, y);

    const model = buildModel(kind, 5);
    const trainer = new StepTrainer(model, kind);
    const { gradient, loss, logits } = trainer.gradient({ x, labels: y });
    const actual = gradient.dataSync();
    expect(actual.length).toBe(expected.length);
    let scale = 0;
    let worst = 0;
    for (let i = 0; i < actual.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    expect(worst / scale).toBeLessThan(1e-3);
    tf.dispose([gradient, loss, logits, x, y]);
    trainer.dispose();
    model.dispose();
  });

  it('written back, the trained weights are the layers model’s: its predictions follow the steps', () => {
    const model = buildModel('mlp', 3);
    const before = tf.memory().numTensors;
    const trainer = new StepTrainer(model, 'mlp');
    const x = toInput(new Uint8Array(images.subarray(0, 512 * 784)), 'mlp');
    const y = tf.tensor1d(Int32Array.from(labels.subarray(0, 512)), 'int32');
    const lossOf = (): number => tf.tidy(() => {
      const p = model.predict(x) as tf.Tensor2D;
      return -tf.mean(tf.log(tf.sum(tf.mul(p, tf.oneHot(y, 10)), 1))).dataSync()[0];
    });
    const initial = lossOf();
    for (let i = 0; i < 20; i++) trainer.step({ x, labels: y }, 0.001).dispose();
    expect(lossOf()).toBeCloseTo(initial, 6); // not written back yet
    trainer.writeBack();
    expect(lossOf()).toBeLessThan(initial * 0.8);
    trainer.dispose();
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
