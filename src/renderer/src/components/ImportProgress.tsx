import { useStoreFields } from '../store/store.ts';

/** How far the running import is (sources read, then saving), with a Cancel that writes nothing. */
export function ImportProgress() {
  const { importing, importJob, cancelImport } = useStoreFields('importing', 'importJob', 'cancelImport');
  if (!importing && !importJob) return null;
  const progress = importJob?.progress;
  return (
    <p className="status" role="status" data-testid="import-progress">
      {progress && progress.total > 0 ? `Importing: ${progress.phase}, ${progress.done} of ${progress.total} sources read…` : 'Importing…'}{' '}
      {/* Saving is one transaction: it cannot stop halfway, so it is not offered then. */}
      {importJob && progress?.phase !== 'saving' && (
        <button onClick={() => void cancelImport()} data-testid="cancel-import">
          Cancel
        </button>
      )}
    </p>
  );
}
