import { statusText } from '../../lib/training-status.ts';
import { currentJob } from '../../store/training-slice.ts';
import { useStore } from '../../store/store.ts';
import { TrainingCurves } from '../TrainingCurves.tsx';

/** The followed job: its phase in words, progress with the time left, cancel, and live curves. */
export function TrainStatus() {
  const job = useStore((s) => currentJob(s.jobs, s.followedJobId));
  const cancelTraining = useStore((s) => s.cancelTraining);
  if (!job) return null;
  const { update } = job;
  const running = update.state === 'running';
  const phase = running ? update.progress.phase : update.state;

  return (
    <section className="card" data-testid="training-status" data-phase={running ? update.progress.phase : update.state}>
      <div className="card-header">
        <h2>
          Run {update.runId} · {phase}
        </h2>
        {running && (
          <button onClick={() => void cancelTraining(update.jobId)} data-testid="cancel-training">
            Cancel
          </button>
        )}
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(update.progress.fraction * 100)}>
        <div style={{ width: `${update.progress.fraction * 100}%` }} />
      </div>
      <p className="counts" data-testid="training-progress-text">
        {statusText(update)}
      </p>
      <TrainingCurves epochs={job.epochs} />
    </section>
  );
}
