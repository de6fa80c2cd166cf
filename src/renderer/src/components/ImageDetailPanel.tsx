import { useEffect } from 'react';
import { CLASS_NAMES } from '../../../shared/classes.ts';
import { useStoreFields } from '../store/store.ts';
import { PixelImage } from './PixelImage.tsx';
import { eventBelongsToControl } from '../lib/review-keys.ts';

/** Keys typed into form fields are theirs, not shortcuts. */

/**
 * The selected image, large: its ten probabilities as bars, its label and the label's history.
 * Keyboard: 0–9 sets the class, arrows move, U undoes the last change, S flags a suspicious label.
 */
export function ImageDetailPanel() {
  const { detail, selectedIndex, selectImage, relabelSelected, undoSelected, toggleSuspicious } = useStoreFields('detail', 'selectedIndex', 'selectImage', 'relabelSelected', 'undoSelected', 'toggleSuspicious');

  useEffect(() => {
    if (selectedIndex === null) return;
    const onKey = (event: KeyboardEvent): void => {
      if (eventBelongsToControl(event) || event.altKey || event.metaKey || event.ctrlKey) return;
      if (/^[0-9]$/.test(event.key)) void relabelSelected(Number(event.key));
      else if (event.key === 'ArrowRight' || event.key === 'ArrowDown') void selectImage(selectedIndex + 1);
      else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') void selectImage(selectedIndex - 1);
      else if (event.key === 'u' || event.key === 'U') void undoSelected();
      else if (event.key === 's' || event.key === 'S') void toggleSuspicious();
      else if (event.key === 'Escape') void selectImage(null);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedIndex, selectImage, relabelSelected, undoSelected, toggleSuspicious]);

  if (selectedIndex === null) return null;
  if (!detail) return <aside className="detail card">Loading…</aside>;
  const { image, prediction, history } = detail;
  return (
    <aside className="detail card" data-testid="image-detail" data-image-id={image.imageId}>
      <div className="detail-top">
        <PixelImage pixels={image.pixels} size={196} title={`Image ${image.imageId}`} />
        <div>
          <p>
            Label: <strong data-testid="detail-label">{CLASS_NAMES[image.label]}</strong>
            {image.suspicious && <span className="badge">suspicious</span>}
          </p>
          {prediction && (
            <p>
              Predicted: <strong>{CLASS_NAMES[prediction.predicted]}</strong> ({(prediction.confidence * 100).toFixed(1)}%)
            </p>
          )}
          <p className="hint">
            {image.split} image {image.imageId} · from {image.source.split(/[\\/]/).at(-1)}
          </p>
          <div className="actions">
            <button onClick={() => void undoSelected()} disabled={history.length === 0}>
              Undo (U)
            </button>
            <button onClick={() => void toggleSuspicious()}>{image.suspicious ? 'Not suspicious (S)' : 'Suspicious label (S)'}</button>
          </div>
        </div>
      </div>
      {prediction && (
        <table className="probabilities">
          <tbody>
            {prediction.probabilities.map((p, label) => (
              <tr key={label} className={label === image.label ? 'is-label' : ''}>
                <th>
                  <kbd>{label}</kbd> {CLASS_NAMES[label]}
                </th>
                <td>
                  <div className="bar" style={{ width: `${Math.max(0.5, p * 100)}%` }} />
                </td>
                <td className="num">{(p * 100).toFixed(1)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">Press 0–9 to set the class, ← → to move, U to undo, S to flag, Esc to close.</p>
      {history.length > 0 && (
        <ol className="history" data-testid="label-history">
          {history.map((change) => (
            <li key={change.changeId}>
              {CLASS_NAMES[change.oldLabel]} → {CLASS_NAMES[change.newLabel]} · {new Date(change.changedAt).toLocaleString()} · {change.origin}
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
