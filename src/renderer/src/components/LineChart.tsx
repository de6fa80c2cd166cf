/** A small SVG line chart: epochs along x, one or more series along y. No library, no network. */
export interface Series {
  name: string;
  colour: string;
  dashed?: boolean;
  points: [number, number][];
}

const WIDTH = 420;
const HEIGHT = 200;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

export function LineChart({ title, series, yMin, yMax, format }: { title: string; series: Series[]; yMin?: number; yMax?: number; format(y: number): string }) {
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map(([x]) => x));
  const lo = yMin ?? Math.min(...all.map(([, y]) => y), 0);
  const hi = yMax ?? Math.max(...all.map(([, y]) => y), lo + 1e-6);
  const x = (v: number): number => PAD.left + ((v - 1) / Math.max(1, xMax - 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number): number => HEIGHT - PAD.bottom - ((v - lo) / (hi - lo || 1)) * (HEIGHT - PAD.top - PAD.bottom);
  const ticks = [lo, (lo + hi) / 2, hi];
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        <text x={WIDTH / 2} y={HEIGHT - 6} textAnchor="middle">
          epoch {all.length ? `1–${xMax}` : ''}
        </text>
        {series.map((s) =>
          s.points.length === 0 ? null : (
            <g key={s.name} data-series={s.name}>
              <polyline fill="none" stroke={s.colour} strokeWidth={2} strokeDasharray={s.dashed ? '5 4' : undefined} points={s.points.map(([px, py]) => `${x(px)},${y(py)}`).join(' ')} />
              {s.points.map(([px, py]) => (
                <circle key={px} cx={x(px)} cy={y(py)} r={3} fill={s.colour} />
              ))}
            </g>
          ),
        )}
      </svg>
      <div className="legend">
        {series.map((s) => (
          <span key={s.name}>
            <i className={s.dashed ? 'dashed' : ''} style={{ borderColor: s.colour }} /> {s.name}
          </span>
        ))}
      </div>
    </figure>
  );
}
