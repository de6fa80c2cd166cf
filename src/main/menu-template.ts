import type { MenuItemConstructorOptions } from 'electron';
import { VIEW_NAMES, type MenuCommand, type ViewName } from '../shared/api.ts';

const VIEW_LABELS: Record<ViewName, string> = {
  datasets: 'Datasets',
  train: 'Train',
  errors: 'Errors',
  classify: 'Classify',
  runs: 'Runs',
};

export interface MenuContext {
  platform: NodeJS.Platform;
  appName: string;
  isDev: boolean;
  /** Forwards a command to the renderer. */
  send(command: MenuCommand): void;
}

/**
 * The application menu as a pure template, so it can be checked without Electron. On macOS the first
 * menu is the app's own, as the platform expects.
 */
export function buildMenuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const mac = ctx.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push({ label: ctx.appName, role: 'appMenu' });
  template.push({
    label: '&File',
    submenu: [
      { label: 'Import dataset…', accelerator: 'CmdOrCtrl+I', click: () => ctx.send({ command: 'import-dataset' }) },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({ label: '&Edit', role: 'editMenu' });
  template.push({
    label: '&View',
    submenu: [
      ...VIEW_NAMES.map<MenuItemConstructorOptions>((view, index) => ({
        label: VIEW_LABELS[view],
        accelerator: `CmdOrCtrl+${index + 1}`,
        click: () => ctx.send({ command: 'navigate', view }),
      })),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      ...(ctx.isDev ? [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  });
  return template;
}
