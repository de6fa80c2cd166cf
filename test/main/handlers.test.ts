import { describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/handlers.ts';
import { PhotoClassifier } from '../../src/main/classify/photo-classifier.ts';
import { TrainingJobs } from '../../src/main/jobs/training-jobs.ts';
import { nodeWorkerLauncher } from '../../src/main/workers/node-launcher.ts';
import { REQUEST_CHANNELS } from '../../src/shared/api.ts';
import { tempDir, tempWorkspace, writeIdxSlice } from '../helpers.ts';

describe('dispatch', () => {
  const setup = (bundledDatasetDirs: string[] = []) => {
    const { db, file } = tempWorkspace();
    const events: unknown[] = [];
    const jobs = new TrainingJobs({ db, dbPath: file, launch: nodeWorkerLauncher(), publish: () => {} });
    const handlers = createHandlers({ db, dbPath: file, version: '1.2.3', host: 'web', bundledDatasetDirs, events: (c, p) => events.push([c, p]), jobs, classifier: new PhotoClassifier(db) });
    return { handlers, events };
  };

  it('validates arguments against the contract before any handler runs', async () => {
    const { handlers } = setup();
    const logged: unknown[] = [];
    const result = await dispatch(handlers, 'dataset:import', { paths: [] }, (e) => logged.push(e));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/paths/) } });
    const traversal = await dispatch(handlers, 'upload:chunk', { uploadId: '00000000-0000-4000-8000-000000000000', relativePath: '../../etc/x', size: 1, offset: 0, data: new Uint8Array(1) });
    expect(traversal).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(logged).toEqual([]);
  });

  it('serves every channel of the contract', () => {
    const { handlers } = setup();
    expect(Object.keys(handlers).sort()).toEqual([...REQUEST_CHANNELS].sort());
  });

  it('loads the bundled dataset from the first folder that has it and announces the change', async () => {
    const dir = tempDir();
    writeIdxSlice(dir, 'train', 50);
    writeIdxSlice(dir, 'test', 10);
    const { handlers, events } = setup(['/nowhere', dir]);
    const info = await dispatch(handlers, 'app:info', undefined);
    expect(info).toMatchObject({ ok: true, value: { bundledDatasetPath: dir, version: '1.2.3' } });
    const result = await dispatch(handlers, 'dataset:import-bundled', undefined);
    expect(result).toMatchObject({ ok: true, value: { name: 'Fashion-MNIST', bySplit: { train: 50, test: 10 } } });
    expect(events).toEqual([['dataset:changed', { datasetId: 1 }]]);
  });

  it('says in words when the bundled dataset is missing, and logs real bugs once', async () => {
    const { handlers } = setup(['/nowhere']);
    expect(await dispatch(handlers, 'dataset:import-bundled', undefined)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const logged: unknown[] = [];
    const broken = { ...handlers, 'dataset:list': () => { throw new TypeError('boom'); } };
    expect(await dispatch(broken, 'dataset:list', undefined, (e) => logged.push(e))).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
    expect(logged).toHaveLength(1);
  });
});
