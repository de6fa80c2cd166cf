import { useEffect, useMemo, useRef } from 'react';
import { BatchList } from '../components/classify/BatchList.tsx';
import { GateSettings, GateSummary } from '../components/classify/GateSummary.tsx';
import { PhotoDetail } from '../components/classify/PhotoDetail.tsx';
import { PhotoTable } from '../components/classify/PhotoTable.tsx';
import { SortPanel } from '../components/classify/SortPanel.tsx';
import { useFileDrop } from '../lib/use-file-drop.ts';
import { shownIndices } from '../store/classify-selection.ts';
import { useStore, useStoreFields } from '../store/store.ts';
import { eventBelongsToControl } from '../lib/review-keys.ts';

/** Drop photos, review what the gate sends to a person, with the keyboard, reopen stored batches, sort into folders. */
export function ClassifyView() {
  const store = useStoreFields('batch', 'batchId', 'gate', 'results', 'previews', 'classifyFilter', 'setClassifyFilter', 'selection', 'activeRunId', 'batches', 'batchesNotice', 'reviewSettings', 'cancelClassify', 'classifyJob', 'classifyPicked', 'clickPhoto', 'closeBatch', 'deleteStoredBatch', 'dismissSortQuestion', 'loadBatches', 'loadReviewSettings', 'openStoredBatch', 'saveReviewSettings', 'sortBatch', 'sortQuestion', 'sortResult', 'undoDecision', 'photoGuidelines', 'loadPhotoGuidelines', 'originals', 'loadOriginal');
  const { batch, batchId, gate, results, previews, classifyFilter, setClassifyFilter, selection, activeRunId, batches, batchesNotice, reviewSettings } = store;
  const { dragging, dropZone, onPicked } = useFileDrop(store.classifyPicked);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const shown = useMemo(() => shownIndices(results, classifyFilter), [results, classifyFilter]);
  const selected = useMemo(() => new Set(selection.selected), [selection.selected]);
  const counts = useMemo(() => {
    let done = 0;
    let review = 0;
    let decided = 0;
    let unusual = 0;
    let failed = 0;
    for (const p of results) {
      if (!p) continue;
      // A file that could not be read is done but not classified; it is counted apart, as the Batches list does.
      if (p.error !== null) failed++;
      else done++;
      if (p.needsReview) review++;
      if (p.reviewed) decided++;
      if (p.unusual) unusual++;
    }
    return { done, failed, review, decided, unusual };
  }, [results]);

  useEffect(() => {
    void store.loadBatches();
    void store.loadReviewSettings();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeRunId]);

  // Guideline cards come from the newest label scan of the dataset the batch's model was trained on.
  const guidelineRunId = batch?.runId ?? activeRunId;
  const { loadPhotoGuidelines, photoGuidelines } = store;
  useEffect(() => {
    if (guidelineRunId !== null) void loadPhotoGuidelines(guidelineRunId);
  }, [guidelineRunId, loadPhotoGuidelines]);
  const guidelines = photoGuidelines?.runId === guidelineRunId ? photoGuidelines.guidelines : null;

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (eventBelongsToControl(event) || event.altKey || event.metaKey || !batchId) return;
      const state = useStore.getState();
      if (event.ctrlKey) {
        if (event.key === 'a') state.selectAllPhotos();
        else if (event.key === 'z') void state.undoDecision();
        else return;
      } else if (event.key === 'Enter') void state.decide(null);
      else if (/^[0-9]$/.test(event.key)) void state.decide(Number(event.key));
      else if (event.key === 'u' || event.key === 'U') void state.undoDecision();
      else if (event.key === 'ArrowDown' || event.key === 'ArrowRight') state.movePhotoFocus(1);
      else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') state.movePhotoFocus(-1);
      else if (event.key === 'Escape') state.clearSelection();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [batchId]);

  const focused = selection.focus === null ? undefined : results[selection.focus];
  // Photos dropped in this window have their File; any other (a reopened batch, the desktop) is fetched by id.
  const dropped = selection.focus === null ? undefined : previews[selection.focus];
  const focusedPhotoId = focused?.photoId ?? null;
  const { loadOriginal, originals } = store;
  useEffect(() => {
    if (focusedPhotoId !== null && !dropped) void loadOriginal(focusedPhotoId);
  }, [focusedPhotoId, dropped, loadOriginal]);
  const original = focusedPhotoId === null ? undefined : originals[focusedPhotoId];
  const total = results.length;
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
        {batchId && <button onClick={store.closeBatch}>Close batch</button>}
        <input ref={fileInput} type="file" accept="image/*" multiple hidden data-testid="classify-files" onChange={(e) => onPicked(e.currentTarget)} />
        <input ref={folderInput} type="file" hidden onChange={(e) => onPicked(e.currentTarget)} {...{ webkitdirectory: '' }} />
      </div>
      {activeRunId === null ? (
        <p className="hint">There is no trained model yet. Train one in the Train view, then drop photos here.</p>
      ) : (
        <p className="hint keys">
          Drop photos or folders anywhere here. <kbd>Enter</kbd> accepts the selected photos, <kbd>0</kbd>–<kbd>9</kbd> set their class, <kbd>↑</kbd> <kbd>↓</kbd> move, <kbd>Shift</kbd>-click and{' '}
          <kbd>Ctrl</kbd>+<kbd>A</kbd> select many, <kbd>U</kbd> or <kbd>Ctrl</kbd>+<kbd>Z</kbd> undo. Only photos a person accepted or corrected become training images.
        </p>
      )}
      {reviewSettings && activeRunId !== null && <GateSettings settings={reviewSettings} openBatchGate={batchId ? gate : null} onSave={(s) => void store.saveReviewSettings(s)} />}

      {batchId ? (
        <>
          <div className="toolbar classify-controls">
            <span className="counts" data-testid="classify-progress">
              {counts.done} of {total} classified{counts.failed > 0 && ` · ${counts.failed} failed`} · {counts.review} need review · {counts.decided} decided
              {store.classifyJob?.state === 'cancelled' && ' · cancelled'}
            </span>
            {store.classifyJob?.state === 'running' && <button onClick={() => void store.cancelClassify()}>Stop classifying</button>}
            <div className="segmented" role="group" aria-label="Show">
              {(
                [
                  ['all', `All (${counts.done})`],
                  ['review', `Needs review (${counts.review})`],
                  ['done', `Decided (${counts.decided})`],
                  ['unusual', `Unusual (${counts.unusual})`],
                ] as const
              ).map(([value, label]) => (
                <button key={value} className={classifyFilter === value ? 'active' : ''} onClick={() => setClassifyFilter(value)}>
                  {label}
                </button>
              ))}
            </div>
            <button onClick={() => void store.undoDecision()}>Undo</button>
          </div>
          {gate && <GateSummary gate={gate} batch={batch} />}
          <div className="classify-main">
            <PhotoTable photos={results} shown={shown} selected={selected} focus={selection.focus} onClick={store.clickPhoto} />
            <PhotoDetail
              photo={focused}
              preview={dropped ?? (original && 'url' in original ? original.url : undefined)}
              previewNote={original && 'note' in original ? original.note : undefined}
              selectedCount={selection.selected.length} guidelines={guidelines} />
          </div>
          <SortPanel
            key={batchId}
            batch={batch}
            sortable={counts.done}
            unreviewed={counts.review}
            complete={counts.done === total}
            sortResult={store.sortResult}
            question={store.sortQuestion}
            onSort={(target, move, again) => void store.sortBatch(target, move, again)}
            onDismiss={store.dismissSortQuestion}
          />
        </>
      ) : null}
      <BatchList batches={batches} openId={batchId} notice={batchesNotice} onOpen={(id) => void store.openStoredBatch(id)} onDelete={(id) => void store.deleteStoredBatch(id)} />
    </div>
  );
}
