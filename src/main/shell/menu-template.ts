import type { MenuItemConstructorOptions } from 'electron';
import { VIEW_NAMES, type ViewName } from '../../shared/api.ts';

const VIEW_LABELS: Record<ViewName, string> = {
  datasets: 'Datasets',
  train: 'Train',
  errors: 'Errors',
  classify: 'Classify',
  runs: 'Runs',
};

/** What the menu's items do; the shell supplies them (dialogs, the window, the back end). */
export interface MenuActions {
  importDataset(): void;
  classifyImages(): void;
  openWorkspace(): void;
  newWorkspace(): void;
  exportPredictions(): void;
  exportModel(): void;
  retrain(): void;
  cancelTraining(): void;
  useRun(): void;
  navigate(view: ViewName): void;
  about(): void;
  openLogs(): void;
}

export interface MenuContext {
  platform: NodeJS.Platform;
  appName: string;
  isDev: boolean;
  /** Whether a training job is running: Cancel training is enabled only then. */
  training: boolean;
  actions: MenuActions;
}

/**
 * The application menu as a pure template, so it can be checked without Electron. It follows each
 * platform's conventions: on macOS the first menu is the app's own (About, Quit there), and Close
 * replaces Quit under File; elsewhere About is under Help and Quit under File.
 */
export function buildMenuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const mac = ctx.platform === 'darwin';
  const { actions } = ctx;
  const about: MenuItemConstructorOptions = { label: `About ${ctx.appName}`, click: () => actions.about() };
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: ctx.appName,
      submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push({
    label: '&File',
    submenu: [
      { label: 'Import dataset…', accelerator: 'CmdOrCtrl+I', click: () => actions.importDataset() },
      { label: 'Classify images…', accelerator: 'CmdOrCtrl+O', click: () => actions.classifyImages() },
      { type: 'separator' },
      { label: 'Open workspace…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openWorkspace() },
      { label: 'New workspace…', accelerator: 'CmdOrCtrl+Shift+N', click: () => actions.newWorkspace() },
      { type: 'separator' },
      { label: 'Export predictions…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportPredictions() },
      { label: 'Export model…', accelerator: 'CmdOrCtrl+Shift+E', click: () => actions.exportModel() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit', accelerator: 'Ctrl+Q' },
    ],
  });
  template.push({ label: '&Edit', role: 'editMenu' });
  template.push({
    label: '&View',
    submenu: [
      ...VIEW_NAMES.map<MenuItemConstructorOptions>((view, index) => ({
        label: VIEW_LABELS[view],
        accelerator: `CmdOrCtrl+${index + 1}`,
        click: () => actions.navigate(view),
      })),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(ctx.isDev ? [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  });
  template.push({
    label: '&Model',
    submenu: [
      { label: 'Retrain…', accelerator: 'CmdOrCtrl+Shift+R', click: () => actions.retrain() },
      { label: 'Cancel training', enabled: ctx.training, click: () => actions.cancelTraining() },
      { type: 'separator' },
      { label: 'Use run…', click: () => actions.useRun() },
    ],
  });
  template.push({
    label: '&Help',
    role: 'help',
    submenu: [...(mac ? [] : [about, { type: 'separator' } as const]), { label: 'Open logs folder', click: () => actions.openLogs() }],
  });
  return template;
}
