/** What the Runs view says about a run: its settings, its epochs, and how it came to be (or not be) the active model. */
import type { RunSummary } from '../../../shared/types.ts';

/** Epochs run against epochs asked for, with why they differ. */
export function epochsText(run: RunSummary): string {
  const asked = run.config.epochs;
  if (run.status === 'running') return `${run.epochsCompleted} of ${asked} so far`;
  if (run.epochsCompleted >= asked) return `${run.epochsCompleted} of ${asked}`;
  const why = run.status === 'succeeded' ? 'stopped early' : run.status;
  return `${run.epochsCompleted} of ${asked} (${why})`;
}

/** Every setting a run was trained with, as label and value, in the order a person reads them. */
export function runSettings(run: RunSummary): { label: string; value: string }[] {
  const c = run.config;
  const n = (x: number): string => x.toLocaleString('en-US');
  return [
    { label: 'Model', value: c.model === 'mlp' ? "MLP (the notebook's)" : 'CNN' },
    { label: 'Epochs', value: epochsText(run) + (run.bestEpoch ? `, weights of epoch ${run.bestEpoch}` : '') },
    { label: 'Images', value: c.limit === null ? 'all training images' : `at most ${n(c.limit)}` },
    {
      label: 'Validation share',
      value: `${Math.round(c.validationFraction * 100)}%` + (run.trainImages !== null ? ` (${n(run.trainImages)} trained on, ${n(run.validationImages ?? 0)} held out)` : ''),
    },
    { label: 'Augmentation', value: c.augment ? 'on' : 'off' },
    { label: 'Batch size', value: n(c.batchSize) },
    { label: 'Learning rate', value: String(c.learningRate) },
    { label: 'Early stop', value: c.patience > 0 ? `after ${c.patience} epochs without improvement` : 'never' },
    { label: 'Seed', value: String(c.seed) },
    { label: 'Photos people labeled', value: c.includeUserLabels ? 'included' : 'left out' },
    { label: 'Backend', value: run.backend ?? '—' },
    { label: 'Time per epoch', value: run.secondsPerEpoch === null ? '—' : `${run.secondsPerEpoch.toFixed(1)} s` },
  ];
}

/**
 * Why a run is or is not the active model, in one line: the gate's stored reason when there is one (a
 * sentence such as "Not made active: recall of Shirt fell 3.1 points against run 2 …"), else what this
 * window saw when it finished (`promotedHere`), else only whether it is active now. A person may have
 * chosen another run since; the line says so.
 */
export function promotionText(run: RunSummary, activeRunId: number | null, promotedHere: boolean | undefined): string | null {
  const active = run.runId === activeRunId;
  const promoted = run.promoted ?? promotedHere;
  const since = promoted === false && active ? ' A person chose it since.' : promoted === true && !active ? ' Another run is active now.' : '';
  if (run.promotionReason) return `${run.promotionReason}${since}`;
  if (promoted === true) return `Became the active model when it finished.${since}`;
  if (promoted === false) return `Not made the active model when it finished: the active run was more accurate.${since}`;
  return active ? 'The active model.' : null;
}
