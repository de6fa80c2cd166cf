import { DEFAULT_SEED, type Engine } from '../../../../shared/model-defaults.ts';
import type { ModelKind } from '../../../../shared/types.ts';
import { trainFormProblems } from '../../lib/train-form.ts';
import { useStore } from '../../store/store.ts';

/** What each model is and what to expect of it, on the engine runs will use (README, Benchmark). */
const MODEL_HELP: Record<Engine, Record<ModelKind, string>> = {
  tensorflow: {
    mlp: "The notebook's model: 784 → 128 → 64 → 10. Under a second an epoch on TensorFlow.",
    cnn: 'Two 3×3 convolutions with batch normalisation and a dense layer: about 11 s an epoch on TensorFlow, about 93% test accuracy after its 15 epochs with shifted copies of the images (augmentation).',
  },
  wasm: {
    mlp: "The notebook's model: 784 → 128 → 64 → 10, trained on all cores at once. Under a second an epoch here.",
    cnn: 'Two 3×3 convolutions with batch normalisation and a dense layer, trained on all cores at once: about 35 s an epoch here, about 93% test accuracy after its 15 epochs with shifted copies of the images (augmentation).',
  },
};

/** A number field; empty means "not set" (the model's default, or no limit). */
function NumberField({ label, title, value, step, placeholder, scale = 1, onChange }: { label: string; title?: string; value: number | undefined; step?: number; placeholder?: string; scale?: number; onChange(value: number | undefined): void }) {
  return (
    <label title={title}>
      {label}
      <input
        type="number"
        step={step ?? 1}
        value={value === undefined ? '' : Number((value * scale).toPrecision(12))}
        placeholder={placeholder}
        onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value) / scale)}
      />
    </label>
  );
}

/** Pick a model and its options; switching the model puts back that model's defaults. */
export function TrainForm({ running }: { running: boolean }) {
  const form = useStore((s) => s.trainForm);
  const setTrainForm = useStore((s) => s.setTrainForm);
  const chooseModel = useStore((s) => s.chooseModel);
  const startTraining = useStore((s) => s.startTraining);
  const datasets = useStore((s) => s.datasets);
  const engine = useStore((s) => s.info?.engine ?? 'wasm');
  const problems = trainFormProblems(form);

  return (
    <section className="card train-form">
      <fieldset disabled={running}>
        <label>
          Model
          <select value={form.model} onChange={(e) => chooseModel(e.currentTarget.value as ModelKind)} data-testid="train-model">
            <option value="mlp">MLP (the notebook's)</option>
            <option value="cnn">CNN</option>
          </select>
        </label>
        {datasets.length > 1 && (
          <label>
            Dataset
            <select value={form.datasetId ?? datasets[0].datasetId} onChange={(e) => setTrainForm({ datasetId: Number(e.currentTarget.value) })}>
              {datasets.map((d) => (
                <option key={d.datasetId} value={d.datasetId}>
                  {d.name} ({d.bySplit.train.toLocaleString('en-US')} training images)
                </option>
              ))}
            </select>
          </label>
        )}
        <NumberField label="Epochs" value={form.epochs} onChange={(epochs) => setTrainForm({ epochs })} />
        <NumberField label="Batch size" value={form.batchSize} onChange={(batchSize) => setTrainForm({ batchSize })} />
        <NumberField label="Learning rate" value={form.learningRate} step={0.0001} onChange={(learningRate) => setTrainForm({ learningRate })} />
        <NumberField label="Patience" title="Stop after this many epochs without a better validation accuracy; 0 never stops early." value={form.patience} onChange={(patience) => setTrainForm({ patience })} />
        <NumberField label="Validation share (%)" value={form.validationFraction} scale={100} onChange={(validationFraction) => setTrainForm({ validationFraction })} />
        <NumberField label="Seed" value={form.seed} placeholder={String(DEFAULT_SEED)} onChange={(seed) => setTrainForm({ seed })} />
        <NumberField label="Train on at most (images)" value={form.limit} placeholder="all" onChange={(limit) => setTrainForm({ limit })} />
        <label className="check">
          <input type="checkbox" checked={form.augment ?? false} onChange={(e) => setTrainForm({ augment: e.currentTarget.checked })} />
          Augment (shift each image by up to 1 px)
        </label>
        <label className="check">
          <input type="checkbox" checked={form.includeUserLabels ?? true} onChange={(e) => setTrainForm({ includeUserLabels: e.currentTarget.checked })} />
          Include photos people labeled
        </label>
        <label className="check" title="Flagged images (S) and unresolved issues of the newest label scan that is still current; never images whose label was confirmed (K)">
          <input type="checkbox" checked={form.excludeSuspects ?? false} onChange={(e) => setTrainForm({ excludeSuspects: e.currentTarget.checked })} />
          Leave out images whose label is under suspicion
        </label>
      </fieldset>
      <p className="hint" data-testid="train-help" data-engine={engine}>
        {MODEL_HELP[engine][form.model]} The validation share is held out to pick the best epoch and to stop early.
      </p>
      {problems.length > 0 && (
        <ul className="problems" role="alert" data-testid="train-form-problems">
          {problems.map((p) => (
            <li key={p}>{p}.</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button className="primary" onClick={() => void startTraining()} disabled={running || datasets.length === 0 || problems.length > 0}>
          Start training
        </button>
        {datasets.length === 0 && <span className="hint">Load a dataset first (Datasets view).</span>}
      </div>
    </section>
  );
}
