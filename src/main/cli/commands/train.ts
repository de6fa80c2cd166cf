import { AppError } from '../../../shared/errors.ts';
import { describeDefaults } from '../../../shared/model-defaults.ts';
import { trainingEngine } from '../../ml/tensorflow-available.ts';
import type { JobUpdate } from '../../../shared/types.ts';
import { UsageError, type Command, type EventListener } from '../command.ts';
import { progressLine, runJson } from '../format.ts';
import { request } from '../request.ts';

/** The flag each field of `train:start` comes from, for messages. */
const TRAIN_FLAGS = {
  model: '--model',
  datasetId: '--dataset',
  epochs: '--epochs',
  batchSize: '--batch',
  learningRate: '--lr',
  seed: '--seed',
  limit: '--limit',
  validationFraction: '--validation',
  patience: '--patience',
  augment: '--augment',
  includeUserLabels: '--no-user-labels',
  excludeSuspects: '--leave-out-suspects',
};

/** `fashion-sorter train`: a run in its own process, with progress on the terminal; Ctrl+C cancels. */
export const trainCommand: Command = {
  summary: "Train a model (the notebook's mlp, or a cnn) in a separate process",
  usage: 'train --model mlp|cnn [--epochs N] [--batch N] [--lr X] [--seed N] [--limit N] [--validation F] [--patience N] [--augment | --no-augment] [--no-user-labels] [--leave-out-suspects] [--dataset ID] [--json]',
  details: (['mlp', 'cnn'] as const).map((kind) => `${kind}: ${describeDefaults(kind, trainingEngine())}`).join('\n'),
  writes: true,
  options: {
    model: { type: 'string' },
    epochs: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    seed: { type: 'string' },
    limit: { type: 'string' },
    validation: { type: 'string' },
    patience: { type: 'string' },
    dataset: { type: 'string' },
    augment: { type: 'boolean' },
    'no-augment': { type: 'boolean' },
    'no-user-labels': { type: 'boolean' },
    'leave-out-suspects': { type: 'boolean' },
  },
  async run({ backend, values, io, events }) {
    if (values.augment && values['no-augment']) throw new UsageError('--augment and --no-augment cannot be used together.');
    const { jobId, runId } = await request(
      backend,
      'train:start',
      {
        model: values.model,
        datasetId: values.dataset,
        epochs: values.epochs,
        batchSize: values.batch,
        learningRate: values.lr,
        seed: values.seed,
        limit: values.limit,
        validationFraction: values.validation,
        patience: values.patience,
        augment: values.augment ? true : values['no-augment'] ? false : undefined,
        includeUserLabels: values['no-user-labels'] ? false : undefined,
        excludeSuspects: values['leave-out-suspects'] ? true : undefined,
      },
      TRAIN_FLAGS,
    );
    const listener: EventListener = (channel, payload) => {
      if (channel !== 'job:update') return;
      const update = payload as JobUpdate;
      if (update.kind !== 'train' || update.jobId !== jobId) return;
      if (update.epoch && values.json) io.out(JSON.stringify({ runId, ...update.epoch }));
      else if (update.epoch) {
        // On a terminal too: the progress line is cleared first, and the epoch's line stays above it.
        io.status?.('');
        const e = update.epoch;
        io.out(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, accuracy ${(e.accuracy * 100).toFixed(2)}%, validation ${e.valAccuracy === null ? '—' : `${(e.valAccuracy * 100).toFixed(2)}%`}, ${e.seconds.toFixed(1)} s`);
      }
      if (update.state === 'running' && !values.json) io.status?.(progressLine(update));
    };
    events.add(listener);
    const stopInterrupt = io.onInterrupt?.(() => {
      io.err('Cancelling after the current batch…');
      void request(backend, 'train:cancel', { jobId });
    });
    try {
      const final = await backend.jobs.whenFinished(jobId);
      io.status?.('');
      if (final.state === 'cancelled') {
        io.err(`Run ${runId} was cancelled.`);
        return 130;
      }
      if (final.state === 'failed') throw new AppError('internal', `Run ${runId} failed: ${final.error}`);
      io.out(JSON.stringify(runJson(final.run!)));
    } finally {
      events.delete(listener);
      stopInterrupt?.();
    }
  },
};
