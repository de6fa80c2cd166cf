/**
 * Handlers of the review channels (issue 13): stored batches, decisions on many photos, undo,
 * sorting a stored batch, and the review settings. `handlers.ts` spreads them into its table.
 */
import type { BackendContext, Handlers } from './handler-context.ts';
import { PRUNE_NOTICE_KEY, deleteBatch, listBatches, openBatch } from './classify/batch-store.ts';
import { decidePhotos, undoLastDecisions } from './classify/decisions.ts';
import { gateForRun, reviewSettings, saveReviewSettings } from './classify/run-gate.ts';
import { checkSortTarget, sortBatch } from './classify/sort-batch.ts';
import { readPhotoOriginal } from './classify/photo-original.ts';
import { batchSummary } from './db/batches.ts';
import { batchPhotoRows } from './db/photos.ts';
import { getSetting } from './db/settings.ts';
import { activeRunId } from './runs/active-run.ts';
import type { Db } from './db/connection.ts';
import type { ReviewSettingsView } from '../shared/api.ts';

function settingsView(db: Db): ReviewSettingsView {
  const settings = reviewSettings(db);
  const runId = activeRunId(db);
  return { ...settings, runId, gate: runId === null ? null : gateForRun(db, runId, settings) };
}

type ReviewChannels = 'classify:photo-original' | 'classify:decide' | 'classify:decide-many' | 'classify:undo' | 'classify:batches' | 'classify:open-batch' | 'classify:delete-batch' | 'classify:sort' | 'review:settings' | 'review:set-settings';

export function reviewHandlers(ctx: BackendContext): Pick<Handlers, ReviewChannels> {
  const { db } = ctx;
  return {
    'classify:decide': ({ photoId, label }) => decidePhotos(db, [photoId], label, new Date())[0],
    'classify:decide-many': ({ photoIds, label }) => decidePhotos(db, photoIds, label, new Date()),
    'classify:undo': ({ batchId }) => undoLastDecisions(db, batchId, new Date()),
    'classify:batches': () => ({ batches: listBatches(db), notice: getSetting(db, PRUNE_NOTICE_KEY) || null }),
    'classify:open-batch': ({ batchId }) => openBatch(db, batchId, new Date()),
    'classify:delete-batch': async ({ batchId }) => {
      await deleteBatch(db, batchId, async (folder) => ctx.uploads?.store.removeFolder(folder));
      return null;
    },
    'classify:sort': async ({ batchId, target, move, again }) => {
      // A relative target is refused as such, before anything resolves it against the host's own folder.
      checkSortTarget(target);
      ctx.pathGrants?.check([target], 'write');
      // Sorting reads (and a move removes) the batch's files: they too must be chosen ones, or the app's uploaded copies.
      const files = batchPhotoRows(db, batchId).map((row) => row.file);
      ctx.pathGrants?.check(files.filter((file) => !ctx.uploads?.store.holds(file)));
      const outcome = await sortBatch(db, batchId, target, { move, again });
      const kept = outcome.sorted.filter((s) => s.originalKept).map((s) => ({ file: s.name, error: s.originalKept! }));
      return { sorted: outcome.sorted.length - kept.length, kept, failed: outcome.failed, manifest: outcome.manifest, target: outcome.target, batch: batchSummary(db, batchId)! };
    },
    // The app's uploaded copies are its own; any other file must be one this door may read.
    'classify:photo-original': ({ photoId }) => readPhotoOriginal(db, photoId, (file) => {
        if (!ctx.uploads?.store.holds(file)) ctx.pathGrants?.check([file]);
      }),
    'review:settings': () => settingsView(db),
    'review:set-settings': (settings) => {
      saveReviewSettings(db, settings);
      return settingsView(db);
    },
  };
}
