/** Seeded label noise for the label-scan tests and benchmark (no test-runner imports here). */
import { permutation, seededRandom } from '../src/main/ml/random.ts';

/** Classes people confuse, each with its partner: T-shirt/top ↔ Shirt, Pullover ↔ Coat, Sandal ↔ Sneaker. */
export const CONFUSABLE_PARTNER: Readonly<Record<number, number>> = { 0: 6, 6: 0, 2: 4, 4: 2, 5: 7, 7: 5 };

/**
 * Flips a seeded set of labels in place: `randomShare` of all images to a uniformly random other class,
 * then `confusableShare` of all images (drawn from the confusable classes) to their partner class.
 * Returns the positions flipped, each once, and their original labels.
 */
export function injectLabelNoise(labels: Uint8Array, options: { randomShare: number; confusableShare: number; seed: number }): { flipped: Int32Array; original: Uint8Array } {
  const random = seededRandom(options.seed);
  const order = permutation(labels.length, random);
  const randomCount = Math.round(labels.length * options.randomShare);
  const confusableCount = Math.round(labels.length * options.confusableShare);
  const flipped: number[] = [];
  let k = 0;
  for (; k < order.length && flipped.length < randomCount; k++) flipped.push(order[k]);
  for (let taken = 0; k < order.length && taken < confusableCount; k++) {
    if (CONFUSABLE_PARTNER[labels[order[k]]] === undefined) continue;
    flipped.push(order[k]);
    taken++;
  }
  const original = Uint8Array.from(flipped, (i) => labels[i]);
  flipped.forEach((i, r) => {
    const partner = CONFUSABLE_PARTNER[labels[i]];
    if (r >= randomCount) labels[i] = partner;
    else labels[i] = (labels[i] + 1 + Math.floor(random() * 9)) % 10;
  });
  return { flipped: Int32Array.from(flipped), original };
}

/** Precision, recall and F1 of a set of found positions against the flipped ones, and precision of the top N of a ranking. */
export function scoreAgainstFlips(flipped: ArrayLike<number>, found: readonly number[], ranking: readonly number[], topN = flipped.length): { found: number; precision: number; recall: number; f1: number; topNPrecision: number } {
  const truth = new Set(Array.from(flipped));
  const hits = found.filter((i) => truth.has(i)).length;
  const precision = found.length ? hits / found.length : 0;
  const recall = truth.size ? hits / truth.size : 0;
  const top = ranking.slice(0, topN);
  return { found: found.length, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, topNPrecision: top.length ? top.filter((i) => truth.has(i)).length / topN : 0 };
}
