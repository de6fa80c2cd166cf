/**
 * The Electron entry point: the thin shell around the back end. It opens the workspace, registers IPC,
 * builds the menu (its actions are in shell/menu-actions.ts) and the window, and does what only a
 * desktop app can: the taskbar progress bar, notifications, remembering the window. Everything else is
 * plain Node code in services; the rest of the shell lives in shell/.
 */
import type { BrowserWindow } from 'electron';
import { app, dialog, ipcMain, Menu, Notification, session } from 'electron';
import path from 'node:path';
import type { MenuCommand } from '../shared/api.ts';
import { IPC_CHOOSE_FOLDER, IPC_GRANT } from '../shared/bridge.ts';
import type { JobUpdate } from '../shared/types.ts';
import { openBackend, type Backend } from './app-backend.ts';
import { workspaceFileOf } from './db/connection.ts';
import { PathGrants } from './path-grants.ts';
import { dbFlag, resolveWorkspacePath } from './paths.ts';
import { LogFile, readDesktopSettings, writeDesktopSettings, type DesktopSettings } from './shell/desktop-settings.ts';
import { electronScanLauncher, electronWorkerLauncher } from './shell/electron-worker-launcher.ts';
import { registerIpc, sendEvent } from './shell/ipc/register.ts';
import { createMenuActions } from './shell/menu-actions.ts';
import { buildMenuTemplate } from './shell/menu-template.ts';
import { createMainWindow } from './shell/window.ts';

let window: BrowserWindow | null = null;
let backend: Backend | undefined;
let training = false;
/** Jobs of every kind still running, for the taskbar progress. */
const runningJobs = new Map<string, JobUpdate>();
const grants = new PathGrants();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const settingsFile = path.join(app.getPath('userData'), 'desktop-settings.json');
  const settings: DesktopSettings = readDesktopSettings(settingsFile);
  const log = new LogFile(path.join(app.getPath('userData'), 'logs'));
  process.on('uncaughtException', (error) => log.write('error', error));

  const send = (command: MenuCommand): void => sendEvent(window, 'menu:command', command);

  /** Opens (or switches to) a workspace; the window reloads to show it. */
  const openWorkspaceAt = (dbPath: string, newWorkspace = false): void => {
    // Open the new workspace before closing the old one, so that a refused file leaves the app as it was.
    const previous = backend;
    backend = openBackend({
      dbPath,
      newWorkspace,
      host: 'electron',
      resourcesDir: app.isPackaged ? process.resourcesPath : undefined,
      launchWorker: electronWorkerLauncher(),
      launchScanWorker: electronScanLauncher(),
      pathGrants: grants,
      userDataDir: app.getPath('userData'),
      events: (channel, payload) => {
        sendEvent(window, channel, payload);
        if (channel === 'job:update') onJobUpdate(payload as JobUpdate);
      },
    });
    previous?.close();
    log.write('info', `workspace ${dbPath}${backend.readOnly ? ' (read-only)' : ''}`);
  };

  /**
   * Taskbar or dock progress while any job runs (training, classifying, importing): the least advanced
   * one, so the bar never runs ahead. The menu's Cancel training item and a notification follow training.
   */
  const onJobUpdate = (update: JobUpdate): void => {
    if (update.state === 'running') runningJobs.set(update.jobId, update);
    else runningJobs.delete(update.jobId);
    const fractions = [...runningJobs.values()].map((job) => job.progress.fraction);
    window?.setProgressBar(fractions.length > 0 ? Math.min(...fractions) : -1);
    const trainingNow = [...runningJobs.values()].some((job) => job.kind === 'train');
    if (trainingNow !== training) {
      training = trainingNow;
      buildMenu();
    }
    if (update.state === 'running') return;
    if (update.kind !== 'train') {
      log.write(update.state === 'failed' ? 'error' : 'info', `${update.kind} job ${update.state}${update.error ? `: ${update.error}` : ''}`);
      return;
    }
    log.write(update.state === 'failed' ? 'error' : 'info', `run ${update.runId} ${update.state}${update.error ? `: ${update.error}` : ''}`);
    if (Notification.isSupported()) {
      const accuracy = update.run?.testAccuracy == null ? '' : ` Test accuracy ${(update.run.testAccuracy * 100).toFixed(2)}%.`;
      new Notification({ title: `Training ${update.state}`, body: `Run ${update.runId} ${update.state}.${accuracy}`, silent: true }).show();
    }
  };

  const buildMenu = (): void => {
    const actions = createMenuActions({
      window: () => window,
      backend: () => backend,
      grants,
      send,
      logFolder: log.folder,
      switchWorkspace: (file) => {
        try {
          openWorkspaceAt(file);
        } catch (error) {
          // Not a workspace (another app's database, an empty file): the app stays on the one it had.
          send({ command: 'notice', kind: 'error', text: (error as Error).message });
          return;
        }
        settings.workspace = file;
        writeDesktopSettings(settingsFile, settings);
        window?.reload();
      },
    });
    const template = buildMenuTemplate({ platform: process.platform, appName: app.name, isDev: !app.isPackaged, training, actions });
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
      // `--new` lets an existing empty file become the workspace, as in the CLI.
      openWorkspaceAt(resolveWorkspacePath(flag, app.getPath('userData')), process.argv.includes('--new'));
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
    // Notices sent before the page loads are lost; a read-only workspace is said each time a page can show it.
    window.webContents.on('did-finish-load', () => {
      if (backend?.readOnly) send({ command: 'notice', kind: 'info', text: `The workspace ${workspaceFileOf(backend.db)} is read-only: it is shown as it is, and any change is refused.` });
    });
    window.on('close', remember);
    window.on('closed', () => (window = null));
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => backend?.close());
}
