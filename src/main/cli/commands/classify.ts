import { CLASS_NAMES } from '../../../shared/classes.ts';
import { AppError } from '../../../shared/errors.ts';
import type { ClassifiedPhoto } from '../../../shared/types.ts';
import type { Command, EventListener } from '../command.ts';
import { UsageError } from '../command.ts';
import { table } from '../format.ts';
import { request } from '../request.ts';

/** `fashion-sorter classify`: a classify job like the app's, its results as a table or JSON, optionally sorted. */
export const classifyCommand: Command = {
  summary: 'Classify photos with the active model (or --run), optionally sorting them into class folders',
  usage: 'classify <files or folders> [--run ID] [--sort-into DIR] [--move] [--json]',
  options: { run: { type: 'string' }, 'sort-into': { type: 'string' }, move: { type: 'boolean' } },
  async run({ backend, values, positionals, io, events }) {
    if (positionals.length === 0) throw new UsageError('Name the photos or folders to classify.');
    if (values.move && !values['sort-into']) throw new UsageError('--move only makes sense with --sort-into DIR.');
    // Results stream in as events of the batch's job; they are collected by position.
    const photos: ClassifiedPhoto[] = [];
    let batchId: string | null = null;
    const early: { batchId: string; index: number; photo: ClassifiedPhoto }[] = [];
    const listener: EventListener = (channel, payload) => {
      if (channel !== 'classify:result') return;
      const result = payload as { batchId: string; index: number; photo: ClassifiedPhoto };
      if (batchId === null) early.push(result);
      else if (result.batchId === batchId) photos[result.index] = result.photo;
      io.status?.(`Classified ${photos.filter(Boolean).length} photos`);
    };
    events.add(listener);
    try {
      const batch = await request(backend, 'classify:paths', { paths: positionals, runId: values.run }, { paths: '<files or folders>', runId: '--run' });
      batchId = batch.batchId;
      for (const result of early) if (result.batchId === batchId) photos[result.index] = result.photo;
      const final = await backend.tasks.whenFinished(batch.jobId!);
      io.status?.('');
      if (final.state === 'failed') throw new AppError('internal', `Classifying failed: ${final.error}`);
    } finally {
      events.delete(listener);
    }
    const results = photos.map((p) =>
      p.error !== null
        ? { file: p.file, error: p.error }
        : { file: p.file, label: p.predicted, className: CLASS_NAMES[p.predicted!], confidence: p.confidence, top3: p.top3.map((t) => ({ label: t.label, className: CLASS_NAMES[t.label], probability: t.probability })) },
    );
    if (values.json) io.out(JSON.stringify(results));
    else {
      // A file that could not be read gets a short mark in the table and its reason below it, so that
      // one long message does not stretch the table.
      io.out(
        table(
          ['file', 'class', 'confidence', 'review'],
          photos.map((p) => [p.name, p.error !== null ? 'unreadable' : CLASS_NAMES[p.predicted!], p.confidence === null ? '—' : `${(p.confidence * 100).toFixed(1)}%`, p.needsReview ? 'needs review' : '']),
        ),
      );
      for (const p of photos) if (p.error !== null) io.err(`${p.name}: ${p.error}`);
    }
    const target = values['sort-into'] as string | undefined;
    if (target && photos.some((p) => p.error === null)) {
      const outcome = await request(backend, 'classify:sort', { batchId, target, move: Boolean(values.move) }, { target: '--sort-into' });
      const verb = values.move ? 'Moved' : 'Copied';
      // With --json, stdout carries only the results; the summary goes to stderr.
      const say = values.json ? io.err : io.out;
      say(`${verb} ${outcome.sorted} photos into ${target}; manifest: ${outcome.manifest}`);
      if (outcome.kept.length > 0) say(`Copied ${outcome.kept.length} more, but could not remove the original (listed in the manifest):`);
      for (const kept of outcome.kept) io.err(`${kept.file}: ${kept.error}`);
      for (const failure of outcome.failed) io.err(`${failure.file}: ${failure.error}`);
    }
    const failed = photos.filter((p) => p.error !== null).length;
    return failed > 0 && failed === photos.length ? 1 : 0;
  },
};
