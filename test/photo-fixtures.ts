/** Photos made from real Fashion-MNIST items: dark item on a light background, scaled up, as JPEG or PNG. */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { realSplit } from './fashion-data.ts';

/** Writes test image `index` as a photo of `size` pixels per side; returns its path. */
export async function writePhoto(dir: string, index: number, options: { size?: number; format?: 'jpeg' | 'png'; name?: string } = {}): Promise<string> {
  const size = options.size ?? 224;
  const { images } = realSplit('test');
  const negated = Buffer.from(images.subarray(index * 784, (index + 1) * 784).map((v) => 255 - v));
  const margin = Math.round(size * 0.15);
  const image = sharp(negated, { raw: { width: 28, height: 28, channels: 1 } })
    .resize(size - 2 * margin, size - 2 * margin, { kernel: 'cubic' })
    .extend({ top: margin, bottom: margin, left: margin, right: margin, background: '#ffffff' })
    .toColourspace('srgb');
  const format = options.format ?? 'jpeg';
  const file = path.join(dir, options.name ?? `item-${index}.${format === 'jpeg' ? 'jpg' : 'png'}`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await (format === 'jpeg' ? image.jpeg({ quality: 90 }) : image.png()).toFile(file);
  return file;
}

/** The true label of test image `index`. */
export function testLabel(index: number): number {
  return realSplit('test').labels[index];
}
