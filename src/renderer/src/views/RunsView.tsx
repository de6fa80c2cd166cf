import { useState } from 'react';
import { ComparisonCard } from '../components/runs/ComparisonCard.tsx';
import { RunDetails } from '../components/runs/RunDetails.tsx';
import { RunsTable } from '../components/runs/RunsTable.tsx';
import { useStore } from '../store/store.ts';

/** Every run; open one for its settings and curves; choose the active model; compare two runs class by class. */
export function RunsView() {
  const hasRuns = useStore((s) => s.runs.length > 0);
  const compareRuns = useStore((s) => s.compareRuns);
  const [picked, setPicked] = useState<number[]>([]);
  const toggle = (runId: number): void => setPicked((p) => (p.includes(runId) ? p.filter((id) => id !== runId) : [...p, runId].slice(-2)));
  const [first, second] = [...picked].sort((a, b) => a - b);

  return (
    <div className="view runs-view" data-testid="runs-view">
      <div className="toolbar">
        <h1>Runs</h1>
        <button disabled={picked.length !== 2} onClick={() => void compareRuns(first, second)} data-testid="compare-runs">
          Compare the two ticked runs
        </button>
      </div>
      {hasRuns ? (
        <div className="table-scroll">
          <RunsTable picked={picked} onToggle={toggle} />
        </div>
      ) : (
        <p className="hint">No runs yet. Train a model in the Train view.</p>
      )}
      <RunDetails />
      <ComparisonCard />
    </div>
  );
}
