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
      expect(Object.keys(item).sort()).toEqual(expect.arrayContaining(['className', 'confidence', 'decidedBy', 'file', 'label', 'needsReview', 'predicted', 'predictedClassName', 'top3', 'unusual']));
      // Nobody decided yet: the final class is the model's.
      expect(item).toMatchObject({ decidedBy: 'model', label: item.predicted, className: item.predictedClassName });
      expect(fs.existsSync(path.join(sorted, item.className.replace('/', '-'), path.basename(item.file)))).toBe(true);
    }
    expect(result.err).toMatch(/Copied 2 photos into/);
    // Photos the gate sent to review, sorted unreviewed, are counted aloud (the window asks first).
    const unreviewed = good.filter((i: { needsReview: boolean }) => i.needsReview).length;
    if (unreviewed > 0) expect(result.err).toContain(`${unreviewed} of them needed review and no one has reviewed them`);
    else expect(result.err).not.toContain('needed review');
    expect(fs.existsSync(path.join(photos, 'item-1.jpg'))).toBe(true);
    const manifest = fs.readFileSync(path.join(sorted, 'manifest.csv'), 'utf8').split('\n');
    expect(manifest[0]).toBe('file,class,decided_by,model_class,model_confidence,unusual,error,note');
    expect(manifest.find((l) => l.startsWith('broken.jpg,'))).toMatch(/^broken\.jpg,,,,,,.*not an image/);

    // The same photos into the same folder again: refused, naming --again; with --again they go.
    const twice = await cli('classify', photos, '--sort-into', sorted, '--db', db, '--json');
    expect(twice.code).toBe(1);
    expect(twice.err).toMatch(/already sorted into .*--again/);
    expect(fs.readdirSync(sorted)).toEqual(expect.not.arrayContaining(['manifest (1).csv']));
    expect((await cli('classify', photos, '--sort-into', sorted, '--again', '--db', db, '--json')).code).toBe(0);
    expect(fs.existsSync(path.join(sorted, 'manifest (1).csv'))).toBe(true);

    // Stored batches: listed, and one can be sorted later by its id.
    const listed = JSON.parse((await cli('batches', '--db', db, '--json')).out) as { batchId: string; name: string; classified: number; failed: number; sortedInto: string | null }[];
    expect(listed).toHaveLength(3);
    expect(listed.every((b) => b.classified === 2 && b.failed === 1)).toBe(true);
    // Named by what they hold: the folder and its count, beside the date.
    expect(listed.map((b) => b.name)).toEqual(['photos/ · 3 photos', 'photos/ · 3 photos', 'photos/ · 3 photos']);
    expect((await cli('batches', '--db', db)).out).toMatch(/^\S{8} +photos\/ · 3 photos +\d{4}-\d\d-\d\d \d\d:\d\d /m);
    const later = path.join(dir, 'later');
    const fromBatch = await cli('classify', '--from-batch', listed[0].batchId.slice(0, 8), '--sort-into', later, '--db', db);
    expect(fromBatch.code).toBe(0);
    expect(fromBatch.out).toMatch(/Copied 2 photos into/);
    // A relative target is where the person is, as in any command line: resolved against the working folder.
    const relative = path.relative(process.cwd(), path.join(dir, 'relative'));
    const fromRelative = await cli('classify', '--from-batch', listed[1].batchId, '--sort-into', relative, '--db', db);
    expect(fromRelative.out).toContain(`into ${path.join(dir, 'relative')}`);

    // On a terminal: a table, with the unreadable file marked in it and its reason below.
    const human = await cli('classify', photos, '--db', db);
    expect(human.out).toMatch(/^broken\.jpg +unreadable +—/m);
    expect(human.out).not.toMatch(/not an image/);
    expect(human.err).toMatch(/^broken\.jpg: not an image/m);

    // Files named one by one: the batch is named by the first and how many more.
    expect((await cli('classify', path.join(photos, 'item-1.jpg'), path.join(photos, 'item-2.png'), '--db', db)).code).toBe(0);
    const [newest] = JSON.parse((await cli('batches', '--db', db, '--json')).out) as { name: string }[];
    expect(newest.name).toBe('item-1.jpg and 1 more');
  });
});
