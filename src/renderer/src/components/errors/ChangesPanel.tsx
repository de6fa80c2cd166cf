import { useEffect } from 'react';
import { CLASS_NAMES } from '../../../../shared/classes.ts';
import { useStoreFields } from '../../store/store.ts';

/** Every label change of the dataset, newest first, with what made it; undo where it is still the image's latest change. */
export function ChangesPanel() {
  const { changes, changesTotal, changesFilter, loadChanges, undoChange } = useStoreFields('changes', 'changesTotal', 'changesFilter', 'loadChanges', 'undoChange');
  useEffect(() => {
    void loadChanges();
  }, [loadChanges]);
  return (
    <div className="card">
      <div className="toolbar">
        <h2>{changesTotal.toLocaleString('en-US')} label changes</h2>
        <select aria-label="Filter changes by class" value={changesFilter ?? ''} onChange={(e) => void loadChanges(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}>
          <option value="">Every class</option>
          {CLASS_NAMES.map((name, c) => (
            <option key={name} value={c}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <table className="per-class" data-testid="changes">
        <thead>
          <tr>
            <th>When</th>
            <th>Image</th>
            <th>Change</th>
            <th>Made by</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.changeId} data-testid="change-row" data-change-id={c.changeId} data-image-id={c.imageId} data-origin={c.origin}>
              <td>{c.changedAt.slice(0, 19).replace('T', ' ')}</td>
              <td>{c.imageId}</td>
              <td>
                {CLASS_NAMES[c.oldLabel]} → {CLASS_NAMES[c.newLabel]}
              </td>
              <td>{c.origin}</td>
              <td>
                <button onClick={() => void undoChange(c.changeId)} title={c.latest ? 'Put the label back' : 'A later change of this image must be undone first'}>
                  Undo
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
