import type { StateCreator } from 'zustand';
import type { ClassifiedPhoto, ClassifyBatch, TaskJobUpdate } from '../../../shared/types.ts';
import { api } from '../lib/api-client.ts';
import type { PickedFile } from '../lib/dropped-files.ts';
import { uploadFiles } from '../lib/upload.ts';
import type { Store } from './store.ts';

export type ClassifyFilter = 'all' | 'review' | 'done';

/** True when a person should look at this photo: not decided yet and below the threshold. */
export function needsReview(photo: ClassifiedPhoto, threshold: number): boolean {
  return photo.error === null && !photo.reviewed && (photo.confidence ?? 0) < threshold;
}

/** Positions of the photos a filter shows, in batch order. */
export function filteredIndices(results: readonly (ClassifiedPhoto | undefined)[], filter: ClassifyFilter, threshold: number): number[] {
  const out: number[] = [];
  results.forEach((photo, index) => {
    if (!photo) return;
    if (filter === 'review' && !needsReview(photo, threshold)) return;
    if (filter === 'done' && !photo.reviewed) return;
    out.push(index);
  });
  return out;
}

/** Where to go after deciding: the next photo still needing review, else the next one shown. */
export function nextAfterDecision(results: readonly (ClassifiedPhoto | undefined)[], from: number, threshold: number): number {
  for (let i = from + 1; i < results.length; i++) if (results[i] && needsReview(results[i]!, threshold)) return i;
  return Math.min(from + 1, results.length - 1);
}

/** The current batch of photos, streaming in, and what a person decided about them. */
export interface ClassifySlice {
  batch: ClassifyBatch | null;
  results: (ClassifiedPhoto | undefined)[];
  /** Object URLs of the original photos, for the preview next to what the model sees. */
  previews: (string | undefined)[];
  threshold: number;
  classifyFilter: ClassifyFilter;
  selectedPhoto: number | null;
  sortResult: string | null;
  /** The batch's `classify` job as last published: progress, and how it ended. */
  classifyJob: TaskJobUpdate | null;
  receiveClassifyJob(update: TaskJobUpdate): void;
  /** Stops the batch between photos; those already done stay. */
  cancelClassify(): Promise<void>;
  classifyPicked(files: readonly PickedFile[], top: readonly File[]): Promise<void>;
  /** Classifies paths the desktop menu's dialog returned (no previews: there are no File objects). */
  classifyPaths(paths: string[]): Promise<void>;
  receiveClassifyResult(batchId: string, index: number, photo: ClassifiedPhoto): void;
  setThreshold(threshold: number): void;
  setClassifyFilter(filter: ClassifyFilter): void;
  selectPhoto(index: number | null): void;
  decide(label: number | null): Promise<void>;
  sortBatch(target: string, move: boolean): Promise<void>;
}

/** Classify job updates that arrived before their batch did, by job id. */
const earlyJobNews = new Map<string, TaskJobUpdate>();

/** Shows a classify job's state; a failure (a model that cannot load, …) is said in words, not left as "0 of N". */
function showClassifyJob(update: TaskJobUpdate, set: (partial: Partial<Store>) => void): void {
  set({ classifyJob: update });
  if (update.state === 'failed') set({ notice: { kind: 'error', text: `Classifying failed: ${update.error}` } });
  if (update.state !== 'running') earlyJobNews.delete(update.jobId);
}

/** Applies what the batch's job already published before the batch arrived. */
function catchUpOnJob(batch: ClassifyBatch, set: (partial: Partial<Store>) => void): void {
  const early = batch.jobId ? earlyJobNews.get(batch.jobId) : undefined;
  if (early) showClassifyJob(early, set);
}

