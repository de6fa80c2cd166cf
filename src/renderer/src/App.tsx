import { useEffect } from 'react';
import { VIEW_NAMES, type ViewName } from '../../shared/api.ts';
import { VIEW_LABELS } from '../../shared/view-labels.ts';
import { connectEvents, useStoreFields } from './store/store.ts';
import { ClassifyView } from './views/ClassifyView.tsx';
import { DatasetsView } from './views/DatasetsView.tsx';
import { ErrorsView } from './views/ErrorsView.tsx';
import { RunsView } from './views/RunsView.tsx';
import { TrainView } from './views/TrainView.tsx';


function CurrentView({ view }: { view: ViewName }) {
  switch (view) {
    case 'datasets':
      return <DatasetsView />;
    case 'train':
      return <TrainView />;
    case 'errors':
      return <ErrorsView />;
    case 'classify':
      return <ClassifyView />;
    case 'runs':
      return <RunsView />;
  }
}

/** The window: navigation on the left, the current view, and a message bar. */
export function App() {
  const { view, navigate, notice, showNotice, loadInfo, refreshDatasets, refreshRuns, loadJobs } = useStoreFields('view', 'navigate', 'notice', 'showNotice', 'loadInfo', 'refreshDatasets', 'refreshRuns', 'loadJobs');

  useEffect(() => {
    const disconnect = connectEvents();
    const fail = (error: unknown): void => showNotice({ kind: 'error', text: (error as Error).message });
    loadInfo().catch(fail);
    refreshDatasets().catch(fail);
    refreshRuns().catch(fail);
    loadJobs().catch(fail);
    return disconnect;
  }, [loadInfo, refreshDatasets, refreshRuns, loadJobs, showNotice]);

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Views">
        <div className="brand">Fashion Sorter</div>
        {VIEW_NAMES.map((name) => (
          <button key={name} className={name === view ? 'active' : ''} aria-current={name === view ? 'page' : undefined} onClick={() => navigate(name)}>
            {VIEW_LABELS[name]}
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
