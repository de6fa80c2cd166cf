import type { StateCreator } from 'zustand';
import type { ViewName } from '../../../shared/api.ts';
import type { AppInfo } from '../../../shared/types.ts';
import { api } from '../lib/api-client.ts';
import type { Store } from './store.ts';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

/** Which view is open, what the back end is, and the message bar. */
export interface AppSlice {
  view: ViewName;
  info: AppInfo | null;
  notice: Notice | null;
  navigate(view: ViewName): void;
  loadInfo(): Promise<void>;
  showNotice(notice: Notice | null): void;
}

export const createAppSlice: StateCreator<Store, [], [], AppSlice> = (set) => ({
  view: 'datasets',
  info: null,
  notice: null,
  navigate: (view) => set({ view }),
  loadInfo: async () => set({ info: await api.invoke('app:info') }),
  showNotice: (notice) => set({ notice }),
});
