/** A small SVG line chart: epochs along x, one or more series along y. No library, no network. */
import { useState, type PointerEvent } from 'react';
import { epochAt, epochTicks, fitAxis } from '../lib/chart-axis.ts';

export interface Series {
  name: string;
  colour: string;
  dashed?: boolean;
  points: [number, number][];
}

const WIDTH = 420;
const HEIGHT = 200;
const PAD = { left: 48, right: 12, top: 12, bottom: 34 };

/**
 * The y-axis fits the data (clamped to `bounds`, e.g. 0–1 for accuracy); the x-axis has a tick per epoch,
 * thinned when there are many. Pointing at the chart shows every series' value at the nearest epoch.
 */
export function LineChart({ title, series, bounds, format, testId }: { title: string; series: Series[]; bounds?: [number, number]; format(y: number): string; testId?: string }) {
  const [hovered, setHovered] = useState<number | null>(null);
  const all = series.flatMap((s) => s.points);
  const lastEpoch = Math.max(1, ...all.map(([x]) => x));
  const axis = fitAxis(
    all.map(([, y]) => y),
    { bounds },
  );
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const x = (v: number): number => PAD.left + (lastEpoch === 1 ? plotWidth / 2 : ((v - 1) / (lastEpoch - 1)) * plotWidth);
  const y = (v: number): number => HEIGHT - PAD.bottom - ((v - axis.lo) / (axis.hi - axis.lo || 1)) * (HEIGHT - PAD.top - PAD.bottom);
  const onPointerMove = (event: PointerEvent<SVGSVGElement>): void => {
    if (all.length === 0) return;
    const box = event.currentTarget.getBoundingClientRect();
    const svgX = ((event.clientX - box.left) / box.width) * WIDTH;
    setHovered(epochAt((svgX - PAD.left) / plotWidth, lastEpoch));
  };
  const readout = hovered === null ? null : series.map((s) => ({ name: s.name, value: s.points.find(([px]) => px === hovered)?.[1] })).filter((r) => r.value !== undefined);

  return (
    <figure className="chart" aria-label={title} data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" onPointerMove={onPointerMove} onPointerLeave={() => setHovered(null)}>
        {axis.ticks.map((t) => (
          <g key={t} data-testid="y-tick">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        {all.length > 0 &&
          epochTicks(lastEpoch).map((e) => (
            <text key={e} x={x(e)} y={HEIGHT - PAD.bottom + 14} textAnchor="middle" data-testid="x-tick">
              {e}
            </text>
          ))}
        <text x={PAD.left + plotWidth / 2} y={HEIGHT - 4} textAnchor="middle">
          epoch
        </text>
        {hovered !== null && <line className="cursor" x1={x(hovered)} x2={x(hovered)} y1={PAD.top} y2={HEIGHT - PAD.bottom} />}
        {series.map((s) =>
          s.points.length === 0 ? null : (
            <g key={s.name} data-series={s.name}>
              <polyline fill="none" stroke={s.colour} strokeWidth={2} strokeDasharray={s.dashed ? '5 4' : undefined} points={s.points.map(([px, py]) => `${x(px)},${y(py)}`).join(' ')} />
              {s.points.map(([px, py]) => (
                <circle key={px} cx={x(px)} cy={y(py)} r={px === hovered ? 5 : 3} fill={s.colour}>
                  <title>{`Epoch ${px}, ${s.name}: ${format(py)}`}</title>
                </circle>
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
        {readout && (
          <span className="readout" data-testid="chart-readout">
            Epoch {hovered}: {readout.map((r) => `${r.name} ${format(r.value!)}`).join(', ')}
          </span>
        )}
      </div>
    </figure>
  );
}
