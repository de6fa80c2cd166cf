/** Height of one row of the Classify table, in CSS pixels: fixed, so rows can be placed without measuring. */
export const PHOTO_ROW_HEIGHT = 60;
const OVERSCAN_ROWS = 8;

/** Which rows of a long table are drawn: those in view and a few either side. */
export function rowWindow(scrollTop: number, viewHeight: number, total: number): { start: number; end: number } {
  const first = Math.max(0, Math.floor(scrollTop / PHOTO_ROW_HEIGHT) - OVERSCAN_ROWS);
  const last = Math.ceil((scrollTop + viewHeight) / PHOTO_ROW_HEIGHT) + OVERSCAN_ROWS;
  return { start: Math.min(total, first), end: Math.min(total, last) };
}
