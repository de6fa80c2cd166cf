import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sortIntoFolders, type SortItem } from '../../../src/main/classify/sort-files.ts';
import { tempDir } from '../../helpers.ts';

function photo(dir: string, name: string, content = name): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

function item(file: string, label: number, over: Partial<SortItem> = {}): SortItem {
  return { file, name: path.basename(file), label, decidedBy: 'model', predicted: label, confidence: 0.8, unusual: false, needsReview: false, ...over };
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
        item(a, 6, { decidedBy: 'accepted', confidence: 0.91 }),
        // The model said Dress (3) at 54.8%; a person corrected it to Shirt.
        item(b, 6, { decidedBy: 'corrected', predicted: 3, confidence: 0.548 }),
        // Unusual, so the gate sent it to review, and nobody decided it: the manifest says so.
        item(boot, 9, { confidence: 0.99, unusual: true, needsReview: true }),
      ],
      target,
      { failures: [{ name: 'broken.jpg', error: 'not an image' }] },
    );
    expect(outcome.failed).toEqual([]);
    expect(fs.readFileSync(path.join(target, 'Shirt/shirt.jpg'), 'utf8')).toBe('already there');
    expect(fs.readFileSync(path.join(target, 'Shirt/shirt (1).jpg'), 'utf8')).toBe('first shirt');
    expect(fs.readFileSync(path.join(target, 'Shirt/shirt (2).jpg'), 'utf8')).toBe('second shirt');
    expect(fs.existsSync(path.join(target, 'Ankle boot/boot.png'))).toBe(true);
    // Copy is the default: the originals stay.
    expect(fs.existsSync(a) && fs.existsSync(boot)).toBe(true);
    expect(fs.readFileSync(outcome.manifest, 'utf8').trim().split('\n')).toEqual([
      'file,class,decided_by,model_class,model_confidence,unusual,error,note',
      'Shirt/shirt (1).jpg,Shirt,accepted,Shirt,0.9100,false,,',
      'Shirt/shirt (2).jpg,Shirt,corrected,Dress,0.5480,false,,',
      "Ankle boot/boot.png,Ankle boot,model,Ankle boot,0.9900,true,,not reviewed: sorted by the model's class",
      'broken.jpg,,,,,,not an image,',
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
        item(gone, 0, { name: 'gone-photo.jpg' }),
        item(tee, 0),
      ],
      target,
      { move: true },
    );
    // The failure names the photo as a person knows it, never the path the app kept it under.
    expect(outcome.failed).toEqual([{ file: 'gone-photo.jpg', error: 'the file is no longer there' }]);
    expect(fs.readFileSync(outcome.manifest, 'utf8')).toContain('gone-photo.jpg,,,,,,the file is no longer there');
    expect(fs.readFileSync(outcome.manifest, 'utf8')).not.toContain(source);
    expect(outcome.sorted).toHaveLength(1);
    expect(fs.existsSync(tee)).toBe(false);
    expect(fs.existsSync(path.join(target, 'T-shirt-top/tee.jpg'))).toBe(true);
    expect(fs.readFileSync(path.join(target, 'manifest.csv'), 'utf8')).toBe('earlier manifest');
    expect(path.basename(outcome.manifest)).toBe('manifest (1).csv');
  });
});
