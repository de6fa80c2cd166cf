/**
 * The app's side of the engine comparison (bench-engines.ts): trains the app's default model on one
 * backend, one epoch per "epoch" line on stdin, through `trainModel` exactly as a run does (default
 * strategy, no validation split), and answers each with {"seconds", "loss", "accuracy"}. The peers in
 * scripts/peers/ speak the same protocol.
 *   node scripts/bench-engine-app.ts BACKEND MODEL WORKSPACE.db [LIMIT]
 */
import readline from 'node:readline';
import { openWorkspace } from '../src/main/db/connection.ts';
import { initBackend, type BackendName } from '../src/main/ml/backend.ts';
import { loadImages, subset, type LabeledImages } from '../src/main/ml/data.ts';
import { buildModel, modelDefaults } from '../src/main/ml/models.ts';
import { seededRandom } from '../src/main/ml/random.ts';
import { trainModel } from '../src/main/ml/train.ts';
import type { ModelKind, TrainConfig } from '../src/shared/types.ts';
import { REPLICA_SCRIPT } from './bench-ml.ts';

const [backendName, kind, dbPath, limitArg] = process.argv.slice(2) as [BackendName, ModelKind, string, string | undefined];
const say = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

const backend = await initBackend(backendName);
const db = openWorkspace(dbPath);
const all = loadImages(db, 1, ['train']);
db.close();
const train: LabeledImages = limitArg ? subset(all, Int32Array.from({ length: Math.min(Number(limitArg), all.labels.length) }, (_, i) => i)) : all;
const empty: LabeledImages = { imageIds: new Int32Array(0), labels: new Uint8Array(0), pixels: new Uint8Array(0) };
const config: TrainConfig = { model: kind, datasetId: 1, ...modelDefaults(kind, 'wasm'), epochs: 1, validationFraction: 0, seed: 1, limit: null, includeUserLabels: false, patience: 0 };
const model = buildModel(kind, 1);
const random = seededRandom(1);
say({ ready: true, engine: `app, ${backend}` });

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line.trim() === 'quit') break;
  const outcome = await trainModel(model, { train, validation: empty }, config, random, { replicaScript: REPLICA_SCRIPT });
  const [epoch] = outcome.epochs;
  say({ seconds: epoch.seconds, loss: epoch.loss, accuracy: epoch.accuracy, strategy: outcome.strategy });
}
model.dispose();
process.exit(0);
