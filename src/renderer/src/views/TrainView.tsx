import { DEFAULT_SEED, MODEL_DEFAULTS } from '../../../shared/model-defaults.ts';
import type { ModelKind } from '../../../shared/types.ts';
import { LineChart } from '../components/LineChart.tsx';
import { currentJob } from '../store/training-slice.ts';
import { useStore } from '../store/store.ts';

const MODEL_HELP: Record<ModelKind, string> = {
  mlp: "The notebook's model: 784 → 128 → 64 → 10, Adam 0.001, batch 512, 50 epochs. About 2 s an epoch here.",
  cnn: 'Two 3×3 convolutions with batch normalisation and a dense layer, trained on both cores at once: about a minute an epoch here, about 92.5% test accuracy after its 7 epochs.',
};

const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  const s = Math.ceil(seconds);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s left` : `${s} s left`;
}

/** An optional number field: empty means "the model's default". */
function NumberField({ label, value, step, placeholder, onChange }: { label: string; value: number | undefined; step?: number; placeholder: string; onChange(value: number | undefined): void }) {
  return (
    <label>
      {label}
      <input type="number" step={step ?? 1} value={value ?? ''} placeholder={placeholder} onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))} />
    </label>
  );
}

/** Pick a model and its options, start training, and watch it: curves, progress with ETA, cancel. */
export function TrainView() {
  const { trainForm, setTrainForm, startTraining, cancelTraining, jobs, followedJobId, datasets } = useStore();
  const job = currentJob(jobs, followedJobId);
  const running = job?.update.state === 'running';
  const progress = job?.update.progress;
  const epochs = job?.epochs ?? [];
  const defaults = MODEL_DEFAULTS[trainForm.model];

  return (
    <div className="view train-view" data-testid="train-view">
      <div className="toolbar">
        <h1>Train</h1>
      </div>
      <section className="card train-form">
        <fieldset disabled={running}>
          <label>
            Model
            <select value={trainForm.model} onChange={(e) => setTrainForm({ model: e.currentTarget.value as ModelKind })} data-testid="train-model">
              <option value="mlp">MLP (the notebook's)</option>
              <option value="cnn">CNN</option>
            </select>
          </label>
          {datasets.length > 1 && (
            <label>
              Dataset
              <select value={trainForm.datasetId ?? datasets[0].datasetId} onChange={(e) => setTrainForm({ datasetId: Number(e.currentTarget.value) })}>
                {datasets.map((d) => (
                  <option key={d.datasetId} value={d.datasetId}>
                    {d.name} ({d.bySplit.train.toLocaleString('en-US')} training images)
                  </option>
                ))}
              </select>
            </label>
          )}
          <NumberField label="Epochs" value={trainForm.epochs} placeholder={String(defaults.epochs)} onChange={(epochs) => setTrainForm({ epochs })} />
          <NumberField label="Batch size" value={trainForm.batchSize} placeholder={String(defaults.batchSize)} onChange={(batchSize) => setTrainForm({ batchSize })} />
          <NumberField label="Learning rate" value={trainForm.learningRate} step={0.0001} placeholder={String(defaults.learningRate)} onChange={(learningRate) => setTrainForm({ learningRate })} />
          <NumberField label="Seed" value={trainForm.seed} placeholder={String(DEFAULT_SEED)} onChange={(seed) => setTrainForm({ seed })} />
          <NumberField label="Train on at most (images)" value={trainForm.limit} placeholder="all" onChange={(limit) => setTrainForm({ limit })} />
          <label className="check">
            <input type="checkbox" checked={trainForm.includeUserLabels ?? true} onChange={(e) => setTrainForm({ includeUserLabels: e.currentTarget.checked })} />
            Include photos people labeled
          </label>
          <label className="check" title="Flagged images (S) and unresolved issues of the newest label scan that is still current; never images whose label was confirmed (K)">
            <input type="checkbox" checked={trainForm.excludeSuspects ?? false} onChange={(e) => setTrainForm({ excludeSuspects: e.currentTarget.checked })} />
            Leave out images whose label is under suspicion
          </label>
        </fieldset>
        <p className="hint">{MODEL_HELP[trainForm.model]} 10% of the training images are held out to pick the best epoch and to stop early.</p>
        <div className="actions">
          <button className="primary" onClick={() => void startTraining()} disabled={running || datasets.length === 0}>
            Start training
          </button>
          {running && job && (
            <button onClick={() => void cancelTraining(job.update.jobId)} data-testid="cancel-training">
              Cancel
            </button>
          )}
          {datasets.length === 0 && <span className="hint">Load a dataset first (Datasets view).</span>}
        </div>
      </section>

      {job && progress && (
        <section className="card" data-testid="training-status">
          <h2>
            Run {job.update.runId} · {job.update.state === 'running' ? `${progress.phase}` : job.update.state}
          </h2>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress.fraction * 100)}>
            <div style={{ width: `${progress.fraction * 100}%` }} />
          </div>
          <p className="counts" data-testid="training-progress-text">
            {progress.phase === 'training' && `Epoch ${progress.epoch} of ${progress.epochs}, batch ${progress.batch} of ${progress.batches}`}
            {progress.imagesPerSecond ? ` · ${Math.round(progress.imagesPerSecond)} images/s` : ''}
            {running ? ` · ${formatEta(progress.etaSeconds)}` : ''}
            {job.update.state === 'succeeded' && job.update.run?.testAccuracy != null && `Test accuracy ${percent(job.update.run.testAccuracy)}`}
            {job.update.state === 'failed' && job.update.error}
          </p>
          <div className="charts" data-testid="training-curves" data-epochs={epochs.length}>
            <LineChart
              title="Loss"
              format={(v) => v.toFixed(2)}
              series={[
                { name: 'train', colour: '#2f5fd0', points: epochs.map((e) => [e.epoch, e.loss]) },
                { name: 'validation', colour: '#d0602f', dashed: true, points: epochs.filter((e) => e.valLoss !== null).map((e) => [e.epoch, e.valLoss!]) },
              ]}
            />
            <LineChart
              title="Accuracy"
              format={percent}
              series={[
                { name: 'train', colour: '#2f5fd0', points: epochs.map((e) => [e.epoch, e.accuracy]) },
                { name: 'validation', colour: '#d0602f', dashed: true, points: epochs.filter((e) => e.valAccuracy !== null).map((e) => [e.epoch, e.valAccuracy!]) },
              ]}
            />
          </div>
        </section>
      )}
    </div>
  );
}
