import type { StateCreator } from 'zustand';
import type { EpochMetrics, JobUpdate, TrainJobUpdate, TrainRequest } from '../../../shared/types.ts';
import { api } from '../lib/api-client.ts';
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
  startTraining(): Promise<void>;
  cancelTraining(jobId: string): Promise<void>;
  receiveJobUpdate(update: JobUpdate): void;
  loadJobs(): Promise<void>;
}

export const createTrainingSlice: StateCreator<Store, [], [], TrainingSlice> = (set, get) => ({
  jobs: {},
  followedJobId: null,
  trainForm: { model: 'mlp' },
  setTrainForm: (form) => set({ trainForm: { ...get().trainForm, ...form } }),
  startTraining: async () => {
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
    set({ jobs: applyJobUpdate(get().jobs, update) });
    if (update.state === 'running') return;
    void get().refreshRuns();
    const name = `Run ${update.runId}`;
    if (update.state === 'succeeded') {
      const accuracy = update.run?.testAccuracy == null ? '' : ` with ${(update.run.testAccuracy * 100).toFixed(2)}% test accuracy`;
      const gate = update.promoted === false ? ' It was not made the active model: the active one is more accurate (choose it in Runs to use it anyway).' : '';
      set({ notice: { kind: 'info', text: `${name} finished${accuracy}.${gate}` } });
    } else if (update.state === 'failed') {
      set({ notice: { kind: 'error', text: `${name} failed: ${update.error}` } });
    } else {
      set({ notice: { kind: 'info', text: `${name} was cancelled.` } });
    }
  },
  loadJobs: async () => {
    let jobs = get().jobs;
    for (const update of await api.invoke('train:jobs')) jobs = applyJobUpdate(jobs, update);
    set({ jobs });
  },
});
