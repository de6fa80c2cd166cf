/**
 * How a training run's progress is told: the phases and their share of the progress bar. Without
 * TensorFlow.js, so the job bookkeeping in the main process can use it without loading the engine.
 */
import type { TrainProgress } from '../../shared/types.ts';

/** Progress of a job that has not started its work yet. */
export function initialProgress(epochs: number): TrainProgress {
  return { phase: 'loading', epoch: 0, epochs, batch: 0, batches: 0, loss: null, accuracy: null, imagesPerSecond: null, etaSeconds: null, fraction: 0 };
}

/** Share of the job's progress bar that each phase takes. */
export const PHASE_SPAN = { loading: [0, 0.02], training: [0.02, 0.9], evaluating: [0.9, 0.98], saving: [0.98, 1] } as const;
