import { CLASS_NAMES } from '../../shared/classes.ts';
import type { DatasetSummary } from '../../shared/types.ts';

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
