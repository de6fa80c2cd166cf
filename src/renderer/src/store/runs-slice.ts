import type { StateCreator } from 'zustand';
import type { EpochMetrics, RunComparison, RunSummary } from '../../../shared/types.ts';
import { api } from '../lib/api-client.ts';
import { saveDownloads } from '../lib/download.ts';
import type { Store } from './store.ts';

/** The runs table, the active model, the run a person opened, and a comparison of two runs. */
export interface RunsSlice {
  runs: RunSummary[];
  activeRunId: number | null;
  comparison: RunComparison | null;
  /** The run whose settings and curves are open in the Runs view. */
  openRunId: number | null;
  /** Stored epochs of runs that were opened, by run. */
  runEpochs: Record<number, EpochMetrics[]>;
  refreshRuns(): Promise<void>;
  activateRun(runId: number): Promise<void>;
  compareRuns(runId: number, otherRunId: number): Promise<void>;
  /** Saves a run's predictions (CSV) or model through the browser's downloads. */
  exportRun(runId: number, what: 'predictions' | 'model'): Promise<void>;
  openRun(runId: number | null): Promise<void>;
}

export const createRunsSlice: StateCreator<Store, [], [], RunsSlice> = (set, get) => ({
  runs: [],
  activeRunId: null,
  comparison: null,
  openRunId: null,
  runEpochs: {},
  refreshRuns: async () => {
    const [runs, { runId }] = await Promise.all([api.invoke('run:list'), api.invoke('run:active')]);
    const changed = runId !== get().activeRunId;
    set({ runs, activeRunId: runId });
    if (changed) void get().loadEvaluation();
    // An open run that was still training has new epochs since.
    const open = get().openRunId;
    if (open !== null) void get().openRun(open);
  },
  activateRun: async (runId) => {
    set({ notice: null });
    try {
      await api.invoke('run:activate', { runId });
      await get().refreshRuns();
      set({ notice: { kind: 'info', text: `Run ${runId} is now the active model.` } });
    } catch (error) {
      set({ notice: { kind: 'error', text: (error as Error).message } });
    }
  },
  exportRun: async (runId, what) => {
    try {
      const result = await api.invoke(what === 'predictions' ? 'run:export-predictions' : 'run:export-model', { runId });
      saveDownloads(result.downloads);
    } catch (error) {
      set({ notice: { kind: 'error', text: (error as Error).message } });
    }
  },
  compareRuns: async (runId, otherRunId) => {
    set({ notice: null });
    try {
      set({ comparison: await api.invoke('run:compare', { runId, otherRunId, split: 'test' }) });
    } catch (error) {
      set({ comparison: null, notice: { kind: 'error', text: (error as Error).message } });
    }
  },
  openRun: async (runId) => {
    set({ openRunId: runId });
    if (runId === null) return;
    try {
      const epochs = await api.invoke('run:epochs', { runId });
      set({ runEpochs: { ...get().runEpochs, [runId]: epochs } });
    } catch (error) {
      set({ notice: { kind: 'error', text: (error as Error).message } });
    }
  },
});
