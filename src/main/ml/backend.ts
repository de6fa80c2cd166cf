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
 * tfjs-node 4.22 still calls util functions that Node 23 removed; put them back before it loads.
 * They are the trivial type checks Node used to ship.
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
  for (const [name, check] of Object.entries(checks)) if (typeof legacy[name] !== 'function') legacy[name] = check;
}

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === 'tensorflow') {
      restoreRemovedUtilFunctions();
      createRequire(import.meta.url)('@tensorflow/tfjs-node');
    }
    if (name === 'wasm') installWasmKernels();
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** Sets the fastest backend that works here and returns its name. */
export async function initBackend(forced = process.env.FASHION_SORTER_BACKEND): Promise<BackendName> {
  const order = forced ? [forced as BackendName] : BACKEND_ORDER;
  for (const name of order) {
    if (await tryBackend(name)) {
      await tf.ready();
      return name;
    }
  }
  throw new Error(forced ? `The ${forced} backend is not available here.` : 'No TensorFlow.js backend could be started.');
}
