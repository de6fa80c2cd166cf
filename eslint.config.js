import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The doors and the composition root above the handlers: the desktop shell, the CLI, the web host. */
const DOORS = ['./src/main/index.ts', './src/main/shell', './src/main/cli', './src/main/web', './src/main/app-backend.ts'];
/** Domain services: they use db/ and shared/ and each other, never what sits above them. */
const SERVICES = ['./src/main/dataset', './src/main/imaging', './src/main/ml', './src/main/runs', './src/main/classify', './src/main/labels', './src/main/workers', './src/main/files', './src/main/uploads', './src/main/path-grants.ts', './src/main/allowed-roots.ts', './src/main/paths.ts'];

/** The request handlers, one file per domain, and their types: above the services and jobs, below the doors. */
const HANDLERS = ['./src/main/handlers.ts', './src/main/handler-context.ts', './src/main/review-handlers.ts', './src/main/label-handlers.ts'];

const LAYER_ZONES = [
  { target: './src/shared', from: ['./src/main', './src/preload', './src/renderer'], message: 'src/shared imports nothing of ours: it is the floor every process stands on.' },
  { target: './src/main/db', from: './src/main', except: ['./db'], message: 'db/ imports only src/shared: queries sit under every service.' },
  { target: SERVICES, from: [...DOORS, './src/main/jobs', ...HANDLERS], message: 'Services never import jobs, handlers, or a door (shell, CLI, web): layers only point down.' },
  { target: ['./src/main/jobs', ...HANDLERS], from: DOORS, message: 'Jobs and handlers never import a door (shell, CLI, web).' },
  { target: ['./src/main/cli', './src/main/web'], from: ['./src/main/shell', './src/main/index.ts'], message: 'The CLI and the web host never import the desktop shell.' },
  { target: './src/renderer', from: ['./src/main', './src/preload'], message: 'The renderer imports only src/shared; it reaches the back end through window.api.' },
  { target: './src/preload', from: ['./src/main', './src/renderer'], message: 'The preload is a thin bridge: it imports only src/shared.' },
];

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
        { paths: [{ name: 'electron', message: 'Only the desktop shell (src/main/index.ts, src/main/shell/**, src/preload/**) may import electron.' }] },
      ],
    },
  },
  {
    // The thin Electron shell, and type-only uses in tests of it.
    files: ['src/main/index.ts', 'src/main/shell/**', 'src/preload/**', 'test/main/shell/**', 'test/main/electron-shell.test.ts', 'test/menu-helpers.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // A component that takes the whole store re-renders on every change of it (each training batch).
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='useStore'][arguments.length=0]", message: 'Select what the component shows: useStoreFields(...names), or useStore(selector).' }],
    },
  },
  {
    // The shared contract runs in every process: no Node, no Electron.
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'electron', 'better-sqlite3', 'sharp'], message: 'src/shared imports neither Node nor Electron.' }] }],
    },
  },
  {
    // Layers only point down (docs/architecture.md): shared → db → services → jobs and handlers → doors.
    // A wrong-way import fails `npm run lint`.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })] },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: LAYER_ZONES }] },
  },
);
