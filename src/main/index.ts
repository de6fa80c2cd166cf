/**
 * The Electron entry point: the thin shell around the back end. It opens the workspace, registers IPC,
 * builds the menu and the window. Everything else is plain Node code in services.
 */
import type { BrowserWindow} from 'electron';
import { app, Menu, session } from 'electron';
import { openBackend, type Backend } from './backend.ts';
import { electronWorkerLauncher } from './electron-worker-launcher.ts';
import { registerIpc, sendEvent } from './ipc/register.ts';
import { buildMenuTemplate } from './menu-template.ts';
import { dbFlag, resolveWorkspacePath } from './paths.ts';
import { createMainWindow } from './window.ts';

let window: BrowserWindow | null = null;
let backend: Backend | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  void app.whenReady().then(() => {
    // The app needs no permission a website might ask for: camera, notifications and the like.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

    const dbPath = resolveWorkspacePath(dbFlag(process.argv), app.getPath('userData'));
    backend = openBackend({
      dbPath,
      host: 'electron',
      resourcesDir: app.isPackaged ? process.resourcesPath : undefined,
      events: (channel, payload) => sendEvent(window, channel, payload),
      launchWorker: electronWorkerLauncher(),
    });
    registerIpc(backend.handlers, () => window, (error) => console.error(error));

    const template = buildMenuTemplate({
      platform: process.platform,
      appName: app.name,
      isDev: !app.isPackaged,
      send: (command) => sendEvent(window, 'menu:command', command),
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));

    window = createMainWindow(process.env.ELECTRON_RENDERER_URL);
    window.on('closed', () => (window = null));
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => backend?.close());
}
