/** The ten Fashion-MNIST classes, indexed by label. */
export const CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export type ClassName = (typeof CLASS_NAMES)[number];

export const CLASS_COUNT = CLASS_NAMES.length;

/** Side length of a Fashion-MNIST image in pixels. */
export const IMAGE_SIZE = 28;

/** Number of pixels in one image (28 × 28). */
export const PIXELS_PER_IMAGE = IMAGE_SIZE * IMAGE_SIZE;

/** Names people give class folders, folded by `foldClassName`, mapped to labels. */
const CLASS_ALIASES: Record<string, number> = {
  tshirttop: 0,
  tshirt: 0,
  tee: 0,
  top: 0,
  trouser: 1,
  trousers: 1,
  pants: 1,
  pullover: 2,
  sweater: 2,
  dress: 3,
  coat: 4,
  sandal: 5,
  sandals: 5,
  shirt: 6,
  sneaker: 7,
  sneakers: 7,
  bag: 8,
  bags: 8,
  ankleboot: 9,
  ankleboots: 9,
  boot: 9,
  boots: 9,
};

/** Lower-cases a name and drops everything but letters, so `T-shirt_top` and `tshirt/top` compare equal. */
function foldClassName(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

/**
 * Label for a class folder's name, or undefined when it names no class.
 * Matching is case-insensitive and ignores punctuation, so `tshirt`, `T-shirt_top` and `ankle_boot` all match;
 * a leading label number (`0_tshirt`, `9`) is honoured as well.
 */
export function classFromFolderName(name: string): number | undefined {
  const numbered = /^(\d)(?:$|[^0-9])/.exec(name.trim());
  if (numbered && foldClassName(name).length === 0) return Number(numbered[1]);
  const folded = foldClassName(name);
  if (folded in CLASS_ALIASES) return CLASS_ALIASES[folded];
  if (numbered) return Number(numbered[1]);
  return undefined;
}

/** A file-system-safe folder name for a class, used when sorting photos into folders. */
export function classFolderName(label: number): string {
  return CLASS_NAMES[label].replace('/', '-');
}
