/**
 * The desktop shell (src/main/index.ts) run for real with Electron itself stubbed: the binary cannot run
 * here, so the stub records what the shell asks of Electron (windows, IPC, menus, dialogs, progress)
 * and plays the parts a user would (clicking menu items, sending IPC from the window). Its utility
 * process is the real training process, forked by Node.
 */
import type { MenuItemConstructorOptions } from 'electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openWorkspace } from '../../src/main/db/connection.ts';
import { importDataset } from '../../src/main/dataset/import-service.ts';
import { writeIdxSlice } from '../helpers.ts';
import { findMenuItem } from '../menu-helpers.ts';

interface FakeWindow {
  options: { webPreferences: Record<string, unknown> };
  webContents: { sent: unknown[][]; mainFrame: object; windowOpenHandler: () => unknown; emit(event: string, ...args: unknown[]): boolean };
  progress: number[];
  emit(event: string, ...args: unknown[]): boolean;
}

interface Stub {
  userData: string;
  windows: FakeWindow[];
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  ipcListeners: Map<string, (event: { sender: unknown; returnValue?: unknown }, ...args: unknown[]) => void>;
  menus: MenuItemConstructorOptions[][];
  notifications: { title: string; body: string }[];
  permissionHandler: (contents: unknown, permission: string, callback: (allowed: boolean) => void) => void;
  saveDialogAnswer: { canceled: boolean; filePath?: string };
}

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const childProcess = await import('node:child_process');
  const { WORKER_SOURCE } = await import('../../src/main/workers/node-launcher.ts');
  const stub: Stub = {
    userData: '',
    windows: [],
    ipcHandlers: new Map(),
    ipcListeners: new Map(),
    menus: [],
    notifications: [],
    permissionHandler: () => {},
    saveDialogAnswer: { canceled: true },
  };
  (globalThis as { electronStub?: Stub }).electronStub = stub;

  class WebContents extends EventEmitter {
    sent: unknown[][] = [];
    mainFrame = {};
    windowOpenHandler: () => unknown = () => null;
    send(...args: unknown[]): void {
      this.sent.push(args);
    }
    setWindowOpenHandler(handler: () => unknown): void {
      this.windowOpenHandler = handler;
    }
    getURL(): string {
      return 'file:///app/out/renderer/index.html';
    }
  }
  class BrowserWindow extends EventEmitter {
    webContents = new WebContents();
    progress: number[] = [];
    options: unknown;
    constructor(options: unknown) {
      super();
      this.options = options;
      stub.windows.push(this as unknown as FakeWindow);
    }
    loadFile(): Promise<void> {
      return Promise.resolve();
    }
    loadURL(): Promise<void> {
      return Promise.resolve();
    }
    setProgressBar(value: number): void {
      this.progress.push(value);
    }
    getNormalBounds() {
      return { x: 11, y: 22, width: 900, height: 700 };
    }
    isMaximized = (): boolean => false;
    isMinimized = (): boolean => false;
    isDestroyed = (): boolean => false;
    show(): void {}
    reload(): void {}
  }
  return {
    app: {
      name: 'Fashion Sorter',
      isPackaged: false,
      requestSingleInstanceLock: () => true,
      on: () => {},
      whenReady: () => Promise.resolve(),
      getPath: () => process.env.FASHION_SORTER_TEST_USER_DATA!,
      getVersion: () => '0.1.0',
      quit: () => {},
    },
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: Stub['ipcHandlers'] extends Map<string, infer H> ? H : never) => stub.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => stub.ipcHandlers.delete(channel),
      on: (channel: string, listener: Stub['ipcListeners'] extends Map<string, infer L> ? L : never) => stub.ipcListeners.set(channel, listener),
    },
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => template,
      setApplicationMenu: (template: MenuItemConstructorOptions[]) => stub.menus.push(template),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Stub['permissionHandler']) => (stub.permissionHandler = handler),
        setPermissionCheckHandler: () => {},
      },
    },
    dialog: {
      showSaveDialog: async () => stub.saveDialogAnswer,
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showMessageBox: async () => ({ response: 0 }),
    },
    shell: { openPath: async () => '' },
    Notification: class {
      static isSupported = (): boolean => true;
      private readonly options: { title: string; body: string };
      constructor(options: { title: string; body: string }) {
        this.options = options;
      }
      show(): void {
        stub.notifications.push(this.options);
      }
    },
    // The utility process is the real training process, forked by Node instead of Electron.
    utilityProcess: {
      fork: () => {
        const child = childProcess.fork(WORKER_SOURCE, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], serialization: 'advanced' });
        return {
          postMessage: (message: unknown) => child.send(message as never),
          on: (event: string, listener: (message: unknown) => void) => child.on(event, listener),
          once: (event: string, listener: (code: number | null) => void) => child.once(event, (code: number | null) => listener(code)),
          kill: () => child.kill(),
          stderr: child.stderr,
        };
      },
    },
  };
});

const stub = (): Stub => (globalThis as unknown as { electronStub: Stub }).electronStub;
const find = findMenuItem;

