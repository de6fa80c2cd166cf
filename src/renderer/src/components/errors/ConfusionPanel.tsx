import { useEffect } from 'react';
import { CLASS_NAMES } from '../../../../shared/classes.ts';
import type { GalleryQuery } from '../../../../shared/types.ts';
import { normalizeRows } from '../../store/errors-slice.ts';
import { useStoreFields } from '../../store/store.ts';
import { Gallery } from '../Gallery.tsx';
import { ImageDetailPanel } from '../ImageDetailPanel.tsx';

const SHORT = CLASS_NAMES.map((n) => n.replace('T-shirt/top', 'T-shirt').replace('Ankle boot', 'Boot'));

/** Heat colour for a share 0–1: white through to the accent blue. */
function heat(share: number): string {
  const t = Math.sqrt(Math.max(0, Math.min(1, share)));
  const mix = (from: number, to: number): number => Math.round(from + (to - from) * t);
  return `rgb(${mix(255, 47)}, ${mix(255, 95)}, ${mix(255, 208)})`;
}

function galleryTitle(query: GalleryQuery): string {
  switch (query.kind) {
    case 'cell':
      return query.trueLabel === query.predicted
        ? `${CLASS_NAMES[query.trueLabel]} predicted correctly`
        : `${CLASS_NAMES[query.trueLabel]} predicted as ${CLASS_NAMES[query.predicted]}`;
    case 'compare':
      return query.change === 'fixed' ? `Fixed: wrong in run ${query.runId}, right in run ${query.otherRunId}` : `Broken: right in run ${query.runId}, wrong in run ${query.otherRunId}`;
  }
}

/** The active run's mistakes: confusion matrix, per-class metrics, top confusions, and the images behind them. */
export function ConfusionPanel() {
  const { activeRunId, evaluation, errorsSplit, setErrorsSplit, normalize, setNormalize, loadEvaluation, gallery, openGallery, closeGallery, setGallerySort } = useStoreFields('activeRunId', 'evaluation', 'errorsSplit', 'setErrorsSplit', 'normalize', 'setNormalize', 'loadEvaluation', 'gallery', 'openGallery', 'closeGallery', 'setGallerySort');

  useEffect(() => {
    void loadEvaluation();
  }, [activeRunId, loadEvaluation]);

  if (activeRunId === null) return <p className="hint">No trained model yet. Train one in the Train view; its mistakes will show here.</p>;
  const openCell = (trueLabel: number, predicted: number): void => void openGallery({ kind: 'cell', runId: activeRunId, split: errorsSplit, trueLabel, predicted });
  const shares = evaluation ? normalizeRows(evaluation.confusion) : [];
  const maxOffDiagonal = evaluation ? Math.max(1, ...evaluation.confusion.flatMap((row, i) => row.filter((_, j) => j !== i))) : 1;

  return (
    <>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Split">
          {(['test', 'train'] as const).map((split) => (
            <button key={split} className={split === errorsSplit ? 'active' : ''} aria-pressed={split === errorsSplit} onClick={() => setErrorsSplit(split)}>
              {split === 'test' ? 'Test split' : 'Train split'}
            </button>
          ))}
        </div>
        <label className="check">
          <input type="checkbox" checked={normalize} onChange={(e) => setNormalize(e.currentTarget.checked)} /> Row-normalise
        </label>
      </div>
    <div className="errors-layout">
      <div className="errors-left">
        {evaluation && (
          <>
            <p className="counts" data-testid="evaluation-summary">
              Accuracy {(evaluation.accuracy * 100).toFixed(2)}% on {evaluation.images.toLocaleString('en-US')} {evaluation.split} images
            </p>
            <table className="confusion" data-testid="confusion-matrix">
              <thead>
                <tr>
                  <th className="corner">true ↓ predicted →</th>
                  {SHORT.map((name) => (
                    <th key={name}>{name}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {evaluation.confusion.map((row, trueLabel) => (
                  <tr key={trueLabel}>
                    <th>{SHORT[trueLabel]}</th>
                    {row.map((count, predicted) => {
                      const share = trueLabel === predicted ? shares[trueLabel][predicted] : count / maxOffDiagonal;
                      return (
                        <td
                          key={predicted}
                          style={{ background: heat(normalize ? shares[trueLabel][predicted] : share) }}
                          className={trueLabel === predicted ? 'diagonal' : ''}
                          data-testid={`cell-${trueLabel}-${predicted}`}
                          data-count={count}
                          title={`${CLASS_NAMES[trueLabel]} predicted as ${CLASS_NAMES[predicted]}: ${count}`}
                        >
                          <button onClick={() => openCell(trueLabel, predicted)} disabled={count === 0}>
                            {normalize ? `${(shares[trueLabel][predicted] * 100).toFixed(1)}%` : count}
                          </button>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>

            <h2>Most confused</h2>
            <ol className="top-confusions" data-testid="top-confusions">
              {evaluation.topConfusions.map((c) => (
                <li key={`${c.trueLabel}-${c.predicted}`}>
                  <button onClick={() => openCell(c.trueLabel, c.predicted)}>
                    {CLASS_NAMES[c.trueLabel]} → {CLASS_NAMES[c.predicted]}: {c.count}
                  </button>
                </li>
              ))}
            </ol>

            <h2>Per class</h2>
            <table className="per-class" data-testid="per-class">
              <thead>
                <tr>
                  <th>Class</th>
                  <th>Precision</th>
                  <th>Recall</th>
                  <th>F1</th>
                  <th>Images</th>
                </tr>
              </thead>
              <tbody>
                {evaluation.perClass.map((m, label) => (
                  <tr key={label}>
                    <td>{CLASS_NAMES[label]}</td>
                    <td>{m.precision.toFixed(3)}</td>
                    <td>{m.recall.toFixed(3)}</td>
                    <td>{m.f1.toFixed(3)}</td>
                    <td>{m.support}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>

      {gallery && (
        <div className="errors-right">
          <div className="gallery-header">
            <h2 data-testid="gallery-title">
              {galleryTitle(gallery.query)} · {gallery.total.toLocaleString('en-US')} images
            </h2>
            <select value={gallery.sort} onChange={(e) => void setGallerySort(e.currentTarget.value as 'confidence-desc' | 'confidence-asc')} aria-label="Sort">
              <option value="confidence-desc">Most confident first</option>
              <option value="confidence-asc">Least confident first</option>
            </select>
            <button onClick={closeGallery} aria-label="Close gallery">
              ×
            </button>
          </div>
          <Gallery />
          <ImageDetailPanel />
        </div>
      )}
    </div>
    </>
  );
}
