/**
 * File I/O of the installer (imperative shell): reading settings.json without ever overwriting a file we
 * could not parse, backups, atomic writes under a lock, the manifest, and directories we create.
 *
 * It takes the store's lock (`acquireLock`, src/store/update.ts) and writes with write-file-atomic, but
 * does not go through the store's `update`, because the store quarantines and rebuilds an invalid file,
 * while a user's settings.json must be refused and left exactly as it is.
 */
import { constants, copyFileSync, mkdirSync, readFileSync, realpathSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { acquireLock, LockBusyError } from '../store/update.ts';
import { manifestSchema, type InstallManifest } from './manifest.ts';
import { parseSettingsText, SettingsParseError, SettingsShapeError, type JsonObject } from './settings-edit.ts';

/** An error with a one-line message for the user; main prints it and exits 1. */
export class InstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallError';
  }
}

/** A settings file as read: missing, or its text and parsed value. */
export type SettingsRead = { exists: false } | { exists: true; text: string; value: JsonObject };

/**
 * Reads a settings file.
 * @throws InstallError when it exists but is not JSON or not a JSON object (the file is not touched)
 */
export function readSettingsFile(file: string): SettingsRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw e;
  }
  try {
    return { exists: true, text, value: parseSettingsText(text) };
  } catch (e) {
    if (e instanceof SettingsParseError) {
      throw new InstallError(`${file} is not valid JSON (${e.message}); fix or move it, then run again. Nothing was changed.`);
    }
    if (e instanceof SettingsShapeError) {
      throw new InstallError(`${file}: ${e.message}; refusing to edit it. Nothing was changed.`);
    }
    throw e;
  }
}

/** `file`, with symlinks resolved when it exists (so we lock and replace the real file, not the link). */
export function realTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Copies `file` to `<file>.cco-backup-<ISO time, ':' replaced by '-'>` (never overwriting an existing
 * backup: a `-2`, `-3`… suffix is added if needed) and returns the backup path.
 */
export function backupFile(file: string, now: Date): string {
  const base = `${file}.cco-backup-${now.toISOString().replace(/:/g, '-')}`;
  for (let i = 1; ; i++) {
    const target = i === 1 ? base : `${base}-${i}`;
    try {
      copyFileSync(file, target, constants.COPYFILE_EXCL);
      return target;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i > 1000) throw e;
    }
  }
}

/**
 * Writes `text` to `file` atomically (temp file + rename, fsync). An existing file keeps its mode;
 * a new one gets 0600 (settings can hold tokens in `env`).
 */
export async function writeTextAtomic(file: string, text: string): Promise<void> {
  let mode = 0o600;
  try {
    mode = statSync(file).mode & 0o7777;
  } catch {
    /* new file */
  }
  await writeFileAtomic(file, text, { mode, fsync: true });
}

/** Lock timing: a lock older than STALE_MS (holder died) is taken over; we wait up to about WAIT_MS. */
const STALE_MS = 10_000;
const WAIT_MS = 5_000;

/**
 * Runs `fn` while holding the store's lock on `file` (acquireLock: the `<file>.lock` dir with its holder
 * file; the file itself need not exist, its directory must). The lock is released in `finally`.
 * @throws InstallError when another process holds the lock for longer than about 5 s
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await acquireLock(file, WAIT_MS, STALE_MS);
  } catch (e) {
    if (e instanceof LockBusyError) {
      throw new InstallError(`${file} is locked by another process (${file}.lock); try again in a few seconds`);
    }
    throw e;
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

/**
 * `mkdir -p dir` that reports which directories it created, deepest first (so that they can be removed
 * in that order).
 */
export function ensureDir(dir: string): string[] {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (isDir(d)) break;
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  if (missing.length > 0) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return missing;
}

/** Removes each directory that is empty, deepest first; non-empty or missing ones are left. */
export function removeEmptyDirs(dirs: readonly string[]): string[] {
  const removed: string[] = [];
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    try {
      rmdirSync(d);
      removed.push(d);
    } catch {
      /* not empty, or gone */
    }
  }
  return removed;
}

/** Deletes a file; a missing file is fine. */
export function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * Reads the install manifest.
 * @returns undefined when there is none
 * @throws InstallError when it exists but cannot be read as a manifest (we do not guess what to undo)
 */
export function readManifest(file: string): InstallManifest | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InstallError(`install manifest ${file} is not valid JSON (${(e as Error).message}); move it aside to continue`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
    throw new InstallError(`install manifest ${file} is not in the expected format (${where}); move it aside to continue`);
  }
  return parsed.data;
}

/** Writes the manifest atomically (its directory must exist). */
export async function writeManifest(file: string, m: InstallManifest): Promise<void> {
  await writeTextAtomic(file, `${JSON.stringify(m, null, 2)}\n`);
}

/** Reads a text file, or undefined when it is missing or unreadable. */
export function readTextLoose(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
