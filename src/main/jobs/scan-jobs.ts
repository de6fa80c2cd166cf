/**
 * Label scans as the app sees them: each runs in its own process, reports progress, can be cancelled
 * within a batch, and always publishes a final state. If the process dies, the scan is marked failed
 * with what it printed last.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import { LABEL_SCAN_DEFAULTS, type LabelScanRequest, type LabelScanSettings, type LabelScanUpdate } from '../../shared/label-scan.ts';
import type { Db } from '../db/connection.ts';
import { datasetSummaries } from '../db/datasets.ts';
import { createScan, endScan, getScan } from '../db/label-scans.ts';
import { initialScanProgress } from '../labels/scan-job.ts';
import type { FromScanWorker, ToScanWorker } from '../workers/scan-protocol.ts';

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
      onExit: (listener) => child.once('exit', (code, signal) => listener(code ?? (signal ? -1 : null), stderr.trim().split('\n').at(-1) ?? '')),
      kill: () => child.kill('SIGKILL'),
    };
  };
}

/** Fills in every setting a request left out; checks the dataset and the numbers. */
export function resolveScanRequest(db: Db, request: LabelScanRequest): { datasetId: number; settings: LabelScanSettings; keepOld: boolean } {
  const datasets = datasetSummaries(db);
  const dataset = request.datasetId === undefined ? datasets[0] : datasets.find((d) => d.datasetId === request.datasetId);
  if (!dataset) throw new AppError('not-found', request.datasetId === undefined ? 'There is no dataset to scan. Import Fashion-MNIST first.' : `There is no dataset ${request.datasetId}.`);
  const settings: LabelScanSettings = {
    model: request.model ?? LABEL_SCAN_DEFAULTS.model,
    folds: request.folds ?? LABEL_SCAN_DEFAULTS.folds,
    epochs: request.epochs ?? LABEL_SCAN_DEFAULTS.epochs,
    seed: request.seed ?? LABEL_SCAN_DEFAULTS.seed,
  };
  if (!Number.isInteger(settings.folds) || settings.folds < 2 || settings.folds > 20) throw new AppError('invalid-argument', `Folds must be a whole number from 2 to 20, not ${settings.folds}.`);
  if (!Number.isInteger(settings.epochs) || settings.epochs < 1 || settings.epochs > 200) throw new AppError('invalid-argument', `Epochs must be a whole number from 1 to 200, not ${settings.epochs}.`);
  const labeled = dataset.bySplit.train + dataset.bySplit.user;
  if (labeled < settings.folds * 2) throw new AppError('invalid-argument', `Dataset ${dataset.datasetId} has ${labeled} labeled images; a ${settings.folds}-fold scan needs at least ${settings.folds * 2}.`);
  return { datasetId: dataset.datasetId, settings, keepOld: request.keepOld ?? false };
}

interface Job {
  update: LabelScanUpdate;
  worker: ScanWorkerHandle;
  finished: Promise<LabelScanUpdate>;
  cancelTimer?: NodeJS.Timeout;
}

export interface ScanJobsDeps {
  db: Db;
  dbPath: string;
  launch?: () => ScanWorkerHandle;
  publish(update: LabelScanUpdate): void;
  now?: () => Date;
}

export class ScanJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly deps: ScanJobsDeps;

  constructor(deps: ScanJobsDeps) {
    this.deps = deps;
  }

  /** Starts a scan in a new process; returns at once with the job and scan ids. */
  start(request: LabelScanRequest): { jobId: string; scanId: number } {
    const now = this.deps.now ?? (() => new Date());
    const { datasetId, settings, keepOld } = resolveScanRequest(this.deps.db, request);
    const scanId = createScan(this.deps.db, datasetId, settings, now());
    const jobId = randomUUID();
    let worker: ScanWorkerHandle;
    try {
      worker = (this.deps.launch ?? nodeScanLauncher())();
    } catch (error) {
      endScan(this.deps.db, scanId, 'failed', `The scan process could not start: ${(error as Error).message}`, now());
      throw error;
    }
    let settle!: (update: LabelScanUpdate) => void;
    const finished = new Promise<LabelScanUpdate>((resolve) => (settle = resolve));
    const job: Job = { worker, finished, update: { jobId, kind: 'scan', scanId, state: 'running', progress: initialScanProgress(settings) } };
    this.jobs.set(jobId, job);

    const end = (state: LabelScanUpdate['state'], error?: string): void => {
      if (job.update.state !== 'running') return;
      clearTimeout(job.cancelTimer);
      const fraction = state === 'succeeded' ? 1 : job.update.progress.fraction;
      this.emit(job, { state, error, scan: getScan(this.deps.db, scanId) ?? undefined, progress: { ...job.update.progress, fraction } });
      this.jobs.delete(jobId);
      settle(job.update);
    };
    worker.onMessage((message) => {
      if (message.jobId !== jobId) return;
      if (message.type === 'progress') this.emit(job, { progress: message.progress });
      else if (message.type === 'succeeded') end('succeeded');
      else if (message.type === 'cancelled') end('cancelled');
      else if (message.type === 'failed') end('failed', message.error.message);
    });
    worker.onExit((code, detail) => {
      if (job.update.state !== 'running') return;
      const cancelling = job.cancelTimer !== undefined;
      const reason = cancelling ? null : `The scan process stopped unexpectedly (exit code ${code ?? 'none'})${detail ? `: ${detail}` : '.'}`;
      endScan(this.deps.db, scanId, cancelling ? 'cancelled' : 'failed', reason, now());
      end(cancelling ? 'cancelled' : 'failed', reason ?? undefined);
    });
    worker.send({ type: 'scan', jobId, scanId, datasetId, dbPath: this.deps.dbPath, settings, keepOld });
    this.emit(job, {});
    return { jobId, scanId };
  }

  /** Asks a scan to stop after its current batch; kills its process if it does not stop in time. */
  cancel(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('not-found', 'That label scan is not running.');
    if (job.cancelTimer) return;
    job.worker.send({ type: 'cancel', jobId });
    job.cancelTimer = setTimeout(() => job.worker.kill(), CANCEL_GRACE_MS);
  }

  running(): LabelScanUpdate[] {
    return [...this.jobs.values()].map((job) => job.update);
  }

  whenFinished(jobId: string): Promise<LabelScanUpdate> {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('not-found', 'That label scan is not running.');
    return job.finished;
  }

  cancelAll(): void {
    for (const jobId of this.jobs.keys()) this.cancel(jobId);
  }

  private emit(job: Job, change: Partial<LabelScanUpdate>): void {
    job.update = { ...job.update, ...change };
    this.deps.publish(job.update);
  }
}
