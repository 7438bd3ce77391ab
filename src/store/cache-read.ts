import { openSync, readSync } from 'node:fs';

/** A read-only fd of `file`, or null when it cannot be opened (a missing cache file reads as none). */
export function openIfThere(file: string): number | null {
  try {
    return openSync(file, 'r');
  } catch {
    return null;
  }
}

/** Exactly `length` bytes of `fd` from `position`, or null when the file ends first. */
export function readExactly(fd: number, length: number, position: number): Buffer | null {
  const buf = Buffer.alloc(length);
  return readSync(fd, buf, 0, length, position) === length ? buf : null;
}
