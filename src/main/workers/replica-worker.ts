/**
 * One of the further replicas of data-parallel training (data-parallel.ts), in a worker thread of the
 * training process. It builds the same model, takes the first replica's initial weights, and follows its
 * lead.
 */
import * as tf from '@tensorflow/tfjs-core';
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../ml/backend.ts';
import { batchesPerEpoch } from '../ml/data.ts';
import { Replica, type SharedTraining } from '../ml/data-parallel.ts';
import { buildModel } from '../ml/models.ts';
import { runSeeds } from '../ml/random.ts';

const { shared, index, seed, backend } = workerData as { shared: SharedTraining; index: number; seed: number; backend: string };
// The same backend as the leading replica, so that all compute the same numbers.
await initBackend(backend);
const model = buildModel(shared.kind, runSeeds(seed).weights);
model.setWeights(shared.weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
const replica = new Replica(model, shared, index);
const learningRate = new Float32Array(shared.learningRate);
parentPort!.postMessage('ready');

// Each epoch: meet to receive the order and learning rate, then step until the epoch ends. The first
// barrier that says stop ends this thread; the leading replica never expects it at another barrier.
const steps = batchesPerEpoch(shared.count, shared.batchSize);
epochs: while (replica.sync()) {
  replica.setLearningRate(learningRate[0]);
  for (let s = 0; s < steps; s++) {
    const start = s * shared.batchSize;
    if (!replica.step(s, start, Math.min(shared.count, start + shared.batchSize))) break epochs;
  }
}
model.dispose();
replica.dispose();
