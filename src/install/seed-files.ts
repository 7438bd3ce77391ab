/**
 * How a seed command file (`<config dir>/commands/<name>.md`) stands on disk, and whose it is. Install
 * and uninstall only ever replace or delete a regular file that is byte for byte what cco wrote; a
 * symlink, a directory, a file they cannot read, or one the person edited is left as it is.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import { isOurSeedCommand } from '../claude/seed-commands.ts';

/**
 * A seed command file as found, never following a symlink:
 * - `absent`: nothing there (lstat said ENOENT);
 * - `file`: a regular file, with its text;
 * - `symlink`: a symlink (dangling or not): the person's;
 * - `other`: a directory, FIFO, socket or device;
 * - `unreadable`: lstat or the read failed with anything but ENOENT (`code`: EACCES, ENOTDIR, ...).
 */
export type SeedFileState =
  | { kind: 'absent' }
  | { kind: 'file'; text: string }
  | { kind: 'symlink' }
  | { kind: 'other' }
  | { kind: 'unreadable'; code: string };

/**
 * Looks at `file` with lstat and reads it only when it is a regular file (opened with O_NOFOLLOW and
 * O_NONBLOCK, so a symlink or FIFO swapped in meanwhile is neither followed nor waited on).
 * @throws never (every fs error is a `SeedFileState`)
 */
export function probeSeedFile(file: string): SeedFileState {
  let isFile: boolean;
  try {
    const st = lstatSync(file);
    if (st.isSymbolicLink()) return { kind: 'symlink' };
    isFile = st.isFile();
  } catch (e) {
    const code = errCode(e);
    return code === 'ENOENT' ? { kind: 'absent' } : { kind: 'unreadable', code };
  }
  if (!isFile) return { kind: 'other' };
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = errCode(e);
    if (code === 'ELOOP') return { kind: 'symlink' };
    return code === 'ENOENT' ? { kind: 'absent' } : { kind: 'unreadable', code };
  }
  try {
    if (!fstatSync(fd).isFile()) return { kind: 'other' };
    return { kind: 'file', text: readFileSync(fd, 'utf8') };
  } catch (e) {
    return { kind: 'unreadable', code: errCode(e) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Whose a seed command file's text is. What cco knows of its own: `writtenSha`, the sha256 of what
 * install wrote there (from the manifest; absent when there is no record), and `current`, the seed
 * text install would write now.
 * - `theirs`: no SEED_HEAD (the person's own command, or one they took over by removing the marker);
 * - `ours`: SEED_HEAD, and byte for byte what install wrote or the current seed text (safe to replace or delete);
 * - `edited`: SEED_HEAD, but the person changed the rest (kept).
 * Pure.
 */
export function seedOwner(text: string, known: { writtenSha?: string | undefined; current?: string | undefined }): 'ours' | 'edited' | 'theirs' {
  if (!isOurSeedCommand(text)) return 'theirs';
  if (text === known.current) return 'ours';
  if (known.writtenSha !== undefined && sha256(text) === known.writtenSha) return 'ours';
  return 'edited';
}

/** Hex sha256 of `text` (UTF-8), as the manifest records it. Pure. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The `code` of an fs error (`EACCES`, ...), or `error` when it has none. Pure. */
export function errCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'error';
}
