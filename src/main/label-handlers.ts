/**
 * The label-scan channels (issue 12), merged into the one handler table by handlers.ts.
 */
import { CLASS_NAMES } from '../shared/classes.ts';
import { AppError } from '../shared/errors.ts';
import type { LabelImage, LabelRequestResults } from '../shared/label-api.ts';
import type { Db } from './db/connection.ts';
import { relabelImage } from './db/images.ts';
import { flaggedImages, listLabelChanges, undoLabelChange } from './db/label-review.ts';
import { confirmLabel, unconfirmLabel, deleteScan, getScan, imagePixels, listScans, newestScan, SCAN_ORIGIN, scanIssues, typicalImages } from './db/label-scans.ts';
import { getRun } from './db/runs.ts';
import { activeRunId } from './runs/active-run.ts';
import { GUIDELINE_IMAGES, GUIDELINE_PAIRS } from '../shared/label-scan.ts';
import type { Handlers } from './handler-context.ts';
import type { ScanJobs } from './jobs/scan-jobs.ts';

type LabelHandlers = Pick<Handlers, keyof LabelRequestResults>;

function existingScan(db: Db, scanId: number): void {
  if (!getScan(db, scanId)) throw new AppError('not-found', `There is no label scan ${scanId}.`);
}

export function createLabelHandlers(db: Db, scans: ScanJobs): LabelHandlers {
  return {
    'scan:start': (request) => scans.start(request),
    'scan:list': ({ datasetId }) => listScans(db, datasetId),
    'scan:delete': ({ scanId }) => {
      existingScan(db, scanId);
      deleteScan(db, scanId);
      return null;
    },
    'scan:issues': ({ scanId, offset, limit, includeResolved }) => {
      existingScan(db, scanId);
      const page = scanIssues(db, scanId, { offset, limit, includeResolved });
      const pixels = imagePixels(db, page.issues.map((i) => i.imageId));
      return { total: page.total, issues: page.issues.map((i) => ({ ...i, pixels: pixels.get(i.imageId)! })) };
    },
    'scan:typical': ({ scanId, label, towards, count }) => {
      existingScan(db, scanId);
      return typicalImages(db, scanId, label, towards, count);
    },
    'scan:relabel': ({ imageId, label }) => {
      relabelImage(db, imageId, label, SCAN_ORIGIN, new Date());
      return null;
    },
    'scan:confirm': ({ imageId }) => {
      confirmLabel(db, imageId, new Date());
      return null;
    },
    'scan:unconfirm': ({ imageId }) => {
      unconfirmLabel(db, imageId);
      return null;
    },
    'labels:changes': ({ datasetId, label, offset, limit }) => listLabelChanges(db, datasetId, { label, offset, limit }),
    'labels:undo-change': ({ changeId }) => {
      undoLabelChange(db, changeId, new Date(), CLASS_NAMES);
      return null;
    },
    'labels:flagged': ({ datasetId }) => flaggedImages(db, datasetId),
    'scan:guidelines': ({ runId, scanId }) => {
      if (scanId !== undefined) existingScan(db, scanId);
      const run = runId ?? activeRunId(db);
      const datasetId = run === null ? undefined : getRun(db, run)?.datasetId;
      // No model, or its dataset never scanned: there is simply no card to show.
      const scan = scanId !== undefined ? getScan(db, scanId) : datasetId === undefined ? null : newestScan(db, datasetId);
      if (!scan?.results) return null;
      const cards = scan.results.overlapping.slice(0, GUIDELINE_PAIRS).map(({ a, b, share }) => ({
        a,
        b,
        share,
        typical: [typicalImages(db, scan.scanId, a, b, GUIDELINE_IMAGES), typicalImages(db, scan.scanId, b, a, GUIDELINE_IMAGES)] as [LabelImage[], LabelImage[]],
      }));
      return { scanId: scan.scanId, labelsChangedSince: scan.labelsChangedSince, cards };
    },
  };
}
