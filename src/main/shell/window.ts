import { BrowserWindow } from 'electron';
import path from 'node:path';
import type { WindowBounds } from './desktop-settings.ts';

/**
 * Creates the main window with Electron's security defaults: context isolation, a sandboxed renderer,
 * no Node integration. Navigation away from the app and new windows are refused.
 */
export function createMainWindow(rendererUrl: string | undefined, bounds: WindowBounds): BrowserWindow {
  const window = new BrowserWindow({
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Fashion Sorter',
    webPreferences: {
      preload: path.join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => {
    if (bounds.maximized) window.maximize();
    window.show();
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== window.webContents.getURL()) event.preventDefault();
  });
  // Dropped files must not replace the app; the page handles drops itself.
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  if (rendererUrl) void window.loadURL(rendererUrl);
  else void window.loadFile(path.join(import.meta.dirname, '../renderer/index.html'));
  return window;
}