export const createClassifySlice: StateCreator<Store, [], [], ClassifySlice> = (set, get) => ({
  batch: null,
  results: [],
  previews: [],
  threshold: 0.9,
  classifyFilter: 'all',
  selectedPhoto: null,
  sortResult: null,
  classifyJob: null,
  receiveClassifyJob: (update) => {
    if (update.kind !== 'classify') return;
    // The job may end before the request that started it has answered: keep its news until then.
    earlyJobNews.set(update.jobId, update);
    if (update.jobId !== get().batch?.jobId) return;
    showClassifyJob(update, set);
  },
  cancelClassify: async () => {
    const jobId = get().classifyJob?.state === 'running' ? get().batch?.jobId : undefined;
    if (jobId) await api.invoke('job:cancel', { jobId });
  },
  classifyPicked: async (files, top) => {
    get().previews.forEach((url) => url && URL.revokeObjectURL(url));
    const photos = files.filter(({ file }) => !file.name.startsWith('.'));
    set({ batch: null, classifyJob: null, results: [], previews: [], selectedPhoto: null, sortResult: null, notice: null });
    try {
      const desktop = window.desktop;
      const batch = desktop
        ? await api.invoke('classify:paths', { paths: top.map((file) => desktop.pathForFile(file)) })
        : await api.invoke('classify:upload', { uploadId: await uploadFiles(api, photos) });
      // In a browser the batch is exactly the dropped files, so their previews line up with the results.
      const previews = desktop ? [] : photos.map(({ file }) => URL.createObjectURL(file));
      set({ batch, threshold: batch.reviewThreshold, results: new Array(batch.total).fill(undefined), previews });
      catchUpOnJob(batch, set);
    } catch (error) {
      set({ notice: { kind: 'error', text: (error as Error).message } });
    }
  },
  classifyPaths: async (paths) => {
    set({ batch: null, classifyJob: null, results: [], previews: [], selectedPhoto: null, sortResult: null, notice: null });
    try {
      const batch = await api.invoke('classify:paths', { paths });
      set({ batch, threshold: batch.reviewThreshold, results: new Array(batch.total).fill(undefined) });
      catchUpOnJob(batch, set);
    } catch (error) {
      set({ notice: { kind: 'error', text: (error as Error).message } });
    }
  },
  receiveClassifyResult: (batchId, index, photo) => {
    const { batch, results, selectedPhoto } = get();
    if (batch?.batchId !== batchId) return;
    const next = [...results];
    next[index] = photo;
    set({ results: next, selectedPhoto: selectedPhoto ?? (photo.error === null ? index : null) });
  },
  setThreshold: (threshold) => set({ threshold }),
  setClassifyFilter: (classifyFilter) => set({ classifyFilter }),
  selectPhoto: (selectedPhoto) => set({ selectedPhoto }),
  decide: async (label) => {
    const { selectedPhoto, results, threshold } = get();
    const photo = selectedPhoto === null ? undefined : results[selectedPhoto];
    if (!photo || photo.photoId === null) return;
    try {
      const decided = await api.invoke('classify:decide', { photoId: photo.photoId, label: label ?? photo.predicted! });
      const next = [...get().results];
      next[selectedPhoto!] = { ...decided, needsReview: false };
      set({ results: next, selectedPhoto: nextAfterDecision(next, selectedPhoto!, threshold) });
    } catch (error) {
      set({ notice: { kind: 'error', text: (error as Error).message } });
    }
  },
  sortBatch: async (target, move) => {
    const batch = get().batch;
    if (!batch) return;
    try {
      const outcome = await api.invoke('classify:sort', { batchId: batch.batchId, target, move });
      const failures = outcome.failed.map((f) => `${f.file}: ${f.error}`).join('; ');
      const kept = outcome.kept.length ? ` Copied ${outcome.kept.length} more, but could not remove the original: ${outcome.kept.map((k) => k.file).join('; ')}.` : '';
      set({ sortResult: `${move ? 'Moved' : 'Copied'} ${outcome.sorted} photos into ${outcome.target}.${kept} Manifest: ${outcome.manifest}.${failures ? ` Not sorted: ${failures}` : ''}` });
    } catch (error) {
      set({ notice: { kind: 'error', text: (error as Error).message } });
    }
  },
});
