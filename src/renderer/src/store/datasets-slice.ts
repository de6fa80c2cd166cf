import type { StateCreator } from 'zustand';
import type { DatasetSummary, ImageRecord, ImportResult } from '../../../shared/types.ts';
import { api } from '../lib/api-client.ts';
import type { PickedFile } from '../lib/dropped-files.ts';
import { uploadFiles } from '../lib/upload.ts';
import type { Store } from './store.ts';

/** Samples shown per class in the Datasets view's grid. */
export const SAMPLES_PER_CLASS = 8;

/** Datasets in the workspace, their sample images, and imports in progress. */
export interface DatasetsSlice {
  datasets: DatasetSummary[];
  /** False until the first list arrives, so the first-run card does not flash for existing users. */
  datasetsLoaded: boolean;
  samples: Record<number, ImageRecord[]>;
  importing: boolean;
  refreshDatasets(): Promise<void>;
  importBundled(): Promise<void>;
  /** Imports what was dropped or picked: by path in the desktop app, by content in a browser. */
  importPicked(files: readonly PickedFile[], top: readonly File[]): Promise<void>;
  /** Imports paths the desktop menu's dialog returned. */
  importPaths(paths: string[]): Promise<void>;
}

/** The one-line message shown after an import. */
export function importMessage(result: ImportResult): string {
  const duplicates = result.skippedDuplicates > 0 ? `, ${result.skippedDuplicates.toLocaleString()} already present` : '';
  return `Imported ${result.added.toLocaleString()} images into "${result.name}"${duplicates}.`;
}

export const createDatasetsSlice: StateCreator<Store, [], [], DatasetsSlice> = (set, get) => {
  const runImport = async (work: () => Promise<ImportResult>): Promise<void> => {
    set({ importing: true, notice: null });
    try {
      const result = await work();
      set({ notice: { kind: 'info', text: importMessage(result) } });
      await get().refreshDatasets();
    } catch (error) {
      set({ notice: { kind: 'error', text: (error as Error).message } });
    } finally {
      set({ importing: false });
    }
  };

  return {
    datasets: [],
    datasetsLoaded: false,
    samples: {},
    importing: false,
    refreshDatasets: async () => {
      const datasets = await api.invoke('dataset:list');
      const samples: Record<number, ImageRecord[]> = {};
      for (const dataset of datasets) {
        samples[dataset.datasetId] = await api.invoke('dataset:samples', { datasetId: dataset.datasetId, perClass: SAMPLES_PER_CLASS });
      }
      set({ datasets, samples, datasetsLoaded: true });
    },
    importBundled: () => runImport(() => api.invoke('dataset:import-bundled')),
    importPaths: (paths) => runImport(() => api.invoke('dataset:import', { paths })),
    importPicked: (files, top) =>
      runImport(async () => {
        const desktop = window.desktop;
        if (desktop) return api.invoke('dataset:import', { paths: top.map((file) => desktop.pathForFile(file)) });
        return api.invoke('dataset:import-upload', { uploadId: await uploadFiles(api, files) });
      }),
  };
};
