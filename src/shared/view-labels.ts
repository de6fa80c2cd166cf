import type { ViewName } from './api.ts';

/** Each view's name as people see it: in the window's navigation and in the View menu. */
export const VIEW_LABELS: Record<ViewName, string> = {
  datasets: 'Datasets',
  train: 'Train',
  errors: 'Errors',
  classify: 'Classify',
  runs: 'Runs',
};
