import { useState } from 'react';
import { CLASS_NAMES } from '../../../shared/classes.ts';
import { percent } from '../../../shared/format.ts';
import type { RunSummary } from '../../../shared/types.ts';
import { RunExports } from '../components/RunExports.tsx';
import { useStoreFields } from '../store/store.ts';


function duration(run: RunSummary): string {
  if (!run.finishedAt) return '—';
  const seconds = (Date.parse(run.finishedAt) - Date.parse(run.createdAt)) / 1000;
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${Math.round(seconds)} s`;
}

/** Every run; choose the active model; compare two runs class by class and browse what changed. */
export function RunsView() {
  const { runs, activeRunId, activateRun, comparison, compareRuns, openGallery, navigate } = useStoreFields('runs', 'activeRunId', 'activateRun', 'comparison', 'compareRuns', 'openGallery', 'navigate');
  const [picked, setPicked] = useState<number[]>([]);
  const toggle = (runId: number): void => setPicked((p) => (p.includes(runId) ? p.filter((id) => id !== runId) : [...p, runId].slice(-2)));
  const [first, second] = [...picked].sort((a, b) => a - b);

  const browse = (change: 'fixed' | 'broken'): void => {
    if (!comparison) return;
    void openGallery({ kind: 'compare', runId: comparison.runId, otherRunId: comparison.otherRunId, split: comparison.split, change });
    navigate('errors');
  };

  return (
    <div className="view runs-view" data-testid="runs-view">
      <div className="toolbar">
        <h1>Runs</h1>
        <button disabled={picked.length !== 2} onClick={() => void compareRuns(first, second)} data-testid="compare-runs">
          Compare the two ticked runs
        </button>
      </div>
      {runs.length === 0 ? (
        <p className="hint">No runs yet. Train a model in the Train view.</p>
      ) : (
        <table className="runs-table">
          <thead>
            <tr>
              <th>Compare</th>
              <th>Run</th>
              <th>Date</th>
              <th>Model</th>
              <th>Backend</th>
              <th>Epochs</th>
              <th>Duration</th>
              <th>Test accuracy</th>
              <th>Status</th>
              <th>Active model</th>
              <th>Export</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.runId} data-testid={`run-${run.runId}`} className={run.runId === activeRunId ? 'active' : ''}>
                <td>
                  <input type="checkbox" aria-label={`Compare run ${run.runId}`} checked={picked.includes(run.runId)} disabled={run.status !== 'succeeded'} onChange={() => toggle(run.runId)} />
                </td>
                <td>{run.runId}</td>
                <td>{new Date(run.createdAt).toLocaleString()}</td>
                <td>{run.model}</td>
                <td>{run.backend ?? '—'}</td>
                <td>{run.epochsCompleted}</td>
                <td>{duration(run)}</td>
                <td>{percent(run.testAccuracy)}</td>
                <td title={run.error ?? undefined}>{run.status}</td>
                <td>
                  {run.runId === activeRunId ? (
                    <strong>active</strong>
                  ) : (
                    <button disabled={run.status !== 'succeeded'} onClick={() => void activateRun(run.runId)}>
                      Use
                    </button>
                  )}
                </td>
                <td>
                  <RunExports run={run} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {comparison && (
        <section className="card comparison" data-testid="comparison">
          <h2>
            Run {comparison.runId} ({percent(comparison.accuracy[0])}) against run {comparison.otherRunId} ({percent(comparison.accuracy[1])}), test split
          </h2>
          <p>
            <button onClick={() => browse('fixed')} data-testid="compare-fixed">
              {comparison.fixed} fixed
            </button>{' '}
            images run {comparison.runId} got wrong and run {comparison.otherRunId} got right;{' '}
            <button onClick={() => browse('broken')} data-testid="compare-broken">
              {comparison.broken} broken
            </button>{' '}
            the other way round.
          </p>
          <table className="per-class">
            <thead>
              <tr>
                <th>Class</th>
                <th>Run {comparison.runId}</th>
                <th>Run {comparison.otherRunId}</th>
                <th>Change</th>
              </tr>
            </thead>
            <tbody>
              {comparison.perClassAccuracy.map(([a, b], label) => (
                <tr key={label}>
                  <td>{CLASS_NAMES[label]}</td>
                  <td>{percent(a)}</td>
                  <td>{percent(b)}</td>
                  <td className={b > a ? 'better' : b < a ? 'worse' : ''}>
                    {b >= a ? '+' : '−'}
                    {Math.abs((b - a) * 100).toFixed(1)} pt
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
