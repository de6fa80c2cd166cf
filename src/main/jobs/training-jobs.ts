/**
 * Training jobs as the app sees them: each runs in its own process, reports progress as events, can be
 * cancelled, and always publishes a final state (the bookkeeping is the task manager's, task-manager.ts). If the process dies, the run is marked failed with
 * what it printed last, so the workspace never keeps a run that claims to be training.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import type { JobUpdate, RunSummary, TrainConfig, TrainJobUpdate, TrainRequest } from '../../shared/types.ts';
import type { Db } from '../db/connection.ts';
import { datasetSummaries } from '../db/datasets.ts';
import { createRun, endRun, getRun, recordRunProcess } from '../db/runs.ts';
import { processStartTime } from '../runs/process-identity.ts';
import { initialProgress } from '../ml/train-progress.ts';
import { trainingEngine } from '../ml/tensorflow-available.ts';
import { TaskManager } from './task-manager.ts';
import { DEFAULT_SEED, DEFAULT_VALIDATION_FRACTION, modelDefaults, type Engine } from '../../shared/model-defaults.ts';
import type { WorkerHandle, WorkerLauncher } from '../workers/protocol.ts';
import { checkReplicaSetting } from '../workers/replica-count.ts';

export type { WorkerHandle, WorkerLauncher } from '../workers/protocol.ts';

/** How long a cancelled job may take to stop on its own before its process is killed. */
const CANCEL_GRACE_MS = 15_000;

/** Fills in every option a request left out, from the model's defaults on `engine`; checks the dataset exists. */
export function resolveTrainConfig(db: Db, request: TrainRequest, engine: Engine = trainingEngine()): TrainConfig {
  const datasets = datasetSummaries(db);
  const dataset = request.datasetId === undefined ? datasets[0] : datasets.find((d) => d.datasetId === request.datasetId);
  if (!dataset) {
    throw new AppError('not-found', request.datasetId === undefined ? 'There is no dataset to train on. Import Fashion-MNIST first.' : `There is no dataset ${request.datasetId}.`);
  }
  const defaults = modelDefaults(request.model, engine);
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
    excludeSuspects: request.excludeSuspects ?? false,
  };
}

export interface TrainingJobsDeps {
  db: Db;
  dbPath: string;
  launch: WorkerLauncher;
  /** Receives every change of every job; used when no task manager is given. */
  publish(update: JobUpdate): void;
  /** The app's one task manager, shared with the other kinds of job. */
  tasks?: TaskManager;
  now?: () => Date;
}

export class TrainingJobs {
  private readonly deps: TrainingJobsDeps;
  readonly tasks: TaskManager;

  constructor(deps: TrainingJobsDeps) {
    this.deps = deps;
    this.tasks = deps.tasks ?? new TaskManager(deps.publish);
  }

  /** Starts a training run in a new process; returns at once with the job and run ids. */
  start(request: TrainRequest): { jobId: string; runId: number } {
    const now = this.deps.now ?? (() => new Date());
    const config = resolveTrainConfig(this.deps.db, request);
    checkReplicaSetting();
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
    worker.onSpawn?.((pid) => recordRunProcess(this.deps.db, runId, { pid, startedAt: processStartTime(pid) }));
    let cancelTimer: NodeJS.Timeout | undefined;
    const job = this.tasks.track<TrainJobUpdate>({ jobId, kind: 'train', runId, state: 'running', progress: initialProgress(config.epochs) }, () => {
      // Ask the process to stop after its current batch; kill it if it does not stop in time.
      worker.send({ type: 'cancel', jobId });
      cancelTimer = setTimeout(() => worker.kill(), CANCEL_GRACE_MS);
    });

    const end = (state: TrainJobUpdate['state'] & ('succeeded' | 'failed' | 'cancelled'), error?: string, run?: RunSummary, promoted?: boolean): void => {
      if (job.update.state !== 'running') return;
      clearTimeout(cancelTimer);
      const fraction = state === 'succeeded' ? 1 : job.update.progress.fraction;
      job.finish(state, { error, promoted, run: run ?? getRun(this.deps.db, runId) ?? undefined, progress: { ...job.update.progress, fraction }, epoch: undefined });
    };

    worker.onMessage((message) => {
      if (message.jobId !== jobId) return;
      switch (message.type) {
        case 'progress':
          job.change({ progress: message.progress, epoch: undefined });
          break;
        case 'epoch':
          job.change({ epoch: message.metrics });
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
    const endAsWorkspaceSays = (reported: 'succeeded' | 'failed' | 'cancelled', error?: string): void => {
      const stored = getRun(this.deps.db, runId);
      if (stored?.status === 'succeeded') {
        end('succeeded', undefined, stored, stored.promoted ?? false);
        return;
      }
      const state = reported === 'cancelled' ? 'cancelled' : 'failed';
      const reason = reported === 'succeeded' ? `The training process reported success, but the workspace does not hold run ${runId} as saved.` : error;
      // The process could not record its own end (it may have lost the workspace); record it here.
      if (stored?.status === 'running') endRun(this.deps.db, runId, state, reason ?? null, now());
      end(state, reason);
    };
    worker.onExit((code, detail, signal) => {
      if (job.update.state !== 'running') return;
      if (getRun(this.deps.db, runId)?.status === 'succeeded') {
        endAsWorkspaceSays('succeeded');
        return;
      }
      const cancelling = job.cancelling;
      const how = signal ? `killed by ${signal}` : `exit code ${code ?? 'none'}`;
      const reason = cancelling ? null : `The training process stopped unexpectedly (${how})${detail ? `: ${detail}` : '.'}`;
      endRun(this.deps.db, runId, cancelling ? 'cancelled' : 'failed', reason, now());
      end(cancelling ? 'cancelled' : 'failed', reason ?? undefined);
    });
    worker.send({ type: 'train', jobId, runId, dbPath: this.deps.dbPath, config });
    return { jobId, runId };
  }

  /** Asks a training job to stop after its current batch; kills its process if it does not stop in time. */
  cancel(jobId: string): void {
    if (!this.running().some((job) => job.jobId === jobId)) throw new AppError('not-found', 'That training job is not running.');
    this.tasks.cancel(jobId);
  }

  /** Training jobs still running, newest last. */
  running(): TrainJobUpdate[] {
    return this.tasks.running('train') as TrainJobUpdate[];
  }

  /** Resolves with the job's final state. */
  whenFinished(jobId: string): Promise<TrainJobUpdate> {
    if (!this.running().some((job) => job.jobId === jobId)) throw new AppError('not-found', 'That training job is not running.');
    return this.tasks.whenFinished(jobId) as Promise<TrainJobUpdate>;
  }

  /** Stops every training job, e.g. when the app quits; their runs are marked cancelled. */
  cancelAll(): void {
    this.tasks.cancelAll('train');
  }
}
