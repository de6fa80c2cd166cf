import path from 'node:path';
import { CLASS_NAMES } from '../../../shared/classes.ts';
import { AppError } from '../../../shared/errors.ts';
import { REVIEW_REASON_TEXT, finalLabel } from '../../../shared/review.ts';
import type { ClassifiedPhoto } from '../../../shared/types.ts';
import type { Backend } from '../../app-backend.ts';
import type { CliIo, Command, EventListener, Values } from '../command.ts';
import { UsageError } from '../command.ts';
import { table } from '../format.ts';
import { request } from '../request.ts';

/** One `classify --json` row: the final class (the model's until a person decides), and the model's own prediction beside it. */
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
  // A file that could not be read gets a short mark in the table and its reason below it, so that one
  // long message does not stretch the table.
  io.out(
    table(
      ['file', 'class', 'decided by', 'model said', 'confidence', 'review'],
      photos.map((p) =>
        p.error !== null
          ? [p.name, 'unreadable', '—', '—', '—', '']
          : [p.name, CLASS_NAMES[finalLabel(p)!], p.decidedBy, CLASS_NAMES[p.predicted!], `${(p.confidence! * 100).toFixed(1)}%`, p.needsReview && p.reviewReason ? REVIEW_REASON_TEXT[p.reviewReason] : ''],
      ),
    ),
  );
  for (const p of photos) if (p.error !== null) io.err(`${p.name}: ${p.error}`);
}

/** A batch named by its id or the first characters of it (as `batches` prints). */
async function resolveBatchId(backend: Backend, given: string): Promise<string> {
  const { batches } = await request(backend, 'classify:batches');
  const matches = batches.filter((b) => b.batchId.startsWith(given.toLowerCase()));
  if (matches.length === 1) return matches[0].batchId;
  if (matches.length === 0) throw new AppError('not-found', `There is no batch ${given}. See fashion-sorter batches.`);
  throw new UsageError(`--from-batch "${given}" names ${matches.length} batches; give more of the id.`);
}

/** Sorts a stored batch into class folders; a second sort into the same folder needs --again. */
async function sortStored(backend: Backend, batchId: string, values: Values, io: CliIo): Promise<void> {
  const move = Boolean(values.move);
  // The CLI names paths relative to where it runs; the contract takes absolute ones.
  const target = path.resolve(values['sort-into'] as string);
  try {
    const outcome = await request(backend, 'classify:sort', { batchId, target, move, again: Boolean(values.again) }, { target: '--sort-into' });
    // With --json, stdout carries only the results; the summary goes to stderr.
    const say = values.json ? io.err : io.out;
    say(`${move ? 'Moved' : 'Copied'} ${outcome.sorted} photos into ${outcome.target}; manifest: ${outcome.manifest}`);
    // The window makes a person tick a box before sorting photos nobody reviewed; here, say it.
    const unreviewed = outcome.batch.needReview;
    if (unreviewed > 0) say(`${unreviewed} of them needed review and no one has reviewed them: sorted by the model's class, marked "not reviewed" in the manifest.`);
    if (outcome.kept.length > 0) say(`Copied ${outcome.kept.length} more, but could not remove the original (listed in the manifest):`);
    for (const kept of outcome.kept) io.err(`${kept.file}: ${kept.error}`);
    for (const failure of outcome.failed) io.err(`${failure.file}: ${failure.error}`);
  } catch (error) {
    if (error instanceof AppError && error.code === 'already-sorted') throw new AppError('conflict', `${error.message} Add --again to sort them there anyway.`);
    throw error;
  }
}

/** `fashion-sorter classify`: a classify job like the app's, stored as a batch, its results as a table or JSON, optionally sorted; or a stored batch sorted later. */
export const classifyCommand: Command = {
  summary: 'Classify photos with the active model (or --run), optionally sorting them into class folders; or sort a stored batch',
  usage: 'classify <files or folders> [--run ID] [--sort-into DIR] [--move] [--again] [--json] | classify --from-batch ID --sort-into DIR [--move] [--again] [--json]',
  writes: true,
  options: { run: { type: 'string' }, 'sort-into': { type: 'string' }, move: { type: 'boolean' }, again: { type: 'boolean' }, 'from-batch': { type: 'string' } },
  async run({ backend, values, positionals, io, events }) {
    if (values.move && !values['sort-into']) throw new UsageError('--move only makes sense with --sort-into DIR.');
    const fromBatch = values['from-batch'] as string | undefined;
    if (fromBatch !== undefined) {
      if (positionals.length > 0) throw new UsageError('--from-batch sorts a stored batch; do not name photos as well.');
      if (!values['sort-into']) throw new UsageError('--from-batch needs --sort-into DIR.');
      const batchId = await resolveBatchId(backend, fromBatch);
      if (values.json) io.out(JSON.stringify((await request(backend, 'classify:open-batch', { batchId })).photos.map(photoJson)));
      await sortStored(backend, batchId, values, io);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('Name the photos or folders to classify.');
    let done = 0;
    const listener: EventListener = (channel) => {
      if (channel === 'classify:result') io.status?.(`Classified ${++done} photos`);
    };
    events.add(listener);
    let batchId: string;
    try {
      const batch = await request(backend, 'classify:paths', { paths: positionals.map((p) => path.resolve(p)), runId: values.run }, { paths: '<files or folders>', runId: '--run' });
      batchId = batch.batchId;
      const final = await backend.tasks.whenFinished(batch.jobId!);
      io.status?.('');
      if (final.state === 'failed') throw new AppError('internal', `Classifying failed: ${final.error}`);
    } finally {
      events.delete(listener);
    }
    // The stored batch, in the order the photos were named, failures included.
    const photos = (await request(backend, 'classify:open-batch', { batchId })).photos;
    printPhotos(photos, values, io);
    if (!values.json) io.err(`Stored as batch ${batchId.slice(0, 8)} (fashion-sorter batches).`);
    if (values['sort-into'] && photos.some((p) => p.error === null)) await sortStored(backend, batchId, values, io);
    const failed = photos.filter((p) => p.error !== null).length;
    return failed > 0 && failed === photos.length ? 1 : 0;
  },
};
