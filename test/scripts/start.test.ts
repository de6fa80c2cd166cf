import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { browserCommand } from '../../src/main/web/open-browser.ts';
import { electronExecutable } from '../../scripts/start.ts';
import { tempDir } from '../helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('npm start', () => {
  it("finds Electron's program only where it was downloaded", () => {
    const dir = tempDir();
    expect(electronExecutable(dir, {})).toBeNull();
    fs.writeFileSync(path.join(dir, 'path.txt'), 'electron');
    expect(electronExecutable(dir, {})).toBeNull();
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'electron'), '');
    expect(electronExecutable(dir, {})).toBe(path.join(dir, 'dist', 'electron'));
    expect(electronExecutable(dir, { ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'nowhere') })).toBeNull();
  });

  it('without Electron says why in one sentence, then serves the app in web mode and prints its address', async () => {
    const dir = tempDir();
    const env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron'), DISPLAY: '', WAYLAND_DISPLAY: '' };
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.ts'), '--db', path.join(dir, 'w.db'), '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    const rl = readline.createInterface({ input: child.stdout! });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${lines.join('\n')}`)));
      rl.on('line', (line) => {
        lines.push(line);
        if (line.startsWith('Open that address')) resolve();
      });
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(lines[0]).toMatch(/^The desktop window cannot open because Electron's own program is not installed .*starts in your browser instead\.$/);
    const address = lines.find((l) => l.includes('running at'))!;
    expect(address).toMatch(/running at http:\/\/127\.0\.0\.1:\d+\/\?token=\w+/);
  });

  it('opens the browser with the platform’s opener, and not at all without a display', () => {
    const url = 'http://127.0.0.1:1/?token=a&b';
    expect(browserCommand('linux', { DISPLAY: ':0' }, url)).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserCommand('linux', { WAYLAND_DISPLAY: 'wayland-0' }, url)?.command).toBe('xdg-open');
    expect(browserCommand('linux', {}, url)).toBeNull();
    expect(browserCommand('darwin', {}, url)).toEqual({ command: 'open', args: [url] });
    expect(browserCommand('win32', {}, url)).toEqual({ command: 'cmd', args: ['/c', 'start', '""', 'http://127.0.0.1:1/?token=a^&b'] });
  });
});
