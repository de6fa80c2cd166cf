import type { StateCreator } from 'zustand';
import type { RunComparison, RunSummary } from '../../../shared/types.ts';
import { api } from '../lib/api-client.ts';
import { saveDownloads } from '../lib/download.ts';
import type { Store } from './store.ts';

/** The runs table, the active model, and a comparison of two runs. */
export interface RunsSlice {
  runs: RunSummary[];
  activeRunId: number | null;
  comparison: RunComparison | null;
  refreshRuns(): Promise<void>;
  activateRun(runId: number): Promise<void>;
  compareRuns(runId: number, otherRunId: number): Promise<void>;
  /** Saves a run's predictions (CSV) or model through the browser's downloads. */
  exportRun(runId: number, what: 'predictions' | 'model'): Promise<void>;
}

export const createRunsSlice: StateCreator<Store, [], [], RunsSlice> = (set, get) => ({
  runs: [],
  activeRunId: null,
  comparison: null,
  refreshRuns: async () => {
    const [runs, { runId }] = await Promise.all([api.invoke('run:list'), api.invoke('run:active')]);
    const changed = runId !== get().activeRunId;
    set({ runs, activeRunId: runId });
    if (changed) void get().loadEvaluation();
  },
  activateRun: async (runId) => {
    try {
      await api.invoke('run:activate', { runId });
      await get().refreshRuns();
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
    try {
      set({ comparison: await api.invoke('run:compare', { runId, otherRunId, split: 'test' }) });
    } catch (error) {
      set({ comparison: null, notice: { kind: 'error', text: (error as Error).message } });
    }
  },
});
