/**
 * Run by `npm test` before the browser tests: Playwright drives Debian's Chromium and never downloads one.
 * When it is missing, installs it with apt where this user may (root, or sudo without a password);
 * otherwise stops at once with the one command to run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { CHROMIUM_PATH } from '../playwright.config.ts';

export interface ChromiumFacts {
  path: string;
  /** Whether CHROMIUM_PATH chose the path, rather than the default. */
  chosen: boolean;
  exists: boolean;
  hasApt: boolean;
  isRoot: boolean;
  passwordlessSudo: boolean;
}

export type ChromiumPlan = { action: 'ready' } | { action: 'install'; sudo: boolean } | { action: 'stop'; message: string };

/** The command a person runs to install Chromium themselves. */
export const INSTALL_COMMAND = 'sudo apt-get install -y chromium';

/** What to do, from the facts of this machine. */
export function chromiumPlan(facts: ChromiumFacts): ChromiumPlan {
  if (facts.exists) return { action: 'ready' };
  if (facts.chosen) return { action: 'stop', message: `CHROMIUM_PATH is ${facts.path}, which does not exist. Point it at a Chromium or Chrome executable.` };
  if (!facts.hasApt) return { action: 'stop', message: `The browser tests need Chromium at ${facts.path}. Install Chromium, then run them with CHROMIUM_PATH=/path/to/chromium npm test.` };
  if (facts.isRoot || facts.passwordlessSudo) return { action: 'install', sudo: !facts.isRoot };
  return { action: 'stop', message: `The browser tests need Debian's Chromium, which is not installed. Run: ${INSTALL_COMMAND}` };
}

function succeeds(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

if (import.meta.main) {
  const path = CHROMIUM_PATH;
  const plan = chromiumPlan({
    path,
    chosen: Boolean(process.env.CHROMIUM_PATH),
    exists: fs.existsSync(path),
    hasApt: process.platform === 'linux' && succeeds('sh', ['-c', 'command -v apt-get']),
    isRoot: process.getuid?.() === 0,
    passwordlessSudo: succeeds('sudo', ['-n', 'true']),
  });
  if (plan.action === 'stop') {
    console.error(plan.message);
    process.exit(1);
  }
  if (plan.action === 'install') {
    console.log("Installing Debian's Chromium for the browser tests (apt-get install chromium)…");
    const apt = (...args: string[]): boolean => {
      const [command, rest] = plan.sudo ? ['sudo', ['-n', 'apt-get', ...args]] : ['apt-get', args];
      return spawnSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
    };
    // A fresh machine may have no package lists yet.
    const installed = apt('install', '-y', 'chromium') || (apt('update') && apt('install', '-y', 'chromium'));
    if (!installed || !fs.existsSync(path)) {
      console.error(`Chromium could not be installed. Run: ${INSTALL_COMMAND}`);
      process.exit(1);
    }
  }
}
