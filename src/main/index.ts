/**
 * The Electron entry point: the thin shell around the back end. It opens the workspace, registers IPC,
 * builds the menu and the window, and does what only a desktop app can: native dialogs, the taskbar
 * progress bar, notifications, remembering the window. Everything else is plain Node code in services.
 */
import type { BrowserWindow} from 'electron';
import { app, dialog, ipcMain, Menu, Notification, session, shell } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import type { MenuCommand } from '../shared/api.ts';
import { IPC_CHOOSE_FOLDER, IPC_GRANT } from '../shared/bridge.ts';
import type { JobUpdate } from '../shared/types.ts';
import { openBackend, type Backend } from './backend.ts';
import { LogFile, readDesktopSettings, writeDesktopSettings, type DesktopSettings } from './desktop-settings.ts';
import { electronWorkerLauncher } from './electron-worker-launcher.ts';
import { registerIpc, sendEvent } from './ipc/register.ts';
import { exportModelFiles } from './ml/model-store.ts';
import { buildMenuTemplate } from './menu-template.ts';
import { PathGrants } from './path-grants.ts';
import { dbFlag, resolveWorkspacePath } from './paths.ts';
import { activeRunId } from './runs/active-run.ts';
import { exportPredictionsCsv } from './runs/export-predictions.ts';
import { createMainWindow } from './window.ts';

