import { describe, expect, it } from 'vitest';
import { chromiumPlan, type ChromiumFacts } from '../../scripts/ensure-chromium.ts';

const fresh: ChromiumFacts = { path: '/usr/bin/chromium', chosen: false, exists: false, hasApt: true, isRoot: false, passwordlessSudo: false };

describe('Chromium for the browser tests', () => {
  it('uses it when it is there', () => {
    expect(chromiumPlan({ ...fresh, exists: true })).toEqual({ action: 'ready' });
  });

  it('installs it with apt as root, or with sudo when sudo needs no password', () => {
    expect(chromiumPlan({ ...fresh, isRoot: true })).toEqual({ action: 'install', sudo: false });
    expect(chromiumPlan({ ...fresh, passwordlessSudo: true })).toEqual({ action: 'install', sudo: true });
  });

  it('otherwise stops at once with the one command to run', () => {
    expect(chromiumPlan(fresh)).toEqual({ action: 'stop', message: expect.stringMatching(/Run: sudo apt-get install -y chromium$/) });
    expect(chromiumPlan({ ...fresh, hasApt: false, isRoot: true })).toMatchObject({ action: 'stop', message: expect.stringContaining('CHROMIUM_PATH=') });
    expect(chromiumPlan({ ...fresh, chosen: true, path: '/opt/x', isRoot: true })).toMatchObject({ action: 'stop', message: expect.stringContaining('/opt/x') });
  });
});
