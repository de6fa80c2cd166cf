import type { BatchSummary } from '../../../shared/types.ts';
import type { Command } from '../command.ts';
import { table } from '../format.ts';
import { request } from '../request.ts';

function batchJson(b: BatchSummary): Record<string, unknown> {
  const { batchId, name, runId, createdAt, openedAt, total, classified, failed, needReview, decided, state, sortedInto, moved, audit } = b;
  return { batchId, name, runId, createdAt, openedAt, total, classified, failed, needReview, decided, state, sortedInto, moved, audit };
}

/** `fashion-sorter batches`: the stored classification batches, newest first, as the app's Batches list shows them. */
export const batchesCommand: Command = {
  summary: 'List the stored classification batches',
  usage: 'batches [--json]',
  options: {},
  async run({ backend, values, io }) {
    const { batches, notice } = await request(backend, 'classify:batches');
    if (values.json) {
      io.out(JSON.stringify(batches.map(batchJson)));
      return;
    }
    if (notice) io.err(notice);
    if (batches.length === 0) {
      io.out('No batches yet. Classify photos with: fashion-sorter classify <files or folders>');
      return;
    }
    io.out(
      table(
        ['batch', 'name', 'created', 'photos', 'failed', 'need review', 'decided', 'sorted into'],
        batches.map((b) => [b.batchId.slice(0, 8), b.name, b.createdAt.slice(0, 16).replace('T', ' '), b.classified, b.failed, b.needReview, b.decided, b.sortedInto ? `${b.sortedInto}${b.moved ? ' (moved)' : ''}` : '—']),
      ),
    );
  },
};
