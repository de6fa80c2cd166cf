import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from '../../src/main/menu-template.ts';
import type { MenuCommand } from '../../src/shared/api.ts';

const find = (items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions | undefined => {
  for (const item of items) {
    if (item.label === label) return item;
    if (Array.isArray(item.submenu)) {
      const inner = find(item.submenu, label);
      if (inner) return inner;
    }
  }
  return undefined;
};

describe('application menu', () => {
  it('puts the app menu first on macOS only', () => {
    const send = (): void => {};
    expect(buildMenuTemplate({ platform: 'darwin', appName: 'Fashion Sorter', isDev: false, send })[0].role).toBe('appMenu');
    expect(buildMenuTemplate({ platform: 'linux', appName: 'Fashion Sorter', isDev: false, send })[0].label).toBe('&File');
  });

  it('sends the renderer the command of each item', () => {
    const sent: MenuCommand[] = [];
    const template = buildMenuTemplate({ platform: 'linux', appName: 'Fashion Sorter', isDev: false, send: (c) => sent.push(c) });
    const click = (label: string): void => (find(template, label)!.click as () => void)();
    click('Import dataset…');
    click('Runs');
    expect(sent).toEqual([{ command: 'import-dataset' }, { command: 'navigate', view: 'runs' }]);
    expect(find(template, 'Import dataset…')!.accelerator).toBe('CmdOrCtrl+I');
  });

  it('offers reload and dev tools in development only', () => {
    const roles = (isDev: boolean): unknown[] =>
      (buildMenuTemplate({ platform: 'linux', appName: 'x', isDev, send: () => {} }).find((m) => m.label === '&View')!.submenu as MenuItemConstructorOptions[]).map((m) => m.role);
    expect(roles(true)).toContain('reload');
    expect(roles(false)).not.toContain('reload');
  });
});
