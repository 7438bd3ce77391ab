import { makeDir } from '../make-dir.ts';
import { closeSync, openSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a cache file atomically without a lock or fsync: a temp file unique to this process and thread,
 * then a rename over the target (0600; the folder is made 0700 on first need only, off the hot path).
 * For caches only, which are functions of the transcripts: a lost write is rebuilt, never trusted
 * half-written. State files go through `update` instead.
 * Not write-file-atomic (which `update` uses): it takes the content as one string or buffer, and the report
 * cache at 1 GB of transcripts is written in pieces so that it is never held joined in memory twice.
 *
 * @param data the content, or its pieces in order (written one after the other: a large cache is never
 *   joined into one string in memory)
 * @throws the fs error of the write or the rename (the temp file is removed, also when the write failed part way)
 */
export function writeCacheFile(file: string, data: string | Buffer | readonly (string | Buffer)[]): void {
  const tmp = `${file}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`;
  try {
    const write = () => (typeof data === 'string' || Buffer.isBuffer(data) ? writeFileSync(tmp, data, { mode: 0o600 }) : writePieces(tmp, data));
    try {
      write();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      makeDir(path.dirname(file));
      write();
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

function writePieces(file: string, pieces: readonly (string | Buffer)[]): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    for (const piece of pieces) {
      const b = typeof piece === 'string' ? Buffer.from(piece) : piece;
      let at = 0;
      while (at < b.length) at += writeSync(fd, b, at, b.length - at);
    }
  } finally {
    closeSync(fd);
  }
}
