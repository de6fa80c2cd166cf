import { useEffect } from 'react';
import { VIEW_NAMES, type ViewName } from '../../shared/api.ts';
import { connectEvents, useStore } from './store/store.ts';
import { DatasetsView } from './views/DatasetsView.tsx';
import { PlannedView } from './views/PlannedView.tsx';

const VIEW_TITLES: Record<ViewName, string> = {
  datasets: 'Datasets',
  train: 'Train',
  errors: 'Errors',
  classify: 'Classify',
  runs: 'Runs',
};

function CurrentView({ view }: { view: ViewName }) {
  switch (view) {
    case 'datasets':
      return <DatasetsView />;
    case 'train':
      return <PlannedView title="Train" description="Train the notebook's MLP or a CNN on the workspace, with live curves and cancel." />;
    case 'errors':
      return <PlannedView title="Errors" description="The confusion matrix of the active run; click a cell to browse exactly those images." />;
    case 'classify':
      return <PlannedView title="Classify" description="Drop photos to classify them, confirm or correct with the keyboard, and sort them into class folders." />;
    case 'runs':
      return <PlannedView title="Runs" description="Every training run with its accuracy; pick the active model and compare two runs." />;
  }
}

/** The window: navigation on the left, the current view, and a message bar. */
export function App() {
  const { view, navigate, notice, showNotice, loadInfo, refreshDatasets } = useStore();

  useEffect(() => {
    const disconnect = connectEvents();
    const fail = (error: unknown): void => showNotice({ kind: 'error', text: (error as Error).message });
    loadInfo().catch(fail);
    refreshDatasets().catch(fail);
    return disconnect;
  }, [loadInfo, refreshDatasets, showNotice]);

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Views">
        <div className="brand">Fashion Sorter</div>
        {VIEW_NAMES.map((name) => (
          <button key={name} className={name === view ? 'active' : ''} aria-current={name === view ? 'page' : undefined} onClick={() => navigate(name)}>
            {VIEW_TITLES[name]}
          </button>
        ))}
      </nav>
      <main>
        {notice && (
          <div className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
            <span>{notice.text}</span>
            <button aria-label="Dismiss" onClick={() => showNotice(null)}>
              ×
            </button>
          </div>
        )}
        <CurrentView view={view} />
      </main>
    </div>
  );
}
