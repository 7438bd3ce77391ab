import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Why cco could not keep files in `dir` (made on first write with `mkdir -p`), or null when it can: a
 * part of the path that exists but is not a directory, or no permission to write the nearest existing
 * directory. Only looks (stat, access); never throws.
 */
export function dirUnusable(dir: string): string | null {
  let at = path.resolve(dir);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTDIR: a file further up; walking up finds and names it.
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        const up = path.dirname(at);
        if (up === at) return `${at} does not exist`;
        at = up;
        continue;
      }
      return `${at}: ${(e as Error).message}`;
    }
    if (!isDir) return `${at} is not a directory`;
    try {
      accessSync(at, constants.W_OK | constants.X_OK);
      return null;
    } catch {
      return `no permission to write ${at}`;
    }
  }
}
