/**
 * Entry point of the label-scan process (an Electron utility process in the desktop app, a Node child
 * process from the CLI, the web host and tests):
 * runs one scan, reports progress, and exits. Its own process, like training, so the fold models'
 * tensors and the CPU time never touch the app's main process.
 */
import path from 'node:path';
import { serializeError } from '../../shared/errors.ts';
import { openWorkspace, type Db } from '../db/connection.ts';
import { endScan } from '../db/label-scans.ts';
import { runScanJob } from '../labels/scan-job.ts';
import { initBackend } from '../ml/backend.ts';
import { seededRandom } from '../ml/random.ts';
import type { FromScanWorker, ToScanWorker } from './scan-protocol.ts';
import { replicasAllowed } from './replica-count.ts';

/** The training engine's data-parallel replica, beside this file. */
const REPLICA_SCRIPT = import.meta.url.endsWith('.ts') ? new URL('./replica-worker.ts', import.meta.url).pathname : path.join(import.meta.dirname, 'replica-worker.js');

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** The channel to the parent: Electron's parentPort in a utility process, Node's IPC otherwise. */
const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!parentPort && !process.send) throw new Error('The label-scan process must be started by Fashion Sorter.');
const send = (message: FromScanWorker): void => (parentPort ? parentPort.postMessage(message) : void process.send!(message));
const onMessage = (listener: (message: unknown) => void): void => {
  if (parentPort) parentPort.on('message', (event) => listener(event.data));
  else process.on('message', listener);
};
// If the app or the CLI dies, stop rather than scan for no one.
process.on('disconnect', () => process.exit(1));
const controller = new AbortController();
let busy = false;

function finish(message: FromScanWorker, db: Db | null): void {
  db?.close();
  send(message);
  setTimeout(() => process.exit(0), 50);
}

onMessage(async (raw) => {
  const message = raw as ToScanWorker;
  if (message.type === 'cancel') {
    controller.abort();
    return;
  }
  if (busy) return;
  busy = true;
  const { jobId, scanId, settings } = message;
  let db: Db | null = null;
  try {
    db = openWorkspace(message.dbPath);
    // Initial weights, dropout and shuffles all follow the scan's seed.
    Math.random = seededRandom(settings.seed ^ 0x5ca7);
    const backend = await initBackend();
    send({ type: 'started', jobId, backend });
    const done = await runScanJob({
      db,
      scanId,
      datasetId: message.datasetId,
      settings,
      backend,
      keepOld: message.keepOld,
      signal: controller.signal,
      replicaScript: REPLICA_SCRIPT,
      replicas: replicasAllowed(),
      onProgress: (progress) => send({ type: 'progress', jobId, progress }),
    });
    if (!done) endScan(db, scanId, 'cancelled', null, new Date());
    finish(done ? { type: 'succeeded', jobId } : { type: 'cancelled', jobId }, db);
  } catch (error) {
    const serialized = serializeError(error);
    if (db) endScan(db, scanId, 'failed', serialized.message, new Date());
    finish({ type: 'failed', jobId, error: serialized }, db);
  }
});
