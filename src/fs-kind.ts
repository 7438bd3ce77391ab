import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { onPseudoFs } from './make-dir.ts';

/** Whether `p` is a directory (following symlinks); false when it is anything else or not there. Never throws. */
export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `p` is a regular file (following symlinks); false when it is anything else or not there. Never throws. */
export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Why `file` cannot be read as a transcript without risk, or null when it can: it must be a regular file
 * (a FIFO blocks open() forever, a socket or device blocks or fails, a directory is no file) and not on
 * a kernel pseudo filesystem (/proc, /sys, /dev: "regular" files there can block or never end). One
 * stat (following symlinks) and one realpath; nothing is opened, so nothing can block. A missing file is
 * not a problem here (the caller's read reports ENOENT).
 *
 * @returns e.g. `a FIFO`, `a directory`, `on /proc`, or null
 */
export function unreadableKind(file: string): string | null {
  let st;
  try {
    st = statSync(file);
  } catch {
    return null;
  }
  if (!st.isFile())
    return st.isDirectory()
      ? 'a directory'
      : st.isFIFO()
        ? 'a FIFO'
        : st.isSocket()
          ? 'a socket'
          : st.isCharacterDevice() || st.isBlockDevice()
            ? 'a device'
            : 'not a regular file';
  let real = path.resolve(file);
  try {
    real = realpathSync(file);
  } catch {
    // the stat above worked: keep the resolved path
  }
  return onPseudoFs(path.resolve(file)) || onPseudoFs(real) ? `on ${real.split('/').slice(0, 2).join('/')}` : null;
}

/** What `unreadableKind` found, as the object of "is": `a FIFO`, `a file on /proc`. Pure. */
export function kindPhrase(kind: string): string {
  return kind.startsWith('on ') ? `a file ${kind}` : kind;
}

/** Error for a path `unreadableKind` refuses (code `ENOTREG`). */
export function notRegularError(file: string, kind: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${file} is ${kindPhrase(kind)}, not a regular file: not read`), { code: 'ENOTREG' });
}
