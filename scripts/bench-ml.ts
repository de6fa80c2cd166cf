/**
 * Training and inference figures: seconds per epoch on the full training set for each model and
 * backend, the GFLOP/s an MLP epoch achieves against a large matMul on the same backend, inference
 * images per second, and the seconds to evaluate and store 70,000 predictions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { insertPredictions } from '../src/main/db/predictions.ts';
import { topClasses } from '../src/main/ml/metrics.ts';
import { createRun } from '../src/main/db/runs.ts';
import { resolveTrainConfig } from '../src/main/jobs/training-jobs.ts';
import { BACKEND_ORDER, initBackend, type BackendName } from '../src/main/ml/backend.ts';
import { loadImages, type LabeledImages } from '../src/main/ml/data.ts';
import { predictProbabilities } from '../src/main/ml/evaluate.ts';
import { buildModel, modelDefaults } from '../src/main/ml/models.ts';
import { seededRandom } from '../src/main/ml/random.ts';
import { trainModel, type TrainStrategy } from '../src/main/ml/train.ts';
import type { ModelKind, TrainConfig } from '../src/shared/types.ts';
import { median, timed, withFashionWorkspace } from './bench-util.ts';

/** Multiply–adds of one MLP forward pass per image: 784·128 + 128·64 + 64·10. */
const MLP_MACS_PER_IMAGE = 784 * 128 + 128 * 64 + 64 * 10;
/** A training step costs about three forward passes (forward, and two products backward). */
const TRAINING_PASSES = 3;
const MATMUL_SIZE = 1024;

const EMPTY: LabeledImages = { imageIds: new Int32Array(0), labels: new Uint8Array(0), pixels: new Uint8Array(0) };

function config(model: ModelKind, epochs: number): TrainConfig {
  return { model, datasetId: 1, ...modelDefaults(model, 'wasm'), epochs, validationFraction: 0, seed: 1, limit: null, includeUserLabels: false, patience: 0 };
}

/** The replicas' script of data-parallel training, run from source. */
export const REPLICA_SCRIPT = new URL('../src/main/workers/replica-worker.ts', import.meta.url).pathname;

/** Seconds of each epoch, training on `train` for `epochs` epochs with no validation split. */
async function epochSeconds(model: ModelKind, train: LabeledImages, epochs: number, strategy: 'auto' | TrainStrategy = 'auto'): Promise<number[]> {
  const net = buildModel(model, 1);
  const outcome = await trainModel(net, { train, validation: EMPTY }, config(model, epochs), seededRandom(1), { strategy, replicaScript: REPLICA_SCRIPT });
  net.dispose();
  return outcome.epochs.map((e) => Number(e.seconds.toFixed(3)));
}

async function matMulGflops(repeats: number): Promise<number> {
  const a = tf.randomNormal([MATMUL_SIZE, MATMUL_SIZE]);
  const b = tf.randomNormal([MATMUL_SIZE, MATMUL_SIZE]);
  const times: number[] = [];
  for (let i = 0; i < repeats + 1; i++) {
    const { seconds } = await timed(async () => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    });
    if (i > 0) times.push(seconds);
  }
  tf.dispose([a, b]);
  return Number(((2 * MATMUL_SIZE ** 3) / median(times) / 1e9).toFixed(2));
}

function take(images: LabeledImages, count: number): LabeledImages {
  return { imageIds: images.imageIds.subarray(0, count), labels: images.labels.subarray(0, count), pixels: images.pixels.subarray(0, count * 784) };
}

/** The stock wasm kernels batch normalisation trains with, taken before the project's replace them. */
const STOCK_REDUCTIONS: KernelConfig[] = ['Sum', 'Mean', 'Tile'].map((name) => getKernel(name, 'wasm')!);

/**
 * Milliseconds of one CNN training step on 32 images with the project's Sum, Mean and Tile kernels and
 * with the stock ones: the two alternate, `rounds` rounds of ten steps each, and the medians are kept.
 */
function reductionKernelStepMs(rounds: number): { ours: number; stock: number } {
  const ours = STOCK_REDUCTIONS.map((k) => getKernel(k.kernelName, 'wasm')!);
  const use = (configs: KernelConfig[]): void =>
    configs.forEach((config) => {
      unregisterKernel(config.kernelName, 'wasm');
      registerKernel(config);
    });
  const model = buildModel('cnn', 1);
  const optimizer = tf.train.adam(0.001);
  const [x, y] = tf.tidy(() => [tf.randomUniform([32, 28, 28, 1]), tf.oneHot(tf.randomUniform([32], 0, 10, 'int32'), 10)]);
  const step = (): void => {
    const loss = optimizer.minimize(() => tf.neg(tf.mean(tf.log(tf.clipByValue(tf.sum(tf.mul(model.apply(x, { training: true }) as tf.Tensor, y), 1), 1e-7, 1)))) as tf.Scalar, true)!;
    loss.dataSync();
    loss.dispose();
  };
  const times = { ours: [] as number[], stock: [] as number[] };
  try {
    for (let round = 0; round <= rounds; round++) {
      for (const [name, kernels] of [['ours', ours], ['stock', STOCK_REDUCTIONS]] as const) {
        use(kernels);
        const started = performance.now();
        for (let i = 0; i < 10; i++) step();
        // The first round warms up.
        if (round > 0) times[name].push((performance.now() - started) / 10);
      }
    }
  } finally {
    use(ours);
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  }
  return { ours: median(times.ours), stock: median(times.stock) };
}

