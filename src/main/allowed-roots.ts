/**
 * Paths a door may accept because the person chose the folders they lie in when starting it (the web
 * host's `--allow DIR`, the home folder by default). Anyone holding the web host's token could
 * otherwise import, classify or move any file the user can reach. Each path is checked by its real
 * path, and so is every symbolic link inside a folder that is read, so a link inside an allowed folder
 * cannot reach out of it. Files a browser uploads need no root: they are named by upload id, never by path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../shared/errors.ts';
import type { PathPolicy } from './path-grants.ts';

/** The real path of `candidate`, or of its deepest existing ancestor with the rest appended (a target folder may not exist yet). */
function realPath(candidate: string): string {
  const resolved = path.resolve(candidate);
  const missing: string[] = [];
  for (let current = resolved; ; current = path.dirname(current)) {
    try {
      return path.join(fs.realpathSync.native(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(current) === current) throw error;
      missing.push(path.basename(current));
    }
  }
}

function inside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** The web host's rule for server paths: inside one of the folders given at start, by real path. */
export class AllowedRoots implements PathPolicy {
  /** The allowed folders, by real path. */
  readonly roots: readonly string[];

  /** Each root must be an existing folder; it is resolved to its real path once, here. */
  constructor(roots: readonly string[]) {
    if (roots.length === 0) throw new AppError('invalid-argument', 'At least one folder must be allowed (--allow DIR).');
    this.roots = roots.map((root) => {
      let real: string;
      try {
        real = fs.realpathSync.native(path.resolve(root));
      } catch {
        throw new AppError('invalid-argument', `--allow ${root}: there is no such folder.`);
      }
      if (!fs.statSync(real).isDirectory()) throw new AppError('invalid-argument', `--allow ${root}: not a folder.`);
      return real;
    });
  }

  private refuse(given: string, real: string): AppError {
    const via = path.resolve(given) === real ? '' : ` (it leads to ${real})`;
    return new AppError(
      'unauthorized',
      `${given}${via}: the web host only uses files inside the folders it was started with (${this.roots.join(', ')}). To use this one, restart it with --allow ${path.dirname(real)} (or upload the files instead).`,
    );
  }

  private checkOne(given: string, real: string): void {
    if (!this.roots.some((root) => inside(root, real))) throw this.refuse(given, real);
  }

  /** Where a link leads, even a dangling one (something may be created through it). */
  private linkTarget(link: string): string {
    try {
      return fs.realpathSync.native(link);
    } catch {
      return realPath(path.resolve(path.dirname(link), fs.readlinkSync(link)));
    }
  }

  /**
   * Throws, naming the path, unless every path lies inside an allowed folder, and so does every symbolic
   * link inside the folders among them: anywhere below for `read` (importing or classifying reads them
   * all), directly inside for `write` (sorting writes into `<target>/<class>/` and the manifest).
   */
  check(paths: readonly string[], purpose: 'read' | 'write' = 'read'): void {
    for (const given of paths) {
      const real = realPath(given);
      this.checkOne(given, real);
      const stat = fs.statSync(real, { throwIfNoEntry: false });
      if (!stat?.isDirectory()) continue;
      // Recursive readdir does not descend through linked folders: they appear as links, checked here.
      for (const entry of fs.readdirSync(real, { withFileTypes: true, recursive: purpose === 'read' })) {
        if (!entry.isSymbolicLink()) continue;
        const link = path.join(entry.parentPath, entry.name);
        this.checkOne(link, this.linkTarget(link));
      }
    }
  }
}
