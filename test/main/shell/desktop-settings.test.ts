import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, LogFile, readDesktopSettings, writeDesktopSettings } from '../../../src/main/shell/desktop-settings.ts';
import { tempDir } from '../../helpers.ts';

describe('desktop settings', () => {
  it('remembers the window and the workspace across starts', () => {
    const file = path.join(tempDir(), 'settings.json');
    writeDesktopSettings(file, { window: { x: 10, y: 20, width: 1000, height: 700, maximized: true }, workspace: '/data/w.db' });
    expect(readDesktopSettings(file)).toEqual({ window: { x: 10, y: 20, width: 1000, height: 700, maximized: true }, workspace: '/data/w.db' });
  });

  it('falls back to defaults for a missing, damaged or nonsensical file', () => {
    const dir = tempDir();
    expect(readDesktopSettings(path.join(dir, 'none.json'))).toEqual(DEFAULT_SETTINGS);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ not json');
    expect(readDesktopSettings(path.join(dir, 'bad.json'))).toEqual(DEFAULT_SETTINGS);
    fs.writeFileSync(path.join(dir, 'odd.json'), JSON.stringify({ window: { width: 5, height: 'tall' }, workspace: 3 }));
    expect(readDesktopSettings(path.join(dir, 'odd.json'))).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps a log file, and the previous run’s log beside it', () => {
    const dir = tempDir();
    new LogFile(dir).write('info', 'first start');
    const log = new LogFile(dir);
    log.write('error', new Error('boom'));
    expect(fs.readFileSync(path.join(dir, 'main.old.log'), 'utf8')).toMatch(/ info first start\n$/);
    expect(fs.readFileSync(path.join(dir, 'main.log'), 'utf8')).toMatch(/ error Error: boom/);
  });
});
