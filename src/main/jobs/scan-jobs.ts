/**
 * Label scans as the app sees them: `scan` jobs of the app's task manager, each in its own process,
 * reporting progress, cancellable within a batch, always publishing a final state. If the process dies,
 * the scan is marked failed with what it printed last.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import { labelScanDefaults, type LabelScanProgress, type LabelScanRequest, type LabelScanSettings } from '../../shared/label-scan.ts';
import type { TaskJobUpdate, TaskProgress } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { datasetSummaries } from '../db/datasets.ts';
import { createScan, endScan } from '../db/label-scans.ts';
import { initialScanProgress } from '../labels/scan-job.ts';
import { crashDetail } from '../workers/crash-detail.ts';
import type { FromScanWorker, ToScanWorker } from '../workers/scan-protocol.ts';
import { checkReplicaSetting } from '../workers/replica-count.ts';
import type { TaskManager } from './task-manager.ts';
import { tensorflowAvailable } from '../ml/tensorflow-available.ts';

/** A started scan process. */
export interface ScanWorkerHandle {
  send(message: ToScanWorker): void;
  onMessage(listener: (message: FromScanWorker) => void): void;
  onExit(listener: (code: number | null, detail: string) => void): void;
  kill(): void;
}

/** The scan process's entry, run from source (Node strips the types). */
export const SCAN_WORKER_SOURCE = new URL('../workers/scan-worker.ts', import.meta.url).pathname;

/** How long a cancelled scan may take to stop on its own before its process is killed. */
const CANCEL_GRACE_MS = 15_000;
const STDERR_TAIL_CHARS = 2000;

/** Starts the scan process as a Node child process. */
export function nodeScanLauncher(script = SCAN_WORKER_SOURCE): () => ScanWorkerHandle {
  return () => {
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], serialization: 'advanced' });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS);
    });
    return {
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as FromScanWorker)),
      onExit: (listener) => child.once('exit', (code, signal) => listener(code ?? (signal ? -1 : null), crashDetail(stderr) ?? (signal ? `killed by ${signal}` : ''))),
      kill: () => child.kill('SIGKILL'),
    };
  };
}

/** Fills in every setting a request left out; checks the dataset and the numbers. */
export function resolveScanRequest(db: Db, request: LabelScanRequest): { datasetId: number; settings: LabelScanSettings; keepOld: boolean } {
  const datasets = datasetSummaries(db);
  const dataset = request.datasetId === undefined ? datasets[0] : datasets.find((d) => d.datasetId === request.datasetId);
  if (!dataset) throw new AppError('not-found', request.datasetId === undefined ? 'There is no dataset to scan. Import Fashion-MNIST first.' : `There is no dataset ${request.datasetId}.`);
  // Left-out settings follow the model asked for, else the engine the scan will train on.
  const defaults = request.model === undefined ? labelScanDefaults(tensorflowAvailable()) : labelScanDefaults(request.model === 'cnn');
  const settings: LabelScanSettings = {
    model: request.model ?? defaults.model,
    folds: request.folds ?? defaults.folds,
    epochs: request.epochs ?? defaults.epochs,
    seed: request.seed ?? defaults.seed,
  };
  if (!Number.isInteger(settings.folds) || settings.folds < 2 || settings.folds > 20) throw new AppError('invalid-argument', `Folds must be a whole number from 2 to 20, not ${settings.folds}.`);
  if (!Number.isInteger(settings.epochs) || settings.epochs < 1 || settings.epochs > 200) throw new AppError('invalid-argument', `Epochs must be a whole number from 1 to 200, not ${settings.epochs}.`);
  const labeled = dataset.bySplit.train + dataset.bySplit.user;
  if (labeled < settings.folds * 2) throw new AppError('invalid-argument', `Dataset ${dataset.datasetId} has ${labeled} labeled images; a ${settings.folds}-fold scan needs at least ${settings.folds * 2}.`);
  return { datasetId: dataset.datasetId, settings, keepOld: request.keepOld ?? false };
}

export interface ScanJobsDeps {
  db: Db;
  dbPath: string;
  /** The app's one task manager: scans are `scan` jobs there, published as `job:update` like the others. */
  tasks: TaskManager;
  launch?: () => ScanWorkerHandle;
  now?: () => Date;
}

