/**
 * Entry point of the training process: an Electron utilityProcess in the desktop app, a Node child
 * process from the CLI, the web host and the tests. It trains one job, reports progress, and exits.
 */
import { serializeError } from '../../shared/errors.ts';
import { openWorkspace, type Db } from '../db/connection.ts';
import { endRun } from '../db/runs.ts';
import { workspaceError } from '../db/workspace-errors.ts';
import { initBackend } from '../ml/backend.ts';
import { runTrainingJob } from '../ml/train-job.ts';
import type { FromWorker, ToWorker, WorkerPort } from './protocol.ts';
import { replicasAllowed } from './replica-count.ts';
import path from 'node:path';

/** The data-parallel replicas' script: beside this file, built or run from source. */
const REPLICA_SCRIPT = import.meta.url.endsWith('.ts') ? new URL('./replica-worker.ts', import.meta.url).pathname : path.join(import.meta.dirname, 'replica-worker.js');

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** The channel to the parent: Electron's parentPort in a utility process, Node's IPC otherwise. */
function connectToParent(): WorkerPort {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return { send: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (e) => l(e.data as ToWorker)) };
  }
  if (!process.send) throw new Error('The training process must be started by Fashion Sorter.');
  return { send: (m) => process.send!(m), onMessage: (l) => process.on('message', (m) => l(m as ToWorker)) };
}

const port = connectToParent();
// If the app or the CLI dies, stop rather than train for no one; the next start marks the run failed.
process.on('disconnect', () => process.exit(1));
const controller = new AbortController();
let busy = false;

/** Sends the final message, then exits once it has been handed over. */
function finish(message: FromWorker, db: Db | null): void {
  db?.close();
  port.send(message);
  setTimeout(() => process.exit(0), 50);
}

port.onMessage(async (message) => {
  if (message.type === 'cancel') {
    controller.abort();
    return;
  }
  if (busy) return;
  busy = true;
  const { jobId, runId, config } = message;
  let db: Db | null = null;
  try {
    db = openWorkspace(message.dbPath);
    const backend = await initBackend();
    port.send({ type: 'started', jobId, backend });
    const run = await runTrainingJob({
      db,
      runId,
      config,
      backend,
      signal: controller.signal,
      replicaScript: REPLICA_SCRIPT,
      replicas: replicasAllowed(),
      onProgress: (progress) => port.send({ type: 'progress', jobId, progress }),
      onEpoch: (metrics) => port.send({ type: 'epoch', jobId, metrics }),
    });
    finish(run ? { type: 'succeeded', jobId, run } : { type: 'cancelled', jobId }, db);
  } catch (error) {
    const serialized = serializeError(workspaceError(error, message.dbPath));
    try {
      if (db) endRun(db, runId, 'failed', serialized.message, new Date());
    } catch {
      // The workspace may be what failed; the parent records the end then (see TrainingJobs).
    }
    finish({ type: 'failed', jobId, error: serialized }, db);
  }
});
