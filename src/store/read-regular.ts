import { closeSync, constants, fstatSync, openSync, readFileSync, statSync, type Stats } from 'node:fs';

/** What reading a file of ours found: its text, nothing there, or why it cannot be read. */
export type RegularRead = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'unreadable'; reason: string; code: string | null };

/**
 * Reads `file` as UTF-8 if it is a regular file (a symlink to one counts). `missing` when nothing is
 * there (ENOENT, or ENOTDIR: a part of the path is a file, so it cannot exist). `unreadable` for a
 * directory, FIFO or device in its place and for other I/O errors (EACCES...), with `code` the errno
 * code (null for the kinds of file). A stat first keeps devices and FIFOs from being opened at all; the
 * file is then opened O_NONBLOCK and checked again on its descriptor (fstat), so one swapped for a FIFO
 * in between neither blocks the read forever nor is read. Never throws.
 */
export function readRegular(file: string): RegularRead {
  let fd: number | null = null;
  try {
    const st = statSync(file);
    if (!st.isFile()) return notRegular(st);
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const opened = fstatSync(fd);
    if (!opened.isFile()) return notRegular(opened);
    return { kind: 'text', text: readFileSync(fd, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? null;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'unreadable', reason: e instanceof Error ? e.message : String(e), code };
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function notRegular(st: Stats): RegularRead {
  return {
    kind: 'unreadable',
    reason: `not a regular file (${st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a special file'})`,
    code: null,
  };
}