/** A scan's progress as the task manager shows it: a phase in words and the share done. */
export function taskProgress(p: LabelScanProgress): TaskProgress {
  const eta = p.etaSeconds === null ? '' : `, about ${Math.ceil(p.etaSeconds)} s left`;
  const phase = p.phase === 'training' ? `fold ${p.fold}/${p.folds}, epoch ${p.epoch}/${p.epochs}${eta}` : `${p.phase}${eta}`;
  return { phase, fraction: p.fraction, done: Math.round(p.fraction * 1000), total: 1000 };
}

export class ScanJobs {
  private readonly deps: ScanJobsDeps;

  constructor(deps: ScanJobsDeps) {
    this.deps = deps;
  }

  /**
   * Starts a scan in a new process; returns at once with the job and scan ids. `onProgress` gets the
   * detailed progress (fold, epoch, batch) that the task manager's summary leaves out.
   */
  start(request: LabelScanRequest, onProgress?: (progress: LabelScanProgress) => void): { jobId: string; scanId: number } {
    const now = this.deps.now ?? (() => new Date());
    const { datasetId, settings, keepOld } = resolveScanRequest(this.deps.db, request);
    checkReplicaSetting();
    const scanId = createScan(this.deps.db, datasetId, settings, now());
    const jobId = randomUUID();
    let worker: ScanWorkerHandle;
    try {
      worker = (this.deps.launch ?? nodeScanLauncher())();
    } catch (error) {
      endScan(this.deps.db, scanId, 'failed', `The scan process could not start: ${(error as Error).message}`, now());
      throw error;
    }
    let cancelTimer: NodeJS.Timeout | undefined;
    const job = this.deps.tasks.track<TaskJobUpdate>(
      { jobId, kind: 'scan', state: 'running', progress: taskProgress(initialScanProgress(settings)), subject: { datasetId, scanId } },
      () => {
        // Ask the process to stop after its current batch; kill it if it does not stop in time.
        worker.send({ type: 'cancel', jobId });
        cancelTimer = setTimeout(() => worker.kill(), CANCEL_GRACE_MS);
      },
    );
    const end = (state: 'succeeded' | 'failed' | 'cancelled', error?: string): void => {
      if (job.update.state !== 'running') return;
      clearTimeout(cancelTimer);
      job.finish(state, { error, progress: { ...job.update.progress, fraction: state === 'succeeded' ? 1 : job.update.progress.fraction } });
    };
    worker.onMessage((message) => {
      if (message.jobId !== jobId) return;
      if (message.type === 'progress') {
        onProgress?.(message.progress);
        job.change({ progress: taskProgress(message.progress) });
      } else if (message.type === 'succeeded') end('succeeded');
      else if (message.type === 'cancelled') end('cancelled');
      else if (message.type === 'failed') end('failed', message.error.message);
    });
    worker.onExit((code, detail) => {
      if (job.update.state !== 'running') return;
      const cancelling = job.cancelling;
      const reason = cancelling ? null : `The scan process stopped unexpectedly (exit code ${code ?? 'none'})${detail ? `: ${detail}` : '.'}`;
      endScan(this.deps.db, scanId, cancelling ? 'cancelled' : 'failed', reason, now());
      end(cancelling ? 'cancelled' : 'failed', reason ?? undefined);
    });
    worker.send({ type: 'scan', jobId, scanId, datasetId, dbPath: this.deps.dbPath, settings, keepOld });
    return { jobId, scanId };
  }

  /** Asks a scan to stop after its current batch. */
  cancel(jobId: string): void {
    if (!this.running().some((job) => job.jobId === jobId)) throw new AppError('not-found', 'That label scan is not running.');
    this.deps.tasks.cancel(jobId);
  }

  /** Scans still running. */
  running(): TaskJobUpdate[] {
    return this.deps.tasks.running('scan') as TaskJobUpdate[];
  }

  /** Resolves with the scan job's final state. */
  whenFinished(jobId: string): Promise<TaskJobUpdate> {
    return this.deps.tasks.whenFinished(jobId) as Promise<TaskJobUpdate>;
  }
}
