import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sortIntoFolders } from '../../../src/main/classify/sort-files.ts';
import { tempDir } from '../../helpers.ts';

function photo(dir: string, name: string, content = name): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

describe('sortIntoFolders', () => {
  it('copies into one folder per class, adds a suffix instead of overwriting, and writes a manifest', async () => {
    const source = tempDir();
    const target = tempDir();
    const a = photo(source, 'a/shirt.jpg', 'first shirt');
    const b = photo(source, 'b/shirt.jpg', 'second shirt');
    const boot = photo(source, 'boot.png');
    photo(target, 'Shirt/shirt.jpg', 'already there');

    const outcome = await sortIntoFolders(
      [
        { file: a, label: 6, confidence: 0.91, reviewed: true },
        { file: b, label: 6, confidence: 0.55, reviewed: false },
        { file: boot, label: 9, confidence: 0.99, reviewed: false },
      ],
      target,
    );
    expect(outcome.failed).toEqual([]);
    expect(fs.readFileSync(path.join(target, 'Shirt/shirt.jpg'), 'utf8')).toBe('already there');
    expect(fs.readFileSync(path.join(target, 'Shirt/shirt (1).jpg'), 'utf8')).toBe('first shirt');
    expect(fs.readFileSync(path.join(target, 'Shirt/shirt (2).jpg'), 'utf8')).toBe('second shirt');
    expect(fs.existsSync(path.join(target, 'Ankle boot/boot.png'))).toBe(true);
    // Copy is the default: the originals stay.
    expect(fs.existsSync(a) && fs.existsSync(boot)).toBe(true);
    expect(fs.readFileSync(outcome.manifest, 'utf8').trim().split('\n')).toEqual([
      'file,class,confidence,reviewed,note',
      'Shirt/shirt (1).jpg,Shirt,0.9100,true,',
      'Shirt/shirt (2).jpg,Shirt,0.5500,false,',
      'Ankle boot/boot.png,Ankle boot,0.9900,false,',
    ]);
  });

  it('moves when asked, reports a vanished file and carries on, and never overwrites a manifest', async () => {
    const source = tempDir();
    const target = tempDir();
    const tee = photo(source, 'tee.jpg');
    const gone = path.join(source, 'gone.jpg');
    photo(target, 'manifest.csv', 'earlier manifest');
    const outcome = await sortIntoFolders(
      [
        { file: gone, label: 0, confidence: 0.8, reviewed: false },
        { file: tee, label: 0, confidence: 0.8, reviewed: false },
      ],
      target,
      { move: true },
    );
    expect(outcome.failed).toEqual([{ file: gone, error: 'the file is no longer there' }]);
    expect(outcome.sorted).toHaveLength(1);
    expect(fs.existsSync(tee)).toBe(false);
    expect(fs.existsSync(path.join(target, 'T-shirt-top/tee.jpg'))).toBe(true);
    expect(fs.readFileSync(path.join(target, 'manifest.csv'), 'utf8')).toBe('earlier manifest');
    expect(path.basename(outcome.manifest)).toBe('manifest (1).csv');
  });
});
