/**
 * The label-scan commands: `label-scan` runs a scan in its own process, `label-issues` prints a scan's
 * ranked issues, `label-scans` lists (and deletes) scans. Like every command they send requests through
 * `dispatch` and the contract (`scan:list`, `scan:issues`, `scan:delete`); only `label-scan` starts its
 * job on the service itself, to hear each epoch's progress as a callback (see `checkRequest`).
 */
import { CLASS_NAMES } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';
import type { LabelIssue, LabelScanProgress, LabelScanSummary } from '../../shared/label-scan.ts';
import type { Backend } from '../app-backend.ts';
import { UsageError, type Command, type Values } from './command.ts';
import { checkRequest, request } from './request.ts';
import { table } from './format.ts';

function wholeNumber(values: Values, name: string, min: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  // Beyond Number.MAX_SAFE_INTEGER a typed number is rounded (99999999999999999999 reads as 1e20): refuse it as typed.
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number of at least ${min}${Number.isInteger(n) && n >= min ? ` and at most ${Number.MAX_SAFE_INTEGER}` : ''}, not "${raw}".`);
  return n;
}

/** One line of scan progress for a terminal. */
export function scanProgressLine(p: LabelScanProgress): string {
  const width = 24;
  const filled = Math.round(p.fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const eta = p.etaSeconds === null ? '' : ` eta ${Math.ceil(p.etaSeconds)}s`;
  if (p.phase !== 'training') return `${bar} ${p.phase}…`;
  return `${bar} fold ${p.fold}/${p.folds} epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches}${eta}`;
}

/** The last line `label-scan` prints: the documented summary. */
export function scanJson(scan: LabelScanSummary): Record<string, unknown> {
  return {
    scanId: scan.scanId,
    issues: scan.issues,
    seconds: scan.seconds,
    noiseRates: scan.results?.noiseRates ?? [],
    overlappingPairs: (scan.results?.overlapping ?? []).map(({ a, b, share }) => ({ a, b, share })),
  };
}

function scanText(scan: LabelScanSummary): string {
  const r = scan.results;
  if (!r) return `Scan ${scan.scanId}: ${scan.status}${scan.error ? `: ${scan.error}` : ''}`;
  return [
    `Scan ${scan.scanId}: ${scan.issues} likely label errors among ${scan.images} labeled images (${scan.settings.model}, ${scan.settings.folds} folds × ${scan.settings.epochs} epochs, ${scan.seconds?.toFixed(0)} s; out-of-fold accuracy ${(r.outOfFoldAccuracy * 100).toFixed(2)}%)`,
    table(
      ['label', 'class', 'noise rate'],
      r.noiseRates.map((rate, c) => [c, CLASS_NAMES[c], `${(rate * 100).toFixed(1)}%`]),
    ),
    'Overlapping classes: ' + r.overlapping.slice(0, 5).map((p) => `${CLASS_NAMES[p.a]} ↔ ${CLASS_NAMES[p.b]} ${(p.share * 100).toFixed(2)}%`).join(', '),
    `Near-duplicates: ${r.nearDuplicates.leakage} across train/test, ${r.nearDuplicates.differentLabels} with different labels; outliers: ${r.outliers}`,
    `See them with: fashion-sorter label-issues --scan ${scan.scanId}`,
  ].join('\n');
}

/** Issues fetched per `scan:issues` request (the channel's largest page). */
const ISSUE_PAGE = 500;

/** A scan's issues in rank order, the first `top` or all, page by page through the contract. */
async function allIssues(backend: Backend, scanId: number, top: number | undefined): Promise<LabelIssue[]> {
  const issues: LabelIssue[] = [];
  for (;;) {
    const wanted = top === undefined ? ISSUE_PAGE : Math.min(ISSUE_PAGE, top - issues.length);
    if (wanted <= 0) return issues;
    const page = await request(backend, 'scan:issues', { scanId, offset: issues.length, limit: wanted });
    for (const { pixels: _pixels, ...issue } of page.issues) issues.push(issue);
    if (page.issues.length < wanted || issues.length >= page.total) return issues;
  }
}

/** Every scan of every dataset, newest first. */
const allScans = (backend: Backend): Promise<LabelScanSummary[]> => request(backend, 'scan:list', {});

export const LABEL_COMMANDS: Record<string, Command> = {
  'label-scan': {
    summary: 'Find likely wrong labels: K cross-validated models, then confident learning, in a separate process',
    usage: 'label-scan [--dataset ID] [--model mlp|cnn] [--folds K] [--epochs N] [--seed N] [--keep-old] [--json]',
    writes: true,
    options: { dataset: { type: 'string' }, model: { type: 'string' }, folds: { type: 'string' }, epochs: { type: 'string' }, seed: { type: 'string' }, 'keep-old': { type: 'boolean' } },
    async run({ backend, values, io }) {
      const scanRequest = checkRequest(
        'scan:start',
        { datasetId: values.dataset, model: values.model, folds: values.folds, epochs: values.epochs, seed: values.seed, keepOld: values['keep-old'] ? true : undefined },
        { datasetId: '--dataset', model: '--model', folds: '--folds', epochs: '--epochs', seed: '--seed' },
      );
      let lastLine = '';
      const report = (p: LabelScanProgress): void => {
        if (!values.json) {
          io.status?.(scanProgressLine(p));
          return;
        }
        // One JSON line per fold and epoch (and phase), not per batch.
        const key = `${p.phase}/${p.fold}/${p.epoch}`;
        if (key !== lastLine) io.out(JSON.stringify({ scanId, phase: p.phase, fold: p.fold, folds: p.folds, epoch: p.epoch, epochs: p.epochs, etaSeconds: p.etaSeconds === null ? null : Math.round(p.etaSeconds) }));
        lastLine = key;
      };
      // The same start as the scan:start channel's, with each epoch's progress heard directly.
      const { jobId, scanId } = backend.scans.start(scanRequest, report);
      const stopInterrupt = io.onInterrupt?.(() => {
        io.err('Cancelling after the current batch…');
        backend.scans.cancel(jobId);
      });
      try {
        const final = await backend.scans.whenFinished(jobId);
        io.status?.('');
        if (final.state === 'cancelled') {
          io.err(`Scan ${scanId} was cancelled.`);
          return 130;
        }
        if (final.state === 'failed') throw new AppError('internal', `Scan ${scanId} failed: ${final.error}`);
        const scan = (await allScans(backend)).find((s) => s.scanId === scanId)!;
        io.out(values.json ? JSON.stringify(scanJson(scan)) : scanText(scan));
      } finally {
        stopInterrupt?.();
      }
    },
  },
  'label-issues': {
    summary: 'Print a label scan\'s likely wrong labels, most likely wrong first',
    usage: 'label-issues [--scan ID] [--top N] [--json]',
    options: { scan: { type: 'string' }, top: { type: 'string' } },
    async run({ backend, values, io }) {
      const scanId = wholeNumber(values, 'scan', 1);
      const top = wholeNumber(values, 'top', 1);
      const scans = await allScans(backend);
      const scan = scanId === undefined ? scans.find((s) => s.status === 'succeeded') : scans.find((s) => s.scanId === scanId);
      if (!scan) throw new AppError('not-found', scanId === undefined ? 'There is no finished label scan. Run one with: fashion-sorter label-scan' : `There is no label scan ${scanId}. See fashion-sorter label-scans.`);
      if (scan.status !== 'succeeded') throw new AppError('conflict', `Scan ${scan.scanId} has no issues: it ${scan.status === 'running' ? 'is still running' : scan.status === 'cancelled' ? 'was cancelled' : scan.status}.`);
      const issues = await allIssues(backend, scan.scanId, top);
      const rows = issues.map((i) => ({ imageId: i.imageId, split: i.split, source: i.source, label: i.label, suggestedLabel: i.suggestedLabel, score: i.score }));
      if (values.json) {
        io.out(JSON.stringify(rows));
        return;
      }
      if (scan.labelsChangedSince > 0) io.err(`Scan ${scan.scanId} is out of date: ${scan.labelsChangedSince} labels changed since it ran.`);
      io.out(table(['rank', 'image', 'split', 'label', 'suggested', 'score', 'source'], issues.map((i) => [i.rank, i.imageId, i.split, CLASS_NAMES[i.label], CLASS_NAMES[i.suggestedLabel], i.score.toFixed(4), i.source])));
    },
  },
  'label-scans': {
    summary: 'List label scans, newest first, or delete one',
    usage: 'label-scans [--delete ID] [--json]',
    options: { delete: { type: 'string' } },
    async run({ backend, values, io }) {
      const doomed = wholeNumber(values, 'delete', 1);
      if (doomed !== undefined) {
        // The back end refuses a scan that does not exist; the command line adds where to look.
        const missing = `There is no label scan ${doomed}.`;
        await request(backend, 'scan:delete', { scanId: doomed }, { scanId: '--delete' }).catch((error: unknown) => {
          throw error instanceof AppError && error.message === missing ? new AppError('not-found', `${missing} See fashion-sorter label-scans.`) : error;
        });
        io.out(values.json ? JSON.stringify({ deleted: doomed }) : `Deleted label scan ${doomed}.`);
        return;
      }
      const scans = await allScans(backend);
      if (values.json) io.out(JSON.stringify(scans.map((s) => ({ ...scanJson(s), datasetId: s.datasetId, status: s.status, createdAt: s.createdAt, settings: s.settings, labelsChangedSince: s.labelsChangedSince }))));
      else if (scans.length === 0) io.out('No label scans yet. Run one with: fashion-sorter label-scan');
      else
        io.out(
          table(
            ['scan', 'dataset', 'status', 'model', 'folds', 'epochs', 'issues', 'seconds', 'changed since', 'started'],
            scans.map((s) => [s.scanId, s.datasetId, s.status, s.settings.model, s.settings.folds, s.settings.epochs, s.issues ?? '—', s.seconds?.toFixed(0) ?? '—', s.labelsChangedSince, s.createdAt.slice(0, 19).replace('T', ' ')]),
          ),
        );
    },
  },
};
