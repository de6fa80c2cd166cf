import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../../../src/main/ml/backend.ts';
import { FLAT_ADAM } from '../../../../src/main/ml/kernels/adam-kernel.ts';
import { RELU_GRAD, SOFTMAX_CROSS_ENTROPY } from '../../../../src/main/ml/kernels/loss-kernels.ts';

/** Largest difference relative to the largest magnitude: a scale-free closeness. */
function relativeError(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / scale;
}

/** Runs `compute` on the cpu and on the wasm backend from the same inputs. */
async function onBothBackends(inputs: { shape: number[]; seed: number }[], compute: (...xs: tf.Tensor[]) => tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const values = inputs.map(({ shape, seed }) => {
    const t = tf.randomNormal(shape, 0, 1, 'float32', seed);
    const v = t.dataSync() as Float32Array;
    t.dispose();
    return v;
  });
  const run = async (backend: string): Promise<Float32Array[]> => {
    await tf.setBackend(backend);
    const xs = values.map((v, i) => tf.tensor(v, inputs[i].shape));
    const outs = compute(...xs);
    const data = await Promise.all(outs.map(async (o) => (await o.data()) as Float32Array));
    tf.dispose([...xs, ...outs]);
    return data;
  };
  return [await run('cpu'), await run('wasm')];
}

