import { describe, expect, it } from 'vitest';
import { CLASS_NAMES, classFolderName, classFromFolderName } from '../../src/shared/classes.ts';

describe('classFromFolderName', () => {
  it('matches the ten class names in any case', () => {
    CLASS_NAMES.forEach((name, label) => {
      expect(classFromFolderName(name)).toBe(label);
      expect(classFromFolderName(name.toUpperCase())).toBe(label);
    });
  });

  it.each([
    ['tshirt', 0],
    ['t-shirt', 0],
    ['T-shirt_top', 0],
    ['T-Shirt Top', 0],
    ['trousers', 1],
    ['ankle_boot', 9],
    ['Ankle-Boots', 9],
    ['sneakers', 7],
    ['0', 0],
    ['6_shirt', 6],
  ])('maps %s to %i', (name, label) => {
    expect(classFromFolderName(name)).toBe(label);
  });

  it('returns undefined for names that are no class', () => {
    expect(classFromFolderName('misc')).toBeUndefined();
    expect(classFromFolderName('train')).toBeUndefined();
  });

  it('gives folder names without path separators', () => {
    expect(classFolderName(0)).toBe('T-shirt-top');
    expect(classFolderName(9)).toBe('Ankle boot');
  });
});
