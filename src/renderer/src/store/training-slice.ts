import type { StateCreator } from 'zustand';
import type { EpochMetrics, JobUpdate, ModelKind, TrainJobUpdate, TrainRequest } from '../../../shared/types.ts';
import { api } from '../lib/api-client.ts';
import { formForModel, initialTrainForm, trainFormProblems } from '../lib/train-form.ts';
import type { Store } from './store.ts';

/** What the Train view shows of one job: its latest state and every finished epoch, in order. */
export interface TrainingJob {
  update: TrainJobUpdate;
  epochs: EpochMetrics[];
}

/** Folds a job update into the jobs the UI knows; epochs arrive once each and stay in order. */
export function applyJobUpdate(jobs: Record<string, TrainingJob>, update: JobUpdate): Record<string, TrainingJob> {
  // Other kinds of job (classify, import, scan) are not training jobs.
  if (update.kind !== 'train') return jobs;
  const previous = jobs[update.jobId];
  const epochs = previous?.epochs ?? [];
  const withEpoch = update.epoch && !epochs.some((e) => e.epoch === update.epoch!.epoch) ? [...epochs, update.epoch].sort((a, b) => a.epoch - b.epoch) : epochs;
  return { ...jobs, [update.jobId]: { update, epochs: withEpoch } };
}

/** Adds epochs the job does not have yet (e.g. those stored before a reload), keeping them in order. */
export function withEpochs(jobs: Record<string, TrainingJob>, jobId: string, epochs: readonly EpochMetrics[]): Record<string, TrainingJob> {
  const job = jobs[jobId];
  if (!job) return jobs;
  const known = new Set(job.epochs.map((e) => e.epoch));
  const merged = [...job.epochs, ...epochs.filter((e) => !known.has(e.epoch))].sort((a, b) => a.epoch - b.epoch);
  return { ...jobs, [jobId]: { ...job, epochs: merged } };
}

/** The job the Train view follows: a running one if any, else the most recently started. */
export function currentJob(jobs: Record<string, TrainingJob>, followed: string | null): TrainingJob | null {
  if (followed && jobs[followed]) return jobs[followed];
  const all = Object.values(jobs);
  return all.find((j) => j.update.state === 'running') ?? all.at(-1) ?? null;
}

/** Training jobs, started here or elsewhere, with their live curves. */
export interface TrainingSlice {
  jobs: Record<string, TrainingJob>;
  followedJobId: string | null;
  trainForm: TrainRequest;
  setTrainForm(form: Partial<TrainRequest>): void;
  /** Switches the model; its own options go back to that model's defaults. */
  chooseModel(model: ModelKind): void;
  startTraining(): Promise<void>;
  cancelTraining(jobId: string): Promise<void>;
  receiveJobUpdate(update: JobUpdate): void;
  loadJobs(): Promise<void>;
}

export const createTrainingSlice: StateCreator<Store, [], [], TrainingSlice> = (set, get) => ({
  jobs: {},
  followedJobId: null,
  trainForm: initialTrainForm(),
  setTrainForm: (form) => set({ trainForm: { ...get().trainForm, ...form } }),
  chooseModel: (model) => set({ trainForm: formForModel(get().trainForm, model, get().info?.engine ?? 'wasm') }),
  startTraining: async () => {
    const problems = trainFormProblems(get().trainForm);
    if (problems.length > 0) {
      set({ notice: { kind: 'error', text: `${problems.join('. ')}.` } });
      return;
    }
    set({ notice: null });
    try {
      const { jobId } = await api.invoke('train:start', get().trainForm);
      set({ followedJobId: jobId });
    } catch (error) {
      set({ notice: { kind: 'error', text: (error as Error).message } });
    }
  },
  cancelTraining: async (jobId) => {
    await api.invoke('train:cancel', { jobId });
  },
  receiveJobUpdate: (update) => {
    if (update.kind !== 'train') return;
    const known = Boolean(get().jobs[update.jobId]);
    set({ jobs: applyJobUpdate(get().jobs, update) });
    // The Runs view lists a run from its start, and counts its epochs as they finish.
    if (update.state === 'running') {
      if (!known || update.epoch) void get().refreshRuns();
      return;
    }
    void get().refreshRuns();
    const name = `Run ${update.runId}`;
    if (update.state === 'succeeded') {
      const accuracy = update.run?.testAccuracy == null ? '' : ` with ${(update.run.testAccuracy * 100).toFixed(2)}% test accuracy`;
      const reason = update.run?.promotionReason;
      const promoted = update.run?.promoted ?? update.promoted;
      const gate = reason
        ? ` ${reason}${promoted === false ? ' (choose it in Runs to use it anyway)' : ''}`
        : promoted === false
          ? ' It was not made the active model: the active one is more accurate (choose it in Runs to use it anyway).'
          : promoted
            ? ' It is now the active model.'
            : '';
      set({ notice: { kind: 'info', text: `${name} finished${accuracy}.${gate}` } });
    } else if (update.state === 'failed') {
      set({ notice: { kind: 'error', text: `${name} failed: ${update.error}` } });
    } else {
      set({ notice: { kind: 'info', text: `${name} was cancelled.` } });
    }
  },
  loadJobs: async () => {
    let jobs = get().jobs;
    for (const update of await api.invoke('train:jobs')) {
      jobs = applyJobUpdate(jobs, update);
      // After a reload the epochs finished so far come from the workspace, so the curves start complete.
      if (update.kind === 'train') {
        jobs = withEpochs(jobs, update.jobId, await api.invoke('run:epochs', { runId: update.runId }));
      }
    }
    set({ jobs });
  },
});
