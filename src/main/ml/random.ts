/**
 * Every seed a run uses, derived from its one seed here and nowhere else. The run's random source
 * (`seededRandom(seeds.data)`) is made once per run and passed down; only threads of their own (the
 * data-parallel replicas) start a source from a derived seed.
 */
export function runSeeds(seed: number): {
  /** The validation split, each epoch's order, augmentation and dropout on the training thread. */
  data: number;
  /** Initial weights; each layer's initializer adds its own offset (models.ts). */
  weights: number;
  /** Replica `index`'s augmentation in data-parallel training. */
  replicaAugment(index: number): number;
  /** Replica `index`'s dropout masks in data-parallel training. */
  replicaDropout(index: number): number;
} {
  return {
    data: seed,
    weights: seed,
    replicaAugment: (index) => seed * 2 + index,
    replicaDropout: (index) => ((seed ^ 0x5eed) + index) >>> 0,
  };
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random permutation of 0…n−1 (Fisher–Yates). */
export function permutation(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
