/**
 * Training jobs as the app sees them: each runs in its own process, reports progress as events, can be
 * cancelled, and always publishes a final state. If the process dies, the run is marked failed with
 * what it printed last, so the workspace never keeps a run that claims to be training.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import type { JobUpdate, RunSummary, TrainConfig, TrainRequest } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { datasetSummaries } from '../db/datasets.ts';
import { createRun, endRun, getRun, recordRunProcess } from '../db/runs.ts';
import { processStartTime } from '../runs/process-identity.ts';
import { initialProgress } from '../ml/train-job.ts';
import { DEFAULT_SEED, DEFAULT_VALIDATION_FRACTION, MODEL_DEFAULTS } from '../ml/models.ts';
import type { FromWorker, ToWorker } from '../workers/protocol.ts';

/** A started training process, whatever kind of process it is. */
export interface WorkerHandle {
  send(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  /** Called once when the process ends; `detail` is the end of what it wrote to stderr. */
  onExit(listener: (code: number | null, detail: string) => void): void;
  kill(): void;
  /** Calls back with the process id as soon as the process exists (before it loads anything). */
  onSpawn?(listener: (pid: number) => void): void;
}

export type WorkerLauncher = () => WorkerHandle;

/** How long a cancelled job may take to stop on its own before its process is killed. */
const CANCEL_GRACE_MS = 15_000;

interface Job {
  update: JobUpdate;
  worker: WorkerHandle;
  finished: Promise<JobUpdate>;
  cancelTimer?: NodeJS.Timeout;
}

/** Fills in every option a request left out, from the model's defaults; checks the dataset exists. */
export function resolveTrainConfig(db: Db, request: TrainRequest): TrainConfig {
  const datasets = datasetSummaries(db);
  const dataset = request.datasetId === undefined ? datasets[0] : datasets.find((d) => d.datasetId === request.datasetId);
  if (!dataset) {
    throw new AppError('not-found', request.datasetId === undefined ? 'There is no dataset to train on. Import Fashion-MNIST first.' : `There is no dataset ${request.datasetId}.`);
  }
  const defaults = MODEL_DEFAULTS[request.model];
  return {
    model: request.model,
    datasetId: dataset.datasetId,
    epochs: request.epochs ?? defaults.epochs,
    batchSize: request.batchSize ?? defaults.batchSize,
    learningRate: request.learningRate ?? defaults.learningRate,
    validationFraction: request.validationFraction ?? DEFAULT_VALIDATION_FRACTION,
    seed: request.seed ?? DEFAULT_SEED,
    limit: request.limit ?? null,
    includeUserLabels: request.includeUserLabels ?? true,
    patience: request.patience ?? defaults.patience,
    augment: request.augment ?? defaults.augment,
  };
}

export interface TrainingJobsDeps {
  db: Db;
  dbPath: string;
  launch: WorkerLauncher;
  /** Receives every change of every job. */
  publish(update: JobUpdate): void;
  now?: () => Date;
}

export class TrainingJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly deps: TrainingJobsDeps;

  constructor(deps: TrainingJobsDeps) {
    this.deps = deps;
  }

