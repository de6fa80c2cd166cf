/**
 * Messages between the app and the training process. Every message carries its job's id, so replies
 * can never be matched to the wrong job.
 */
import type { SerializedError } from '../../shared/errors.ts';
import type { EpochMetrics, RunSummary, TrainConfig, TrainProgress } from '../../shared/types.ts';

export type ToWorker = { type: 'train'; jobId: string; runId: number; dbPath: string; config: TrainConfig } | { type: 'cancel'; jobId: string };

export type FromWorker =
  | { type: 'started'; jobId: string; backend: string }
  | { type: 'progress'; jobId: string; progress: TrainProgress }
  | { type: 'epoch'; jobId: string; metrics: EpochMetrics }
  | { type: 'succeeded'; jobId: string; run: RunSummary }
  | { type: 'cancelled'; jobId: string }
  | { type: 'failed'; jobId: string; error: SerializedError };

/** The two ends of a message channel, whatever carries it (child process, utility process). */
export interface WorkerPort {
  send(message: FromWorker): void;
  onMessage(listener: (message: ToWorker) => void): void;
}

/** A started training process, whatever kind of process it is (Node child, Electron utility process). */
export interface WorkerHandle {
  send(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  /** Called once when the process ends; `detail` is the end of what it wrote to stderr; `signal` the one that killed it, if any. */
  onExit(listener: (code: number | null, detail: string, signal?: string | null) => void): void;
  kill(): void;
  /** Calls back with the process id as soon as the process exists (before it loads anything). */
  onSpawn?(listener: (pid: number) => void): void;
}

/** Starts a training process; each door chooses how (the desktop shell, or Node elsewhere). */
export type WorkerLauncher = () => WorkerHandle;
