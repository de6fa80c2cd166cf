import { useEffect, useRef, useState } from 'react';
import { CLASS_NAMES } from '../../../shared/classes.ts';
import type { ClassifiedPhoto } from '../../../shared/types.ts';
import { PixelImage } from '../components/PixelImage.tsx';
import { useFileDrop } from '../lib/use-file-drop.ts';
import { filteredIndices, needsReview } from '../store/classify-slice.ts';
import { useStoreFields } from '../store/store.ts';

const typingIn = (target: EventTarget | null): boolean => target instanceof HTMLElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);

function status(photo: ClassifiedPhoto, threshold: number): string {
  if (photo.error) return photo.error;
  if (photo.reviewed) return photo.label === photo.predicted ? 'accepted' : `corrected to ${CLASS_NAMES[photo.label!]}`;
  return needsReview(photo, threshold) ? 'needs review' : '';
}

/** Drop photos, see what the model sees and what it says, confirm or correct with the keyboard, sort into folders. */
export function ClassifyView() {
  const { batch, results, previews, threshold, setThreshold, classifyFilter, setClassifyFilter, selectedPhoto, selectPhoto, decide, classifyPicked, sortBatch, sortResult, activeRunId } = useStoreFields('batch', 'results', 'previews', 'threshold', 'setThreshold', 'classifyFilter', 'setClassifyFilter', 'selectedPhoto', 'selectPhoto', 'decide', 'classifyPicked', 'sortBatch', 'sortResult', 'activeRunId');
  const { dragging, dropZone, onPicked } = useFileDrop(classifyPicked);
  const [target, setTarget] = useState('');
  const [move, setMove] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const shown = filteredIndices(results, classifyFilter, threshold);
  const done = results.filter(Boolean).length;
  const sortable = results.filter((p) => p && p.error === null).length;
  const reviewCount = results.filter((p) => p && needsReview(p, threshold)).length;

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (typingIn(event.target) || event.altKey || event.metaKey || event.ctrlKey || selectedPhoto === null) return;
      const position = shown.indexOf(selectedPhoto);
      if (event.key === 'Enter') void decide(null);
      else if (/^[0-9]$/.test(event.key)) void decide(Number(event.key));
      else if (event.key === 'ArrowDown' || event.key === 'ArrowRight') selectPhoto(shown[Math.min(shown.length - 1, position + 1)] ?? selectedPhoto);
      else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') selectPhoto(shown[Math.max(0, position - 1)] ?? selectedPhoto);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedPhoto, shown, decide, selectPhoto]);

  useEffect(() => {
    document.querySelector(`[data-photo-index="${selectedPhoto}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selectedPhoto]);


  return (
    <div className={`view classify-view${dragging ? ' dragging' : ''}`} data-testid="classify-view" {...dropZone}>
      <div className="toolbar">
        <h1>Classify</h1>
        <button onClick={() => fileInput.current?.click()} disabled={activeRunId === null}>
          Choose photos…
        </button>
        <button onClick={() => folderInput.current?.click()} disabled={activeRunId === null}>
          Choose folder…
        </button>
        <input ref={fileInput} type="file" accept="image/*" multiple hidden data-testid="classify-files" onChange={(e) => onPicked(e.currentTarget)} />
        <input ref={folderInput} type="file" hidden onChange={(e) => onPicked(e.currentTarget)} {...{ webkitdirectory: '' }} />
      </div>
      {activeRunId === null ? (
        <p className="hint">There is no trained model yet. Train one in the Train view, then drop photos here.</p>
      ) : (
        <p className="hint">
          Drop photos or folders anywhere here. <kbd>Enter</kbd> accepts the class shown, <kbd>0</kbd>–<kbd>9</kbd> set another, <kbd>↑</kbd> <kbd>↓</kbd> move. Accepted and
          corrected photos become training images.
        </p>
      )}

      {batch && (
        <>
          <div className="toolbar classify-controls">
            <span className="counts" data-testid="classify-progress">
              {done} of {batch.total} classified · {reviewCount} need review
            </span>
            <div className="segmented" role="group" aria-label="Show">
              {(
                [
                  ['all', 'All'],
                  ['review', `Needs review (${reviewCount})`],
                  ['done', 'Reviewed'],
                ] as const
              ).map(([value, label]) => (
                <button key={value} className={classifyFilter === value ? 'active' : ''} onClick={() => setClassifyFilter(value)}>
                  {label}
                </button>
              ))}
            </div>
            <label className="check">
              Review below
              <input type="range" min={0.5} max={0.999} step={0.001} value={threshold} onChange={(e) => setThreshold(Number(e.currentTarget.value))} aria-label="Review threshold" />
              {(threshold * 100).toFixed(1)}%
            </label>
          </div>
          <table className="photos" data-testid="photo-list">
            <thead>
              <tr>
                <th>Photo</th>
                <th>What the model sees</th>
                <th>Name</th>
                <th>Class</th>
                <th>Top 3</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((index) => {
                const photo = results[index]!;
                return (
                  <tr
                    key={index}
                    data-photo-index={index}
                    data-testid="photo-row"
                    className={`${index === selectedPhoto ? 'selected' : ''} ${photo.error ? 'failed' : needsReview(photo, threshold) ? 'review' : ''}`}
                    onClick={() => selectPhoto(index)}
                  >
                    <td>{previews[index] && !photo.error ? <img src={previews[index]} alt="" className="preview" /> : null}</td>
                    <td>{photo.pixels && <PixelImage pixels={photo.pixels} size={56} title="The 28×28 image the model classified" />}</td>
                    <td>{photo.name}</td>
                    <td data-testid="photo-class">
                      {photo.predicted !== null && (
                        <>
                          <strong>{CLASS_NAMES[photo.label ?? photo.predicted]}</strong> {(photo.confidence! * 100).toFixed(1)}%
                        </>
                      )}
                    </td>
                    <td className="hint">{photo.top3.map((t) => `${CLASS_NAMES[t.label]} ${(t.probability * 100).toFixed(0)}%`).join(' · ')}</td>
                    <td data-testid="photo-status">{status(photo, threshold)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <section className="card sort-panel">
            <h2>Sort into folders</h2>
            <p className="hint">Each photo goes into a folder named after its class (the one a person chose, else the model's). Existing files are never overwritten.</p>
            <div className="actions">
              <input value={target} onChange={(e) => setTarget(e.currentTarget.value)} placeholder="/path/to/sorted" aria-label="Target folder" size={40} readOnly={Boolean(window.desktop)} />
              {window.desktop && (
                <button onClick={() => void window.desktop!.chooseFolder('Sort photos into').then((folder) => folder && setTarget(folder))}>Choose folder…</button>
              )}
              <label className="check">
                <input type="checkbox" checked={move} onChange={(e) => setMove(e.currentTarget.checked)} /> Move instead of copy
              </label>
              <button onClick={() => void sortBatch(target, move)} disabled={!target || done < batch.total || sortable === 0}>
                Sort {sortable} photos
              </button>
            </div>
            {sortResult && <p data-testid="sort-result">{sortResult}</p>}
          </section>
        </>
      )}
    </div>
  );
}
