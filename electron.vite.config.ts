import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          // The training process, started as an Electron utility process.
          'train-worker': resolve(import.meta.dirname, 'src/main/workers/train-worker.ts'),
          // The second replica of data-parallel training, a worker thread of the training process.
          'replica-worker': resolve(import.meta.dirname, 'src/main/workers/replica-worker.ts'),
          // The label-scan process (issue 12), started like the training process.
          'scan-worker': resolve(import.meta.dirname, 'src/main/workers/scan-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
});
