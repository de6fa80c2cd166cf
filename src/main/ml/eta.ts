/**
 * How long a training job has left: the batches still to train, the validation pass after each epoch,
 * and the final predictions on every test and training image, which take a noticeable share of a run
 * (about 76,000 forward passes whatever the run's limit).
 *
 * The step time is the mean of the later half of the steps seen so far, so the slow first batches (kernel
 * compilation, the replica starting, caches warming) do not inflate it. The pause between epochs is
 * measured once an epoch has ended; before that it is predicted from the step time, as is the final
 * evaluation: a forward pass costs about a third of a training step per image (backward is about twice
 * forward). No estimate is given before 2% of the batches, when the step time is still mostly warm-up.
 */

/** Share of all batches after which the first estimate is given. */
export const FIRST_ESTIMATE_SHARE = 0.02;
/** Forward-pass time per image as a share of a training step's time per image, until measured. */
export const FORWARD_SHARE = 1 / 3;
/** Fewest validation images for the pause between epochs to say how fast forward passes are. */
const MIN_IMAGES_TO_CALIBRATE = 500;

export interface EtaPlan {
  epochs: number;
  batchesPerEpoch: number;
  /** Images in one training batch. */
  batchSize: number;
  /** Images predicted after every epoch to pick the best one. */
  validationImages: number;
  /** Images predicted once training ends: the test split, the training split and the validation images. */
  evaluationImages: number;
}

/** Collects batch timings as they arrive and estimates the seconds the job has left. */
export class EtaEstimator {
  private readonly plan: EtaPlan;
  /** Durations of steps inside an epoch, in order; the first batch of each epoch is not a step. */
  private readonly steps: number[] = [];
  /** Pauses between the last batch of an epoch and the first of the next, less one step. */
  private readonly pauses: number[] = [];
  private last: { epoch: number; batch: number; at: number } | null = null;
  private batchesDone = 0;
  private evaluationStartedAt: number | null = null;

  constructor(plan: EtaPlan) {
    this.plan = plan;
  }

  /** Records that batch `batch` (1-based) of 0-based `epoch` ended at `atSeconds`. */
  recordBatch(epoch: number, batch: number, atSeconds: number): void {
    const last = this.last;
    if (last && last.epoch === epoch && batch === last.batch + 1) this.steps.push(atSeconds - last.at);
    else if (last && epoch === last.epoch + 1 && batch === 1) this.pauses.push(Math.max(0, atSeconds - last.at - this.stepSeconds()));
    this.last = { epoch, batch, at: atSeconds };
    this.batchesDone = epoch * this.plan.batchesPerEpoch + batch;
  }

  /** Records that training ended and the final predictions began. */
  startEvaluation(atSeconds: number): void {
    this.evaluationStartedAt = atSeconds;
  }

  /** Seconds left at `nowSeconds`, or null while there is too little to go on. */
  remainingSeconds(nowSeconds: number): number | null {
    const { epochs, batchesPerEpoch } = this.plan;
    if (this.evaluationStartedAt !== null) {
      const evaluation = this.evaluationSeconds();
      return evaluation === null ? null : Math.max(0, evaluation - (nowSeconds - this.evaluationStartedAt));
    }
    const total = epochs * batchesPerEpoch;
    if (this.steps.length < 2 || this.batchesDone < Math.max(2, Math.ceil(total * FIRST_ESTIMATE_SHARE))) return null;
    const step = this.stepSeconds();
    const sinceLast = this.last ? Math.max(0, nowSeconds - this.last.at) : 0;
    const batchesLeft = total - this.batchesDone;
    // Epochs whose validation pass is still to come: this one's and every later one's.
    const pausesLeft = epochs - (this.last?.epoch ?? 0);
    return Math.max(0, batchesLeft * step - sinceLast) + pausesLeft * this.pauseSeconds() + this.evaluationSeconds()!;
  }

  /** Mean step time over the later half of the steps seen (warm-up excluded). */
  private stepSeconds(): number {
    if (this.steps.length === 0) return 0;
    const later = this.steps.slice(Math.floor(this.steps.length / 2));
    return later.reduce((a, b) => a + b, 0) / later.length;
  }

  /** Forward-pass seconds per image: measured from the pauses between epochs once there are some. */
  private forwardSecondsPerImage(): number {
    if (this.pauses.length > 0 && this.plan.validationImages >= MIN_IMAGES_TO_CALIBRATE) {
      return this.pauseSeconds() / this.plan.validationImages;
    }
    return (this.stepSeconds() / this.plan.batchSize) * FORWARD_SHARE;
  }

  private pauseSeconds(): number {
    if (this.pauses.length > 0) return this.pauses.reduce((a, b) => a + b, 0) / this.pauses.length;
    return this.plan.validationImages * this.forwardSecondsPerImage();
  }

  private evaluationSeconds(): number | null {
    if (this.steps.length === 0) return null;
    return this.plan.evaluationImages * this.forwardSecondsPerImage();
  }
}
