import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { installWasmKernels } from './src/main/ml/wasm-kernels.ts';
import { realSplit } from './test/fashion-data.ts';
installWasmKernels(); await tf.setBackend('wasm'); await tf.ready();
const { images, labels } = realSplit('train');
const N = 6000;
const x = tf.tidy(() => tf.div(tf.tensor4d(new Float32Array(images.subarray(0, N*784)), [N, 28, 28, 1]), 255));
const y = tf.tensor1d(new Float32Array(labels.subarray(0, N)));
const arch = process.argv[2];
const L = tfl.layers;
const layers = arch === 'A' ? [
  L.conv2d({ inputShape: [28,28,1], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }),
  L.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }),
  L.flatten(), L.dropout({ rate: 0.3 }), L.dense({ units: 128, activation: 'relu' }), L.dropout({ rate: 0.3 }), L.dense({ units: 10, activation: 'softmax' })]
: arch === 'V' ? [
  L.conv2d({ inputShape: [28,28,1], filters: 32, kernelSize: 3, activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }),
  L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }),
  L.flatten(), L.dropout({ rate: 0.3 }), L.dense({ units: 128, activation: 'relu' }), L.dropout({ rate: 0.3 }), L.dense({ units: 10, activation: 'softmax' })]
: arch === 'B' ? [
  L.conv2d({ inputShape: [28,28,1], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
  L.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }),
  L.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }),
  L.flatten(), L.dropout({ rate: 0.3 }), L.dense({ units: 128, activation: 'relu' }), L.dropout({ rate: 0.3 }), L.dense({ units: 10, activation: 'softmax' })]
: [
  L.conv2d({ inputShape: [28,28,1], filters: 32, kernelSize: 3, padding: 'same', useBias: false }), L.batchNormalization(), L.activation({activation:'relu'}), L.maxPooling2d({ poolSize: 2 }),
  L.conv2d({ filters: 64, kernelSize: 3, padding: 'same', useBias: false }), L.batchNormalization(), L.activation({activation:'relu'}), L.maxPooling2d({ poolSize: 2 }),
  L.flatten(), L.dropout({ rate: 0.3 }), L.dense({ units: 128, activation: 'relu' }), L.dropout({ rate: 0.3 }), L.dense({ units: 10, activation: 'softmax' })];
const m = tfl.sequential({ layers });
m.compile({ optimizer: tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await m.fit(tf.slice(x,[0,0,0,0],[512,28,28,1]), tf.slice(y,[0],[512]), { batchSize: 128, epochs: 1, verbose: 0 });
const t = performance.now(); await m.fit(x, y, { batchSize: Number(process.argv[3] ?? 128), epochs: 1, verbose: 0 });
const s = (performance.now()-t)/1000; console.log(arch, 'per 6000', s.toFixed(2), '→ epoch of 60k', (s*10).toFixed(1), 's');
const prof = await tf.profile(async () => { await m.fit(tf.slice(x,[0,0,0,0],[1280,28,28,1]), tf.slice(y,[0],[1280]), { batchSize: 128, epochs: 1, verbose: 0 }); });
const agg = new Map<string, {n:number, ms:number}>();
for (const k of prof.kernels) { const a = agg.get(k.name) ?? {n:0, ms:0}; a.n++; a.ms += Number(k.kernelTimeMs) || 0; agg.set(k.name, a); }
console.log([...agg].sort((a,b)=>b[1].ms-a[1].ms).slice(0,8).map(([k,v])=>`${k} n=${v.n} ms=${v.ms.toFixed(0)}`).join('\n'));
