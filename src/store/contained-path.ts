import path from 'node:path';

/**
 * Paths built from what a payload, transcript or state file says (a transcript folder's name, a session
 * id, a cwd) must stay inside the folder they are meant for: a name `..`, one with `/` or NUL, or one past
 * a file system's name limit would otherwise move a file of ours elsewhere or fail.
 */

/** Longest file name most file systems take (ext4, APFS, NTFS: 255 bytes). */
const NAME_MAX_BYTES = 255;

/**
 * Whether `name` is one plain path segment: not empty, not `.` or `..`, no `/`, `\`, NUL, at most 255
 * bytes of UTF-8. Pure.
 */
export function isPlainSegment(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name) && Buffer.byteLength(name, 'utf8') <= NAME_MAX_BYTES;
}

/**
 * `path.join(dir, ...parts)`, resolved, and checked to lie strictly inside `dir`. Pure (no file system).
 * @throws Error (code `EOUTSIDE`) naming the parts when the result would leave `dir` (or be `dir` itself) or holds NUL
 */
export function insideDir(dir: string, ...parts: string[]): string {
  const base = path.resolve(dir);
  const p = path.resolve(base, ...parts);
  if (p.includes('\0') || !p.startsWith(base + path.sep)) {
    throw Object.assign(new Error(`${JSON.stringify(parts.join('/')).slice(0, 200)} would leave ${base}: refused`), { code: 'EOUTSIDE' });
  }
  return p;
}
