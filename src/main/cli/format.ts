import { CLASS_NAMES } from '../../shared/classes.ts';
import type { DatasetSummary, Evaluation, RunSummary, TrainJobUpdate } from '../../shared/types.ts';

/** Lays out rows as a plain-text table with a header and right-aligned numbers. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number'));
  return cells
    .map((r) => r.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd())
    .join('\n');
}

/** The JSON the CLI prints for a dataset: the fields the README documents. */
export function datasetJson(summary: DatasetSummary): Record<string, unknown> {
  return {
    datasetId: summary.datasetId,
    name: summary.name,
    images: summary.images,
    bySplit: summary.bySplit,
    labelCounts: summary.labelCounts,
  };
}

/** A dataset as a person reads it: totals, then a count per class. */
export function datasetText(summary: DatasetSummary): string {
  const { train, test, user } = summary.bySplit;
  const lines = [
    `Dataset ${summary.datasetId} "${summary.name}": ${summary.images} images (train ${train}, test ${test}, user ${user})`,
    table(
      ['label', 'class', 'images'],
      summary.labelCounts.map((n, label) => [label, CLASS_NAMES[label], n]),
    ),
  ];
  return lines.join('\n');
}

/** The last line `train` prints: the documented summary of the finished run. */
export function runJson(run: RunSummary): Record<string, unknown> {
  return {
    runId: run.runId,
    backend: run.backend,
    model: run.model,
    epochs: run.epochsCompleted,
    testAccuracy: run.testAccuracy,
    secondsPerEpoch: run.secondsPerEpoch,
    trainImages: run.trainImages,
    promoted: run.promoted,
    promotionReason: run.promotionReason,
  };
}

const percent = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(2)}%`);

const promotionMark = (run: RunSummary): string => (run.promoted === null ? '—' : run.promoted ? 'made active' : 'kept out');

/** The runs as a table, then each finished run's promotion reason on its own line (reasons are long). */
export function runsTable(runs: readonly RunSummary[]): string {
  const rows = table(
    ['run', 'model', 'status', 'backend', 'epochs', 'test accuracy', 's/epoch', 'gate', 'started'],
    runs.map((r) => [r.runId, r.model, r.status, r.backend ?? '—', r.epochsCompleted, percent(r.testAccuracy), r.secondsPerEpoch?.toFixed(1) ?? '—', promotionMark(r), r.createdAt.slice(0, 19).replace('T', ' ')]),
  );
  const reasons = runs.filter((r) => r.promotionReason).map((r) => `run ${r.runId}: ${r.promotionReason}`);
  return reasons.length ? `${rows}

${reasons.join('\n')}` : rows;
}

export function evaluationText(evaluation: Evaluation): string {
  const short = CLASS_NAMES.map((n) => n.slice(0, 7));
  const lines = [
    `Run ${evaluation.runId}, ${evaluation.split} split: accuracy ${percent(evaluation.accuracy)} on ${evaluation.images} images, loss ${evaluation.loss.toFixed(4)}`,
    '',
    table(
      ['label', 'class', 'precision', 'recall', 'F1', 'images'],
      evaluation.perClass.map((m, label) => [label, CLASS_NAMES[label], m.precision.toFixed(3), m.recall.toFixed(3), m.f1.toFixed(3), m.support]),
    ),
    '',
    'Confusion matrix (rows: true class, columns: predicted class)',
    table(['', ...short], evaluation.confusion.map((row, label) => [short[label], ...row])),
    '',
    'Most confused: ' + evaluation.topConfusions.slice(0, 5).map((c) => `${CLASS_NAMES[c.trueLabel]} → ${CLASS_NAMES[c.predicted]} (${c.count})`).join(', '),
  ];
  return lines.join('\n');
}

/** One line of progress for a terminal: a bar, epoch and batch, loss, speed and time left. */
export function progressLine(update: TrainJobUpdate): string {
  const p = update.progress;
  const width = 24;
  const filled = Math.round(p.fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const eta = p.etaSeconds === null ? '' : ` eta ${Math.ceil(p.etaSeconds)}s`;
  if (p.phase !== 'training') return `${bar} ${p.phase}…`;
  return `${bar} epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches} loss ${p.loss?.toFixed(4) ?? '—'} acc ${percent(p.accuracy)} ${Math.round(p.imagesPerSecond ?? 0)} img/s${eta}`;
}
