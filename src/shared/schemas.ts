/**
 * The zod schemas of the requests whose shapes other code names (a training request, a gallery query).
 * The contract (api.ts) uses them for its channels, and types.ts derives the TypeScript types from them
 * with `z.input`, so each shape is declared once.
 */
import { z } from 'zod';

export const runId = z.number().int().positive();
export const datasetId = z.number().int().positive();
export const label = z.number().int().min(0).max(9);
export const evaluationSplit = z.enum(['test', 'train']);

/** What a person asks for when training; anything left out takes the model's default. */
export const trainRequest = z.object({
  model: z.enum(['mlp', 'cnn']),
  /** Dataset to train on; the first dataset when left out. */
  datasetId: datasetId.optional(),
  epochs: z.number().int().min(1).max(500).optional(),
  batchSize: z.number().int().min(1).max(8192).optional(),
  learningRate: z.number().positive().max(1).optional(),
  /** Share of the training split held out for checkpointing and early stopping. */
  validationFraction: z.number().min(0).max(0.5).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  /** Train on at most this many images (tests, quick looks). */
  limit: z.number().int().min(10).optional(),
  /** Include photos people labeled (split `user`) in the training data. */
  includeUserLabels: z.boolean().optional(),
  /** Stop after this many epochs without a better validation accuracy; 0 never stops early. */
  patience: z.number().int().min(0).max(500).optional(),
  /** Random shifts of training images by up to one pixel each way. */
  augment: z.boolean().optional(),
  /** Leave out images whose label is under suspicion: flagged (S), or an unresolved issue of the newest current label scan; never ones confirmed (K). */
  excludeSuspects: z.boolean().optional(),
});

/**
 * Which images a gallery shows: a confusion cell, or what a second run changed. (Likely wrong labels come
 * from label scans, `scan:issues`: a run's in-sample mistakes are mostly the model's own.)
 */
export const galleryQuery = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cell'), runId, split: evaluationSplit, trueLabel: label, predicted: label }),
  z.object({ kind: z.literal('compare'), runId, otherRunId: runId, split: evaluationSplit, change: z.enum(['fixed', 'broken']) }),
]);

export const gallerySort = z.enum(['confidence-desc', 'confidence-asc']);

/** How files are imported: the same options for paths on disk and for files dropped in a browser. */
export const importOptions = z.object({
  /** Split for sources whose names do not say (CSV files and class folders). */
  split: z.enum(['train', 'test']).optional(),
  /** Dataset to import into; created when missing. Defaults to Fashion-MNIST, or the folder's name for class folders. */
  name: z.string().trim().min(1).max(200).optional(),
});