describe('the desktop shell', () => {
  let window: FakeWindow;
  let dir: string;
  const request = (channel: string, arg?: unknown, sender?: object, frame?: object) =>
    stub().ipcHandlers.get('api:request')!({ sender: sender ?? window.webContents, senderFrame: frame ?? window.webContents.mainFrame }, channel, arg) as Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  const until = async (check: () => boolean, ms = 60_000): Promise<void> => {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  beforeAll(async () => {
    // One folder for the whole file: the shell keeps its workspace and userData across these tests.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fashion-sorter-shell-'));
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    writeIdxSlice(data, 'train', 400);
    writeIdxSlice(data, 'test', 100);
    const dbPath = path.join(dir, 'workspace.db');
    const db = openWorkspace(dbPath);
    await importDataset(db, [data], {});
    db.close();
    process.env.FASHION_SORTER_DB = dbPath;
    process.env.FASHION_SORTER_TEST_USER_DATA = path.join(dir, 'user-data');
    await import('../../src/main/index.ts');
    stub().userData = process.env.FASHION_SORTER_TEST_USER_DATA;
    await until(() => stub().windows.length === 1);
    window = stub().windows[0];
  });

  afterAll(() => {
    delete process.env.FASHION_SORTER_DB;
    delete process.env.FASHION_SORTER_TEST_USER_DATA;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens a sandboxed, isolated window and refuses permissions, new windows and navigation away', () => {
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(window.options.webPreferences.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(window.webContents.windowOpenHandler()).toEqual({ action: 'deny' });
    let prevented = false;
    window.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://example.com/');
    expect(prevented).toBe(true);
    let allowed: boolean | undefined;
    stub().permissionHandler(null, 'media', (a) => (allowed = a));
    expect(allowed).toBe(false);
  });

  it('answers the contract over IPC from its window only, and only for paths a person chose', async () => {
    const info = await request('app:info');
    expect(info, JSON.stringify(info)).toMatchObject({ ok: true, value: { host: 'electron', nativeDialogs: true } });
    expect(await request('app:info', undefined, {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await request('app:info', undefined, window.webContents, {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await request('dataset:samples', { datasetId: 'one' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });

    const data = path.join(dir, 'data');
    expect(await request('dataset:import', { paths: [data] })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const grant = { sender: window.webContents, returnValue: undefined as unknown };
    stub().ipcListeners.get('api:grant-paths')!(grant, [data]);
    expect(await request('dataset:import', { paths: [data] })).toMatchObject({ ok: true, value: { added: 0, skippedDuplicates: 500 } });
  });

  it('builds the menu; Retrain… opens the Train view; New workspace… never replaces a file', async () => {
    const menu = stub().menus.at(-1)!;
    (find(menu, 'Retrain…')!.click as () => void)();
    expect(window.webContents.sent).toContainEqual(['api:event', 'menu:command', { command: 'retrain' }]);
    stub().saveDialogAnswer = { canceled: false, filePath: path.join(dir, 'workspace.db') };
    (find(menu, 'New workspace…')!.click as () => void)();
    await until(() => window.webContents.sent.some((m) => (m[2] as { command?: string })?.command === 'notice'));
    expect(window.webContents.sent.find((m) => (m[2] as { command?: string })?.command === 'notice')![2]).toMatchObject({ kind: 'error', text: expect.stringMatching(/already exists/) });
  });

  it('trains in a utility process with progress in the taskbar, Cancel training enabled meanwhile, and a notification at the end', async () => {
    const started = await request('train:start', { model: 'mlp', epochs: 2, batchSize: 50 });
    expect(started).toMatchObject({ ok: true });
    await until(() => stub().notifications.length === 1);
    expect(stub().notifications[0]).toMatchObject({ title: 'Training succeeded', body: expect.stringMatching(/Run 1 succeeded\. Test accuracy/) });
    expect(window.progress.some((p) => p > 0 && p < 1)).toBe(true);
    expect(window.progress.at(-1)).toBe(-1);
    expect(stub().menus.some((m) => find(m, 'Cancel training')!.enabled === true)).toBe(true);
    expect(find(stub().menus.at(-1)!, 'Cancel training')!.enabled).toBe(false);
    expect(fs.readFileSync(path.join(stub().userData, 'logs', 'main.log'), 'utf8')).toMatch(/run 1 succeeded/);
  });

  it("exports the active run's predictions from the menu through the same channel as the other doors", async () => {
    const file = path.join(dir, 'predictions.csv');
    stub().saveDialogAnswer = { canceled: false, filePath: file };
    const notices = (): { kind: string; text: string }[] =>
      window.webContents.sent.map((m) => m[2] as { command?: string; kind: string; text: string }).filter((c) => c?.command === 'notice');
    const before = notices().length;
    (find(stub().menus.at(-1)!, 'Export predictions…')!.click as () => void)();
    await until(() => notices().length > before);
    expect(notices().at(-1)).toMatchObject({ kind: 'info', text: `Wrote 500 predictions of run 1 to ${file}.` });
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(501);
    // Again to the same file: the channel's rule (never overwrite) reaches the person in words.
    (find(stub().menus.at(-1)!, 'Export predictions…')!.click as () => void)();
    await until(() => notices().length > before + 1);
    expect(notices().at(-1)).toMatchObject({ kind: 'error', text: expect.stringMatching(/already exists/) });
  });

  it('remembers the window when it closes', () => {
    window.emit('close');
    const settings = JSON.parse(fs.readFileSync(path.join(stub().userData, 'desktop-settings.json'), 'utf8'));
    expect(settings.window).toEqual({ x: 11, y: 22, width: 900, height: 700, maximized: false });
  });
});
