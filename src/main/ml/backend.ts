/**
 * Chooses the TensorFlow.js backend at a process's entry point, never inside model code:
 *   1. tensorflow (@tensorflow/tfjs-node), whenever it is installed and loads;
 *   2. wasm (@tensorflow/tfjs-backend-wasm with SIMD), with this project's faster and missing kernels;
 *   3. cpu, plain JavaScript.
 * FASHION_SORTER_BACKEND=tensorflow|wasm|cpu forces one (the benchmark compares them this way).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import util from 'node:util';
import { installWasmKernels } from './kernels/wasm-kernels.ts';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/**
 * tfjs-node 4.22 still calls util functions that Node 23 removed (and Node 24 deprecated the rest of);
 * put them back before it loads. They are the trivial type checks Node used to ship.
 */
function restoreRemovedUtilFunctions(): void {
  const legacy = util as unknown as Record<string, unknown>;
  const checks: Record<string, (value: unknown) => boolean> = {
    isNullOrUndefined: (v) => v === null || v === undefined,
    isNull: (v) => v === null,
    isUndefined: (v) => v === undefined,
    isArray: (v) => Array.isArray(v),
    isBoolean: (v) => typeof v === 'boolean',
    isNumber: (v) => typeof v === 'number',
    isString: (v) => typeof v === 'string',
    isFunction: (v) => typeof v === 'function',
    isObject: (v) => v !== null && typeof v === 'object',
    isPrimitive: (v) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
  };
  // Replaced even where Node still has them: Node's print a deprecation warning on every training run.
  for (const [name, check] of Object.entries(checks)) legacy[name] = check;
}

/** Why each backend that was tried did not start, for the error when none (or the forced one) does. */
async function tryBackend(name: BackendName, failures: string[]): Promise<boolean> {
  try {
    if (name === 'tensorflow') {
      restoreRemovedUtilFunctions();
      // tfjs-node runs one op at a time, so a pool of inter-op threads only competes with the intra-op
      // threads each op uses: with one, the same-run median epoch fell from 1.17 s to 0.46 s (MLP, 2 busy
      // cores). libtensorflow reads this when the binding loads; a value already set is kept.
      process.env.TF_NUM_INTEROP_THREADS ??= '1';
      createRequire(import.meta.url)('@tensorflow/tfjs-node');
    }
    if (name === 'wasm') installWasmKernels();
    if ((await tf.setBackend(name)) && tf.getBackend() === name) return true;
    failures.push(`${name}: it did not initialise`);
  } catch (error) {
    failures.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
  }
  return false;
}

/** Sets the fastest backend that works here and returns its name. */
export async function initBackend(forced = process.env.FASHION_SORTER_BACKEND): Promise<BackendName> {
  if (forced && !BACKEND_ORDER.includes(forced as BackendName)) {
    throw new Error(`FASHION_SORTER_BACKEND must be one of ${BACKEND_ORDER.join(', ')}, not "${forced}".`);
  }
  const order = forced ? [forced as BackendName] : BACKEND_ORDER;
  const failures: string[] = [];
  for (const name of order) {
    if (await tryBackend(name, failures)) {
      await tf.ready();
      return name;
    }
  }
  const hint = forced === 'tensorflow' ? " (build it with 'npm run setup:tensorflow')" : '';
  throw new Error(`${forced ? `The ${forced} backend is not available here${hint}` : 'No TensorFlow.js backend could be started'}: ${failures.join('; ')}.`);
}
