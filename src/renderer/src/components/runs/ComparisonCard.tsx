import { CLASS_NAMES } from '../../../../shared/classes.ts';
import type { ClassMetrics } from '../../../../shared/types.ts';
import { useStore } from '../../store/store.ts';
import { percent as formatPercent } from '../../../../shared/format.ts';

const percent = (x: number): string => formatPercent(x, 1);

function Change({ a, b }: { a: number; b: number }) {
  return (
    <td className={`change ${b > a ? 'better' : b < a ? 'worse' : ''}`}>
      {b >= a ? '+' : '−'}
      {Math.abs((b - a) * 100).toFixed(1)}
    </td>
  );
}

const METRICS: { key: keyof Omit<ClassMetrics, 'support'>; title: string }[] = [
  { key: 'recall', title: 'Recall' },
  { key: 'precision', title: 'Precision' },
  { key: 'f1', title: 'F1' },
];

/** Two runs class by class: recall, precision and F1 of each, with the change in points; and the images one fixed or broke. */
export function ComparisonCard() {
  const comparison = useStore((s) => s.comparison);
  const openGallery = useStore((s) => s.openGallery);
  const navigate = useStore((s) => s.navigate);
  if (!comparison) return null;
  const { runId, otherRunId } = comparison;

  const browse = (change: 'fixed' | 'broken'): void => {
    void openGallery({ kind: 'compare', runId, otherRunId, split: comparison.split, change });
    navigate('errors');
  };

  return (
    <section className="card comparison" data-testid="comparison">
      <h2>
        Run {runId} ({percent(comparison.accuracy[0])}) against run {otherRunId} ({percent(comparison.accuracy[1])}), test split
      </h2>
      <p>
        <button onClick={() => browse('fixed')} data-testid="compare-fixed">
          {comparison.fixed} fixed
        </button>{' '}
        images run {runId} got wrong and run {otherRunId} got right;{' '}
        <button onClick={() => browse('broken')} data-testid="compare-broken">
          {comparison.broken} broken
        </button>{' '}
        the other way round.
      </p>
      <table className="per-class">
        <thead>
          <tr>
            <th rowSpan={2}>Class</th>
            {METRICS.map((m) => (
              <th key={m.key} colSpan={3} className="group">
                {m.title}
              </th>
            ))}
          </tr>
          <tr>
            {METRICS.map((m) => [
              <th key={`${m.key}-a`}>Run {runId}</th>,
              <th key={`${m.key}-b`}>Run {otherRunId}</th>,
              <th key={`${m.key}-d`}>Change (pt)</th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {comparison.perClass.map(([a, b], label) => (
            <tr key={label} data-testid={`compare-class-${label}`}>
              <td>{CLASS_NAMES[label]}</td>
              {METRICS.map((m) => [
                <td key={`${m.key}-a`}>{percent(a[m.key])}</td>,
                <td key={`${m.key}-b`}>{percent(b[m.key])}</td>,
                <Change key={`${m.key}-d`} a={a[m.key]} b={b[m.key]} />,
              ])}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
