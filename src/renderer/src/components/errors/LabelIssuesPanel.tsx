import { useEffect } from 'react';
import { CLASS_NAMES } from '../../../../shared/classes.ts';
import { GUIDELINE_PAIRS, labelScanDefaults } from '../../../../shared/label-scan.ts';
import { scanFreshness } from '../../store/labels-slice.ts';
import { useStoreFields } from '../../store/store.ts';
import { Examples, GuidelineCard } from '../GuidelineCard.tsx';
import { PixelImage } from '../PixelImage.tsx';
import { eventBelongsToControl } from '../../lib/review-keys.ts';

/** Scan settings, progress, and the newest scan's noise rates and overlapping classes with guideline cards. */
function ScanSummary() {
  const { scans, scanJob, scanForm, setScanForm, startScan, cancelScan, guidelines, info } = useStoreFields('scans', 'scanJob', 'scanForm', 'setScanForm', 'startScan', 'cancelScan', 'guidelines', 'info');
  // The settings a scan gets for what is left empty, as the back end fills them in (scan-jobs.ts).
  const engineDefaults = labelScanDefaults(info?.engine === 'tensorflow');
  const defaults = scanForm.model ? labelScanDefaults(scanForm.model === 'cnn') : engineDefaults;
  const scan = scans.find((s) => s.status === 'succeeded');
  const running = scanJob?.state === 'running';
  return (
    <div className="card">
      <div className="toolbar">
        <label>
          Model{' '}
          <select aria-label="Scan model" value={scanForm.model ?? ''} onChange={(e) => setScanForm({ model: (e.currentTarget.value || undefined) as 'mlp' | 'cnn' | undefined })}>
            <option value="">default: {engineDefaults.model}</option>
            <option value="mlp">mlp</option>
            <option value="cnn">cnn</option>
          </select>
        </label>
        <label>
          Folds <input aria-label="Scan folds" type="number" min={2} max={20} value={scanForm.folds ?? ''} placeholder={String(defaults.folds)} onChange={(e) => setScanForm({ folds: e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value) })} />
        </label>
        <label>
          Epochs <input aria-label="Scan epochs" type="number" min={1} max={200} value={scanForm.epochs ?? ''} placeholder={String(defaults.epochs)} onChange={(e) => setScanForm({ epochs: e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value) })} />
        </label>
        {running ? <button onClick={() => void cancelScan()}>Cancel scan</button> : <button onClick={() => void startScan()}>Scan labels</button>}
        {scanJob && (
          <span data-testid="scan-status" data-state={scanJob.state}>
            {scanJob.state === 'running' ? `${scanJob.progress.phase} · ${Math.round(scanJob.progress.fraction * 100)}%` : `scan ${scanJob.state}`}
          </span>
        )}
      </div>
      {scan?.results ? (
        <>
          <p data-testid="scan-summary">
            Scan {scan.scanId} ({scan.settings.model}, {scan.settings.folds} folds × {scan.settings.epochs} epochs): {scan.issues?.toLocaleString('en-US')} likely wrong labels among {scan.images?.toLocaleString('en-US')}; out-of-fold accuracy{' '}
            {(scan.results.outOfFoldAccuracy * 100).toFixed(1)}% · <span className={scan.labelsChangedSince ? 'badge' : ''}>{scanFreshness(scan)}</span>
          </p>
          <table className="per-class" data-testid="noise-rates">
            <thead>
              <tr>
                {CLASS_NAMES.map((name) => (
                  <th key={name}>{name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                {scan.results.noiseRates.map((rate, c) => (
                  <td key={c}>{(rate * 100).toFixed(1)}%</td>
                ))}
              </tr>
            </tbody>
          </table>
          <h2>Overlapping classes</h2>
          <div className="guidelines">
            {scan.results.overlapping.slice(0, GUIDELINE_PAIRS).map((pair) => (
              <GuidelineCard key={`${pair.a}-${pair.b}`} a={pair.a} b={pair.b} share={pair.share} typical={guidelines[`${pair.a}-${pair.b}`]} />
            ))}
          </div>
        </>
      ) : (
        <p className="hint">No label scan yet. A scan trains a few models by cross-validation, so every image is judged by a model that never saw it.</p>
      )}
    </div>
  );
}

/**
 * The ranked issues and the selected one large, beside typical examples of its label and of the suggested
 * class. Keys: Enter takes the suggestion, 0–9 set a label, K keeps the label (confirmed), U undoes.
 */
export function LabelIssuesPanel() {
  const { issues, issueTotal, selectedIssue, selectIssue, typical, takeSuggestion, setIssueLabel, confirmIssue, undoIssueAction, loadScans, loadIssues } = useStoreFields('issues', 'issueTotal', 'selectedIssue', 'selectIssue', 'typical', 'takeSuggestion', 'setIssueLabel', 'confirmIssue', 'undoIssueAction', 'loadScans', 'loadIssues');

  useEffect(() => {
    void loadScans().then(() => loadIssues());
  }, [loadScans, loadIssues]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (eventBelongsToControl(event) || event.altKey || event.metaKey || event.ctrlKey) return;
      if (event.key === 'Enter') void takeSuggestion();
      else if (/^[0-9]$/.test(event.key)) void setIssueLabel(Number(event.key));
      else if (event.key === 'k' || event.key === 'K') void confirmIssue();
      else if (event.key === 'u' || event.key === 'U') void undoIssueAction();
      else if (selectedIssue !== null && (event.key === 'ArrowRight' || event.key === 'ArrowDown')) selectIssue(Math.min(issues.length - 1, selectedIssue + 1));
      else if (selectedIssue !== null && (event.key === 'ArrowLeft' || event.key === 'ArrowUp')) selectIssue(Math.max(0, selectedIssue - 1));
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [issues.length, selectedIssue, selectIssue, takeSuggestion, setIssueLabel, confirmIssue, undoIssueAction]);

  const issue = selectedIssue === null ? undefined : issues[selectedIssue];
  return (
    <>
      <ScanSummary />
      <div className="errors-layout">
        <div className="issue-list" data-testid="issue-list" data-total={issueTotal}>
          <h2>{issueTotal.toLocaleString('en-US')} issues, most likely wrong first</h2>
          <div className="issue-grid">
            {issues.map((i, index) => (
              <button key={i.imageId} className={`issue-tile ${index === selectedIssue ? 'selected' : ''}`} data-review-item data-testid="issue-tile" data-image-id={i.imageId} onClick={() => selectIssue(index)}>
                <PixelImage pixels={i.pixels} size={56} />
                <span>
                  {CLASS_NAMES[i.label]} → {CLASS_NAMES[i.suggestedLabel]}
                </span>
              </button>
            ))}
          </div>
        </div>
        {issue && (
          <aside className="detail card" data-testid="issue-detail" data-image-id={issue.imageId}>
            <div className="detail-top">
              <PixelImage pixels={issue.pixels} size={224} title={`Image ${issue.imageId}`} />
              <div>
                <p>
                  Label: <strong data-testid="issue-label">{CLASS_NAMES[issue.label]}</strong> · suggested: <strong data-testid="issue-suggested">{CLASS_NAMES[issue.suggestedLabel]}</strong>
                </p>
                <p className="hint">
                  Rank {issue.rank} · label quality {issue.score.toFixed(3)} · {issue.split} image {issue.imageId} · from {issue.source.split(/[\\/]/).at(-1)}
                </p>
                <div className="actions">
                  <button onClick={() => void takeSuggestion()}>Take suggestion (Enter)</button>
                  <button onClick={() => void confirmIssue()}>Keep label (K)</button>
                  <button onClick={() => void undoIssueAction()}>Undo (U)</button>
                </div>
              </div>
            </div>
            <Examples images={typical[issue.label]} title={`Typical ${CLASS_NAMES[issue.label]} (its label)`} />
            <Examples images={typical[issue.suggestedLabel]} title={`Typical ${CLASS_NAMES[issue.suggestedLabel]} (suggested)`} />
          </aside>
        )}
      </div>
    </>
  );
}
