/** Photos that are clearly not clothing: noise, geometric shapes and a mug, drawn with sharp. */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** Deterministic bytes from a seed (mulberry32). */
function bytes(count: number, seed: number): Buffer {
  let s = seed >>> 0;
  const out = Buffer.alloc(count);
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 255;
  }
  return out;
}

const SHAPES: Record<string, string> = {
  circle: '<circle cx="112" cy="112" r="70" fill="#202020"/>',
  ring: '<circle cx="112" cy="112" r="70" fill="none" stroke="#202020" stroke-width="18"/>',
  star: '<polygon points="112,20 135,85 205,85 150,125 170,195 112,155 54,195 74,125 20,85 89,85" fill="#202020"/>',
  cross: '<rect x="97" y="30" width="30" height="164" fill="#202020"/><rect x="30" y="97" width="164" height="30" fill="#202020"/>',
  mug: '<rect x="60" y="60" width="90" height="110" rx="8" fill="#303030"/><circle cx="160" cy="115" r="28" fill="none" stroke="#303030" stroke-width="12"/>',
  checkerboard: Array.from({ length: 8 }, (_, r) => Array.from({ length: 8 }, (_, c) => ((r + c) % 2 ? `<rect x="${32 + c * 20}" y="${32 + r * 20}" width="20" height="20" fill="#202020"/>` : '')).join('')).join(''),
  letter: '<text x="112" y="170" font-size="180" font-family="sans-serif" text-anchor="middle" fill="#202020">A</text>',
  diagonal: '<line x1="30" y1="30" x2="194" y2="194" stroke="#202020" stroke-width="24"/>',
};

/** The kinds of foreign photo `writeForeignPhoto` can make. */
export const FOREIGN_KINDS = ['blank', 'noise', 'gray-noise', ...Object.keys(SHAPES)] as const;
export type ForeignKind = (typeof FOREIGN_KINDS)[number];

/** Writes a 224×224 photo of a non-clothing kind; `seed` varies noise. Returns its path. */
export async function writeForeignPhoto(dir: string, kind: ForeignKind, seed = 1): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${kind}-${seed}.png`);
  const size = 224;
  if (kind === 'blank') {
    await sharp({ create: { width: size, height: size, channels: 3, background: '#ffffff' } }).png().toFile(file);
  } else if (kind === 'noise' || kind === 'gray-noise') {
    const channels = kind === 'noise' ? 3 : 1;
    await sharp(bytes(size * size * channels, seed), { raw: { width: size, height: size, channels } }).png().toFile(file);
  } else {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="#ffffff"/>${SHAPES[kind]}</svg>`;
    await sharp(Buffer.from(svg)).png().toFile(file);
  }
  return file;
}
