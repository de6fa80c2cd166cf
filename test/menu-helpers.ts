import type { MenuItemConstructorOptions } from 'electron';

/** The first menu item with this label, searching submenus depth first. */
export function findMenuItem(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions | undefined {
  for (const item of items) {
    if (item.label === label) return item;
    if (Array.isArray(item.submenu)) {
      const inner = findMenuItem(item.submenu, label);
      if (inner) return inner;
    }
  }
  return undefined;
}
