/** What the Train view says about a job, in words, for every phase and final state. */
import type { TrainJobUpdate } from '../../../shared/types.ts';
import { percent as formatPercent } from '../../../shared/format.ts';

/** "about 4 min 10 s left", or "" when there is no estimate. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  const s = Math.max(1, Math.ceil(seconds));
  if (s >= 3600) return `about ${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min left`;
  return s >= 60 ? `about ${Math.floor(s / 60)} min ${s % 60} s left` : `about ${s} s left`;
}

const percent = (x: number): string => formatPercent(x, 1);

/** The line under the progress bar. */
export function statusText(update: TrainJobUpdate): string {
  const p = update.progress;
  switch (update.state) {
    case 'succeeded':
      return update.run?.testAccuracy != null ? `Finished: ${percent(update.run.testAccuracy)} of the test images right.` : 'Finished.';
    case 'failed':
      return `Failed: ${update.error ?? 'no reason given'}`;
    case 'cancelled':
      return 'Cancelled; the run is kept, marked cancelled.';
  }
  const eta = formatEta(p.etaSeconds);
  switch (p.phase) {
    case 'loading':
      return 'Loading the training images from the workspace…';
    case 'training': {
      const speed = p.imagesPerSecond ? ` · ${Math.round(p.imagesPerSecond).toLocaleString('en-US')} images/s` : '';
      return `Epoch ${p.epoch} of ${p.epochs}, batch ${p.batch} of ${p.batches}${speed} · ${eta || 'estimating the time left…'}`;
    }
    case 'evaluating':
      return `Scoring every test and training image with the best epoch's weights…${eta ? ` ${eta}` : ''}`;
    case 'saving':
      return 'Saving the model and its predictions…';
  }
}
