/**
 * Label scan quality and speed: flips a known, seeded set of Fashion-MNIST's 60,000 training labels (3%
 * to a random other class, 2% between the confusable pairs T-shirt/top ↔ Shirt, Pullover ↔ Coat,
 * Sandal ↔ Sneaker) through the workspace, runs a scan as the app does (its own process, start to
 * stored results, embeddings included), and scores the stored issues against the flips: precision,
 * recall and F1 of the issues listed, precision of the top N of the ranking (N = flips), seconds.
 * Fashion-MNIST's own wrong labels count as false positives.
 *
 *   --scans mlp:4:10,cnn:4:3   the scans to measure, model:folds:epochs (default: the default scan)
 *   --leave-out-epochs N       afterwards, train the MLP for N epochs on the noisy labels twice, with and
 *                              without leaving out the images under suspicion (the last scan's issues),
 *                              and report both test accuracies
 */
import { relabelImage } from '../src/main/db/images.ts';
import { getScan, scanIssues } from '../src/main/db/label-scans.ts';
import { LABEL_SCAN_DEFAULTS, type LabelScanRequest } from '../src/shared/label-scan.ts';
import { injectLabelNoise, scoreAgainstFlips } from '../test/label-noise.ts';
import { withFashionWorkspace } from './bench-util.ts';

const round = (x: number): number => Number(x.toFixed(4));

/** Parses `model:folds:epochs[:seed]`. */
function parseScan(text: string): LabelScanRequest {
  const [model, folds, epochs, seed] = text.split(':');
  if (model !== 'mlp' && model !== 'cnn') throw new Error(`--scans: "${text}" must look like mlp:4:10 or cnn:4:3.`);
  return { model, folds: Number(folds) || undefined, epochs: Number(epochs) || undefined, seed: seed === undefined ? undefined : Number(seed), keepOld: true };
}

export async function benchLabels(scans: string | undefined, leaveOutEpochs?: number): Promise<Record<string, unknown>> {
  const requests = scans ? scans.split(',').map(parseScan) : [{ ...LABEL_SCAN_DEFAULTS, keepOld: true }];
  return withFashionWorkspace('labels', async ({ db, scans, jobs }) => {
    const train = db.prepare("SELECT id, label FROM images WHERE split = 'train' ORDER BY id").all() as { id: number; label: number }[];
    const labels = Uint8Array.from(train, (r) => r.label);
    const { flipped } = injectLabelNoise(labels, { randomShare: 0.03, confusableShare: 0.02, seed: 2024 });
    db.transaction(() => {
      const now = new Date();
      for (const i of flipped) relabelImage(db, train[i].id, labels[i], 'review', now);
    })();
    const flippedIds = Int32Array.from(flipped, (i) => train[i].id);
    const results: Record<string, unknown>[] = [];
    for (const request of requests) {
      const started = performance.now();
      const { jobId, scanId } = scans.start(request);
      const final = await scans.whenFinished(jobId);
      const wallSeconds = (performance.now() - started) / 1000;
      if (final.state !== 'succeeded') throw new Error(`Scan ${scanId} ${final.state}: ${final.error ?? ''}`);
      const scan = getScan(db, scanId)!;
      const { issues } = scanIssues(db, scanId, { includeResolved: true });
      const found = issues.map((i) => i.imageId);
      const score = scoreAgainstFlips(flippedIds, found, found);
      results.push({
        scan: scan.settings,
        flips: flipped.length,
        issuesListed: score.found,
        precision: round(score.precision),
        recall: round(score.recall),
        f1: round(score.f1),
        topNPrecision: round(score.topNPrecision),
        outOfFoldAccuracy: round(scan.results!.outOfFoldAccuracy),
        seconds: round(wallSeconds),
        noiseRates: scan.results!.noiseRates.map(round),
        overlappingPairs: scan.results!.overlapping.slice(0, 3).map((p) => ({ ...p, share: round(p.share) })),
        nearDuplicates: scan.results!.nearDuplicates,
        outliers: scan.results!.outliers,
      });
      // Each scan takes minutes: say what it measured as soon as it has.
      console.error(JSON.stringify(results.at(-1)));
    }
    if (!leaveOutEpochs) return { scans: results };
    const leaveOut: Record<string, unknown>[] = [];
    for (const excludeSuspects of [false, true]) {
      const { jobId, runId } = jobs.start({ model: 'mlp', epochs: leaveOutEpochs, seed: 1, excludeSuspects });
      const final = await jobs.whenFinished(jobId);
      if (final.state !== 'succeeded') throw new Error(`Run ${runId} ${final.state}: ${final.error ?? ''}`);
      leaveOut.push({ excludeSuspects, epochs: leaveOutEpochs, trainImages: final.run!.trainImages, testAccuracy: round(final.run!.testAccuracy!) });
      console.error(JSON.stringify(leaveOut.at(-1)));
    }
    return { scans: results, leaveOut };
  });
}
