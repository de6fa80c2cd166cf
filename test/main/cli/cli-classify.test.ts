import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, writeIdxSlice } from '../../helpers.ts';
import { writePhoto } from '../../photo-fixtures.ts';


describe('fashion-sorter classify', () => {
  it('prints one JSON object per file, with an error for a broken one, and sorts into class folders', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'w.db');
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    writeIdxSlice(data, 'train', 600);
    writeIdxSlice(data, 'test', 100);
    await cli('import', data, '--db', db);
    expect((await cli('train', '--model', 'mlp', '--epochs', '2', '--batch', '64', '--db', db, '--json')).code).toBe(0);

    const photos = path.join(dir, 'photos');
    await writePhoto(photos, 1);
    await writePhoto(photos, 2, { format: 'png' });
    fs.writeFileSync(path.join(photos, 'broken.jpg'), 'nope');
    const sorted = path.join(dir, 'sorted');
    const result = await cli('classify', photos, '--sort-into', sorted, '--db', db, '--json');
    expect(result.code).toBe(0);
    const items = JSON.parse(result.out);
    expect(items).toHaveLength(3);
    const broken = items.find((i: { file: string }) => i.file.endsWith('broken.jpg'));
    expect(broken).toEqual({ file: path.join(photos, 'broken.jpg'), error: expect.stringMatching(/not an image/) });
    const good = items.filter((i: { error?: string }) => !i.error);
    for (const item of good) {
      expect(Object.keys(item).sort()).toEqual(['className', 'confidence', 'file', 'label', 'top3']);
      expect(fs.existsSync(path.join(sorted, item.className.replace('/', '-'), path.basename(item.file)))).toBe(true);
    }
    expect(result.err).toMatch(/Copied 2 photos into/);
    expect(fs.existsSync(path.join(photos, 'item-1.jpg'))).toBe(true);
    expect(fs.readFileSync(path.join(sorted, 'manifest.csv'), 'utf8').split('\n')[0]).toBe('file,class,confidence,reviewed,note');

    // On a terminal: a table, with the unreadable file marked in it and its reason below.
    const human = await cli('classify', photos, '--db', db);
    expect(human.out).toMatch(/^broken\.jpg +unreadable +—/m);
    expect(human.out).not.toMatch(/not an image/);
    expect(human.err).toMatch(/^broken\.jpg: not an image/m);
  });
});
