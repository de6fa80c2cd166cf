/**
 * Whether training processes will run on the tensorflow backend, answered without loading it (the main
 * process and the web host never load TensorFlow): the backend is forced by FASHION_SORTER_BACKEND, or
 * tfjs-node's built binding is installed. Defaults that depend on the engine's speed use it.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Engine } from '../../shared/model-defaults.ts';

export function tensorflowAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FASHION_SORTER_BACKEND) return env.FASHION_SORTER_BACKEND === 'tensorflow';
  try {
    const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-node/package.json');
    return fs.existsSync(path.join(path.dirname(pkg), 'lib', 'napi-v8', 'tfjs_binding.node'));
  } catch {
    return false;
  }
}

/** The engine whose defaults a new training process gets (the cpu fallback takes wasm's). */
export function trainingEngine(env: NodeJS.ProcessEnv = process.env): Engine {
  return tensorflowAvailable(env) ? 'tensorflow' : 'wasm';
}
