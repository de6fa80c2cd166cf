import { describe, expect, it } from 'vitest';
import { featureDistances, fitFeatureDistance, isFeatureless, thresholdAtQuantile } from '../../../src/main/ml/feature-distance.ts';
import { realSplit } from '../../fashion-data.ts';

/** Deterministic standard normal numbers (mulberry32 + Box–Muller). */
function normals(count: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

/** Two classes in 2-D: class 0 around (0,0), class 1 around (10,0); spread 0.5 along x and 3 along y. */
function clusters(perClass: number, seed: number): { embeddings: Float32Array; labels: Uint8Array } {
  const noise = normals(perClass * 4, seed);
  const embeddings = new Float32Array(perClass * 4);
  const labels = new Uint8Array(perClass * 2);
  for (let i = 0; i < perClass * 2; i++) {
    const c = i < perClass ? 0 : 1;
    labels[i] = c;
    embeddings[i * 2] = c * 10 + 0.5 * noise[i * 2];
    embeddings[i * 2 + 1] = 3 * noise[i * 2 + 1];
  }
  return { embeddings, labels };
}

describe('fitFeatureDistance', () => {
  it('gives the Mahalanobis distance of the shrunk pooled covariance, to the nearest class', () => {
    // Arrange: each class has the four points mean ± (1,0), mean ± (0,2), so the pooled
    // within-class covariance is exactly diag(0.5, 2).
    const points = [
      [1, 0], [-1, 0], [0, 2], [0, -2],
      [11, 0], [9, 0], [10, 2], [10, -2],
    ];
    const embeddings = Float32Array.from(points.flat());
    const labels = Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1]);

    // Act
    const model = fitFeatureDistance(embeddings, 2, labels);
    const [atMean0, nearMean1, between] = featureDistances(model, Float32Array.from([0, 0, 10.5, 1, 4, 0]));

    // Assert: rebuild the covariance the model claims to use and compute distances by hand.
    const s = model.shrinkage;
    expect(s).toBeGreaterThanOrEqual(0);
    expect(s).toBeLessThanOrEqual(1);
    const mu = (0.5 + 2) / 2;
    const vx = (1 - s) * 0.5 + s * mu;
    const vy = (1 - s) * 2 + s * mu;
    expect(atMean0).toBeCloseTo(0, 4);
    expect(nearMean1).toBeCloseTo(Math.sqrt(0.25 / vx + 1 / vy), 3);
    expect(between).toBeCloseTo(Math.sqrt(16 / vx), 3); // 4 from class 0, 6 from class 1
    expect(model.classes).toEqual([0, 1]);
  });

  it('measures distance in units of each direction’s spread', () => {
    const { embeddings, labels } = clusters(500, 1);
    const model = fitFeatureDistance(embeddings, 2, labels);
    // 3 units along x (6 spreads) is far more unusual than 3 units along y (1 spread).
    const [alongX, alongY] = featureDistances(model, Float32Array.from([-3, 0, 0, 3]));
    expect(alongX).toBeGreaterThan(3 * alongY);
  });

  it('flags about the calibrated share of similar inputs and nearly all foreign ones', () => {
    // Arrange: fit on "training", calibrate on "validation", score fresh "test" and foreign points.
    const train = clusters(2000, 2);
    const validation = clusters(2000, 3);
    const test = clusters(2000, 4);
    const model = fitFeatureDistance(train.embeddings, 2, train.labels);
    const threshold = thresholdAtQuantile(featureDistances(model, validation.embeddings), 0.99);

    // Act
    const testScores = featureDistances(model, test.embeddings);
    const foreign = new Float32Array(200);
    const noise = normals(200, 5);
    for (let i = 0; i < 100; i++) {
      foreign[i * 2] = 5 + 0.5 * noise[i * 2]; // halfway between the classes
      foreign[i * 2 + 1] = 3 * noise[i * 2 + 1];
    }
    const foreignScores = featureDistances(model, foreign);

    // Assert
    const flaggedTest = testScores.filter((d) => d > threshold).length / testScores.length;
    const flaggedForeign = foreignScores.filter((d) => d > threshold).length / foreignScores.length;
    expect(flaggedTest).toBeGreaterThan(0.002);
    expect(flaggedTest).toBeLessThan(0.025);
    expect(flaggedForeign).toBeGreaterThan(0.95);
  });

  it('survives a JSON round trip with the same scores', () => {
    const { embeddings, labels } = clusters(100, 6);
    const model = fitFeatureDistance(embeddings, 2, labels);
    const copy = JSON.parse(JSON.stringify(model)) as typeof model;
    expect(featureDistances(copy, embeddings)).toEqual(featureDistances(model, embeddings));
  });

  it('stays finite when features never vary (dead ReLU units)', () => {
    const embeddings = new Float32Array(3 * 10); // three features, all zero, ten rows
    const labels = Uint8Array.from([0, 0, 0, 0, 0, 2, 2, 2, 2, 2]);
    const model = fitFeatureDistance(embeddings, 3, labels);
    expect(model.classes).toEqual([0, 2]);
    const [same, other] = featureDistances(model, Float32Array.from([0, 0, 0, 1, 0, 0]));
    expect(same).toBe(0);
    expect(Number.isFinite(other)).toBe(true);
    expect(other).toBeGreaterThan(100);
  });

  it('refuses sizes that do not fit together', () => {
    expect(() => fitFeatureDistance(new Float32Array(5), 2, new Uint8Array(3))).toThrow(/5 numbers do not make 3 embeddings of 2/);
    expect(() => fitFeatureDistance(new Float32Array(0), 2, new Uint8Array(0))).toThrow(/no embeddings/);
    const model = fitFeatureDistance(Float32Array.from([0, 0, 1, 1]), 2, Uint8Array.from([0, 1]));
    expect(() => featureDistances(model, new Float32Array(3))).toThrow(/not whole embeddings of 2/);
  });
});

describe('thresholdAtQuantile', () => {
  it('interpolates between order statistics', () => {
    const scores = Float32Array.from([5, 1, 4, 2, 3]);
    expect(thresholdAtQuantile(scores, 0)).toBe(1);
    expect(thresholdAtQuantile(scores, 1)).toBe(5);
    expect(thresholdAtQuantile(scores, 0.5)).toBe(3);
    expect(thresholdAtQuantile(scores, 0.9)).toBeCloseTo(4.6, 6);
  });

  it('refuses an empty list and a quantile outside [0, 1]', () => {
    expect(() => thresholdAtQuantile(new Float32Array(0), 0.5)).toThrow(/no scores/);
    expect(() => thresholdAtQuantile(Float32Array.from([1]), 1.5)).toThrow(/\[0, 1\]/);
  });
});

describe('featureless images', () => {
  it('no real Fashion-MNIST test image is featureless; an even square and faint noise are', () => {
    const { images } = realSplit('test');
    let flagged = 0;
    for (let k = 0; k < images.length / 784; k++) if (isFeatureless(images.subarray(k * 784, (k + 1) * 784))) flagged++;
    expect(flagged).toBe(0);
    expect(isFeatureless(new Uint8Array(784))).toBe(true);
    expect(isFeatureless(Uint8Array.from({ length: 784 }, (_, i) => 70 + ((i * 7919) % 17)))).toBe(true);
    // A bright item on black, like every Fashion-MNIST image, is not.
    expect(isFeatureless(Uint8Array.from({ length: 784 }, (_, i) => (i % 28 > 6 && i % 28 < 21 ? 200 : 0)))).toBe(false);
  });
});
