/**
 * Turns a photo of one clothing item into a Fashion-MNIST image, the way the dataset itself was made
 * (Xiao, Rasul and Vollgraf, 2017): trim the background, resize so the longest side is 28, centre on a
 * 28×28 canvas, grayscale, and make the item light on a black background.
 *
 * Unlike the paper's pipeline, which assumed white product shots, the background is detected from the
 * photo's border: it may be light, dark or coloured, and the output background is 0 in every case.
 * Dataset import (class folders) and photo classification both call this module.
 */
import sharp, { type Metadata, type Sharp } from 'sharp';
import { IMAGE_SIZE, PIXELS_PER_IMAGE } from '../../shared/classes.ts';
import { AppError } from '../../shared/errors.ts';

/** Photos larger than this are refused rather than risking memory on a shared machine. */
export const MAX_INPUT_MEGAPIXELS = 50;
/** Working resolution for background detection and trimming; fine enough, and JPEG decodes at a fraction. */
const WORKING_SIZE = 256;
/** A pixel belongs to the item when its RGB distance from the background exceeds this share of the maximum. */
const TRIM_DISTANCE_FRACTION = 0.1;
/** Rows and columns with fewer item pixels than this share of their length are noise, not item. */
const TRIM_MIN_FRACTION = 0.01;
const MAX_RGB_DISTANCE = Math.sqrt(3 * 255 * 255);

export interface ConvertedImage {
  /** 28×28 grayscale, item light on black, row-major. */
  pixels: Uint8Array;
  /** Whether the photo's background was light or dark. */
  background: 'light' | 'dark';
  /** The photo's size after EXIF orientation. */
  width: number;
  height: number;
}

/** Median of each channel over the photo's outer border: the background colour. */
function borderColour(rgb: Uint8Array, width: number, height: number): [number, number, number] {
  const samples: number[][] = [[], [], []];
  const take = (x: number, y: number): void => {
    const at = (y * width + x) * 3;
    for (let c = 0; c < 3; c++) samples[c].push(rgb[at + c]);
  };
  for (let x = 0; x < width; x++) {
    take(x, 0);
    take(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    take(0, y);
    take(width - 1, y);
  }
  return samples.map((s) => {
    s.sort((a, b) => a - b);
    return s[s.length >> 1];
  }) as [number, number, number];
}

const luminance = (r: number, g: number, b: number): number => 0.299 * r + 0.587 * g + 0.114 * b;

/** Bounding box of the pixels that differ from the background, ignoring thin noise. */
function itemBounds(mask: Uint8Array, width: number, height: number): { left: number; top: number; right: number; bottom: number } | null {
  const rowCounts = new Uint32Array(height);
  const colCounts = new Uint32Array(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask[y * width + x]) {
        rowCounts[y]++;
        colCounts[x]++;
      }
    }
  }
  const minInRow = Math.max(1, Math.floor(width * TRIM_MIN_FRACTION));
  const minInCol = Math.max(1, Math.floor(height * TRIM_MIN_FRACTION));
  let top = 0;
  while (top < height && rowCounts[top] < minInRow) top++;
  let bottom = height - 1;
  while (bottom > top && rowCounts[bottom] < minInRow) bottom--;
  let left = 0;
  while (left < width && colCounts[left] < minInCol) left++;
  let right = width - 1;
  while (right > left && colCounts[right] < minInCol) right--;
  if (top >= height || left >= width) return null;
  return { left, top, right, bottom };
}

