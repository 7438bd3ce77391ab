import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** A read-only fd of `file`, or null when it cannot be opened (a missing cache file reads as none). */
export function openIfThere(file: string): number | null {
  try {
    // O_NONBLOCK and a regular-file check: something else in the cache's place must not block a hook.
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    if (fstatSync(fd).isFile()) return fd;
    closeSync(fd);
    return null;
  } catch {
    return null;
  }
}

/** Exactly `length` bytes of `fd` from `position`, or null when the file ends first. */
export function readExactly(fd: number, length: number, position: number): Buffer | null {
  const buf = Buffer.alloc(length);
  return readSync(fd, buf, 0, length, position) === length ? buf : null;
}

/**
 * Little-endian doubles from `bytes` (a multiple of 8 long), copied into a buffer of their own: a
 * Float64Array view needs an 8-byte-aligned offset, which a slice of a file's bytes seldom has.
 */
export function float64sOf(bytes: Buffer): Float64Array {
  const out = new Float64Array(bytes.length / 8);
  Buffer.from(out.buffer).set(bytes);
  return out;
}
