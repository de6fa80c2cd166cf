import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PathGrants } from '../../src/main/path-grants.ts';

describe('PathGrants', () => {
  it('allows granted files and whatever lies inside granted folders, nothing else', () => {
    const grants = new PathGrants();
    grants.grant(['/home/ana/photos', '/tmp/one.jpg']);
    expect(grants.allows('/home/ana/photos/shirts/a.jpg')).toBe(true);
    expect(grants.allows('/tmp/one.jpg')).toBe(true);
    expect(grants.allows('/home/ana/photos-old/a.jpg')).toBe(false);
    expect(grants.allows('/home/ana/photos/../secrets.txt')).toBe(false);
    expect(grants.allows('/etc/passwd')).toBe(false);
    expect(() => grants.check(['/tmp/one.jpg', '/etc/passwd'])).toThrow(/\/etc\/passwd: the app only opens files and folders you choose/);
    expect(path.isAbsolute('/tmp')).toBe(true);
  });
});
