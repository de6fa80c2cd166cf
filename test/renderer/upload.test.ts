import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/main/app-backend.ts';
import { dispatch } from '../../src/main/handlers.ts';
import { uniqueRelativePaths, uploadFiles, UPLOAD_PIECE_BYTES } from '../../src/renderer/src/lib/upload.ts';
import type { Api } from '../../src/shared/api.ts';
import { deserializeError } from '../../src/shared/errors.ts';
import { kaggleCsv, tempDir } from '../helpers.ts';

describe('uploading picked files', () => {
  it('makes same-named files unique within their folder', () => {
    expect(uniqueRelativePaths(['a.jpg', 'a.jpg', 'x/a.jpg', 'a.jpg', 'README', 'README', 'v1.2/file'])).toEqual(['a.jpg', 'a (2).jpg', 'x/a.jpg', 'a (3).jpg', 'README', 'README (2)', 'v1.2/file']);
  });

  it('sends a file larger than a piece, and an empty one, through the real back end, and imports them', async () => {
    const dir = tempDir();
    const backend = openBackend({ dbPath: path.join(dir, 'w.db'), host: 'web', userDataDir: path.join(dir, 'user-data') });
    const calls: string[] = [];
    // The same requests a page sends, without the socket: straight into dispatch.
    const api: Api = {
      invoke: async (channel, ...params) => {
        calls.push(channel);
        const envelope = await dispatch(backend.handlers, channel, params[0]);
        if (!envelope.ok) throw deserializeError(envelope.error);
        return envelope.value as never;
      },
      on: () => () => {},
    };
    const csv = kaggleCsv('test', 3000);
    expect(csv.length).toBeGreaterThan(UPLOAD_PIECE_BYTES);
    const files = [
      { file: new File([csv], 'fashion-mnist_test.csv'), relativePath: 'drop/fashion-mnist_test.csv' },
      { file: new File([], 'empty.txt'), relativePath: 'drop/notes/empty.txt' },
    ];
    const uploadId = await uploadFiles(api, files);
    expect(calls.filter((c) => c === 'upload:chunk')).toHaveLength(Math.ceil(csv.length / UPLOAD_PIECE_BYTES) + 1);
    expect(await api.invoke('dataset:import-upload', { uploadId, name: 'Dropped' })).toMatchObject({ name: 'Dropped', images: 3000 });

    // All or nothing: a second CSV that is broken refuses the whole upload.
    const broken = [files[0], { file: new File(['label,pixel1\n1,2 3\n'], 'x.csv'), relativePath: 'drop/fashion-mnist_train.csv' }];
    const refused = await api.invoke('dataset:import-upload', { uploadId: await uploadFiles(api, broken), name: 'Second' }).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((await api.invoke('dataset:list')).map((d) => d.name)).toEqual(['Dropped']);
    backend.close();
  });
});
