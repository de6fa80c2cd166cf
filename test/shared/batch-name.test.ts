import { describe, expect, it } from 'vitest';
import { batchName, entriesOfPaths, entriesOfRelativePaths } from '../../src/shared/batch-name.ts';

describe('batch names', () => {
  it('a dropped folder is named by the folder and the count; files by the first and how many more', () => {
    expect(batchName(entriesOfRelativePaths(['shoes/a.jpg', 'shoes/b.jpg', 'shoes/sub/c.jpg']), 24)).toBe('shoes/ · 24 photos');
    expect(batchName(entriesOfRelativePaths(['IMG_0042.jpg', 'IMG_0043.jpg']), 12)).toBe('IMG_0042.jpg and 11 more');
    expect(batchName(entriesOfRelativePaths(['coat.png']), 1)).toBe('coat.png');
    expect(batchName(entriesOfRelativePaths(['shoes/a.jpg', 'boots/b.jpg', 'bags/c.jpg', 'hats/d.jpg']), 1200)).toBe('shoes/, boots/ and 2 more folders · 1,200 photos');
    // Files and folders together: named by the first file.
    expect(batchName(entriesOfRelativePaths(['shoes/a.jpg', 'extra.jpg']), 5)).toBe('extra.jpg and 4 more');
    expect(batchName([], 3)).toBe('3 photos');
  });

  it('paths on disk: a path that is not itself one of the photos is a folder', () => {
    expect(batchName(entriesOfPaths(['/home/me/shoes/'], ['/home/me/shoes/a.jpg', '/home/me/shoes/b.jpg']), 2)).toBe('shoes/ · 2 photos');
    expect(batchName(entriesOfPaths(['/tmp/x/IMG_1.jpg', '/tmp/x/IMG_2.jpg'], ['/tmp/x/IMG_1.jpg', '/tmp/x/IMG_2.jpg']), 2)).toBe('IMG_1.jpg and 1 more');
    expect(entriesOfPaths(['C:\\photos\\shirt.png'], ['C:\\photos\\shirt.png'])).toEqual([{ name: 'shirt.png', folder: false }]);
  });
});
