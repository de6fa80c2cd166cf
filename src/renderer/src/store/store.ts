import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { api } from '../lib/api-client.ts';
import { createAppSlice, type AppSlice } from './app-slice.ts';
import { createClassifySlice, type ClassifySlice } from './classify-slice.ts';
import { createDatasetsSlice, type DatasetsSlice } from './datasets-slice.ts';
import { createErrorsSlice, type ErrorsSlice } from './errors-slice.ts';
import { createLabelsSlice, type LabelsSlice } from './labels-slice.ts';
import { createRunsSlice, type RunsSlice } from './runs-slice.ts';
import { createTrainingSlice, type TrainingSlice } from './training-slice.ts';

/** The renderer's whole state: one slice per domain. */
export type Store = AppSlice & DatasetsSlice & TrainingSlice & RunsSlice & ErrorsSlice & ClassifySlice & LabelsSlice;

export const useStore = create<Store>()((...a) => ({
  ...createAppSlice(...a),
  ...createDatasetsSlice(...a),
  ...createTrainingSlice(...a),
  ...createRunsSlice(...a),
  ...createErrorsSlice(...a),
  ...createClassifySlice(...a),
  ...createLabelsSlice(...a),
}));

/**
 * The named fields of the store, for a component: it re-renders only when one of them changes, not on
 * every change of the store (each training batch's progress, say). `useStore(selector)` underneath.
 */
export function useStoreFields<K extends keyof Store>(...keys: K[]): Pick<Store, K> {
  return useStore(useShallow((state) => Object.fromEntries(keys.map((key) => [key, state[key]])) as Pick<Store, K>));
}

/** Subscribes the store to back-end events, once, at start-up. */
export function connectEvents(): () => void {
  const { getState } = useStore;
  const offs = [
    api.on('dataset:changed', () => void getState().refreshDatasets()),
    api.on('job:update', (update) => {
      if (update.kind === 'train') getState().receiveJobUpdate(update);
      else if (update.kind === 'classify') getState().receiveClassifyJob(update);
      else if (update.kind === 'import') getState().receiveImportJob(update);
      else if (update.kind === 'scan') getState().receiveScanJob(update);
    }),
    api.on('run:activated', () => void getState().refreshRuns()),
    api.on('classify:result', ({ batchId, index, photo }) => getState().receiveClassifyResult(batchId, index, photo)),
    api.on('classify:batch', ({ batch, audit }) => getState().receiveBatchUpdate(batch, audit)),
    api.on('menu:command', (command) => {
      const state = getState();
      switch (command.command) {
        case 'navigate':
          state.navigate(command.view);
          break;
        case 'import-dataset':
          state.navigate('datasets');
          window.dispatchEvent(new CustomEvent('fashion-sorter:import'));
          break;
        case 'import-paths':
          state.navigate('datasets');
          void state.importPaths(command.paths);
          break;
        case 'classify-paths':
          state.navigate('classify');
          void state.classifyPaths(command.paths);
          break;
        case 'retrain':
          state.setTrainForm({ includeUserLabels: true });
          state.navigate('train');
          break;
        case 'notice':
          state.showNotice({ kind: command.kind, text: command.text });
          break;
      }
    }),
  ];
  return () => offs.forEach((off) => off());
}
