/** Height of one gallery row and width of one tile, in CSS pixels. */
export const TILE_WIDTH = 78;
export const ROW_HEIGHT = 92;
const OVERSCAN_ROWS = 3;

/** Which tiles are in view: only those are drawn, so a gallery of thousands scrolls smoothly. */
export function visibleRange(scrollTop: number, viewHeight: number, columns: number, total: number): { start: number; end: number } {
  const firstRow = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN_ROWS);
  const lastRow = Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN_ROWS;
  return { start: Math.min(total, firstRow * columns), end: Math.min(total, lastRow * columns) };
}
