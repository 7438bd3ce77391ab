import { makeDir } from '../make-dir.ts';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * Writes a whole text file atomically (write-file-atomic: temp file, fsync, rename; mode 0600), creating
 * its folders (mode 0700). For documents we own outright (handoff markdown); JSON state shared between
 * processes goes through `update` instead, which also takes the lock.
 *
 * @throws the fs error when a folder cannot be created or the file cannot be written
 */
export async function writeTextAtomic(file: string, text: string): Promise<void> {
  makeDir(path.dirname(file));
  await writeFileAtomic(file, text, { mode: 0o600, fsync: true });
}
