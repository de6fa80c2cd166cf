import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { toFashionMnist } from '../../../src/main/imaging/fashion-convert.ts';
import { realSplit } from '../../helpers.ts';

/** The real test image `index`: item light on black, as Fashion-MNIST stores it. */
const original = (index: number): Uint8Array => new Uint8Array(realSplit('test').images.subarray(index * 784, (index + 1) * 784));

/** Pearson correlation of two images: 1 means the same picture up to brightness and contrast. */
function correlation(a: Uint8Array, b: Uint8Array): number {
  const mean = (x: Uint8Array): number => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/**
 * Renders a Fashion-MNIST item as a colour photo: scaled up, placed on a canvas of another size, the
 * item's intensity blended from the background colour towards `itemColour`.
 */
async function photo(
  pixels: Uint8Array,
  options: { scale: number; canvas: [number, number]; at: [number, number]; background: [number, number, number]; itemColour: [number, number, number] },
): Promise<Buffer> {
  const size = 28 * options.scale;
  const alpha = await sharp(Buffer.from(pixels), { raw: { width: 28, height: 28, channels: 1 } }).resize(size, size, { kernel: 'cubic' }).extractChannel(0).raw().toBuffer();
  const [w, h] = options.canvas;
  const rgb = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const ix = x - options.at[0];
      const iy = y - options.at[1];
      const t = ix >= 0 && iy >= 0 && ix < size && iy < size ? alpha[iy * size + ix] / 255 : 0;
      for (let c = 0; c < 3; c++) rgb[(y * w + x) * 3 + c] = Math.round(options.background[c] * (1 - t) + options.itemColour[c] * t);
    }
  }
  return sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
}

/** Best correlation over shifts of up to one pixel: the dataset's own centring is off by a pixel at times. */
function alignedCorrelation(a: Uint8Array, b: Uint8Array): number {
  let best = -1;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const shifted = new Uint8Array(784);
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const sy = y + dy;
          const sx = x + dx;
          if (sy >= 0 && sy < 28 && sx >= 0 && sx < 28) shifted[y * 28 + x] = a[sy * 28 + sx];
        }
      }
      best = Math.max(best, correlation(shifted, b));
    }
  }
  return best;
}

describe('toFashionMnist', () => {
  // Test images: 0 ankle boot, 1 pullover, 2 trouser, 3 trouser (narrow), 4 shirt.
  const cases = [
    { name: 'dark item on a white background, centred', index: 0, background: [255, 255, 255], itemColour: [0, 0, 0], canvas: [200, 200], at: [44, 44], expect: 'light' },
    { name: 'light item on a black background, off-centre', index: 1, background: [0, 0, 0], itemColour: [250, 250, 250], canvas: [400, 160], at: [20, 20], expect: 'dark' },
    { name: 'pale item on a blue background', index: 4, background: [40, 80, 190], itemColour: [235, 235, 240], canvas: [180, 260], at: [60, 120], expect: 'dark' },
    { name: 'dark item on a beige background, tall photo', index: 2, background: [235, 220, 190], itemColour: [30, 20, 10], canvas: [140, 600], at: [40, 300], expect: 'light' },
  ] as const;

  for (const c of cases) {
    it(`recovers the 28×28 image from a ${c.name}`, async () => {
      const input = await photo(original(c.index), { scale: 4, canvas: [...c.canvas], at: [...c.at], background: [...c.background], itemColour: [...c.itemColour] });
      const result = await toFashionMnist(input);
      expect(result.background).toBe(c.expect);
      expect(result.pixels).toHaveLength(784);
      // Background corners come out black, as in the dataset.
      expect([result.pixels[0], result.pixels[27], result.pixels[756], result.pixels[783]]).toEqual([0, 0, 0, 0]);
      expect(alignedCorrelation(result.pixels, original(c.index))).toBeGreaterThan(0.9);
    });
  }

  it('honours EXIF orientation', async () => {
    const upright = original(2);
    // Store the picture turned a quarter anticlockwise and tag it "rotate 90° clockwise to display".
    const stored = await sharp(Buffer.from(upright.map((v) => 255 - v)), { raw: { width: 28, height: 28, channels: 1 } })
      .resize(112, 112)
      .rotate(-90)
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const result = await toFashionMnist(stored);
    expect(result.width).toBe(112);
    expect(alignedCorrelation(result.pixels, upright)).toBeGreaterThan(0.9);
  });

  it('gives clear errors for a non-image, an empty file, a truncated JPEG and a huge image', async () => {
    await expect(toFashionMnist(Buffer.from('hello, world'))).rejects.toThrow(/not an image this app can read/);
    await expect(toFashionMnist(Buffer.alloc(0))).rejects.toThrow(/not an image this app can read/);
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#884422' } }).jpeg().toBuffer();
    await expect(toFashionMnist(jpeg.subarray(0, jpeg.length / 2))).rejects.toThrow(/damaged or incomplete/);
    // A 100-megapixel PNG compresses to almost nothing; the check reads only the header.
    const huge = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#fff' } }).png({ compressionLevel: 1 }).toBuffer();
    await expect(toFashionMnist(huge)).rejects.toThrow(/100 megapixels; the limit is 50/);
  });
});
