import { makeDir } from '../make-dir.ts';
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a cache file atomically without a lock or fsync: a temp file unique to this process and thread,
 * then a rename over the target (0600; the folder is made 0700 on first need only, off the hot path).
 * For caches only, which are functions of the transcripts: a lost write is rebuilt, never trusted
 * half-written. State files go through `update` instead.
 *
 * @throws the fs error of the write or the rename (the temp file is removed, also when the write failed part way)
 */
export function writeCacheFile(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`;
  try {
    try {
      writeFileSync(tmp, data, { mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      makeDir(path.dirname(file));
      writeFileSync(tmp, data, { mode: 0o600 });
    }
    renameSync(tmp, file);
  } catch (e) {
    // A write that failed part way (a full disk: ENOSPC) has created the temp file already: it goes too.
    try {
      unlinkSync(tmp);
    } catch {
      // nothing left to clean
    }
    throw e;
  }
}
