import { runSettings } from '../../lib/run-facts.ts';
import { useStore } from '../../store/store.ts';
import { TrainingCurves } from '../TrainingCurves.tsx';

/** The opened run: every setting it was trained with, and its loss and accuracy curves. */
export function RunDetails() {
  const run = useStore((s) => s.runs.find((r) => r.runId === s.openRunId) ?? null);
  const stored = useStore((s) => (s.openRunId === null ? undefined : s.runEpochs[s.openRunId]));
  const live = useStore((s) => Object.values(s.jobs).find((j) => j.update.runId === s.openRunId && j.update.state === 'running')?.epochs);
  const openRun = useStore((s) => s.openRun);
  if (!run) return null;
  // A running run's epochs arrive live; the stored ones lag behind until the list is refreshed.
  const epochs = live && live.length >= (stored?.length ?? 0) ? live : (stored ?? []);

  return (
    <section className="card run-details" data-testid="run-details" data-run-id={run.runId}>
      <div className="card-header">
        <h2>Run {run.runId}</h2>
        <button aria-label="Close" onClick={() => void openRun(null)}>
          ×
        </button>
      </div>
      <dl className="settings" data-testid="run-settings">
        {runSettings(run).map(({ label, value }) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {epochs.length > 0 ? (
        <TrainingCurves epochs={epochs} testId="run-curves" />
      ) : (
        <p className="hint">{stored === undefined && !live ? 'Loading its curves…' : `No epoch finished${run.status === 'running' ? ' yet' : ''}.`}</p>
      )}
    </section>
  );
}