export async function benchMl(options: { repeats: number; backends: BackendName[]; fullCnnEpoch: boolean }): Promise<Record<string, unknown>> {
  return withFashionWorkspace('ml', async ({ db }) => {
    const train = loadImages(db, 1, ['train']);
    const test = loadImages(db, 1, ['test']);
    const results: Record<string, unknown> = {};

    for (const backend of options.backends) {
      try {
        await initBackend(backend);
      } catch {
        results[backend] = { available: false };
        continue;
      }
      const figures: Record<string, unknown> = { available: true };
      // MLP: warm-up epoch first, then the median of the next ones (cpu is slow: fewer).
      const mlpEpochs = backend === 'cpu' ? 2 : options.repeats + 1;
      const mlp = (await epochSeconds('mlp', train, mlpEpochs)).slice(1);
      const mlpSeconds = median(mlp);
      const gflopsPerEpoch = (train.labels.length * MLP_MACS_PER_IMAGE * 2 * TRAINING_PASSES) / 1e9;
      figures.mlpSecondsPerEpoch = mlpSeconds;
      figures.mlpEpochRuns = mlp;
      figures.mlpEpochGflop = Number(gflopsPerEpoch.toFixed(1));
      figures.mlpGflops = Number((gflopsPerEpoch / mlpSeconds).toFixed(2));
      figures.matMul1024Gflops = await matMulGflops(backend === 'cpu' ? 1 : options.repeats);
      figures.mlpShareOfMatMul = Number(((figures.mlpGflops as number) / (figures.matMul1024Gflops as number)).toFixed(2));

      // CNN: one full epoch where asked and affordable; otherwise a measured slice, scaled (and labelled so).
      if (options.fullCnnEpoch && backend !== 'cpu') {
        // One thread: tfjs-layers' fit, and the hand-written steps.
        figures.cnnFitSecondsPerEpoch = (await epochSeconds('cnn', train, 1, 'fit'))[0];
        figures.cnnStepsSecondsPerEpoch = (await epochSeconds('cnn', train, 1, 'steps'))[0];
        // wasm's default: one replica per core.
        if (backend !== 'tensorflow') figures.cnnDataParallelSecondsPerEpoch = (await epochSeconds('cnn', train, 1, 'data-parallel'))[0];
      } else {
        const slice = backend === 'cpu' ? 512 : 6000;
        const [seconds] = await epochSeconds('cnn', take(train, slice), 1);
        figures.cnnSecondsPerEpoch = Number(((seconds * train.labels.length) / slice).toFixed(1));
        figures.cnnSecondsPerEpochMeasuredOn = slice;
      }
      if (backend === 'wasm') figures.cnnStepMs32WithOurAndStockSumMeanTile = reductionKernelStepMs(Math.max(5, options.repeats));

      for (const kind of ['mlp', 'cnn'] as const) {
        const net = buildModel(kind, 1);
        const images = backend === 'cpu' && kind === 'cnn' ? take(test, 1000) : test;
        await predictProbabilities(net, images.pixels.subarray(0, 2048 * 784), kind);
        const runs: number[] = [];
        for (let i = 0; i < (backend === 'cpu' ? 1 : options.repeats); i++) runs.push((await timed(() => predictProbabilities(net, images.pixels, kind))).seconds);
        figures[`${kind}InferenceImagesPerSecond`] = Math.round(images.labels.length / median(runs));
        net.dispose();
      }
      results[backend] = figures;
    }

    // Evaluate and store 70,000 MLP predictions, on the first backend that works.
    await initBackend(options.backends.find((b) => (results[b] as { available: boolean }).available));
    const all = loadImages(db, 1, ['test', 'train']);
    const net = buildModel('mlp', 1);
    const runId = createRun(db, resolveTrainConfig(db, { model: 'mlp' }), new Date());
    const storeRuns: number[] = [];
    for (let i = 0; i < options.repeats; i++) {
      db.prepare('DELETE FROM predictions').run();
      const { seconds } = await timed(async () => {
        const probabilities = await predictProbabilities(net, all.pixels, 'mlp');
        db.transaction(() => insertPredictions(db, runId, { imageIds: all.imageIds, ...topClasses(probabilities), probabilities }))();
      });
      storeRuns.push(seconds);
    }
    net.dispose();
    results.evaluateAndStore70kSeconds = median(storeRuns);
    results.evaluateAndStore70kRuns = storeRuns;
    results.backendOrder = BACKEND_ORDER;
    return results;
  });
}
