/**
 * CLI commands for classifying and stored batches: `classify` (new photos, or `--from-batch` a
 * stored batch) and `batches`. `cli.ts` registers them.
 */
import { CLASS_NAMES } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';
import { REVIEW_REASON_TEXT, finalLabel } from '../../shared/review.ts';
import type { BatchSummary, ClassifiedPhoto } from '../../shared/types.ts';
import type { Backend } from '../app-backend.ts';
import { listBatches, openBatch } from '../classify/batch-store.ts';
import { expandPhotoPaths } from '../files/list-files.ts';
import { ALREADY_SORTED_CODE, sortBatch } from '../classify/sort-batch.ts';
import type { CliIo, Command } from './cli.ts';
import { table } from './format.ts';

type Values = Record<string, string | boolean | undefined>;

/** One `classify --json` row: the final class, and the model's own prediction beside it. */
export function photoJson(p: ClassifiedPhoto): Record<string, unknown> {
  if (p.error !== null) return { file: p.file, error: p.error };
  const label = finalLabel(p)!;
  return {
    file: p.file,
    label,
    className: CLASS_NAMES[label],
    predicted: p.predicted,
    predictedClassName: CLASS_NAMES[p.predicted!],
    confidence: p.confidence,
    decidedBy: p.decidedBy,
    needsReview: p.needsReview,
    ...(p.needsReview && p.reviewReason ? { reviewReason: REVIEW_REASON_TEXT[p.reviewReason] } : {}),
    unusual: p.unusual,
    ...(p.unusual ? { unusualReason: REVIEW_REASON_TEXT.unusual } : {}),
    top3: p.top3.map((t) => ({ label: t.label, className: CLASS_NAMES[t.label], probability: t.probability })),
  };
}

function printPhotos(photos: readonly ClassifiedPhoto[], values: Values, io: CliIo): void {
  if (values.json) {
    io.out(JSON.stringify(photos.map(photoJson)));
    return;
  }
  // A file that could not be read gets a short mark in the table and its reason below it.
  io.out(
    table(
      ['file', 'class', 'decided by', 'model said', 'confidence', 'review'],
      photos.map((p) =>
        p.error !== null
          ? [p.name, 'unreadable', '—', '—', '—', '']
          : [
              p.name,
              CLASS_NAMES[finalLabel(p)!],
              p.decidedBy,
              CLASS_NAMES[p.predicted!],
              `${(p.confidence! * 100).toFixed(1)}%`,
              p.needsReview && p.reviewReason ? REVIEW_REASON_TEXT[p.reviewReason] : '',
            ],
      ),
    ),
  );
  for (const p of photos) if (p.error !== null) io.err(`${p.name}: ${p.error}`);
}

async function sortStored(backend: Backend, batchId: string, values: Values, io: CliIo): Promise<void> {
  const target = values['sort-into'] as string;
  const move = Boolean(values.move);
  try {
    const outcome = await sortBatch(backend.db, batchId, target, { move, again: Boolean(values.again) });
    // With --json, stdout carries only the results; the summary goes to stderr.
    const say = values.json ? io.err : io.out;
    const kept = outcome.sorted.filter((s) => s.originalKept);
    say(`${move ? 'Moved' : 'Copied'} ${outcome.sorted.length - kept.length} photos into ${outcome.target}; manifest: ${outcome.manifest}`);
    if (kept.length > 0) say(`Copied ${kept.length} more, but could not remove the original (listed in the manifest):`);
    for (const s of kept) io.err(`${s.name}: ${s.originalKept}`);
    for (const failure of outcome.failed) io.err(`${failure.file}: ${failure.error}`);
  } catch (error) {
    if (error instanceof AppError && error.code === ALREADY_SORTED_CODE) {
      throw new AppError('conflict', `${error.message} Add --again to sort them there anyway.`);
    }
    throw error;
  }
}

