import type { RunSummary } from '../../../shared/types.ts';
import { useStore } from '../store/store.ts';

/** A run's two exports, saved as downloads: its predictions as CSV, and its model (model.json, weights.bin). */
export function RunExports({ run }: { run: RunSummary }) {
  const exportRun = useStore((s) => s.exportRun);
  const finished = run.status === 'succeeded';
  return (
    <span className="run-exports">
      <button disabled={!finished} onClick={() => void exportRun(run.runId, 'predictions')} data-testid={`export-predictions-${run.runId}`} title="Every prediction of this run as CSV">
        CSV
      </button>{' '}
      <button disabled={!finished} onClick={() => void exportRun(run.runId, 'model')} data-testid={`export-model-${run.runId}`} title="The model in the TensorFlow.js layers format">
        Model
      </button>
    </span>
  );
}
