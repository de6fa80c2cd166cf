import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_OPEN_UPLOADS, UPLOAD_IDLE_MS, UploadSessions } from '../../../src/main/uploads/upload-sessions.ts';
import { UploadStore } from '../../../src/main/uploads/upload-store.ts';
import { tempDir } from '../../helpers.ts';

function sessions(clock?: () => number): { uploads: UploadSessions; root: string } {
  const userDataDir = path.join(tempDir(), 'user-data');
  const id = randomUUID();
  const uploads = new UploadSessions(new UploadStore({ userDataDir, workspaceId: () => id }), clock);
  return { uploads, root: path.join(userDataDir, 'uploads', id) };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('chunked uploads', () => {
  it('writes pieces in order into a batch folder and hands back the files in the order sent', async () => {
    const { uploads } = sessions();
    const { uploadId } = await uploads.begin();
    const piece = (relativePath: string, size: number, offset: number, text: string) => uploads.chunk({ uploadId, relativePath, size, offset, data: bytes(text) });
    // Two pieces of one file sent back to back, without waiting: both are checked and written in order.
    const [first, second] = await Promise.all([piece('shirts/a.png', 6, 0, 'abc'), piece('shirts/a.png', 6, 3, 'def')]);
    expect([first.received, second.received]).toEqual([3, 6]);
    await piece('coat.png', 0, 0, '');
    const upload = await uploads.finish(uploadId);
    expect(upload.files.map((f) => f.relativePath)).toEqual(['shirts/a.png', 'coat.png']);
    expect(fs.readFileSync(upload.files[0].path, 'utf8')).toBe('abcdef');
    expect(fs.statSync(upload.files[0].path).mode & 0o777).toBe(0o600);
    expect(upload.topLevel.map((p) => path.basename(p))).toEqual(['shirts', 'coat.png']);
    await expect(uploads.chunk({ uploadId, relativePath: 'late.png', size: 1, offset: 0, data: bytes('x') })).rejects.toThrow(/no upload .* under way/);
  });

  it('refuses a piece out of order, past the size, or with another size, naming the file', async () => {
    const { uploads } = sessions();
    const { uploadId } = await uploads.begin();
    await expect(uploads.chunk({ uploadId, relativePath: 'a.csv', size: 10, offset: 4, data: bytes('x') })).rejects.toThrow(/a\.csv: its first piece must start at 0/);
    await uploads.chunk({ uploadId, relativePath: 'a.csv', size: 10, offset: 0, data: bytes('12345') });
    await expect(uploads.chunk({ uploadId, relativePath: 'a.csv', size: 10, offset: 0, data: bytes('12345') })).rejects.toThrow(/expected the piece at byte 5, got one at 0/);
    await expect(uploads.chunk({ uploadId, relativePath: 'a.csv', size: 10, offset: 5, data: bytes('123456') })).rejects.toThrow(/past its size of 10 bytes/);
    await expect(uploads.chunk({ uploadId, relativePath: 'a.csv', size: 11, offset: 5, data: bytes('1') })).rejects.toThrow(/disagree about its size/);
  });

  it('refuses an upload with a file cut short, and removes it', async () => {
    const { uploads, root } = sessions();
    const { uploadId } = await uploads.begin();
    await uploads.chunk({ uploadId, relativePath: 'train.csv', size: 10, offset: 0, data: bytes('12345') });
    await expect(uploads.finish(uploadId)).rejects.toThrow(/train\.csv: only 5 of 10 bytes arrived/);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('says which names clash when a file and a folder share one', async () => {
    const { uploads } = sessions();
    const { uploadId } = await uploads.begin();
    await uploads.chunk({ uploadId, relativePath: 'shirts', size: 1, offset: 0, data: bytes('x') });
    await expect(uploads.chunk({ uploadId, relativePath: 'shirts/a.png', size: 1, offset: 0, data: bytes('x') })).rejects.toThrow(/shirts\/a\.png: another uploaded file or folder has the same name/);
  });

  it('keeps at most a few uploads open, and drops idle ones with their files', async () => {
    let now = 0;
    const { uploads, root } = sessions(() => now);
    for (let i = 0; i < MAX_OPEN_UPLOADS; i++) await uploads.begin();
    await expect(uploads.begin()).rejects.toThrow(/already under way/);
    now += UPLOAD_IDLE_MS + 1;
    await uploads.begin();
    expect(fs.readdirSync(root)).toHaveLength(1);
  });

  it('discards an upload and its folder', async () => {
    const { uploads, root } = sessions();
    const { uploadId } = await uploads.begin();
    await uploads.chunk({ uploadId, relativePath: 'a.png', size: 1, offset: 0, data: bytes('x') });
    await uploads.discard(uploadId);
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
