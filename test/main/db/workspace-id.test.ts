import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/db/connection.ts';
import { ensureWorkspaceId, findWorkspaceId } from '../../../src/main/db/workspace-id.ts';
import { tempWorkspace } from '../../helpers.ts';

describe('workspace id', () => {
  it('is absent until needed, then a UUID that stays the same across reopening', () => {
    const { db, file } = tempWorkspace();
    expect(findWorkspaceId(db)).toBeNull();
    const id = ensureWorkspaceId(db);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ensureWorkspaceId(db)).toBe(id);
    db.close();
    const again = openWorkspace(file);
    expect(findWorkspaceId(again)).toBe(id);
    again.close();
  });
});
