import type { BatchSummary } from '../../../../shared/types.ts';

function describe(b: BatchSummary): string {
  const parts = [`${b.classified} of ${b.total} classified`];
  if (b.failed) parts.push(`${b.failed} failed`);
  parts.push(`${b.needReview} need review`, `${b.decided} decided`);
  if (b.state === 'classifying') parts.push('classifying…');
  if (b.state === 'failed') parts.push(`failed: ${b.error ?? 'unknown error'}`);
  if (b.sortedInto) parts.push(`${b.moved ? 'moved' : 'copied'} into ${b.sortedInto}`);
  return parts.join(' · ');
}

/** Every stored batch, to reopen after a reload or a restart, or to delete. */
export function BatchList({ batches, openId, notice, onOpen, onDelete }: { batches: BatchSummary[]; openId: string | null; notice: string | null; onOpen(id: string): void; onDelete(id: string): void }) {
  return (
    <section className="card batch-list" data-testid="batch-list">
      <h2>Batches</h2>
      {notice && <p className="hint" data-testid="batches-notice">{notice}</p>}
      {batches.length === 0 ? (
        <p className="hint">No batches yet. Every batch you classify is kept here until you delete it, or until nobody opens it for 30 days.</p>
      ) : (
        <ul>
          {batches.map((b) => (
            <li key={b.batchId} className={b.batchId === openId ? 'open' : ''} data-testid="batch-item">
              <button className="link" onClick={() => onOpen(b.batchId)} title={`Batch ${b.batchId}`} data-testid="batch-name">
                {b.name}
              </button>{' '}
              <span className="hint">
                {new Date(b.createdAt).toLocaleString()} · {describe(b)}
              </span>{' '}
              <button
                className="small"
                onClick={() => {
                  if (window.confirm('Delete this batch? Its photos stay wherever they are; training images made from it stay too.')) onDelete(b.batchId);
                }}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
