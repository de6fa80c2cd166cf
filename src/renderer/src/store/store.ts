import { create } from 'zustand';
import { api } from '../lib/api-client.ts';
import { createAppSlice, type AppSlice } from './app-slice.ts';
import { createDatasetsSlice, type DatasetsSlice } from './datasets-slice.ts';

/** The renderer's whole state: one slice per domain. */
export type Store = AppSlice & DatasetsSlice;

export const useStore = create<Store>()((...a) => ({
  ...createAppSlice(...a),
  ...createDatasetsSlice(...a),
}));

/** Subscribes the store to back-end events, once, at start-up. */
export function connectEvents(): () => void {
  const { getState } = useStore;
  const offs = [
    api.on('dataset:changed', () => void getState().refreshDatasets()),
    api.on('menu:command', (command) => {
      if (command.command === 'navigate') getState().navigate(command.view);
      if (command.command === 'import-dataset') {
        getState().navigate('datasets');
        window.dispatchEvent(new CustomEvent('fashion-sorter:import'));
      }
    }),
  ];
  return () => offs.forEach((off) => off());
}