export const classifyCommand: Command = {
  summary: 'Classify photos with the active model (or --run), optionally sorting them into class folders; or sort a stored batch',
  usage: 'classify <files or folders> [--run ID] [--sort-into DIR] [--move] [--again] [--json] | classify --from-batch ID --sort-into DIR [--move] [--again]',
  options: { run: { type: 'string' }, 'sort-into': { type: 'string' }, move: { type: 'boolean' }, again: { type: 'boolean' }, 'from-batch': { type: 'string' } },
  async run(backend, values, positionals, io) {
    if (values.move && !values['sort-into']) throw new AppError('invalid-argument', '--move only makes sense with --sort-into DIR.');
    const fromBatch = values['from-batch'] as string | undefined;
    if (fromBatch !== undefined) {
      if (positionals.length > 0) throw new AppError('invalid-argument', '--from-batch sorts a stored batch; do not name photos as well.');
      if (!values['sort-into']) throw new AppError('invalid-argument', '--from-batch needs --sort-into DIR.');
      const batchId = resolveBatchId(backend, fromBatch);
      const view = openBatch(backend.db, batchId, new Date());
      if (values.json) io.out(JSON.stringify(view.photos.map(photoJson)));
      await sortStored(backend, batchId, values, io);
      return 0;
    }
    if (positionals.length === 0) throw new AppError('invalid-argument', 'Name the photos or folders to classify.');
    const files = await expandPhotoPaths(positionals);
    if (files.length === 0) throw new AppError('invalid-argument', 'There are no photos there to classify.');
    const runRaw = values.run as string | undefined;
    const runId = runRaw === undefined ? undefined : Number(runRaw);
    if (runId !== undefined && (!Number.isInteger(runId) || runId < 1)) throw new AppError('invalid-argument', `--run must be a run number, not "${runRaw}".`);
    const batch = backend.classifier.plan(files, runId);
    let done = 0;
    const photos = await backend.classifier.classify(batch, files, { onResult: () => io.status?.(`Classified ${++done} of ${files.length}`) });
    io.status?.('');
    printPhotos(photos, values, io);
    if (!values.json) io.err(`Stored as batch ${batch.batchId.slice(0, 8)} (fashion-sorter batches).`);
    if (values['sort-into']) await sortStored(backend, batch.batchId, values, io);
    const failed = photos.filter((p) => p.error !== null).length;
    return failed > 0 && failed === photos.length ? 1 : 0;
  },
};

/** A batch named by its id or the first characters of it (as `batches` prints). */
function resolveBatchId(backend: Backend, given: string): string {
  const matches = listBatches(backend.db).filter((b) => b.batchId.startsWith(given.toLowerCase()));
  if (matches.length === 1) return matches[0].batchId;
  if (matches.length === 0) throw new AppError('not-found', `There is no batch ${given}. See fashion-sorter batches.`);
  throw new AppError('invalid-argument', `"${given}" names ${matches.length} batches; give more of the id.`);
}

function batchJson(b: BatchSummary): Record<string, unknown> {
  return {
    batchId: b.batchId,
    runId: b.runId,
    createdAt: b.createdAt,
    openedAt: b.openedAt,
    total: b.total,
    classified: b.classified,
    failed: b.failed,
    needReview: b.needReview,
    decided: b.decided,
    state: b.state,
    sortedInto: b.sortedInto,
    moved: b.moved,
    audit: b.audit,
  };
}

export const batchesCommand: Command = {
  summary: 'List the stored classification batches',
  usage: 'batches [--json]',
  options: {},
  run(backend, values, _positionals, io) {
    const batches = listBatches(backend.db);
    if (values.json) {
      io.out(JSON.stringify(batches.map(batchJson)));
      return;
    }
    if (batches.length === 0) {
      io.out('No batches yet. Classify photos with: fashion-sorter classify <files or folders>');
      return;
    }
    io.out(
      table(
        ['batch', 'created', 'photos', 'failed', 'need review', 'decided', 'sorted into'],
        batches.map((b) => [b.batchId.slice(0, 8), b.createdAt.slice(0, 16).replace('T', ' '), b.classified, b.failed, b.needReview, b.decided, b.sortedInto ? `${b.sortedInto}${b.moved ? ' (moved)' : ''}` : '—']),
      ),
    );
  },
};
