import type { StateCreator } from 'zustand';
import type { ReviewSettingsView } from '../../../shared/api.ts';
import type { BatchSummary, ClassifiedPhoto, ReviewGate, TaskJobUpdate } from '../../../shared/types.ts';
import { attachPixels } from '../../../shared/review.ts';
import { api } from '../lib/api-client.ts';
import type { PickedFile } from '../lib/dropped-files.ts';
import { uploadFiles } from '../lib/upload.ts';
import {
  NO_SELECTION,
  actionTargets,
  afterDecision,
  keepShown,
  moveFocus,
  onArrival,
  selectAllShown,
  selectOne,
  selectRange,
  shownIndices,
  toggleOne,
  type ClassifyFilter,
  type Selection,
} from './classify-selection.ts';
import type { Store } from './store.ts';

export type { ClassifyFilter } from './classify-selection.ts';

/** A sort the back end refused because these photos were already sorted there: the person is asked. */
export interface SortQuestion {
  target: string;
  move: boolean;
  message: string;
}

/** The open batch (streaming in, or reopened), what a person selected and decided, and the stored batches. */
export interface ClassifySlice {
  batch: BatchSummary | null;
  /** The batch's id while it is being classified, before its summary is known. */
  batchId: string | null;
  gate: ReviewGate | null;
  results: (ClassifiedPhoto | undefined)[];
  /** Object URLs of the original photos, for the large view; only for photos dropped in this session. */
  previews: (string | undefined)[];
  /**
   * Originals of stored photos fetched for the large view, by photo id (a reopened batch, or any batch on
   * the desktop): an object URL, or a note on why only the 28×28 can be shown.
   */
  originals: Record<number, { url: string } | { note: string }>;
  /** Fetches a stored photo's original once, for the large view. */
  loadOriginal(photoId: number): Promise<void>;
  classifyFilter: ClassifyFilter;
  selection: Selection;
  sortResult: string | null;
  sortQuestion: SortQuestion | null;
  /** The `classify` job of the batch being classified, and its last published state. */
  classifyJobId: string | null;
  classifyJob: TaskJobUpdate | null;
  receiveClassifyJob(update: TaskJobUpdate): void;
  /** Stops the batch between photos; those already done stay in it. */
  cancelClassify(): Promise<void>;
  batches: BatchSummary[];
  batchesNotice: string | null;
  reviewSettings: ReviewSettingsView | null;
  classifyPicked(files: readonly PickedFile[], top: readonly File[]): Promise<void>;
  /** Classifies paths the desktop menu's dialog returned (no previews: there are no File objects). */
  classifyPaths(paths: string[]): Promise<void>;
  receiveClassifyResult(batchId: string, index: number, photo: ClassifiedPhoto): void;
  receiveBatchUpdate(batch: BatchSummary, audit: ClassifiedPhoto[]): void;
  setClassifyFilter(filter: ClassifyFilter): void;
  clickPhoto(index: number, modifiers?: { shift?: boolean; toggle?: boolean }): void;
  selectAllPhotos(): void;
  movePhotoFocus(step: 1 | -1): void;
  clearSelection(): void;
  /** Accepts (null) or sets the class of the selected photos the filter shows. */
  decide(label: number | null): Promise<void>;
  undoDecision(): Promise<void>;
  sortBatch(target: string, move: boolean, again?: boolean): Promise<void>;
  dismissSortQuestion(): void;
  loadBatches(): Promise<void>;
  openStoredBatch(batchId: string): Promise<void>;
  deleteStoredBatch(batchId: string): Promise<void>;
  closeBatch(): void;
  loadReviewSettings(): Promise<void>;
  saveReviewSettings(settings: { maxError?: number; auditShare?: number }): Promise<void>;
  /** Re-reads the open batch's counts (decided, audit) after a change. */
  refreshBatchSummary(): Promise<void>;
}

/** Classify job updates that arrived before their batch did, by job id. */
const earlyJobNews = new Map<string, TaskJobUpdate>();

/** Shows a classify job's state; a failure (a model that cannot load, …) is said in words, not left as "0 of N". */
function showClassifyJob(update: TaskJobUpdate, set: (partial: Partial<Store>) => void): void {
  set({ classifyJob: update });
  if (update.state === 'failed') set({ notice: { kind: 'error', text: `Classifying failed: ${update.error}` } });
  if (update.state !== 'running') earlyJobNews.delete(update.jobId);
}

const fail = (set: (s: Partial<Store>) => void) => (error: unknown) => set({ notice: { kind: 'error', text: (error as Error).message } });

