import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '**/*.tmp.*', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only the thin shell (src/main/index.ts, window, menu, ipc/, preload) may import electron.' }] },
      ],
    },
  },
  {
    // The thin Electron shell, and type-only uses in tests of it.
    files: ['src/main/index.ts', 'src/main/window.ts', 'src/main/menu*.ts', 'src/main/electron*.ts', 'src/main/ipc/**', 'src/preload/**', 'test/main/menu-template.test.ts', 'test/main/electron-shell.test.ts', 'test/menu-helpers.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The shared contract runs in every process: no Node, no Electron.
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'electron', 'better-sqlite3', 'sharp'], message: 'src/shared imports neither Node nor Electron.' }] }],
    },
  },
);
