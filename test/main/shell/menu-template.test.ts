import type { MenuItemConstructorOptions } from 'electron';
import { findMenuItem } from '../../menu-helpers.ts';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, type MenuActions } from '../../../src/main/shell/menu-template.ts';

const find = findMenuItem;

/** Actions that record which one was called, and with what. */
function recorder(): { actions: MenuActions; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const names = ['importDataset', 'classifyImages', 'openWorkspace', 'newWorkspace', 'exportPredictions', 'exportModel', 'retrain', 'cancelTraining', 'useRun', 'navigate', 'about', 'openLogs'];
  const actions = Object.fromEntries(names.map((name) => [name, (...args: unknown[]) => calls.push([name, ...args])])) as unknown as MenuActions;
  return { actions, calls };
}

const menu = (platform: NodeJS.Platform, options: { isDev?: boolean; training?: boolean } = {}) => {
  const { actions, calls } = recorder();
  return { template: buildMenuTemplate({ platform, appName: 'Fashion Sorter', isDev: options.isDev ?? false, training: options.training ?? false, actions }), calls };
};

describe('application menu', () => {
  it('has File, Edit, View, Model and Help, with the app menu first on macOS', () => {
    expect(menu('linux').template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Model', '&Help']);
    expect(menu('darwin').template.map((m) => m.label)).toEqual(['Fashion Sorter', '&File', '&Edit', '&View', '&Model', '&Help']);
  });

  it('puts About and Quit where each platform expects them', () => {
    const linux = menu('win32').template;
    expect(find(linux, 'About Fashion Sorter')).toBeDefined();
    expect((linux[0].submenu as MenuItemConstructorOptions[]).at(-1)!.role).toBe('quit');
    const mac = menu('darwin').template;
    expect((mac[0].submenu as MenuItemConstructorOptions[])[0].label).toBe('About Fashion Sorter');
    expect((mac[1].submenu as MenuItemConstructorOptions[]).at(-1)!.role).toBe('close');
    expect((mac[4].submenu as MenuItemConstructorOptions[]).some((m) => m.label === 'About Fashion Sorter')).toBe(false);
  });

  it('each item calls its action, with the documented accelerators', () => {
    const { template, calls } = menu('linux');
    const click = (label: string): void => (find(template, label)!.click as () => void)();
    for (const label of ['Import dataset…', 'Classify images…', 'Open workspace…', 'New workspace…', 'Export predictions…', 'Export model…', 'Retrain…', 'Use run…', 'Runs', 'About Fashion Sorter', 'Open logs folder']) click(label);
    expect(calls).toEqual([
      ['importDataset'],
      ['classifyImages'],
      ['openWorkspace'],
      ['newWorkspace'],
      ['exportPredictions'],
      ['exportModel'],
      ['retrain'],
      ['useRun'],
      ['navigate', 'runs'],
      ['about'],
      ['openLogs'],
    ]);
    expect(find(template, 'Retrain…')!.accelerator).toBe('CmdOrCtrl+Shift+R');
    expect(find(template, 'Import dataset…')!.accelerator).toBe('CmdOrCtrl+I');
    // Every accelerator is used once.
    const accelerators: string[] = [];
    const collect = (items: MenuItemConstructorOptions[]): void =>
      items.forEach((i) => {
        if (typeof i.accelerator === 'string') accelerators.push(i.accelerator);
        if (Array.isArray(i.submenu)) collect(i.submenu);
      });
    collect(template);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('enables Cancel training only while training, and reload only in development', () => {
    expect(find(menu('linux').template, 'Cancel training')!.enabled).toBe(false);
    expect(find(menu('linux', { training: true }).template, 'Cancel training')!.enabled).toBe(true);
    const roles = (isDev: boolean): unknown[] => (menu('linux', { isDev }).template.find((m) => m.label === '&View')!.submenu as MenuItemConstructorOptions[]).map((m) => m.role);
    expect(roles(true)).toContain('reload');
    expect(roles(false)).not.toContain('reload');
  });
});
