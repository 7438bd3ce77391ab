import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Every file below `dir` (not folders), as paths relative to it; a test's view of what a run left. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** The quarantined files below `dir` (`<name>.corrupt-<time>`), relative to it. */
export function corruptFilesUnder(dir: string): string[] {
  return filesUnder(dir).filter((f) => path.basename(f).includes('.corrupt-'));
}
