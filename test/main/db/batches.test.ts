import { describe, expect, it } from 'vitest';
import { insertBatch, listBatchSummaries, touchBatch } from '../../../src/main/db/batches.ts';
import { tempWorkspace } from '../../helpers.ts';

const gate = { kind: 'single' as const, threshold: 0.9, auditShare: 0 };

describe('the stored batches as listed', () => {
  it('are newest first by the date they show, and opening one does not move it', () => {
    const { db } = tempWorkspace();
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];
    ids.forEach((batchId, i) => insertBatch(db, { batchId, runId: null, total: 1, gate, uploadDir: null }, new Date(Date.UTC(2026, 10, 20 + i))));
    expect(listBatchSummaries(db).map((b) => b.batchId)).toEqual([ids[2], ids[1], ids[0]]);
    touchBatch(db, ids[0], new Date(Date.UTC(2026, 10, 25)));
    expect(listBatchSummaries(db).map((b) => b.batchId)).toEqual([ids[2], ids[1], ids[0]]);
  });
});