let window: BrowserWindow | null = null;
let backend: Backend | undefined;
let training = false;
const grants = new PathGrants();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const settingsFile = path.join(app.getPath('userData'), 'desktop-settings.json');
  const settings: DesktopSettings = readDesktopSettings(settingsFile);
  const log = new LogFile(path.join(app.getPath('userData'), 'logs'));
  process.on('uncaughtException', (error) => log.write('error', error));

  const send = (command: MenuCommand): void => sendEvent(window, 'menu:command', command);
  const say = (kind: 'info' | 'error', text: string): void => send({ command: 'notice', kind, text });

  /** Opens (or switches to) a workspace; the window reloads to show it. */
  const openWorkspaceAt = (dbPath: string): void => {
    // Open the new workspace before closing the old one, so that a refused file leaves the app as it was.
    const previous = backend;
    backend = openBackend({
      dbPath,
      host: 'electron',
      resourcesDir: app.isPackaged ? process.resourcesPath : undefined,
      launchWorker: electronWorkerLauncher(),
      pathGrants: grants,
      events: (channel, payload) => {
        sendEvent(window, channel, payload);
        if (channel === 'job:update') onJobUpdate(payload as JobUpdate);
      },
    });
    previous?.close();
    log.write('info', `workspace ${dbPath}${backend.readOnly ? ' (read-only)' : ''}`);
    if (backend.readOnly) say('info', `The workspace ${dbPath} is read-only: it is shown as it is, and any change is refused.`);
  };

  /** Taskbar or dock progress while training; a notification and the menu's Cancel item follow the state. */
  const onJobUpdate = (update: JobUpdate): void => {
    const running = update.state === 'running';
    window?.setProgressBar(running ? update.progress.fraction : -1);
    if (running !== training) {
      training = running;
      buildMenu();
    }
    if (running) return;
    log.write(update.state === 'failed' ? 'error' : 'info', `run ${update.runId} ${update.state}${update.error ? `: ${update.error}` : ''}`);
    if (Notification.isSupported()) {
      const accuracy = update.run?.testAccuracy == null ? '' : ` Test accuracy ${(update.run.testAccuracy * 100).toFixed(2)}%.`;
      new Notification({ title: `Training ${update.state}`, body: `Run ${update.runId} ${update.state}.${accuracy}`, silent: true }).show();
    }
  };

  const chooseWorkspace = async (create: boolean): Promise<void> => {
    const choice = create
      ? await dialog.showSaveDialog(window!, { title: 'New workspace', defaultPath: 'workspace.db', filters: [{ name: 'Fashion Sorter workspace', extensions: ['db'] }] })
      : await dialog.showOpenDialog(window!, { title: 'Open workspace', properties: ['openFile'], filters: [{ name: 'Fashion Sorter workspace', extensions: ['db'] }] });
    const file = 'filePath' in choice ? choice.filePath : choice.filePaths[0];
    if (choice.canceled || !file) return;
    if (create && fs.existsSync(file)) {
      say('error', `${file} already exists; a new workspace never replaces a file. Use Open workspace… to open it.`);
      return;
    }
    try {
      openWorkspaceAt(file);
    } catch (error) {
      say('error', (error as Error).message);
      return;
    }
    settings.workspace = file;
    writeDesktopSettings(settingsFile, settings);
    window?.reload();
  };

  const needActiveRun = (): number | null => {
    const runId = backend ? activeRunId(backend.db) : null;
    if (runId === null) say('error', 'There is no trained model yet.');
    return runId;
  };

  const buildMenu = (): void => {
    const template = buildMenuTemplate({
      platform: process.platform,
      appName: app.name,
      isDev: !app.isPackaged,
      training,
      actions: {
        importDataset: async () => {
          const properties: ('openFile' | 'openDirectory' | 'multiSelections')[] = process.platform === 'darwin' ? ['openFile', 'openDirectory', 'multiSelections'] : ['openDirectory', 'multiSelections'];
          const choice = await dialog.showOpenDialog(window!, { title: 'Import dataset', properties });
          if (choice.canceled || choice.filePaths.length === 0) return;
          grants.grant(choice.filePaths);
          send({ command: 'import-paths', paths: choice.filePaths });
        },
        classifyImages: async () => {
          const choice = await dialog.showOpenDialog(window!, {
            title: 'Classify images',
            properties: ['openFile', 'multiSelections'],
            filters: [{ name: 'Images', extensions: ['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp', 'tif', 'tiff', 'heic', 'heif', 'avif'] }],
          });
          if (choice.canceled || choice.filePaths.length === 0) return;
          grants.grant(choice.filePaths);
          send({ command: 'classify-paths', paths: choice.filePaths });
        },
        openWorkspace: () => void chooseWorkspace(false),
        newWorkspace: () => void chooseWorkspace(true),
        exportPredictions: async () => {
          const runId = needActiveRun();
          if (runId === null) return;
          const choice = await dialog.showSaveDialog(window!, { title: 'Export predictions', defaultPath: `predictions-run-${runId}.csv`, filters: [{ name: 'CSV', extensions: ['csv'] }] });
          if (choice.canceled || !choice.filePath) return;
          try {
            say('info', `Wrote ${exportPredictionsCsv(backend!.db, runId, choice.filePath)} predictions of run ${runId} to ${choice.filePath}.`);
          } catch (error) {
            say('error', (error as Error).message);
          }
        },
        exportModel: async () => {
          const runId = needActiveRun();
          if (runId === null) return;
          const choice = await dialog.showOpenDialog(window!, { title: 'Export model into folder', properties: ['openDirectory', 'createDirectory'] });
          if (choice.canceled || !choice.filePaths[0]) return;
          try {
            const files = exportModelFiles(backend!.db, runId, choice.filePaths[0]);
            say('info', `Wrote ${files.modelJson} and ${files.weightsFile}.`);
          } catch (error) {
            say('error', (error as Error).message);
          }
        },
        retrain: () => send({ command: 'retrain' }),
        cancelTraining: () => backend?.jobs.cancelAll(),
        useRun: () => send({ command: 'navigate', view: 'runs' }),
        navigate: (view) => send({ command: 'navigate', view }),
        about: () => {
          const runs = backend ? backend.db.prepare('SELECT backend FROM runs WHERE backend IS NOT NULL ORDER BY id DESC LIMIT 1').get() : undefined;
          void dialog.showMessageBox(window!, {
            title: `About ${app.name}`,
            message: `${app.name} ${app.getVersion()}`,
            detail: [
              `Electron ${process.versions.electron}`,
              `Chromium ${process.versions.chrome}`,
              `Node ${process.versions.node}`,
              `TensorFlow.js backend: ${(runs as { backend?: string } | undefined)?.backend ?? 'chosen when training starts (tfjs-node, else wasm, else cpu)'}`,
              `Workspace: ${backend?.db.name ?? '—'}`,
            ].join('\n'),
          });
        },
        openLogs: () => void shell.openPath(log.folder),
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  void app.whenReady().then(() => {
    // The app needs no permission a website might ask for: camera, notifications to pages, and the like.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);

    const flag = dbFlag(process.argv) ?? (process.env.FASHION_SORTER_DB ? undefined : (settings.workspace ?? undefined));
    try {
      openWorkspaceAt(resolveWorkspacePath(flag, app.getPath('userData')));
    } catch (error) {
      // --db, FASHION_SORTER_DB or the remembered workspace is not one to open: say why, then stop.
      dialog.showErrorBox('Fashion Sorter cannot open the workspace', (error as Error).message);
      app.quit();
      return;
    }
    registerIpc(() => backend!.handlers, () => window, (error) => log.write('error', error));
    ipcMain.on(IPC_GRANT, (event, paths: unknown) => {
      if (event.sender === window?.webContents && Array.isArray(paths)) grants.grant(paths.filter((p): p is string => typeof p === 'string'));
      event.returnValue = null;
    });
    ipcMain.handle(IPC_CHOOSE_FOLDER, async (event, title: unknown) => {
      if (event.sender !== window?.webContents) return null;
      const choice = await dialog.showOpenDialog(window, { title: typeof title === 'string' ? title : 'Choose a folder', properties: ['openDirectory', 'createDirectory'] });
      if (choice.canceled || !choice.filePaths[0]) return null;
      grants.grant([choice.filePaths[0]]);
      return choice.filePaths[0];
    });
    buildMenu();

    window = createMainWindow(process.env.ELECTRON_RENDERER_URL, settings.window);
    const remember = (): void => {
      if (!window || window.isDestroyed()) return;
      settings.window = { ...window.getNormalBounds(), maximized: window.isMaximized() };
      writeDesktopSettings(settingsFile, settings);
    };
    window.on('close', remember);
    window.on('closed', () => (window = null));
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => backend?.close());
}
