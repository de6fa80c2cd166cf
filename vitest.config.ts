import fs from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: every test on the wasm backend, and the ML, evaluation and classification tests again on
 * the tensorflow backend (tfjs-node built by `npm run setup:tensorflow`). FASHION_SORTER_BACKEND reaches
 * the tests and the training processes they start. Without the built addon the tensorflow half is
 * skipped with one line saying so, except in CI (CI=true), where it must be there.
 */
const TFJS_NODE_BINDING = 'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node';
const tensorflowBuilt = fs.existsSync(TFJS_NODE_BINDING);
if (!tensorflowBuilt) {
  if (process.env.CI === 'true') throw new Error(`CI needs the tensorflow backend, but ${TFJS_NODE_BINDING} is missing: run 'npm run setup:tensorflow'.`);
  console.warn(`Skipping the tensorflow half of the tests: ${TFJS_NODE_BINDING} is not built (npm run setup:tensorflow builds it).`);
}

/** Tests of training, evaluation and classification: the ones that run on both backends. */
const ON_BOTH_BACKENDS = ['test/main/ml/**/*.test.ts', 'test/main/classify/**/*.test.ts', 'test/main/jobs/**/*.test.ts', 'test/main/cli/cli-training.test.ts', 'test/main/cli/cli-classify.test.ts'];
/** Tests of the project's own wasm kernels and wasm data parallelism: wasm only. */
const WASM_ONLY = ['test/main/ml/kernels/**/*.test.ts', 'test/main/ml/data-parallel.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    // Native modules (better-sqlite3, sharp, tfjs wasm) are happiest in their own processes.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'wasm', include: ['test/**/*.test.ts'], env: { FASHION_SORTER_BACKEND: 'wasm' } } },
      ...(tensorflowBuilt
        ? [{ extends: true, test: { name: 'tensorflow', include: ON_BOTH_BACKENDS, exclude: WASM_ONLY, env: { FASHION_SORTER_BACKEND: 'tensorflow' } } }]
        : []),
    ],
  },
});
