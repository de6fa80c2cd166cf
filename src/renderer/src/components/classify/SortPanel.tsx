import { useState } from 'react';
import type { BatchSummary } from '../../../../shared/types.ts';
import type { SortQuestion } from '../../store/classify-slice.ts';

interface Props {
  batch: BatchSummary | null;
  sortable: number;
  /** Photos the gate sent to review that no person has decided yet. */
  unreviewed: number;
  complete: boolean;
  sortResult: string | null;
  question: SortQuestion | null;
  onSort(target: string, move: boolean, again?: boolean): void;
  onDismiss(): void;
}

/** Sort into one folder per class: a full path, never twice into the same folder without asking, nothing once moved. */
export function SortPanel({ batch, sortable, unreviewed, complete, sortResult, question, onSort, onDismiss }: Props) {
  const [target, setTarget] = useState('');
  const [move, setMove] = useState(false);
  // Photos nobody has looked at are only sorted by the model's class when the person says so.
  const [unseenToo, setUnseenToo] = useState(false);
  const blockedByReview = unreviewed > 0 && !unseenToo;
  const allMoved = batch?.moved === true;
  return (
    <section className="card sort-panel" data-testid="sort-panel">
      <h2>Sort into folders</h2>
      {batch?.sortedInto && (
        <p data-testid="sorted-state">
          {batch.moved ? 'Moved' : 'Copied'} into {batch.sortedInto}
          {batch.sortedAt ? ` on ${new Date(batch.sortedAt).toLocaleString()}` : ''}.
          {allMoved && ' The files are no longer where this batch found them, so it cannot be sorted again.'}
        </p>
      )}
      {!allMoved && (
        <>
          <p className="hint">Each photo goes into a folder named after its class (the one a person chose, else the model's). Existing files are never overwritten. Give the full path of the folder.</p>
          <div className="actions">
            <input value={target} onChange={(e) => setTarget(e.currentTarget.value)} placeholder="/full/path/to/sorted" aria-label="Target folder" size={40} readOnly={Boolean(window.desktop)} />
            {window.desktop && <button onClick={() => void window.desktop!.chooseFolder('Sort photos into').then((folder) => folder && setTarget(folder))}>Choose folder…</button>}
            <label className="check">
              <input type="checkbox" checked={move} onChange={(e) => setMove(e.currentTarget.checked)} /> Move instead of copy
            </label>
            <button onClick={() => onSort(target.trim(), move)} disabled={!target.trim() || !complete || sortable === 0 || blockedByReview}>
              Sort {sortable} photos
            </button>
          </div>
          {unreviewed > 0 && (
            <p className="warning" data-testid="sort-unreviewed">
              {unreviewed} {unreviewed === 1 ? 'photo still needs' : 'photos still need'} review. Review {unreviewed === 1 ? 'it' : 'them'} first, or{' '}
              <label className="check">
                <input type="checkbox" checked={unseenToo} onChange={(e) => setUnseenToo(e.currentTarget.checked)} aria-label="Sort unreviewed photos by the model's class" /> sort{' '}
                {unreviewed === 1 ? 'it' : 'them'} by the model&apos;s class anyway
              </label>{' '}
              (the manifest marks {unreviewed === 1 ? 'it' : 'them'} &ldquo;not reviewed&rdquo;).
            </p>
          )}
        </>
      )}
      {question && (
        <div className="question" role="alertdialog" data-testid="sort-question">
          <p>{question.message} Sort again?</p>
          <button onClick={() => onSort(question.target, question.move, true)}>Sort again</button> <button onClick={onDismiss}>Cancel</button>
        </div>
      )}
      {sortResult && <p data-testid="sort-result">{sortResult}</p>}
    </section>
  );
}