describe('wasm kernels', () => {
  beforeAll(async () => {
    expect(await initBackend('wasm')).toBe('wasm');
  });

  it.each([
    { x: [2, 9, 9, 3], f: [3, 3, 3, 4], strides: 1, pad: 'same' },
    { x: [4, 13, 13, 5], f: [3, 3, 5, 8], strides: 1, pad: 'valid' },
    { x: [3, 11, 10, 2], f: [5, 3, 2, 5], strides: 2, pad: 'same' },
    { x: [1, 8, 8, 1], f: [2, 2, 1, 3], strides: [2, 1], pad: 'valid' },
  ] as const)('conv2d gradients match the cpu backend: x $x, filter $f, strides $strides, $pad', async ({ x, f, strides, pad }) => {
    const [cpu, wasm] = await onBothBackends([{ shape: [...x], seed: 1 }, { shape: [...f], seed: 2 }], (input, filter) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides as never, pad))))([input, filter]),
    );
    expect(relativeError(cpu[0], wasm[0])).toBeLessThan(1e-5); // dX: Conv2DBackpropInput
    expect(relativeError(cpu[1], wasm[1])).toBeLessThan(1e-5); // dW: Conv2DBackpropFilter
  });

  it('max-pool gradient matches the cpu backend', async () => {
    const [cpu, wasm] = await onBothBackends([{ shape: [3, 12, 12, 4], seed: 3 }], (input) => [
      tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), tf.reshape(tf.range(1, 1 + 3 * 6 * 6 * 4), [3, 6, 6, 4]))))(input),
    ]);
    expect(relativeError(cpu[0], wasm[0])).toBeLessThan(1e-6);
  });

  it('transposed matrix products and row gathers match the cpu backend', async () => {
    const [cpu, wasm] = await onBothBackends([{ shape: [64, 48], seed: 4 }, { shape: [64, 32], seed: 5 }, { shape: [40, 48], seed: 6 }], (a, b, c) => [
      tf.matMul(a, b, true, false),
      tf.matMul(c, a, false, true),
      tf.gather(a, tf.tensor1d([5, 0, 63, 5], 'int32')),
    ]);
    cpu.forEach((expected, i) => expect(relativeError(expected, wasm[i])).toBeLessThan(1e-5));
  });

  it('matrix products that compute (B·Aᵀ)ᵀ for A·Bᵀ match the cpu backend, batched too', async () => {
    // A few rows against a wide matrix: the shape for which the product is turned around.
    const [cpu, wasm] = await onBothBackends([{ shape: [4, 96], seed: 12 }, { shape: [300, 96], seed: 13 }, { shape: [2, 3, 40], seed: 14 }, { shape: [2, 70, 40], seed: 15 }], (a, b, c, d) => [
      tf.matMul(a, b, false, true),
      tf.matMul(c, d, false, true),
    ]);
    cpu.forEach((expected, i) => expect(relativeError(expected, wasm[i])).toBeLessThan(1e-5));
  });

  it.each([
    { shape: [37, 53], perm: [1, 0] },
    { shape: [3, 17, 40], perm: [0, 2, 1] },
    { shape: [2, 3, 5, 7], perm: [0, 1, 3, 2] },
    { shape: [4, 6, 5], perm: [2, 0, 1] },
  ])('transposes $shape by $perm like the cpu backend, int32 too', async ({ shape, perm }) => {
    const [cpu, wasm] = await onBothBackends([{ shape, seed: 16 }], (x) => [tf.transpose(x, perm), tf.cast(tf.transpose(tf.cast(tf.mul(x, 100), 'int32'), perm), 'float32')]);
    cpu.forEach((expected, i) => expect(Array.from(wasm[i])).toEqual(Array.from(expected)));
    await tf.setBackend('wasm');
    expect(tf.tidy(() => tf.transpose(tf.ones(shape), perm).shape)).toEqual(perm.map((p) => shape[p]));
  });

  it('slices and splits like the cpu backend: rows of a large tensor, inner blocks, and uneven pieces', async () => {
    const [cpu, wasm] = await onBothBackends([{ shape: [300, 20], seed: 17 }, { shape: [4, 6, 5, 3], seed: 18 }], (rows, blocks) => [
      tf.slice(rows, [123, 0], [45, -1]),
      tf.slice(rows, [7, 3], [10, 9]),
      tf.slice(blocks, [1, 2, 0, 1], [2, 3, 5, 2]),
      ...tf.split(tf.reshape(rows, [-1]), [1000, 2, 4998]),
      ...tf.split(blocks, [1, 4, 1], 1),
      tf.cast(tf.slice(tf.cast(tf.mul(blocks, 100), 'int32'), [0, 1, 1, 0], [-1, 2, 2, -1]), 'float32'),
    ]);
    cpu.forEach((expected, i) => expect(Array.from(wasm[i])).toEqual(Array.from(expected)));
    await tf.setBackend('wasm');
    // Ours never read the whole input out of the heap, as the stock kernels do (74 ms for one batch of
    // the training set).
    const whole = tf.zeros([600, 784]);
    const readSync = vi.spyOn(tf.backend() as unknown as { readSync(dataId: object): unknown }, 'readSync');
    tf.dispose([tf.slice(whole, [100, 0], [64, -1]), ...tf.split(whole, [300, 300])]);
    expect(readSync).not.toHaveBeenCalled();
    readSync.mockRestore();
    whole.dispose();
    expect(() => tf.slice(tf.zeros([3, 2]), [2, 0], [2, 2])).toThrow();
    expect(tf.tidy(() => tf.split(tf.zeros([4, 6]), 3, 1).map((t) => t.shape))).toEqual([[4, 2], [4, 2], [4, 2]]);
  });

  it('one-pass Adam over a flat buffer takes the steps Adam written as ops takes', async () => {
    await tf.setBackend('wasm');
    const [rate, beta1, beta2, epsilon] = [0.01, 0.9, 0.999, 1e-7];
    let [theta, m, v] = [tf.randomNormal([1001], 0, 1, 'float32', 21), tf.zeros([1001]), tf.zeros([1001])];
    let [opTheta, opM, opV] = [theta.clone(), m.clone(), v.clone()];
    for (let step = 1; step <= 3; step++) {
      const gradient = tf.randomNormal([1001], 0, 1, 'float32', 30 + step);
      [theta, m, v] = tf.engine().runKernel(FLAT_ADAM, { theta, m, v, gradient }, { learningRate: rate, beta1, beta2, epsilon, step } as never) as tf.Tensor[];
      opM = tf.add(tf.mul(opM, beta1), tf.mul(gradient, 1 - beta1));
      opV = tf.add(tf.mul(opV, beta2), tf.mul(tf.square(gradient), 1 - beta2));
      const denominator = tf.add(tf.sqrt(tf.mul(opV, 1 / (1 - beta2 ** step))), epsilon);
      opTheta = tf.sub(opTheta, tf.div(tf.mul(opM, rate / (1 - beta1 ** step)), denominator));
    }
    const start = tf.randomNormal([1001], 0, 1, 'float32', 21).dataSync();
    const moved = Math.max(...Array.from(theta.dataSync(), (t, i) => Math.abs(t - start[i])));
    expect(moved).toBeGreaterThan(0.02); // three steps of 0.01
    expect(relativeError(opTheta.dataSync(), theta.dataSync())).toBeLessThan(1e-6);
    expect(relativeError(opM.dataSync(), m.dataSync())).toBeLessThan(1e-6);
    expect(relativeError(opV.dataSync(), v.dataSync())).toBeLessThan(1e-6);
    expect(() => tf.engine().runKernel(FLAT_ADAM, { theta, m, v, gradient: tf.zeros([1000]) }, { learningRate: rate, beta1, beta2, epsilon, step: 4 } as never)).toThrow(/1001 values/);
  });

  it('the step\'s loss with its gradient, and ReLU\'s gradient, match the same computed from ops on the cpu backend', async () => {
    const labelValues = Int32Array.from({ length: 37 }, (_, i) => (i * 7) % 10);
    const [cpu, wasm] = await onBothBackends([{ shape: [37, 10], seed: 19 }, { shape: [37, 10], seed: 20 }], (z, dy) => {
      const labels = tf.tensor1d(labelValues, 'int32');
      // Large logits too: the loss must stay finite where a naive softmax would overflow.
      const logits = tf.mul(z, 30);
      if (tf.getBackend() === 'wasm') {
        const [loss, gradient] = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, labels }, {}) as tf.Tensor[];
        return [loss, gradient, tf.engine().runKernel(RELU_GRAD, { dy, y: tf.relu(z) }, {}) as tf.Tensor];
      }
      const oneHot = tf.oneHot(labels, 10);
      const loss = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oneHot), 1));
      return [loss, tf.sub(tf.softmax(logits), oneHot), tf.mul(dy, tf.step(tf.relu(z)))];
    });
    cpu.forEach((expected, i) => expect(relativeError(expected, wasm[i])).toBeLessThan(1e-5));
    expect(wasm[0].every(Number.isFinite)).toBe(true);
    await tf.setBackend('wasm');
    expect(() => tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits: tf.zeros([2, 10]), labels: tf.tensor1d([3, 10], 'int32') }, {})).toThrow(/label 10 is not in \[0, 9\]/);
  });

  it('rejects a gather index outside the tensor', async () => {
    await tf.setBackend('wasm');
    expect(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([3], 'int32'))).toThrow(/not in \[0, 2\]/);
  });

  it.each([
    { shape: [4, 5, 6, 3], axis: [0, 1, 2], keepDims: false },
    { shape: [4, 5, 6, 3], axis: [1, 0], keepDims: true },
    { shape: [7, 9], axis: 0, keepDims: false },
    { shape: [4, 5, 6], axis: [1, 2], keepDims: false },
    { shape: [4, 5, 6], axis: [0, 2], keepDims: true },
  ])('sums and means over axes $axis of $shape match the cpu backend', async ({ shape, axis, keepDims }) => {
    const [cpu, wasm] = await onBothBackends([{ shape, seed: 7 }], (x) => [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims)]);
    cpu.forEach((expected, i) => expect(relativeError(expected, wasm[i])).toBeLessThan(1e-5));
    const shapes = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => [tf.sum(tf.ones(shape), axis, keepDims).shape, tf.mean(tf.ones(shape), axis, keepDims).shape]);
    };
    expect(await shapes('wasm')).toEqual(await shapes('cpu'));
  });

  it.each([
    { shape: [1, 1, 1, 3], reps: [2, 3, 4, 1] },
    { shape: [2, 3], reps: [3, 2] },
    { shape: [3, 1, 2], reps: [1, 4, 1] },
    { shape: [5], reps: [3] },
  ])('tiles $shape by $reps like the cpu backend', async ({ shape, reps }) => {
    const [cpu, wasm] = await onBothBackends([{ shape, seed: 8 }], (x) => [tf.tile(x, reps), tf.tile(tf.cast(tf.greater(x, 0), 'int32'), reps)]);
    cpu.forEach((expected, i) => expect(Array.from(wasm[i])).toEqual(Array.from(expected)));
  });

  it('tiles booleans and empty repetitions', async () => {
    await tf.setBackend('wasm');
    expect(await tf.tile(tf.tensor1d([true, false], 'bool'), [2]).array()).toEqual([1, 0, 1, 0]);
    expect(tf.tile(tf.ones([2, 2]), [0, 3]).shape).toEqual([0, 6]);
  });

  it('batch normalisation gradients, which use these reductions and tiles, match the cpu backend', async () => {
    const [cpu, wasm] = await onBothBackends([{ shape: [6, 5, 5, 4], seed: 9 }, { shape: [4], seed: 10 }, { shape: [6, 5, 5, 4], seed: 11 }], (x, gamma, weights) =>
      tf.grads((input: tf.Tensor, scale: tf.Tensor) => {
        const { mean, variance } = tf.moments(input, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(input, mean, variance, tf.zerosLike(scale), scale, 1e-3), weights));
      })([x, gamma]),
    );
    cpu.forEach((expected, i) => expect(relativeError(expected, wasm[i])).toBeLessThan(1e-4));
  });
});
