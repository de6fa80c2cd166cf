import { ChangesPanel } from '../components/errors/ChangesPanel.tsx';
import { ConfusionPanel } from '../components/errors/ConfusionPanel.tsx';
import { FlaggedPanel } from '../components/errors/FlaggedPanel.tsx';
import { LabelIssuesPanel } from '../components/errors/LabelIssuesPanel.tsx';
import type { LabelTab } from '../store/labels-slice.ts';
import { useStoreFields } from '../store/store.ts';

const TABS: { tab: LabelTab; title: string }[] = [
  { tab: 'confusion', title: 'Confusion' },
  { tab: 'issues', title: 'Label issues' },
  { tab: 'changes', title: 'Changes' },
  { tab: 'flagged', title: 'Flagged' },
];

/** Errors: the active run's confusions, the label scan's likely wrong labels, every label change, and flagged images. */
export function ErrorsView() {
  const { activeRunId, runs, labelTab, setLabelTab } = useStoreFields('activeRunId', 'runs', 'labelTab', 'setLabelTab');
  const run = runs.find((r) => r.runId === activeRunId);
  return (
    <div className="view errors-view" data-testid="errors-view">
      <div className="toolbar">
        <h1>
          Errors{activeRunId !== null && labelTab === 'confusion' ? ` · run ${activeRunId}${run ? ` (${run.model})` : ''}` : ''}
        </h1>
        <div className="segmented" role="tablist" aria-label="Errors">
          {TABS.map(({ tab, title }) => (
            <button key={tab} role="tab" className={tab === labelTab ? 'active' : ''} aria-selected={tab === labelTab} onClick={() => setLabelTab(tab)}>
              {title}
            </button>
          ))}
        </div>
      </div>
      {labelTab === 'confusion' && <ConfusionPanel />}
      {labelTab === 'issues' && <LabelIssuesPanel />}
      {labelTab === 'changes' && <ChangesPanel />}
      {labelTab === 'flagged' && <FlaggedPanel />}
    </div>
  );
}
