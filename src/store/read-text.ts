import { readFileSync } from 'node:fs';

/**
 * A file's text, or null when it does not exist (a state file or cache not written yet, a spool entry
 * another process took).
 * @throws fs errors other than ENOENT
 */
export function readTextOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
