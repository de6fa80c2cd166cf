#!/usr/bin/env node
// The CLI runs from its TypeScript source; Node 24 strips the types itself.
await import('../src/main/cli/main.ts');
