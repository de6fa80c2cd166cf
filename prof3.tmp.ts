import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { installWasmKernels as installFastWasmMatMul } from './src/main/ml/wasm-kernels.ts';
import { realSplit } from './test/fashion-data.ts';
if (process.argv[2] === 'fast') installFastWasmMatMul();
await tf.setBackend('wasm'); await tf.ready();
const { images, labels } = realSplit('train');
const N = 60000;
const x = tf.tidy(() => tf.div(tf.tensor2d(new Float32Array(images.subarray(0, N*784)), [N, 784]), 255));
const y = tf.tensor1d(new Float32Array(labels.subarray(0, N)));
const m = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }), tfl.layers.dense({ units: 64, activation: 'relu' }), tfl.layers.dense({ units: 10, activation: 'softmax' })] });
m.compile({ optimizer: tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
for (const shuffle of [true, false, true, false]) { const t = performance.now(); const h = await m.fit(x, y, { batchSize: 512, epochs: 1, shuffle, verbose: 0 }); console.log('shuffle', shuffle, 'epoch s', ((performance.now()-t)/1000).toFixed(2), 'acc', h.history.acc[0]); }
console.log('tensors', tf.memory().numTensors);
