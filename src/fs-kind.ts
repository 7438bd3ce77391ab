import { statSync } from 'node:fs';

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