  /** Starts a training run in a new process; returns at once with the job and run ids. */
  start(request: TrainRequest): { jobId: string; runId: number } {
    const now = this.deps.now ?? (() => new Date());
    const config = resolveTrainConfig(this.deps.db, request);
    // Until the training process is known, the run belongs to this process: if it dies, so does the run.
    const runId = createRun(this.deps.db, config, now(), { pid: process.pid, startedAt: processStartTime(process.pid) });
    const jobId = randomUUID();
    let worker: WorkerHandle;
    try {
      worker = this.deps.launch();
    } catch (error) {
      endRun(this.deps.db, runId, 'failed', `The training process could not start: ${(error as Error).message}`, now());
      throw error;
    }
    let settle!: (update: JobUpdate) => void;
    const finished = new Promise<JobUpdate>((resolve) => (settle = resolve));
    worker.onSpawn?.((pid) => recordRunProcess(this.deps.db, runId, { pid, startedAt: processStartTime(pid) }));
    const job: Job = { worker, finished, update: { jobId, kind: 'train', runId, state: 'running', progress: initialProgress(config.epochs) } };
    this.jobs.set(jobId, job);

    const end = (state: JobUpdate['state'], error?: string, run?: RunSummary): void => {
      if (job.update.state !== 'running') return;
      clearTimeout(job.cancelTimer);
      const fraction = state === 'succeeded' ? 1 : job.update.progress.fraction;
      this.emit(job, { state, error, run: run ?? getRun(this.deps.db, runId) ?? undefined, progress: { ...job.update.progress, fraction }, epoch: undefined });
      this.jobs.delete(jobId);
      settle(job.update);
    };

    worker.onMessage((message) => {
      if (message.jobId !== jobId) return;
      switch (message.type) {
        case 'progress':
          this.emit(job, { progress: message.progress, epoch: undefined });
          break;
        case 'epoch':
          this.emit(job, { epoch: message.metrics });
          break;
        case 'succeeded':
          endAsWorkspaceSays('succeeded');
          break;
        case 'cancelled':
          endAsWorkspaceSays('cancelled');
          break;
        case 'failed':
          endAsWorkspaceSays('failed', message.error.message);
          break;
      }
    });
    /**
     * Whoever sees the commit decides: the training process may die (or report failure) just after its
     * save committed, so a run the workspace holds as succeeded is reported as succeeded, with the
     * promotion decision the save stored.
     */
    const endAsWorkspaceSays = (reported: JobUpdate['state'], error?: string): void => {
      const stored = getRun(this.deps.db, runId);
      if (stored?.status === 'succeeded') {
        job.update.promoted = stored.promoted ?? false;
        end('succeeded', undefined, stored);
        return;
      }
      const state = reported === 'cancelled' ? 'cancelled' : 'failed';
      const reason = reported === 'succeeded' ? `The training process reported success, but the workspace does not hold run ${runId} as saved.` : error;
      // The process could not record its own end (it may have lost the workspace); record it here.
      if (stored?.status === 'running') endRun(this.deps.db, runId, state, reason ?? null, now());
      end(state, reason);
    };
    worker.onExit((code, detail) => {
      if (job.update.state !== 'running') return;
      if (getRun(this.deps.db, runId)?.status === 'succeeded') {
        endAsWorkspaceSays('succeeded');
        return;
      }
      const cancelling = job.cancelTimer !== undefined;
      const reason = cancelling ? null : `The training process stopped unexpectedly (exit code ${code ?? 'none'})${detail ? `: ${detail}` : '.'}`;
      endRun(this.deps.db, runId, cancelling ? 'cancelled' : 'failed', reason, now());
      end(cancelling ? 'cancelled' : 'failed', reason ?? undefined);
    });
    worker.send({ type: 'train', jobId, runId, dbPath: this.deps.dbPath, config });
    this.emit(job, {});
    return { jobId, runId };
  }

  /** Asks a job to stop after its current batch; kills its process if it does not stop in time. */
  cancel(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('not-found', 'That training job is not running.');
    if (job.cancelTimer) return;
    job.worker.send({ type: 'cancel', jobId });
    job.cancelTimer = setTimeout(() => job.worker.kill(), CANCEL_GRACE_MS);
  }

  /** Jobs still running, newest last. */
  running(): JobUpdate[] {
    return [...this.jobs.values()].map((job) => job.update);
  }

  /** Resolves with the job's final state. */
  whenFinished(jobId: string): Promise<JobUpdate> {
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('not-found', 'That training job is not running.');
    return job.finished;
  }

  /** Stops every job, e.g. when the app quits; their runs are marked cancelled. */
  cancelAll(): void {
    for (const jobId of this.jobs.keys()) this.cancel(jobId);
  }

  private emit(job: Job, change: Partial<JobUpdate>): void {
    job.update = { ...job.update, ...change };
    this.deps.publish(job.update);
  }
}
