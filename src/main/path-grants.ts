/**
 * Paths the desktop renderer may name. A sandboxed page cannot read files, and it must not be able to
 * make the back end read any file it likes either: only files and folders a person picked in a dialog
 * or dropped on the window (and anything inside those folders) are accepted from it.
 */
import path from 'node:path';
import { AppError } from '../shared/errors.ts';

/** A rule for which server paths a request may name; each door that takes paths from elsewhere sets one. */
export interface PathPolicy {
  /** Throws an `unauthorized` AppError naming the first path refused; `write` for a folder the request writes into. */
  check(paths: readonly string[], purpose?: 'read' | 'write'): void;
}

export class PathGrants implements PathPolicy {
  private readonly granted = new Set<string>();

  /** Records paths a person chose (dialog) or dropped. */
  grant(paths: readonly string[]): void {
    for (const p of paths) if (p) this.granted.add(path.resolve(p));
  }

  /** True when the path is a granted one or lies inside a granted folder. */
  allows(candidate: string): boolean {
    const resolved = path.resolve(candidate);
    for (const root of this.granted) {
      if (resolved === root || resolved.startsWith(root + path.sep)) return true;
    }
    return false;
  }

  /** Throws, naming the path, unless every path is allowed. */
  check(paths: readonly string[]): void {
    const refused = paths.find((p) => !this.allows(p));
    if (refused !== undefined) {
      throw new AppError('unauthorized', `${refused}: the app only opens files and folders you choose in a dialog or drop on the window.`);
    }
  }
}
