import { percent } from '../../../../shared/format.ts';
import type { RunSummary } from '../../../../shared/types.ts';
import { RunExports } from '../RunExports.tsx';
import { formatEta } from '../../lib/training-status.ts';
import { epochsText, promotionText } from '../../lib/run-facts.ts';
import { useStore } from '../../store/store.ts';
import type { TrainingJob } from '../../store/training-slice.ts';


function duration(run: RunSummary): string {
  if (!run.finishedAt) return '—';
  const seconds = (Date.parse(run.finishedAt) - Date.parse(run.createdAt)) / 1000;
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${Math.round(seconds)} s`;
}

/** A running run's state from its live job, else from the stored run. */
function StatusCell({ run, job }: { run: RunSummary; job: TrainingJob | undefined }) {
  if (run.status === 'running' && job) {
    const p = job.update.progress;
    const where = p.phase === 'training' ? `epoch ${p.epoch} of ${p.epochs}` : p.phase;
    return (
      <td data-testid="run-status">
        training: {where}
        <div className="progress small" role="progressbar" aria-valuenow={Math.round(p.fraction * 100)} aria-valuemin={0} aria-valuemax={100}>
          <div style={{ width: `${p.fraction * 100}%` }} />
        </div>
        <span className="hint">{formatEta(p.etaSeconds)}</span>
      </td>
    );
  }
  return (
    <td data-testid="run-status" title={run.error ?? undefined}>
      {run.status === 'running' ? 'training' : run.status}
      {run.error && <div className="hint run-error">{run.error}</div>}
    </td>
  );
}

/** Every run, newest first: tick two to compare, click one to open its settings and curves, choose the active one. */
export function RunsTable({ picked, onToggle }: { picked: number[]; onToggle(runId: number): void }) {
  const runs = useStore((s) => s.runs);
  const activeRunId = useStore((s) => s.activeRunId);
  const openRunId = useStore((s) => s.openRunId);
  const openRun = useStore((s) => s.openRun);
  const activateRun = useStore((s) => s.activateRun);
  const jobs = useStore((s) => s.jobs);
  const byRun = new Map(Object.values(jobs).map((j) => [j.update.runId, j]));

  return (
    <table className="runs-table">
      <thead>
        <tr>
          <th>Compare</th>
          <th>Run</th>
          <th>Started</th>
          <th>Model</th>
          <th>Epochs</th>
          <th>Duration</th>
          <th>Test accuracy</th>
          <th>Status</th>
          <th>Active model</th>
          <th>Export</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => {
          const job = byRun.get(run.runId);
          const promotion = promotionText(run, activeRunId, job?.update.promoted);
          return (
            <tr
              key={run.runId}
              data-testid={`run-${run.runId}`}
              className={[run.runId === activeRunId ? 'active' : '', run.runId === openRunId ? 'open' : ''].join(' ')}
              onClick={(e) => {
                if (!(e.target as HTMLElement).closest('button, input')) void openRun(run.runId === openRunId ? null : run.runId);
              }}
            >
              <td>
                <input type="checkbox" aria-label={`Compare run ${run.runId}`} checked={picked.includes(run.runId)} disabled={run.status !== 'succeeded'} onChange={() => onToggle(run.runId)} />
              </td>
              <td>
                <button className="link" onClick={() => void openRun(run.runId === openRunId ? null : run.runId)} aria-expanded={run.runId === openRunId} data-testid="open-run">
                  Run {run.runId}
                </button>
              </td>
              <td>{new Date(run.createdAt).toLocaleString()}</td>
              <td>{run.model === 'mlp' ? 'MLP' : 'CNN'}</td>
              <td>{epochsText(run)}</td>
              <td>{duration(run)}</td>
              <td>{percent(run.testAccuracy)}</td>
              <StatusCell run={run} job={job} />
              <td data-testid="run-promotion">
                {run.runId === activeRunId ? (
                  <strong>active</strong>
                ) : (
                  <button disabled={run.status !== 'succeeded'} onClick={() => void activateRun(run.runId)}>
                    Use
                  </button>
                )}
                {promotion && <div className="hint promotion">{promotion}</div>}
              </td>
              <td>
                <RunExports run={run} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
