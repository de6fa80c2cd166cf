/**
 * The one place that keeps track of long work: training, classification, imports and label scans. Each
 * job has an id, a kind, a state, progress (0–1 plus a phase), a cancel signal, and a final state that is
 * always published as a `job:update` event, whatever way the work ends.
 *
 * Two ways in:
 * - `run(kind, work, subject)` for work done in this process (classify, import, scan). `work` gets a
 *   `TaskContext`: call `task.progress(done, total, phase)` as it goes and check `task.signal` between
 *   items; throwing `task.cancelled()` (or any error once the signal is aborted) ends the job as
 *   cancelled, any other error as failed, and returning ends it as succeeded. `run` returns at once with
 *   the job id and a promise of the result.
 * - `track(initial, cancel)` for work done elsewhere (training's own process): the caller reports each
 *   change and the end; the manager publishes them and remembers the job while it runs.
 *
 * Adding a kind (e.g. `scan`): add it to `JobKind` in src/shared/types.ts if it is new, then call
 * `tasks.run('scan', async (task) => { … }, { datasetId })` from a handler and return its `jobId`.
 * Cancel is `job:cancel` with that id; the UI and the taskbar already follow every kind.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import type { JobUpdate, TaskJobUpdate } from '../../shared/types.ts';

export type TaskKind = TaskJobUpdate['kind'];
type FinalState = Exclude<JobUpdate['state'], 'running'>;

/** What in-process work gets from the manager. */
export interface TaskContext {
  readonly jobId: string;
  /** Aborted when someone cancels the job; check it between items. */
  readonly signal: AbortSignal;
  /** Reports how much is done; the fraction is `done / total`. */
  progress(done: number, total: number, phase?: string): void;
  /** The error to throw when the work notices the signal: the job then ends as cancelled. */
  cancelled(): AppError;
}

/** A job whose work runs elsewhere; the owner reports its changes. */
export interface TrackedJob<U extends JobUpdate> {
  readonly jobId: string;
  readonly update: U;
  /** Publishes a change while the job runs (ignored once it has ended). */
  change(change: Partial<U>): void;
  /** Publishes the final state, once; later calls do nothing. */
  finish(state: FinalState, change?: Partial<U>): void;
  /** Whether cancel has been asked for. */
  readonly cancelling: boolean;
}

interface Entry {
  update: JobUpdate;
  finished: Promise<JobUpdate>;
  cancel(): void;
  cancelling: boolean;
}

/** How many ended jobs `whenFinished` still knows, for callers that ask just after the end. */
const ENDED_KEPT = 100;

export class TaskManager {
  private readonly jobs = new Map<string, Entry>();
  private readonly ended = new Map<string, JobUpdate>();
  private readonly publish: (update: JobUpdate) => void;

  /** `publish` receives every change of every job: the `job:update` event. */
  constructor(publish: (update: JobUpdate) => void) {
    this.publish = publish;
  }

  /** Starts in-process work as a job; returns at once. The final state is published however it ends. */
  run<T>(kind: TaskKind, work: (task: TaskContext) => Promise<T>, subject?: TaskJobUpdate['subject']): { jobId: string; result: Promise<T> } {
    const controller = new AbortController();
    const job = this.track<TaskJobUpdate>(
      { jobId: randomUUID(), kind, state: 'running', progress: { phase: 'starting', fraction: 0, done: 0, total: 0 }, subject },
      () => controller.abort(),
    );
    const task: TaskContext = {
      jobId: job.jobId,
      signal: controller.signal,
      progress: (done, total, phase = job.update.progress.phase) => job.change({ progress: { phase, done, total, fraction: total > 0 ? Math.min(1, done / total) : 0 } }),
      cancelled: () => new AppError('cancelled', `The ${kind} job was cancelled.`),
    };
    const result = (async () => {
      try {
        const value = await work(task);
        job.finish('succeeded', { progress: { ...job.update.progress, fraction: 1 } });
        return value;
      } catch (error) {
        if (controller.signal.aborted) job.finish('cancelled');
        else job.finish('failed', { error: (error as Error).message });
        throw error;
      }
    })();
    // The caller may not wait for the result (a classify batch runs in the background): the failure is
    // already published as the job's final state, so it must not also become an unhandled rejection.
    result.catch(() => {});
    return { jobId: job.jobId, result };
  }

  /** Keeps track of a job whose work runs elsewhere; `cancel` asks that work to stop. */
  track<U extends JobUpdate>(initial: U, cancel: () => void): TrackedJob<U> {
    let settle!: (update: JobUpdate) => void;
    const entry: Entry = { update: initial, finished: new Promise<JobUpdate>((resolve) => (settle = resolve)), cancel, cancelling: false };
    this.jobs.set(initial.jobId, entry);
    const emit = (change: Partial<U>): void => {
      entry.update = { ...entry.update, ...change } as U;
      this.publish(entry.update);
    };
    emit({});
    return {
      jobId: initial.jobId,
      get update() {
        return entry.update as U;
      },
      get cancelling() {
        return entry.cancelling;
      },
      change: (change) => {
        if (entry.update.state === 'running') emit(change);
      },
      finish: (state, change = {}) => {
        if (entry.update.state !== 'running') return;
        emit({ ...change, state } as Partial<U>);
        this.jobs.delete(initial.jobId);
        this.ended.set(initial.jobId, entry.update);
        if (this.ended.size > ENDED_KEPT) this.ended.delete(this.ended.keys().next().value!);
        settle(entry.update);
      },
    };
  }

  /** Asks a running job to stop; it publishes its final state when it has. */
  cancel(jobId: string): void {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new AppError('not-found', 'That job is not running.');
    if (entry.cancelling) return;
    entry.cancelling = true;
    entry.cancel();
  }

  /** Jobs still running, oldest first; of one kind when given. */
  running(kind?: JobUpdate['kind']): JobUpdate[] {
    return [...this.jobs.values()].map((e) => e.update).filter((u) => kind === undefined || u.kind === kind);
  }

  /** Resolves with the job's final state (at once for a job that has just ended). */
  whenFinished(jobId: string): Promise<JobUpdate> {
    const ended = this.ended.get(jobId);
    if (ended) return Promise.resolve(ended);
    const entry = this.jobs.get(jobId);
    if (!entry) throw new AppError('not-found', 'That job is not running.');
    return entry.finished;
  }

  /** Stops every job (of one kind when given), e.g. when the app quits. */
  cancelAll(kind?: JobUpdate['kind']): void {
    for (const update of this.running(kind)) this.cancel(update.jobId);
  }

  /**
   * Stops every job and waits until each has ended, so that its process has recorded how (a cancelled
   * run, a cancelled scan) before the workspace closes; at most `timeoutMs`.
   */
  async stopAll(timeoutMs: number): Promise<void> {
    const ending = this.running().map((u) => this.whenFinished(u.jobId));
    this.cancelAll();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(ending), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }
}