/** Decodes any image sharp reads, honouring EXIF orientation, into RGB at working size. */
async function decode(input: Buffer | string): Promise<{ rgb: Uint8Array; width: number; height: number; original: { width: number; height: number } }> {
  let image: Sharp;
  let metadata: Metadata;
  try {
    image = sharp(input, { limitInputPixels: false, failOn: 'error', animated: false });
    metadata = await image.metadata();
  } catch (error) {
    throw new AppError('invalid-argument', `not an image this app can read (${(error as Error).message})`);
  }
  const rotated = (metadata.orientation ?? 1) >= 5;
  const width = (rotated ? metadata.height : metadata.width) ?? 0;
  const height = (rotated ? metadata.width : metadata.height) ?? 0;
  const megapixels = (width * height) / 1e6;
  if (megapixels > MAX_INPUT_MEGAPIXELS) {
    throw new AppError('invalid-argument', `the image is ${megapixels.toFixed(0)} megapixels; the limit is ${MAX_INPUT_MEGAPIXELS}`);
  }
  try {
    const { data, info } = await image
      .rotate()
      .flatten({ background: '#ffffff' })
      .resize(WORKING_SIZE, WORKING_SIZE, { fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { rgb: data, width: info.width, height: info.height, original: { width, height } };
  } catch (error) {
    throw new AppError('invalid-argument', `the image data is damaged or incomplete (${(error as Error).message})`);
  }
}

/**
 * Converts a photo (a path or its bytes) to a 28×28 Fashion-MNIST image.
 * Throws AppError('invalid-argument') with a message fit for a per-file error list.
 */
export async function toFashionMnist(input: Buffer | string): Promise<ConvertedImage> {
  const { rgb, width, height, original } = await decode(input);
  const background = borderColour(rgb, width, height);
  const backgroundLuma = luminance(...background);
  const light = backgroundLuma >= 128;

  // Item mask: colour far enough from the background.
  const threshold = TRIM_DISTANCE_FRACTION * MAX_RGB_DISTANCE;
  const mask = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < mask.length; i++, p += 3) {
    const dr = rgb[p] - background[0];
    const dg = rgb[p + 1] - background[1];
    const db = rgb[p + 2] - background[2];
    mask[i] = dr * dr + dg * dg + db * db > threshold * threshold ? 1 : 0;
  }
  const bounds = itemBounds(mask, width, height) ?? { left: 0, top: 0, right: width - 1, bottom: height - 1 };
  const cropWidth = bounds.right - bounds.left + 1;
  const cropHeight = bounds.bottom - bounds.top + 1;

  // Grayscale with the background at 0 and the item bright: how far each pixel's luminance departs
  // from the background's, in the direction away from it, stretched to the full range.
  const range = light ? backgroundLuma : 255 - backgroundLuma;
  const scale = range > 8 ? 255 / range : 255 / 8;
  const intensity = Buffer.alloc(cropWidth * cropHeight);
  for (let y = 0; y < cropHeight; y++) {
    for (let x = 0; x < cropWidth; x++) {
      const p = ((y + bounds.top) * width + (x + bounds.left)) * 3;
      const luma = luminance(rgb[p], rgb[p + 1], rgb[p + 2]);
      const departure = light ? backgroundLuma - luma : luma - backgroundLuma;
      // An item of the background's brightness but another colour still shows, faintly.
      const colourDistance = mask[(y + bounds.top) * width + (x + bounds.left)] ? 24 : 0;
      intensity[y * cropWidth + x] = Math.max(0, Math.min(255, Math.round(Math.max(departure * scale, colourDistance))));
    }
  }

  // Longest side to 28, keeping the aspect ratio, then centre on a black canvas.
  const fit = IMAGE_SIZE / Math.max(cropWidth, cropHeight);
  const targetWidth = Math.max(1, Math.round(cropWidth * fit));
  const targetHeight = Math.max(1, Math.round(cropHeight * fit));
  const resized = await sharp(intensity, { raw: { width: cropWidth, height: cropHeight, channels: 1 } })
    .resize(targetWidth, targetHeight, { fit: 'fill', kernel: 'lanczos3' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  const pixels = new Uint8Array(PIXELS_PER_IMAGE);
  const offsetX = (IMAGE_SIZE - targetWidth) >> 1;
  const offsetY = (IMAGE_SIZE - targetHeight) >> 1;
  for (let y = 0; y < targetHeight; y++) {
    pixels.set(resized.subarray(y * targetWidth, (y + 1) * targetWidth), (y + offsetY) * IMAGE_SIZE + offsetX);
  }
  return { pixels, background: light ? 'light' : 'dark', width: original.width, height: original.height };
}
