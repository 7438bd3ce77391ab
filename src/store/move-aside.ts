import { renameSync, statSync } from 'node:fs';

/**
 * Moving a broken state file aside: the one name and the one rename for every file of ours that failed
 * to parse, failed its schema, or is no regular file (a directory, FIFO, socket, or a symlink to one, where
 * a state file belongs). It is kept for inspection, never deleted, and the caller rebuilds the file.
 */

/** `<file>.corrupt-<ISO-8601 UTC time, ':' -> '-'>` (a file name on every OS). Pure. */
function asideName(file: string, now: Date): string {
  return `${file}.corrupt-${now.toISOString().replace(/:/g, '-')}`;
}

/**
 * Renames `file` to `asideName(file, now)`. A rename moves a directory, FIFO or socket as it does a file,
 * and never opens it (a FIFO would block).
 * @returns the new path, or null when `file` was gone (another process moved it first)
 * @throws fs errors other than ENOENT (EACCES: not ours to fix)
 */
export function moveAside(file: string, now: Date): string | null {
  const to = asideName(file, now);
  try {
    renameSync(file, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return to;
}

/**
 * Moves `file` aside (moveAside) when something that is no regular file is in its place: a directory,
 * FIFO, socket or device, or a symlink to one. For a writer about to replace the file (a rename over a
 * directory fails with EISDIR on every write). One stat; nothing is opened.
 * @returns what was there (`a directory`, ...) and where it went, or null when the place is free or holds a regular file
 * @throws fs errors of the rename other than ENOENT
 */
export function moveAsideIfNotRegular(file: string, now: Date): { kind: string; to: string } | null {
  let st;
  try {
    st = statSync(file);
  } catch {
    return null; // missing, or a dangling symlink: the write replaces it
  }
  if (st.isFile()) return null;
  const kind = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a special file';
  const to = moveAside(file, now);
  return to === null ? null : { kind, to };
}
