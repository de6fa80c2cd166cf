/** Axis arithmetic for the training curves: ranges that fit the data, round ticks, the epoch under the pointer. */

/** A step of 1, 2, 2.5 or 5 times a power of ten that cuts `span` into at most `maxTicks` intervals. */
export function niceStep(span: number, maxTicks: number): number {
  const raw = span / Math.max(1, maxTicks);
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step >= raw - 1e-12) ?? 10 * power);
}

/**
 * A y-axis that fits `values`: the lowest and highest rounded out to whole steps, with the ticks between.
 * `bounds` clamps it (accuracy lives in 0–1). A flat series gets a small range around its value.
 */
export function fitAxis(values: readonly number[], options: { maxTicks?: number; bounds?: [number, number] } = {}): { lo: number; hi: number; ticks: number[] } {
  const maxTicks = options.maxTicks ?? 4;
  const finite = values.filter(Number.isFinite);
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (hi - lo < 1e-9) {
    const pad = Math.abs(hi) > 1e-9 ? Math.abs(hi) * 0.05 : 0.5;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, maxTicks);
  lo = Math.floor(lo / step + 1e-9) * step;
  hi = Math.ceil(hi / step - 1e-9) * step;
  if (options.bounds) {
    lo = Math.max(options.bounds[0], lo);
    hi = Math.min(options.bounds[1], hi);
  }
  lo = Number(lo.toFixed(10));
  hi = Number(hi.toFixed(10));
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step * 1e-6; t += step) ticks.push(Number(t.toFixed(10)));
  return { lo, hi, ticks };
}

/** Whole-epoch ticks from 1 to `lastEpoch`, thinned to round numbers when there are many; the last is always shown. */
export function epochTicks(lastEpoch: number, maxTicks = 10): number[] {
  if (lastEpoch <= 1) return [1];
  const step = Math.max(1, Math.ceil(niceStep(lastEpoch - 1, maxTicks)));
  const ticks = [1];
  for (let e = step; e < lastEpoch; e += step) if (e > 1 && lastEpoch - e >= step / 2) ticks.push(e);
  ticks.push(lastEpoch);
  return ticks;
}

/** The epoch nearest to a pointer at `fraction` (0–1) of the plot's width, for epochs 1…`lastEpoch`. */
export function epochAt(fraction: number, lastEpoch: number): number {
  if (lastEpoch <= 1) return 1;
  return Math.min(lastEpoch, Math.max(1, Math.round(1 + fraction * (lastEpoch - 1))));
}
