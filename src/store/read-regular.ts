import { readFileSync, statSync } from 'node:fs';

/** What reading a file of ours found: its text, nothing there, or why it cannot be read. */
export type RegularRead = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'unreadable'; reason: string; code: string | null };

/**
 * Reads `file` as UTF-8 if it is a regular file (a symlink to one counts). `missing` when nothing is
 * there (ENOENT, or ENOTDIR: a part of the path is a file, so it cannot exist). `unreadable` for a
 * directory, FIFO or device in its place (a FIFO would block the read forever: it is never opened) and
 * for other I/O errors (EACCES...), with `code` the errno code (null for the kinds of file).
 * Never throws.
 */
export function readRegular(file: string): RegularRead {
  try {
    const st = statSync(file);
    if (!st.isFile()) return { kind: 'unreadable', reason: `not a regular file (${st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a special file'})`, code: null };
    return { kind: 'text', text: readFileSync(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? null;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'unreadable', reason: e instanceof Error ? e.message : String(e), code };
  }
}
