import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { installWasmKernels } from './src/main/ml/wasm-kernels.ts';
installWasmKernels(); await tf.setBackend('wasm'); await tf.ready();
const cases = [
  { x: [2, 9, 9, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [2, 9, 9, 3], f: [3, 3, 3, 4], s: 1, pad: 'valid' },
  { x: [3, 11, 10, 2], f: [5, 3, 2, 5], s: 2, pad: 'same' },
  { x: [1, 8, 8, 1], f: [2, 2, 1, 3], s: [2, 1], pad: 'valid' },
] as const;
const diff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };
for (const c of cases) {
  await tf.setBackend('cpu');
  const xv = await tf.randomNormal(c.x as unknown as number[], 0, 1, 'float32', 1).data();
  const fv = await tf.randomNormal(c.f as unknown as number[], 0, 1, 'float32', 3).data();
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const x = tf.tensor4d(xv, c.x as unknown as [number,number,number,number]); const f = tf.tensor4d(fv, c.f as unknown as [number,number,number,number]);
    const loss = (xx: tf.Tensor4D, ff: tf.Tensor4D) => tf.sum(tf.square(tf.maxPool(tf.conv2d(xx, ff, c.s as never, c.pad), 2, 1, 'same')));
    const [gx, gf] = tf.grads((xx: tf.Tensor4D, ff: tf.Tensor4D) => loss(xx, ff))([x, f]);
    return [await gx.data(), await gf.data()];
  };
  const [cx, cf] = await run('cpu'); const [wx, wf] = await run('wasm');
  console.log(JSON.stringify(c), 'dX diff', diff(cx, wx).toExponential(1), 'dW diff', diff(cf, wf).toExponential(1));
}