export const createClassifySlice: StateCreator<Store, [], [], ClassifySlice> = (set, get) => {
  /** Lets go of the open batch's object URLs (dropped files and fetched originals). */
  const releaseImages = (): void => {
    get().previews.forEach((url) => url && URL.revokeObjectURL(url));
    for (const original of Object.values(get().originals)) if ('url' in original) URL.revokeObjectURL(original.url);
    set({ originals: {} });
  };
  /** Photo ids whose original is being fetched, so that one is asked for once. */
  const fetching = new Set<number>();
  /** Replaces photos by position, keeping the selection on photos still shown. */
  const updatePhotos = (changed: readonly ClassifiedPhoto[]): (ClassifiedPhoto | undefined)[] => {
    const next = [...get().results];
    for (const p of changed) next[p.position] = p;
    return next;
  };
  const startBatch = async (start: () => Promise<{ batchId: string; total: number; gate: ReviewGate; jobId?: string }>, previews: (string | undefined)[] = []): Promise<void> => {
    releaseImages();
    set({ batch: null, batchId: null, gate: null, results: [], previews: [], selection: NO_SELECTION, sortResult: null, sortQuestion: null, notice: null, classifyJobId: null, classifyJob: null });
    try {
      const started = await start();
      set({ batchId: started.batchId, gate: started.gate, results: new Array(started.total).fill(undefined), previews, classifyJobId: started.jobId ?? null });
      // The job may have published before the request that started it answered.
      const early = started.jobId ? earlyJobNews.get(started.jobId) : undefined;
      if (early) showClassifyJob(early, set);
      void get().loadBatches();
    } catch (error) {
      previews.forEach((url) => url && URL.revokeObjectURL(url));
      fail(set)(error);
    }
  };
  return {
    batch: null,
    batchId: null,
    gate: null,
    results: [],
    previews: [],
    originals: {},
    loadOriginal: async (photoId) => {
      if (get().originals[photoId] || fetching.has(photoId)) return;
      fetching.add(photoId);
      const batchId = get().batchId;
      let entry: { url: string } | { note: string };
      try {
        const original = await api.invoke('classify:photo-original', { photoId });
        entry = original.available ? { url: URL.createObjectURL(new Blob([original.bytes as Uint8Array<ArrayBuffer>], { type: original.mimeType })) } : { note: original.reason };
      } catch (error) {
        entry = { note: `The original cannot be shown: ${(error as Error).message}` };
      } finally {
        fetching.delete(photoId);
      }
      // The batch may have been closed meanwhile: then the URL is not kept.
      if (get().batchId !== batchId) {
        if ('url' in entry) URL.revokeObjectURL(entry.url);
        return;
      }
      set({ originals: { ...get().originals, [photoId]: entry } });
    },
    classifyFilter: 'all',
    selection: NO_SELECTION,
    sortResult: null,
    sortQuestion: null,
    classifyJobId: null,
    classifyJob: null,
    receiveClassifyJob: (update) => {
      if (update.kind !== 'classify') return;
      earlyJobNews.set(update.jobId, update);
      if (update.jobId === get().classifyJobId) showClassifyJob(update, set);
    },
    cancelClassify: async () => {
      const { classifyJob, classifyJobId } = get();
      if (classifyJobId && classifyJob?.state === 'running') await api.invoke('job:cancel', { jobId: classifyJobId });
    },
    batches: [],
    batchesNotice: null,
    reviewSettings: null,
    classifyPicked: async (files, top) => {
      const photos = files.filter(({ file }) => !file.name.startsWith('.'));
      const desktop = window.desktop;
      // In a browser the batch is exactly the dropped files, so their previews line up with the results.
      const previews = desktop ? [] : photos.map(({ file }) => URL.createObjectURL(file));
      await startBatch(
        async () =>
          desktop
            ? api.invoke('classify:paths', { paths: top.map((file) => desktop.pathForFile(file)) })
            : api.invoke('classify:upload', { uploadId: await uploadFiles(api, photos) }),
        previews,
      );
    },
    classifyPaths: (paths) => startBatch(() => api.invoke('classify:paths', { paths })),
    receiveClassifyResult: (batchId, index, photo) => {
      const { batchId: open, results, selection, classifyFilter } = get();
      if (open !== batchId) return;
      const next = [...results];
      next[index] = photo;
      set({ results: next, selection: onArrival(selection, next, classifyFilter, index) });
    },
    receiveBatchUpdate: (batch, audit) => {
      if (get().batchId === batch.batchId) {
        const results = updatePhotos(audit);
        set({ batch, results, selection: keepShown(get().selection, shownIndices(results, get().classifyFilter)) });
      }
      void get().loadBatches();
    },
    setClassifyFilter: (classifyFilter) => set({ classifyFilter, selection: keepShown(get().selection, shownIndices(get().results, classifyFilter)) }),
    clickPhoto: (index, modifiers = {}) => {
      const { selection, results, classifyFilter } = get();
      if (modifiers.shift) set({ selection: selectRange(selection, index, shownIndices(results, classifyFilter)) });
      else if (modifiers.toggle) set({ selection: toggleOne(selection, index) });
      else set({ selection: selectOne(index) });
    },
    selectAllPhotos: () => set({ selection: selectAllShown(shownIndices(get().results, get().classifyFilter)) }),
    movePhotoFocus: (step) => set({ selection: moveFocus(get().selection, shownIndices(get().results, get().classifyFilter), step) }),
    clearSelection: () => set({ selection: NO_SELECTION }),
    decide: async (label) => {
      const { selection, results, classifyFilter } = get();
      const targets = actionTargets(selection, results, classifyFilter);
      if (targets.length === 0) return;
      try {
        const decided = await api.invoke('classify:decide-many', { photoIds: targets.map((p) => p.photoId!), label });
        const next = updatePhotos(decided);
        set({ results: next, selection: afterDecision(next, get().classifyFilter, decided.map((p) => p.position)) });
        void get().refreshBatchSummary();
      } catch (error) {
        fail(set)(error);
      }
    },
    undoDecision: async () => {
      const batchId = get().batchId;
      if (!batchId) return;
      try {
        // One key press on many photos is one decision: all of them come back.
        const undone = await api.invoke('classify:undo', { batchId });
        if (undone.length === 0) {
          set({ notice: { kind: 'info', text: 'There is no decision left to undo in this batch.' } });
          return;
        }
        const next = updatePhotos(undone);
        const shown = shownIndices(next, get().classifyFilter);
        const back = undone.map((p) => p.position).filter((position) => shown.includes(position));
        set({ results: next, selection: back.length > 0 ? selectOne(Math.min(...back)) : keepShown(get().selection, shown) });
        void get().refreshBatchSummary();
      } catch (error) {
        fail(set)(error);
      }
    },
    sortBatch: async (target, move, again = false) => {
      const batchId = get().batchId;
      if (!batchId) return;
      // The next action clears the banner of the one before (a refused target, say).
      set({ sortQuestion: null, sortResult: null, notice: null });
      try {
        const outcome = await api.invoke('classify:sort', { batchId, target, move, again });
        const failures = outcome.failed.map((f) => `${f.file}: ${f.error}`).join('; ');
        const kept = outcome.kept.length ? ` Copied ${outcome.kept.length} more, but could not remove the original: ${outcome.kept.map((k) => k.file).join('; ')}.` : '';
        set({
          batch: outcome.batch,
          sortResult: `${move ? 'Moved' : 'Copied'} ${outcome.sorted} photos into ${outcome.target}.${kept} Manifest: ${outcome.manifest}.${failures ? ` Not sorted: ${failures}` : ''}`,
        });
        void get().loadBatches();
      } catch (error) {
        if ((error as { code?: string }).code === 'already-sorted') set({ sortQuestion: { target, move, message: (error as Error).message } });
        else fail(set)(error);
      }
    },
    dismissSortQuestion: () => set({ sortQuestion: null }),
    loadBatches: async () => {
      try {
        const { batches, notice } = await api.invoke('classify:batches');
        set({ batches, batchesNotice: notice });
      } catch (error) {
        fail(set)(error);
      }
    },
    openStoredBatch: async (batchId) => {
      releaseImages();
      try {
        const view = await api.invoke('classify:open-batch', { batchId });
        const results: (ClassifiedPhoto | undefined)[] = new Array(view.batch.total).fill(undefined);
        for (const p of attachPixels(view)) results[p.position] = p;
        set({
          batch: view.batch,
          batchId,
          gate: view.gate,
          results,
          previews: [],
          sortResult: null,
          sortQuestion: null,
          classifyJobId: null,
          classifyJob: null,
          selection: keepShown(NO_SELECTION, shownIndices(results, get().classifyFilter)),
        });
      } catch (error) {
        fail(set)(error);
      }
    },
    deleteStoredBatch: async (batchId) => {
      try {
        await api.invoke('classify:delete-batch', { batchId });
        if (get().batchId === batchId) get().closeBatch();
        await get().loadBatches();
      } catch (error) {
        fail(set)(error);
      }
    },
    closeBatch: () => {
      releaseImages();
      set({ batch: null, batchId: null, gate: null, results: [], previews: [], selection: NO_SELECTION, sortResult: null, sortQuestion: null, classifyJobId: null, classifyJob: null });
    },
    loadReviewSettings: async () => {
      try {
        set({ reviewSettings: await api.invoke('review:settings') });
      } catch (error) {
        fail(set)(error);
      }
    },
    saveReviewSettings: async (settings) => {
      try {
        set({ reviewSettings: await api.invoke('review:set-settings', settings) });
      } catch (error) {
        fail(set)(error);
      }
    },
    refreshBatchSummary: async () => {
      const batchId = get().batchId;
      if (!batchId) return;
      const { batches } = await api.invoke('classify:batches');
      set({ batches, batch: batches.find((b) => b.batchId === batchId) ?? get().batch });
    },
  };
};
